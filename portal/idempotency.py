"""`Idempotency-Key` for every API write: a client on a slow mobile network may send the same
POST/PUT/PATCH/DELETE again when it saw no answer, and the work is done once.

The first request with a key inserts its row and runs the view in the same transaction, then keeps
the answer in the row. A request with the same key meanwhile blocks on that insert (the unique
index) until the first commits, then replays the kept answer with `Idempotent-Replayed: true`; if
the first is rolled back, it runs the view itself. The key is the signed-in user's (anonymous writes
ignore the header: there is no account to keep the key for; a second registration is refused as a
duplicate). A key reused for another request (method, path or body) is a 422; a key is forgotten
after `KEY_LIFETIME`. Answers that did no work (401, 403, 429) and failures (5xx) are not kept, so a
retry gets a fresh answer. An hourly sweep deletes the expired keys (`forget_expired_keys`)."""

import hashlib
import re
from datetime import timedelta

from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import IdempotentRequest
from portal.parsers import body_too_large_message

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
KEY_LIFETIME = timedelta(hours=24)
KEY_PATTERN = re.compile(r"[\x21-\x7e]{1,255}")
KEPT_HEADERS = ("Content-Type", "Location", "Content-Disposition")
UNKEPT_STATUSES = frozenset({401, 403, 429})
# A row that disappears between a failed insert and the read (its request was rolled back) is
# claimed again; this many turns without winning or reading one means the key is busy.
CLAIM_ATTEMPTS = 3


def _refusal(status, detail, code):
    return JsonResponse({"detail": detail, "code": code}, status=status)


def _parts(request):
    """What identifies the request: its method, path and body. An upload (a multipart POST) is
    read through Django's parser — its files may be larger than a body is allowed to be held in
    memory — as its fields and each file's name and content; the view then reads the same parse."""
    yield request.method.encode()
    yield request.get_full_path().encode()
    if request.method == "POST" and request.content_type == "multipart/form-data":
        for name, values in sorted(request.POST.lists()):
            yield name.encode()
            yield from (value.encode() for value in values)
        for name, files in sorted(request.FILES.lists()):
            yield name.encode()
            for upload in files:
                yield (upload.name or "").encode()
                yield b"".join(upload.chunks())
                upload.seek(0)
    else:
        yield request.body


def _fingerprint(request):
    digest = hashlib.sha256()
    for part in _parts(request):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def _claim(*, user, key, method, path, fingerprint):
    """(the new row, None) when this request is the first with the key, (None, the earlier row)
    when another had it, (None, None) when the key stayed busy. Runs inside the caller's
    transaction; the earlier row is locked (select_for_update) so that its expiry is decided once."""
    for _attempt in range(CLAIM_ATTEMPTS):
        try:
            with transaction.atomic():
                row = IdempotentRequest.objects.create(
                    user=user, key=key, method=method, path=path, fingerprint=fingerprint
                )
            return row, None
        except IntegrityError:
            earlier = IdempotentRequest.objects.select_for_update().filter(user=user, key=key).first()
        if earlier is None:
            continue
        if earlier.created_at > timezone.now() - KEY_LIFETIME:
            return None, earlier
        earlier.delete()
    return None, None


def forget_expired_keys(*, batch_size: int = 5000) -> int:
    """Delete the kept answers of keys older than `KEY_LIFETIME` (a reuse would no longer replay
    them), a batch at a time so that a day's backlog never holds one long delete; returns how many.
    Safe beside a claim of the same key: `_claim` treats a row gone between its insert and its
    read as free."""
    forgotten = 0
    while True:
        expired = list(
            IdempotentRequest.objects.filter(created_at__lte=timezone.now() - KEY_LIFETIME).values_list(
                "pk", flat=True
            )[:batch_size]
        )
        if not expired:
            return forgotten
        forgotten += IdempotentRequest.objects.filter(pk__in=expired).delete()[0]


def _replay(earlier):
    response = HttpResponse(bytes(earlier.body), status=earlier.status)
    for name, value in earlier.headers.items():
        response[name] = value
    response[REPLAYED_HEADER] = "true"
    return response


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.headers.get(HEADER)
        if (
            key is None
            or request.method not in WRITE_METHODS
            or not request.path.startswith("/api/")
            or not request.user.is_authenticated
        ):
            return self.get_response(request)
        if not KEY_PATTERN.fullmatch(key):
            return _refusal(400, _("Idempotency-Key 须为 1 至 255 个可见 ASCII 字符。"), "invalid_idempotency_key")
        try:
            fingerprint = _fingerprint(request)
        except RequestDataTooBig:
            return _refusal(413, body_too_large_message(), "too_large")
        with transaction.atomic():
            row, earlier = _claim(
                user=request.user, key=key, method=request.method, path=request.path, fingerprint=fingerprint
            )
            if earlier is not None:
                if earlier.fingerprint != fingerprint:
                    return _refusal(
                        422,
                        _("该 Idempotency-Key 已用于另一个请求（方法、地址或内容不同），请为新的请求换一个键。"),
                        "idempotency_key_reused",
                    )
                return _replay(earlier)
            if row is None:
                return _refusal(409, _("请求正在处理中，请稍后用同一个 Idempotency-Key 重试。"), "request_in_progress")
            response = self.get_response(request)
            # A view that caught a database error outside a savepoint leaves the transaction unusable.
            broken = transaction.get_connection().needs_rollback
            if broken or response.streaming or response.status_code >= 500 or response.status_code in UNKEPT_STATUSES:
                transaction.set_rollback(True)
                return response
            row.status = response.status_code
            row.body = response.content
            row.headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
            row.save(update_fields=["status", "body", "headers"])
            return response
