"""The navigation's attention count is cached per user (accounts.context_processors); every
refresh of an organisation's trajectories moves that organisation's generation, so a cached
count never outlives a write, and at most a minute when nothing was written."""

import uuid

from django.core.cache import cache


def _key(organisation_id: int) -> str:
    return f"terugkeer:attention-gen:{organisation_id}"


def generation_keys(organisation_ids) -> list[str]:
    """The cache keys of these organisations' generations, to read with the count itself in
    one cache.get_many (one round trip to the database cache)."""
    return [_key(i) for i in sorted(set(organisation_ids))]


def generation_of(found: dict, keys: list[str]) -> str:
    """A token that changes whenever a trajectory of one of these organisations is refreshed,
    from the values read for generation_keys."""
    return ".".join(str(found.get(key, 0)) for key in keys)


def attention_changed(organisation_ids) -> None:
    token = uuid.uuid4().hex[:12]
    cache.set_many({_key(i): token for i in set(organisation_ids)}, None)
