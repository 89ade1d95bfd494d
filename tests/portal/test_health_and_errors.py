"""Issue 11, item 14: /healthz checks the database and reports the broker; a database outage is a
proper 500 page (zh-hans, the site's layout) or JSON for the API; nested or oversized JSON is a 4xx;
uploads are checked beyond their first bytes (decoded images with a pixel limit, parsed PDFs, no
polyglots)."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.test import Client
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from portal.uploads import document_extension
from tests.applicant_helpers import PDF, PNG, complete_applicant

# --- /healthz --------------------------------------------------------------------------------------


def test_healthz_answers_ok_with_the_database_and_the_broker_state(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "in_process"}


def test_healthz_is_503_when_the_database_does_not_answer(client, db, monkeypatch):
    monkeypatch.setattr("portal.health.database_answers", _broken_database)
    monkeypatch.setattr("portal.views.database_answers", _broken_database)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def _broken_database():
    return False


def test_healthz_reports_an_unreachable_broker_without_failing(client, db, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    settings.CELERY_BROKER_CONNECTION_TIMEOUT = 0.5
    from portal.celery import app

    app.conf.broker_url = settings.CELERY_BROKER_URL
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = None
    assert response.status_code == 200
    assert response.json()["broker"] == "unavailable"


# --- a database outage -----------------------------------------------------------------------------


@pytest.fixture
def outage(monkeypatch, settings):
    """Every query fails as it would with the database server down; DEBUG off, as in production."""
    settings.DEBUG = False

    def refuse(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")

    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", refuse)
    monkeypatch.setattr("django.db.backends.utils.CursorDebugWrapper.execute", refuse)
    return Client(raise_request_exception=False)


@pytest.mark.django_db
def test_a_database_outage_shows_the_sites_500_page_in_chinese(outage):
    response = outage.get("/bases/")
    assert response.status_code == 500
    page = response.content.decode()
    assert '<html lang="zh-hans">' in page and "site-header" in page  # the site's own layout
    assert "服务器暂时无法处理您的请求，您的数据没有丢失" in page
    assert "Traceback" not in page and "5432" not in page


@pytest.mark.django_db
def test_a_database_outage_is_json_for_the_api(outage):
    response = outage.get("/api/v1/plan/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "server_error"


# --- JSON bodies -----------------------------------------------------------------------------------


@pytest.fixture
def applicant_api(db):
    from tests import factories

    return factories.api_client(complete_applicant(1).user)


def test_deeply_nested_json_is_a_400_not_a_recursion_error(applicant_api):
    body = "[" * 100_000 + "]" * 100_000
    response = applicant_api.post("/api/v1/me/applications/", body, content_type="application/json")
    assert response.status_code == 400
    assert "嵌套" in response.json()["detail"] and response.json()["code"] == "parse_error"


def test_brackets_inside_strings_do_not_count_as_nesting(applicant_api):
    body = '{"specialty_base": "' + "[" * 500 + '"}'
    response = applicant_api.post("/api/v1/me/applications/", body, content_type="application/json")
    assert response.status_code == 400
    assert "嵌套" not in str(response.json())


def test_an_oversized_json_body_is_a_413(applicant_api, settings):
    body = '{"specialty_base": "' + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10) + '"}'
    response = applicant_api.post("/api/v1/me/applications/", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


def test_nan_is_not_json(applicant_api):
    response = applicant_api.post(
        "/api/v1/me/applications/", '{"specialty_base": NaN}', content_type="application/json"
    )
    assert response.status_code == 400


# --- uploads ---------------------------------------------------------------------------------------


def upload(content, name="scan.bin"):
    return SimpleUploadedFile(name, content)


def _png(width, height):
    buffer = io.BytesIO()
    Image.new("L", (width, height)).save(buffer, "PNG")
    return buffer.getvalue()


def _jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(buffer, "JPEG")
    return buffer.getvalue()


def _pdf_with(**catalog):
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    for key, value in catalog.items():
        writer._root_object[NameObject(f"/{key}")] = value
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_real_scans_are_accepted():
    assert document_extension(upload(PDF)) == ".pdf"
    assert document_extension(upload(PNG)) == ".png"
    assert document_extension(upload(_jpeg())) == ".jpg"


def test_a_png_decompression_bomb_is_refused():
    # 10,000 × 10,000 pixels compress to a few kilobytes; decoded they are 100 megapixels.
    bomb = _png_header_only(10_000, 10_000)
    with pytest.raises(ValidationError, match="图片尺寸过大，请缩小到 50 百万像素以内"):
        document_extension(upload(bomb))


def _png_header_only(width, height):
    """A PNG whose header claims `width` × `height` with one tiny compressed scanline block."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    data = zlib.compress(b"\x00" * (width + 1) * 16)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def test_an_image_with_only_a_valid_header_is_refused():
    with pytest.raises(ValidationError, match="已损坏"):
        document_extension(upload(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64))
    with pytest.raises(ValidationError, match="已损坏"):
        document_extension(upload(_jpeg()[:200]))


def test_a_polyglot_image_is_refused():
    with pytest.raises(ValidationError):
        document_extension(upload(_jpeg() + b"<html><script>alert(document.cookie)</script></html>"))
    with pytest.raises(ValidationError):
        document_extension(upload(PNG + b"trailing data a viewer ignores"))


def test_a_pdf_that_does_not_parse_is_refused():
    with pytest.raises(ValidationError, match="PDF"):
        document_extension(upload(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"))
    with pytest.raises(ValidationError, match="PDF"):
        document_extension(upload(b"%PDF-1.7\n" + b"\x00" * 4096))


def test_a_pdf_with_javascript_an_attachment_or_a_launch_action_is_refused():
    script = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
    )
    launch = DictionaryObject({NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("cmd")})
    files = DictionaryObject({NameObject("/EmbeddedFiles"): DictionaryObject()})
    for catalog in ({"OpenAction": script}, {"OpenAction": launch}, {"Names": files}):
        with pytest.raises(ValidationError, match="脚本"):
            document_extension(upload(_pdf_with(**catalog)))


def test_a_pdf_hiding_a_web_page_is_refused():
    with pytest.raises(ValidationError, match="网页"):
        document_extension(upload(PDF + b"\n<html><body onload=alert(1)></body></html>"))


def test_the_upload_form_names_the_problem(client, db):
    applicant = complete_applicant(2)
    client.force_login(applicant.user)
    response = client.post(
        "/me/documents/",
        {"kind": "diploma", "file": upload(_jpeg() + b"<script>x</script>", "diploma.jpg")},
        follow=True,
    )
    assert "网页或脚本" in response.content.decode()
