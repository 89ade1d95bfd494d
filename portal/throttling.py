"""Limits on guessing: failed sign-ins per account and per client address, and the rate limits of
the public API endpoints.

Counters live in the cache (Redis in production, so every worker process sees the same counts).
When the cache itself is unreachable the limits fail open — with a warning in the log — because a
cache outage must not lock every applicant out on the last day of the window.
"""

import hashlib
import logging

import redis.exceptions
from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import AnonRateThrottle

logger = logging.getLogger(__name__)

CACHE_ERRORS = (OSError, redis.exceptions.RedisError)

LOGIN_WINDOW_SECONDS = 15 * 60
FAILURES_PER_ACCOUNT = 5
FAILURES_PER_ADDRESS = 30


def client_address(request):
    """The client's address: REMOTE_ADDR, or, behind NUM_PROXIES trusted proxies, the address the
    nearest of them saw (the same rule DRF's throttles use)."""
    proxies = settings.REST_FRAMEWORK.get("NUM_PROXIES") or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return request.META.get("REMOTE_ADDR", "")


def _key(kind, value):
    # Hashed, so the cache holds no login names or addresses in clear.
    digest = hashlib.sha256(f"{kind}:{value.strip().lower()}".encode()).hexdigest()[:32]
    return f"login-failures:{kind}:{digest}"


def _counts(keys):
    try:
        return cache.get_many(keys)
    except CACHE_ERRORS as error:
        logger.warning("Sign-in limits not checked, cache unavailable: %s", type(error).__name__)
        return {}


def login_blocked(*, login, address):
    """True when this account or this address has used up its failed attempts in the window."""
    account, origin = _key("account", login), _key("address", address)
    counts = _counts([account, origin])
    return counts.get(account, 0) >= FAILURES_PER_ACCOUNT or counts.get(origin, 0) >= FAILURES_PER_ADDRESS


def record_login_failure(*, login, address):
    """Count one failed attempt; returns True when this attempt locked the account."""
    locked = False
    try:
        for kind, value in (("account", login), ("address", address)):
            key = _key(kind, value)
            # add() starts the window at the first failure; incr() keeps its expiry.
            cache.add(key, 0, LOGIN_WINDOW_SECONDS)
            count = cache.incr(key)
            locked = locked or (kind == "account" and count == FAILURES_PER_ACCOUNT)
    except (ValueError, *CACHE_ERRORS) as error:
        # ValueError: the key expired between add() and incr(); the next failure starts a new window.
        logger.warning("Failed sign-in not counted: %s", type(error).__name__)
    return locked


def clear_login_failures(*, login):
    try:
        cache.delete(_key("account", login))
    except CACHE_ERRORS as error:
        logger.warning("Sign-in failures not cleared, cache unavailable: %s", type(error).__name__)


class AddressRateThrottle(AnonRateThrottle):
    """A per-address rate limit that lets requests through when the cache is down (see above)."""

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except CACHE_ERRORS as error:
            logger.warning("Rate limit %s not checked, cache unavailable: %s", self.scope, type(error).__name__)
            return True
