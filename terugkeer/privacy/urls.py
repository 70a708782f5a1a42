from django.urls import path

from terugkeer.privacy import views

# The pages keep their place under /audit/ and their URL names (audit:search, …).
app_name = "audit"
urlpatterns = [
    path("", views.search, name="search"),
    path("toegang/", views.access_watch_view, name="access_watch"),
    path("medewerker/<int:pk>/", views.dossier_openings_view, name="openings"),
    path("medewerker/<int:pk>/inzage.<str:fmt>", views.subject_export_view, name="export"),
]
