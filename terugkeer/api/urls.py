from django.urls import path

from terugkeer.api.api import api

urlpatterns = [path("", api.urls)]
