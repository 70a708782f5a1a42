from django.urls import path

from terugkeer.help import views

app_name = "help"
urlpatterns = [
    path("toegankelijkheid/", views.accessibility, name="accessibility"),
    path("hulp/", views.guide_index, name="index"),
    path("hulp/<slug:slug>/", views.guide, name="guide"),
]
