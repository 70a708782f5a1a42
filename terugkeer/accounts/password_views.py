"""Changing one's password, and resetting a forgotten one by e-mail (docs/access.md).

Django's own views and tokens: a reset link is signed with the password hash and the last
sign-in, so it works once, and expires after PASSWORD_RESET_TIMEOUT. The answer to a reset
request is the same whether or not the address belongs to anyone.
"""

import hashlib
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.password_validation import password_validators_help_texts
from django.core.cache import cache
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from terugkeer.audit.models import AuditEntry
from terugkeer.audit.services import audit_record

logger = logging.getLogger(__name__)

# Reset mails per address per hour: enough for a typo and a retry, too few to flood a mailbox.
# Counted in Django's cache (per process unless a shared cache is configured).
RESET_MAILS_PER_ADDRESS = 3
RESET_WINDOW_SECONDS = 60 * 60
# The audit log's name for a visitor who is not signed in.
ANONYMOUS = "anoniem"


def _plain_help_text() -> str:
    """The password rules as one sentence each (the field template shows text, not a list)."""
    return " ".join(password_validators_help_texts())


def _audit_password(user, action: str, what: str, actor=None) -> None:
    audit_record(
        actor=actor or user,
        action=action,
        obj=user,
        object_type="password",
        organisation_id=user.organisation_id,
        changes={"password": what},
    )


def reset_mail_allowed(email: str) -> bool:
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    key = f"terugkeer:password-reset:{digest}"
    cache.add(key, 0, timeout=RESET_WINDOW_SECONDS)
    try:
        sent = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=RESET_WINDOW_SECONDS)
        sent = 1
    return sent <= RESET_MAILS_PER_ADDRESS


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = _plain_help_text()


class SetPasswordForm(auth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = _plain_help_text()


class PasswordResetForm(auth_forms.PasswordResetForm):
    def save(self, **kwargs):
        if not reset_mail_allowed(self.cleaned_data["email"]):
            # Same answer to the visitor; nothing sent.
            logger.warning("Password reset: limit reached for one address, no mail sent")
            return
        super().save(**kwargs)

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)
        # Asked by whoever typed the address, not (necessarily) by the account's holder.
        _audit_password(
            context["user"], AuditEntry.Action.CREATE, "herstellink verstuurd", actor=ANONYMOUS
        )


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)  # keeps this session, ends the others
        _audit_password(self.request.user, AuditEntry.Action.UPDATE, "gewijzigd")
        messages.success(self.request, _("Uw wachtwoord is gewijzigd."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    email_template_name = "registration/password_reset_email.txt"

    def form_valid(self, form):
        # Links point at the configured address, never at a Host header sent by the visitor.
        self.extra_email_context = {"base_url": settings.TERUGKEER["BASE_URL"].rstrip("/")}
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm

    def form_valid(self, form):
        response = super().form_valid(form)
        _audit_password(form.user, AuditEntry.Action.UPDATE, "hersteld via e-mail")
        return response
