"""The brochure PDF: its Chinese text can be extracted, and the CJK font it is set in is embedded."""

import io
from urllib.parse import unquote

from django.urls import reverse
from pypdf import PdfReader

from bases.services.brochures import (
    approve_brochure,
    publish_brochure,
    save_brochure_draft,
    start_brochure_draft,
    submit_brochure,
)
from bases.services.quotas import do_change_capacity, do_set_quota
from portal import pdf
from tests.brochure_helpers import complete_sections, give_plan

WAGES = "每月基本工资四千五百元，绩效另计，按月发放，并按规定享受夜班补助。"


def _published(world, people):
    give_plan(world)
    office = people["xiehe_office"]
    version = start_brochure_draft(actor=office, campaign=world["hubei_campaign"], training_base=world["xiehe"])
    sections = dict(complete_sections(), pay_wages=WAGES)
    save_brochure_draft(actor=office, version=version, applicant_types=["open_recruitment"], sections=sections)
    submit_brochure(actor=office, version=version)
    approve_brochure(actor=people["province"], version=version)
    return publish_brochure(actor=office, version=version)


def _embedded_fonts(reader):
    """{BaseFont: (font-file key, font program)} of every font on the pages that embeds its program.

    WeasyPrint names a font after its Pango description ("ABCDEF+Noto-Sans-CJK-SC-Bold"); the
    program itself carries the PostScript name ("NotoSansCJKsc-Bold")."""
    found = {}

    def walk(font):
        font = font.get_object()
        for descendant in font.get("/DescendantFonts", []):
            walk(descendant)
        descriptor = font.get("/FontDescriptor")
        if descriptor is None:
            return
        descriptor = descriptor.get_object()
        for key in ("/FontFile", "/FontFile2", "/FontFile3"):
            if key in descriptor:
                found[str(font["/BaseFont"])] = (key, descriptor[key].get_object().get_data())

    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font")
        for font in (fonts.get_object() if fonts else {}).values():
            walk(font)
    return found


def test_the_pdf_carries_the_chinese_text_in_an_embedded_cjk_font(client, world, people):
    version = _published(world, people)
    response = client.get(reverse("brochure-pdf", args=[version.brochure_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline; filename*=utf-8''")
    assert unquote(disposition.split("''", 1)[1]) == "协和医院2026年招生简章.pdf"

    reader = PdfReader(io.BytesIO(response.content))
    text = "".join("".join(page.extract_text().split()) for page in reader.pages)
    assert "协和医院" in text
    assert WAGES in text
    assert "两个同等对待" in text
    assert "按当年应届毕业生同等对待" in text
    assert "面向社会招收住院医师" in text and "内科" in text

    fonts = _embedded_fonts(reader)
    cjk = {
        name: (key, program)
        for name, (key, program) in fonts.items()
        if any(family in name.replace("-", "") for family in ("NotoSansCJK", "NotoSerifCJK"))
    }
    assert cjk, f"no embedded Noto CJK font among {sorted(fonts)}"
    for name, (key, program) in cjk.items():
        assert key in ("/FontFile2", "/FontFile3"), name
        assert b"NotoSansCJK" in program or b"NotoSerifCJK" in program, f"{name} embeds another font program"
    assert len(reader.pages) >= 2, "the footer numbers the pages of a multi-page brochure"
    assert "1/" in "".join(reader.pages[0].extract_text().split())


def test_the_pdf_is_written_once_per_content_and_follows_the_live_plan(client, world, people, monkeypatch):
    version = _published(world, people)
    writes = []
    write_pdf = pdf._write_pdf
    monkeypatch.setattr(pdf, "_write_pdf", lambda html, css: writes.append(html) or write_pdf(html, css))
    url = reverse("brochure-pdf", args=[version.brochure_id])
    first = client.get(url).content
    assert client.get(url).content == first
    assert len(writes) <= 1, "the second visitor gets the stored PDF"
    text = "".join("".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(first)).pages)
    assert "内科510" in text, "内科: 5 places, capacity 10"
    do_change_capacity(actor=None, specialty_base=world["xiehe_internal"], capacity=14)
    do_set_quota(actor=None, campaign=world["hubei_campaign"], specialty_base=world["xiehe_internal"], places=13)
    changed = client.get(url).content
    text = "".join("".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(changed)).pages)
    assert "内科1314" in text and "内科510" not in text
