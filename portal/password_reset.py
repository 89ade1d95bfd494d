"""Setting a new password with a code texted to the account's mobile number, for accounts that
registered with one (the e-mail link serves the others).

Nothing here tells a visitor whether a number has an account: asking for a code answers the same
and does the same work whether or not it has, and a wrong number and a wrong code fail alike.
Codes per number and per client address are limited, a code expires, is used once and stops
answering after a few wrong tries.
"""

import hashlib
import hmac
import logging
import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import record_event
from portal.errors import DomainError
from portal.models import PasswordResetCode, User
from portal.privacy import mask_phone
from portal.sms import TRANSIENT_ERRORS, send_sms
from portal.throttling import CACHE_ERRORS, clear_login_failures

logger = logging.getLogger(__name__)

MOBILE = re.compile(r"^1[3-9]\d{9}$")
CODE_MINUTES = 10
WRONG_TRIES = 5
CODES_PER_NUMBER_PER_HOUR = 3
# Generous: behind one NAT a whole hospital asks from one address on deadline day.
CODES_PER_ADDRESS_PER_HOUR = 200


class ResetRefused(DomainError):
    status = 400
    code = "reset_refused"


def _hash(code, user_id):
    return hmac.new(settings.SECRET_KEY.encode(), f"{user_id}:{code}".encode(), hashlib.sha256).hexdigest()


def _within_limit(key, limit):
    """Count one more use of `key` this hour; False once past `limit` (fails open without a cache)."""
    try:
        cache.add(key, 0, 3600)
        return cache.incr(key) <= limit
    except (ValueError, *CACHE_ERRORS) as error:
        logger.warning("SMS code limit not checked: %s", type(error).__name__)
        return True


def _key(kind, value):
    return f"reset:{kind}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"


def request_reset_code(*, mobile: str, address: str) -> None:
    """Text a code to `mobile` if an active account signs in with it. Answers nothing either way;
    past the limits it refuses alike for every number."""
    mobile = mobile.strip()
    if not MOBILE.match(mobile):
        not_mobile = _("请输入11位手机号码。")
        raise ResetRefused(not_mobile, fields={"mobile": [not_mobile]})
    if not (
        _within_limit(_key("number", mobile), CODES_PER_NUMBER_PER_HOUR)
        and _within_limit(_key("address", address), CODES_PER_ADDRESS_PER_HOUR)
    ):
        raise ResetRefused(_("获取验证码过于频繁，请一小时后再试。"), status=429, code="too_many_codes")
    code = f"{secrets.randbelow(10**6):06d}"
    user = User.objects.filter(username=mobile, is_active=True).first()
    digest = _hash(code, user.pk if user else 0)  # the same work for a number without an account
    if user is None:
        return
    with transaction.atomic():
        PasswordResetCode.objects.filter(user=user, used_at__isnull=True).update(used_at=timezone.now())
        reset = PasswordResetCode.objects.create(
            user=user, code_hash=digest, expires_at=timezone.now() + timedelta(minutes=CODE_MINUTES)
        )
        record_event(actor=None, action="user.reset_code_sent", obj=user, after={"mobile": mask_phone(mobile)})
        transaction.on_commit(lambda: _text(mobile, code, reset.pk))


def _text(mobile, code, reset_id):
    # Sent from the request, not a task, so the code never sits in the broker. A gateway failure
    # is logged and not shown: the answer must not differ from a number without an account.
    text = _("您正在重设住培招录平台的登录密码，验证码 %(code)s，%(minutes)s分钟内有效。如非本人操作，请忽略。") % {
        "code": code,
        "minutes": CODE_MINUTES,
    }
    try:
        send_sms(mobile, text)
    except TRANSIENT_ERRORS as error:
        logger.warning("Reset code %s not texted: %s", reset_id, type(error).__name__)


def reset_password(*, mobile: str, code: str, password: str, address: str) -> User:
    """Set the new password if `code` is the live code texted to `mobile`'s account. Every session
    of the account ends (its password changed) and the account's sign-in failures, and this
    address's, are forgotten."""
    refused = ResetRefused(_("验证码错误或已失效，请重新获取。"))
    user = User.objects.filter(username=mobile.strip(), is_active=True).first()
    if user is None or not re.fullmatch(r"\d{6}", code.strip()):
        raise refused
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise ResetRefused(
            " ".join(error.messages), code="weak_password", fields={"password": error.messages}
        ) from None
    with transaction.atomic():
        reset = (
            PasswordResetCode.objects.select_for_update()
            .filter(user=user, used_at__isnull=True, expires_at__gt=timezone.now(), wrong_tries__lt=WRONG_TRIES)
            .order_by("-created_at")
            .first()
        )
        if reset is None:
            raise refused
        # A wrong try is counted (committed) before the refusal, so guesses run out.
        wrong = not hmac.compare_digest(reset.code_hash, _hash(code.strip(), user.pk))
        if wrong:
            reset.wrong_tries += 1
            reset.save(update_fields=["wrong_tries"])
        else:
            reset.used_at = timezone.now()
            reset.save(update_fields=["used_at"])
            user.set_password(password)
            user.save(update_fields=["password"])
            record_event(actor=user, action="user.password_reset", obj=user, after={"by": "sms"})
    if wrong:
        raise refused
    clear_login_failures(login=user.get_username(), address=address)
    return user
