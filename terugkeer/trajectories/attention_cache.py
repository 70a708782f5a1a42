"""The navigation's attention count is cached per user (accounts.context_processors); every
refresh of an organisation's trajectories moves that organisation's generation, so a cached
count never outlives a write, and at most a minute when nothing was written."""

import uuid

from django.core.cache import cache


def _key(organisation_id: int) -> str:
    return f"terugkeer:attention-gen:{organisation_id}"


def generations(organisation_ids) -> str:
    """A token that changes whenever a trajectory of one of these organisations is refreshed."""
    ids = sorted(set(organisation_ids))
    found = cache.get_many([_key(i) for i in ids])
    return ".".join(str(found.get(_key(i), 0)) for i in ids)


def attention_changed(organisation_ids) -> None:
    token = uuid.uuid4().hex[:12]
    cache.set_many({_key(i): token for i in set(organisation_ids)}, None)
