from django.urls import path

from terugkeer.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/voortgang/", views.progress, name="progress"),
    path("<int:pk>/bevestigen/", views.confirm, name="confirm"),
    path("<int:pk>/fouten.csv", views.errors_csv, name="errors_csv"),
    path("preventiedienst/", views.prevention_file, name="prevention"),
]
