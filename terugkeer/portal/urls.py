from django.urls import path

from terugkeer.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.portal_home, name="home"),
    path("contactwensen/", views.contact_wishes, name="contact_wishes"),
    path("plan/<int:number>/", views.plan_detail, name="plan"),
    path("plan/<int:number>/pdf/", views.plan_download, {"fmt": "pdf"}, name="plan_pdf"),
    path("plan/<int:number>/docx/", views.plan_download, {"fmt": "docx"}, name="plan_docx"),
]
