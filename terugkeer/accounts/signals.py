"""A change of roles ends the user's sessions.

What a session may see is decided on every request from the current assignments, but a session
opened under the old roles (perhaps on a shared computer, perhaps already verified with the
second factor for a lesser role) should not simply carry on with new rights: whoever holds the
account signs in again and gets a new session key (Django cycles the key at every sign-in).
"""

from importlib import import_module

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from terugkeer.accounts.models import RoleAssignment


def end_sessions_of(user_id: int) -> int:
    """Delete every live session of this user; returns how many.

    Django keeps no index from user to session, so the live sessions are read and decoded; they
    are few (they end after SESSION_IDLE_MINUTES) and role changes are rare. Needs a session
    engine with a database table (db or cached_db, the default db here).
    """
    engine = import_module(settings.SESSION_ENGINE)
    store_class = engine.SessionStore
    sessions = store_class.get_model_class().objects.filter(expire_date__gt=timezone.now())
    ended = 0
    for session in sessions.only("session_key", "session_data").iterator():
        if session.get_decoded().get("_auth_user_id") == str(user_id):
            # Through the store, so that a cached_db engine forgets its cached copy too.
            store_class(session.session_key).delete()
            ended += 1
    return ended


@receiver(post_save, sender=RoleAssignment, dispatch_uid="role_saved_ends_sessions")
@receiver(post_delete, sender=RoleAssignment, dispatch_uid="role_deleted_ends_sessions")
def role_changed(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: no live sessions to think of
        return
    end_sessions_of(instance.user_id)
