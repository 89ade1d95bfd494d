"""Uploaded documents: accepted by their content (PDF, JPEG, PNG), never by their name; kept
outside anything a web server publishes, and served only through a permission-checked view."""

import io
import os
import re
import uuid
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from PIL import Image
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

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
    """The extension the content proves, or a ValidationError saying what is wrong. The whole file
    is read: an image must decode within the pixel limit and end where its format ends, a PDF must
    parse and carry no scripts, launch actions or attached files, and neither may hide a web page
    (a polyglot another program would open as HTML)."""
    if file.size == 0:
        raise ValidationError(_("文件为空。"))
    if file.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(_("文件不能超过 %(mb)s MB。") % {"mb": MAX_DOCUMENT_BYTES // (1024 * 1024)})
    file.seek(0)
    content = file.read()
    file.seek(0)
    extension = next((ext for signature, ext in _SIGNATURES.items() if content.startswith(signature)), None)
    if extension is None:
        raise ValidationError(_("只接受 PDF、JPEG 或 PNG 文件（按文件内容判断，与文件名无关）。"))
    if _HIDDEN_MARKUP.search(content):
        raise ValidationError(_("文件中夹带网页或脚本内容，不能上传。请上传原始的扫描件或照片。"))
    if extension == ".pdf":
        check_pdf(content)
    else:
        check_image(content, extension)
    return extension


# Markup a browser or an office program would run if it took the file for a web page.
_HIDDEN_MARKUP = re.compile(rb"<\s*(?:script|html|body|iframe|svg|object|embed)\b|<\?php|javascript:", re.IGNORECASE)
# A scan of an A4 page at 600 dpi is about 35 million pixels; a 48-megapixel phone photo fits too.
MAX_IMAGE_PIXELS = 50_000_000
MAX_PDF_PAGES = 200
# PDF features that run something or carry other files; pypdf has decoded any #xx escapes in names.
_ACTIVE_PDF_NAMES = {"/JavaScript", "/JS", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia", "/XFA"}
_IMAGE_ENDS = {".jpg": b"\xff\xd9", ".png": b"IEND\xaeB`\x82"}


def check_image(content, extension):
    unreadable = ValidationError(_("图片文件已损坏或不完整，请重新扫描或拍照后上传。"))
    too_large = ValidationError(
        _("图片尺寸过大，请缩小到 %(mp)s 百万像素以内后上传。") % {"mp": MAX_IMAGE_PIXELS // 10**6}
    )
    try:
        with warnings.catch_warnings():
            # The pixel count is checked here, against a lower limit than Pillow's warning.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise too_large
                image.load()
    except Image.DecompressionBombError:
        raise too_large from None
    except (OSError, SyntaxError, ValueError):
        raise unreadable from None
    # Anything after the image's own end is what a polyglot hides there.
    if not content.rstrip(b"\x00").endswith(_IMAGE_ENDS[extension]):
        raise unreadable


def check_pdf(content):
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            raise ValidationError(_("PDF 文件已加密，请上传未加密的文件。"))
        pages = len(reader.pages)
        active = _active_pdf_names(reader)
    except ValidationError:
        raise
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise ValidationError(_("PDF 文件已损坏，无法打开，请重新生成后上传。")) from None
    if pages == 0:
        raise ValidationError(_("PDF 文件没有页面。"))
    if pages > MAX_PDF_PAGES:
        raise ValidationError(_("PDF 文件超过 %(pages)s 页。") % {"pages": MAX_PDF_PAGES})
    if active:
        raise ValidationError(_("PDF 文件含有脚本、自动执行的操作或附件，不能上传。请用“打印为 PDF”重新生成。"))


def _active_pdf_names(reader):
    """Whether any object of the file names a feature of _ACTIVE_PDF_NAMES (as a key or a value)."""
    objects = [(number, generation) for generation, table in reader.xref.items() for number in table]
    objects += [(number, 0) for number in reader.xref_objStm]
    return any(
        _names_active(reader.get_object(IndirectObject(number, generation, reader))) for number, generation in objects
    )


def _names_active(obj):
    if isinstance(obj, DictionaryObject):
        return any(str(key) in _ACTIVE_PDF_NAMES or _names_active(value) for key, value in obj.items())
    if isinstance(obj, ArrayObject):
        return any(_names_active(value) for value in obj)
    return isinstance(obj, NameObject) and str(obj) in _ACTIVE_PDF_NAMES


def stored_name(instance, filename):
    """A random name under the model's folder: the uploader's file name is never used as a path."""
    return f"{instance._meta.model_name}/{uuid.uuid4().hex}{os.path.splitext(filename)[1].lower()}"


def document_response(field_file, *, download_name):
    """The kept file as a download; a 404 when there is none (never uploaded, or gone from the
    storage after a rolled-back deletion)."""
    if not field_file:
        raise Http404
    extension = os.path.splitext(field_file.name)[1]
    try:
        opened = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        opened,
        as_attachment=True,
        filename=f"{download_name}{extension}",
        content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
