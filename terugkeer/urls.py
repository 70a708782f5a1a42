from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from terugkeer.accounts import mfa_views
from terugkeer.accounts import views as account_views
from terugkeer.portal import views as portal_views

admin.site.site_header = _("Terugkeer — beheer")
admin.site.site_title = _("Terugkeer")
admin.site.index_title = _("Functioneel beheer")

urlpatterns = [
    path("", account_views.home, name="home"),
    path(
        "aanmelden/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("afmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path("tweestapsverificatie/", mfa_views.mfa, name="mfa"),
    path("medewerkers/", include("terugkeer.organisations.urls")),
    path("trajecten/", include("terugkeer.trajectories.urls")),
    path("rapporten/", include("terugkeer.reports.urls")),
    path("audit/", include("terugkeer.privacy.urls")),
    path("mijn-traject/", include("terugkeer.portal.urls")),
    path("instellingen/herinneringen/", portal_views.digest_settings, name="digest_settings"),
    path("toolbox/", include("terugkeer.toolbox.urls")),
    path("importeren/", include("terugkeer.imports.urls")),
    path("api/", include("terugkeer.api.urls")),
    path("beheer/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
