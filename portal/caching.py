"""Copies of rows that many requests read and few change, kept in the cache (Redis when CACHE_URL
is given). The cache speeds a page up and never fails it: when it is unreachable the row is read
from the database as if there were no cache."""

import logging

from django.core.cache import cache

from portal.throttling import CACHE_ERRORS

logger = logging.getLogger(__name__)


def read_through(key, seconds, compute):
    """The value cached under `key`, else `compute()`, cached for `seconds` unless it is None."""
    try:
        value = cache.get(key)
    except CACHE_ERRORS as error:
        logger.warning("Cache unavailable, %s read from the database: %s", key, type(error).__name__)
        return compute()
    if value is None:
        value = compute()
        if value is not None:
            _quietly(cache.set, key, value, seconds)
    return value


def forget(key):
    _quietly(cache.delete, key)


def _quietly(method, *args):
    try:
        method(*args)
    except CACHE_ERRORS as error:
        logger.warning("Cache unavailable, %s not updated: %s", args[0], type(error).__name__)
