from django.urls import path

from terugkeer.toolbox import views

app_name = "toolbox"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("<str:kind>/nieuw/", views.entry_edit, name="entry_new"),
    path("<str:kind>/<int:pk>/", views.entry_edit, name="entry_edit"),
    path("handelingskader/", views.framework_detail, name="framework"),
    path("handelingskader/bewerken/", views.framework_edit, name="framework_edit"),
]
