from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from terugkeer.accounts import mfa_views, password_views
from terugkeer.accounts import views as account_views
from terugkeer.health import views as health_views
from terugkeer.portal import views as portal_views
from terugkeer.sso import views as sso_views

urlpatterns = [
    path("", account_views.home, name="home"),
    path("health/live", health_views.live, name="health_live"),
    path("health/ready", health_views.ready, name="health_ready"),
    path("aanmelden/", sso_views.SignInView.as_view(), name="login"),
    path("aanmelden/via/", include("terugkeer.sso.urls")),
    path("afmelden/", sso_views.sign_out, name="logout"),
    path("tweestapsverificatie/", mfa_views.mfa, name="mfa"),
    path(
        "wachtwoord/wijzigen/",
        password_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "wachtwoord/vergeten/",
        password_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "wachtwoord/vergeten/verstuurd/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "wachtwoord/herstellen/<uidb64>/<token>/",
        password_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "wachtwoord/hersteld/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("medewerkers/", include("terugkeer.trajectories.employee_urls")),
    path("trajecten/", include("terugkeer.trajectories.urls")),
    path("rapporten/", include("terugkeer.reports.urls")),
    path("audit/", include("terugkeer.privacy.urls")),
    path("mijn-traject/", include("terugkeer.portal.urls")),
    path("instellingen/herinneringen/", portal_views.digest_settings, name="digest_settings"),
    path("toolbox/", include("terugkeer.toolbox.urls")),
    path("inrichten/", include("terugkeer.onboarding.urls")),
    path("", include("terugkeer.help.urls")),
    path("samenwerking/", include("terugkeer.smt.urls")),
    path("importeren/", include("terugkeer.imports.urls")),
    path("api/", include("terugkeer.api.urls")),
    path("beheer/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
