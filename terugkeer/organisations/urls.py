from django.urls import path

from terugkeer.organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.employee_list, name="employees"),
    path("<int:pk>/", views.employee_detail, name="employee"),
]
