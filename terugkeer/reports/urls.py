from django.urls import path

from terugkeer.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("jaarrapport/", views.report, name="report"),
    path("jaarrapport/export.<str:fmt>", views.report_export, name="export"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("vier-weken/", views.four_weeks, name="four_weeks"),
]
