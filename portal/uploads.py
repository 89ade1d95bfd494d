"""Uploaded documents: accepted by their content (PDF, JPEG, PNG), never by their name; kept
outside anything a web server publishes, and served only through a permission-checked view."""

import os
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
_SIGNATURES = {b"%PDF-": ".pdf", b"\xff\xd8\xff": ".jpg", b"\x89PNG\r\n\x1a\n": ".png"}
CONTENT_TYPES = {".pdf": "application/pdf", ".jpg": "image/jpeg", ".png": "image/png"}


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT, read when used (so tests can point it elsewhere); no URL."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)


private_storage = PrivateStorage()


def document_extension(file):
    """The extension the content proves, or a ValidationError saying what is wrong."""
    if file.size == 0:
        raise ValidationError(_("文件为空。"))
    if file.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(_("文件不能超过 %(mb)s MB。") % {"mb": MAX_DOCUMENT_BYTES // (1024 * 1024)})
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    for signature, extension in _SIGNATURES.items():
        if head.startswith(signature):
            return extension
    raise ValidationError(_("只接受 PDF、JPEG 或 PNG 文件（按文件内容判断，与文件名无关）。"))


def stored_name(instance, filename):
    """A random name under the model's folder: the uploader's file name is never used as a path."""
    return f"{instance._meta.model_name}/{uuid.uuid4().hex}{os.path.splitext(filename)[1].lower()}"


def document_response(field_file, *, download_name):
    extension = os.path.splitext(field_file.name)[1]
    response = FileResponse(
        field_file.open("rb"),
        as_attachment=True,
        filename=f"{download_name}{extension}",
        content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
