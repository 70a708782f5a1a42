"""The employee list and page (/medewerkers/): case work, where absences and trajectories are
registered, so they live with the trajectories and not in the organisations app."""

from django.urls import path

from terugkeer.trajectories import employee_views

app_name = "employees"
urlpatterns = [
    path("", employee_views.employee_list, name="list"),
    path("<int:pk>/", employee_views.employee_detail, name="detail"),
]
