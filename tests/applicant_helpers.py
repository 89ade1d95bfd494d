"""A complete applicant, ready to choose: profile, education, documents."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from admissions.services.applicants import add_education, register_applicant, update_profile, upload_document
from policy.identity import make_resident_id
from portal.pdf import blank_pdf

PDF = blank_pdf(200, 200)


def _png():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "PNG")
    return buffer.getvalue()


PNG = _png()


def complete_applicant(
    n=1, *, major_category="clinical", degree_level=2, graduated=datetime.date(2026, 6, 30), **profile
):
    applicant = register_applicant(login=f"1380000{n:04d}", password="Residency-2026!", full_name=f"申请人{n}")
    user = applicant.user
    update_profile(
        actor=user,
        applicant=applicant,
        id_type="resident_id",
        id_number=make_resident_id("420102", datetime.date(2001, 3, 1 + n % 28), n % 1000),
        declares_fit=True,
        **profile,
    )
    add_education(
        actor=user,
        applicant=applicant,
        school="华中科技大学",
        major="临床医学",
        major_category=major_category,
        degree_level=degree_level,
        full_time=True,
        graduation_date=graduated,
    )
    for kind in ("id_front", "id_back", "diploma"):
        upload_document(actor=user, applicant=applicant, kind=kind, file=SimpleUploadedFile(f"{kind}.pdf", PDF))
    applicant.refresh_from_db()
    return applicant
