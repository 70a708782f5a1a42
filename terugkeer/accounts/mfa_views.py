import base64
import io
import secrets

import qrcode
import qrcode.image.svg
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10


def _qr_data_uri(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def _verified(request, device) -> None:
    """Mark the session verified under a new key: the rights grew, the old key must not carry on."""
    otp_login(request, device)
    request.session.cycle_key()


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


@login_required
def mfa(request):
    """Enrol a TOTP device (first time) or verify this session with a code."""
    user = request.user
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    error = ""
    if confirmed is None:
        device, _created = TOTPDevice.objects.get_or_create(
            user=user, confirmed=False, defaults={"name": "authenticator"}
        )
        if request.method == "POST":
            token = request.POST.get("token", "").strip()
            if device.verify_token(token):
                device.confirmed = True
                device.save()
                _verified(request, device)
                codes = _new_recovery_codes(user)
                return render(
                    request, "accounts/mfa_recovery.html", {"codes": codes, "next": _next(request)}
                )
            error = _("Die code klopt niet. Probeer de nieuwste code uit de app.")
        return render(
            request,
            "accounts/mfa_enrol.html",
            {
                "qr": _qr_data_uri(device.config_url),
                "secret": device.key,
                "error": error,
                "next": _next(request),
            },
        )
    if request.method == "POST":
        device = match_token(user, request.POST.get("token", "").strip())
        if device is not None:
            _verified(request, device)
            return redirect(_next(request))
        error = _("Die code klopt niet. Gebruik een code uit de app of een herstelcode.")
    return render(request, "accounts/mfa_verify.html", {"error": error, "next": _next(request)})


def _new_recovery_codes(user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(user=user, name="herstelcodes")
    device.token_set.all().delete()
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes
