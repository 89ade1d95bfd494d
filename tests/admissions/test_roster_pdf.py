"""The roster PDF in parts (a national roster is never laid out whole): the pages of every part
concatenated, numbered on across the parts, every resident on them with the ID number masked;
made as a bulk job from the roster page, its progress counting the rows."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from admissions.selectors.roster import roster_size
from admissions.services import roster_export
from portal.models import BulkJob, JobStatus
from portal.privacy import mask_id_number
from tests.admissions.test_reporting import admitted, at  # noqa: F401  (the fixture: one admitted resident)
from tests.admissions.test_roster import RURAL_ID, _entries, reported, rural  # noqa: F401  (fixtures)


@pytest.fixture
def long_roster(world, people, reported, rural):  # noqa: F811
    """Eleven residents: the reported admission, the rural order graduate and nine more entries."""
    _entries(world, people, 9, 400)
    assert roster_size(world["hubei_campaign"]) == 11
    return reported


def _embeds_its_fonts(page):
    fonts = [font.get_object() for font in page["/Resources"]["/Font"].values()]
    descriptors = [
        descendant.get_object()["/FontDescriptor"] for font in fonts for descendant in font.get("/DescendantFonts", [])
    ]
    return bool(descriptors) and all("/FontFile3" in d or "/FontFile2" in d for d in descriptors)


def _text(page):
    return "".join(page.extract_text().split())


def test_the_pdf_is_rendered_in_parts_numbered_on(client, people, long_roster, monkeypatch):
    monkeypatch.setattr(roster_export, "ROWS_PER_PART", 3)
    client.force_login(people["province"])
    response = client.get(reverse("roster-pdf"))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)), strict=True)
    assert len(reader.pages) == 4, "four parts of three rows, a page each"
    texts = [_text(page) for page in reader.pages]
    assert [text[-1] for text in texts] == ["1", "2", "3", "4"], "the footer numbers the pages on"
    assert "2026年度住院医师规范化培训注册名单" in texts[0] and "注册名单" not in "".join(texts[1:])
    assert all("序号姓名性别" in text for text in texts), "each page has the table's header"
    applicant = long_roster.assessment.application.applicant
    whole = "".join(texts)
    assert applicant.full_name in whole and mask_id_number(applicant.id_number) in whole
    assert mask_id_number(RURAL_ID) in whole and RURAL_ID not in whole
    positions = [whole.find(f"订单生{n}") for n in range(400, 409)]
    assert -1 not in positions and positions == sorted(positions), "every row, in the roster's order"
    assert reader.metadata.title == "注册名单" and reader.trailer["/Root"]["/Lang"] == "zh-Hans"
    assert all(_embeds_its_fonts(page) for page in reader.pages), "every part carries its own fonts"


def test_the_province_makes_the_pdf_as_a_job_and_follows_its_rows(
    client, people, world, long_roster, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(roster_export, "ROWS_PER_PART", 4)
    seen = []
    write = roster_export.write_pdf_parts

    def watched(template_name, contexts, out, **kwargs):
        def parts():
            for context in contexts:
                seen.append(BulkJob.objects.values_list("done", "total").get())
                yield context

        return write(template_name, parts(), out, **kwargs)

    monkeypatch.setattr(roster_export, "write_pdf_parts", watched)
    client.force_login(people["province"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("roster-pdf-job"), {"campaign": world["hubei_campaign"].pk})
    job = BulkJob.objects.get()
    assert response["Location"] == reverse("job", args=[job.pk])
    assert job.status == JobStatus.DONE and (job.done, job.total) == (11, 11)
    assert seen == [(0, 11), (4, 11), (8, 11)], "the progress counts the rows part by part"
    assert "2026年度住院医师规范化培训注册名单" in client.get(reverse("job", args=[job.pk])).content.decode()
    content = b"".join(client.get(reverse("job-result", args=[job.pk])).streaming_content)
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 3
    whole = "".join(_text(page) for page in reader.pages)
    assert all(f"订单生{n}" in whole for n in range(400, 409)) and mask_id_number(RURAL_ID) in whole

    client.force_login(people["xiehe_office"])
    assert client.post(reverse("roster-pdf-job"), {"campaign": world["hubei_campaign"].pk}).status_code == 403
