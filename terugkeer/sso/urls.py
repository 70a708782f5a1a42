from django.urls import path

from terugkeer.sso import views

urlpatterns = [
    path("<slug:slug>/", views.start, name="sso_start"),
    path("<slug:slug>/terug/", views.callback, name="sso_callback"),
]
