"""Autosaved drafts of forms: what a user has typed and not yet saved, kept on the server per user
and form. Only the form's own fields are kept (the caller names them; never passwords or files),
each a string, a yes/no or a list of strings, and the whole at most `MAX_DRAFT_BYTES`."""

import json

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.errors import DomainError
from portal.models import FormDraft

MAX_DRAFT_BYTES = 32 * 1024


def _value(value):
    if isinstance(value, str | bool):
        return value
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return value
    return None


def save_draft(*, user, form_key: str, data: dict, fields: frozenset[str]) -> FormDraft:
    """Keep `data` as the user's draft of the form, dropping every name not in `fields` and every
    value that is not text, a yes/no or a list of texts; a draft too large is refused (413)."""
    kept = {name: _value(value) for name, value in data.items() if name in fields and _value(value) is not None}
    if len(json.dumps(kept, ensure_ascii=False).encode()) > MAX_DRAFT_BYTES:
        raise DomainError(_("草稿内容过多，未能自动保存。"), code="too_large", status=413)
    with transaction.atomic():
        draft, _created = FormDraft.objects.update_or_create(
            user=user, form_key=form_key, defaults={"data": kept, "updated_at": timezone.now()}
        )
    return draft


def draft_of(*, user, form_key: str) -> FormDraft | None:
    return FormDraft.objects.filter(user=user, form_key=form_key).first()


def discard_draft(*, user, form_key: str) -> None:
    FormDraft.objects.filter(user=user, form_key=form_key).delete()
