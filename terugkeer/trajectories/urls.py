from django.urls import path

from terugkeer.trajectories import views

app_name = "trajectories"
urlpatterns = [
    path("", views.caseload_view, name="caseload"),
    path("<int:pk>/", views.trajectory_detail, name="detail"),
    path("<int:pk>/registreer/<slug:event_type>/", views.event_create, name="event"),
    path("<int:pk>/contactwensen/", views.contact_wishes, name="contact_wishes"),
    path("<int:pk>/plan/", views.plan_edit, name="plan"),
    path(
        "<int:pk>/plan/<int:number>/pdf/",
        views.plan_document,
        {"fmt": "pdf"},
        name="plan_pdf",
    ),
    path(
        "<int:pk>/plan/<int:number>/docx/",
        views.plan_document,
        {"fmt": "docx"},
        name="plan_docx",
    ),
]
