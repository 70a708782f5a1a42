from django.urls import path

from terugkeer.onboarding import views

app_name = "onboarding"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.overview, name="overview"),
    path("<int:pk>/<slug:slug>/", views.step, name="step"),
]
