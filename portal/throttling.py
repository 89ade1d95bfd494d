"""Limits on guessing: failed sign-ins per account and client address, and the rate limits of
the public API endpoints.

Counters live in the cache (Redis in production, so every worker process sees the same counts).
When the cache itself is unreachable the limits fail open — with a warning in the log — because a
cache outage must not lock every applicant out on the last day of the window.
"""

import hashlib
import logging
import math
import time

import redis.exceptions
from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import AnonRateThrottle

logger = logging.getLogger(__name__)

CACHE_ERRORS = (OSError, redis.exceptions.RedisError)

LOGIN_WINDOW_SECONDS = 15 * 60
# Failures of one account from one address before that pair must wait out the window.
FAILURES_PER_PAIR = 5
# Failures of one account from anywhere after which each further try from an address that has
# already failed for it waits 2, 4, 8 … seconds (at most the window). An address that has not
# failed for the account — the owner on another network — is never held back by strangers.
BACKOFF_AFTER = 10

# No limit counts a client address alone: behind a provincial network's NAT or a proxy whose
# count NUM_PROXIES leaves unset, one address is a whole province, and a per-address lock would
# be an outage anyone could cause.


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


def _digest(*parts):
    # Hashed, so the cache holds no login names or addresses in clear.
    return hashlib.sha256("\x00".join(part.strip().lower() for part in parts).encode()).hexdigest()[:32]


def _keys(login, address):
    account, pair = _digest(login), _digest(login, address)
    return {
        "pair": f"login:pair:{pair}",
        "pair_started": f"login:pair-started:{pair}",
        "account": f"login:account:{account}",
        "account_last": f"login:account-last:{account}",
    }


def _read(keys):
    try:
        return cache.get_many(list(keys.values()))
    except CACHE_ERRORS as error:
        logger.warning("Sign-in limits not checked, cache unavailable: %s", type(error).__name__)
        return {}


def login_wait(*, login, address, now=None):
    """Seconds this account must wait before trying again from this address; 0 to go ahead."""
    now = time.time() if now is None else now
    keys = _keys(login, address)
    values = _read(keys)
    pair = values.get(keys["pair"], 0)
    waits = [0]
    if pair >= FAILURES_PER_PAIR:
        waits.append(values.get(keys["pair_started"], now) + LOGIN_WINDOW_SECONDS - now)
    account = values.get(keys["account"], 0)
    if pair and account >= BACKOFF_AFTER:
        delay = min(2 ** (account - BACKOFF_AFTER + 1), LOGIN_WINDOW_SECONDS)
        waits.append(values.get(keys["account_last"], now) + delay - now)
    return max(0, math.ceil(max(waits)))


def record_login_failure(*, login, address, now=None):
    """Count one failed attempt; returns True when this attempt locked the pair."""
    now = time.time() if now is None else now
    keys = _keys(login, address)
    try:
        # add() starts a window at the first failure; incr() keeps its expiry.
        cache.add(keys["pair_started"], now, LOGIN_WINDOW_SECONDS)
        cache.add(keys["pair"], 0, LOGIN_WINDOW_SECONDS)
        pair = cache.incr(keys["pair"])
        cache.add(keys["account"], 0, LOGIN_WINDOW_SECONDS)
        cache.incr(keys["account"])
        cache.set(keys["account_last"], now, LOGIN_WINDOW_SECONDS)
    except (ValueError, *CACHE_ERRORS) as error:
        # ValueError: the key expired between add() and incr(); the next failure starts a new window.
        logger.warning("Failed sign-in not counted: %s", type(error).__name__)
        return False
    return pair == FAILURES_PER_PAIR


def clear_login_failures(*, login, address):
    """After a right password: the account's count and this address's, not the other addresses'."""
    keys = _keys(login, address)
    try:
        cache.delete_many([keys["pair"], keys["pair_started"], keys["account"], keys["account_last"]])
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


class GuessRateThrottle(AddressRateThrottle):
    """A limit on guessing a code printed on a document: per signed-in user, else per address —
    signed in or not, a visitor who tries code after code is held back. Subclasses set scope and
    rate. Usable from a plain Django view as well: `allow_request(request, None)`."""

    def get_cache_key(self, request, view):
        user = getattr(request, "user", None)
        ident = f"user-{user.pk}" if user is not None and user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
