"""Autosaved drafts of the applicant's profile and education forms: only the form's own fields are
kept, each applicant sees only their own, a draft too large is refused, and saving the form (or
discarding the draft) removes it."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from portal.drafts import MAX_DRAFT_BYTES
from portal.models import FormDraft
from tests.applicant_helpers import complete_applicant

pytestmark = pytest.mark.django_db


def signed_in(applicant, **kwargs):
    client = Client(**kwargs)
    client.force_login(applicant.user)
    return client


def autosave(client, form_key, data):
    return client.post(
        reverse("applicant-form-draft", args=[form_key]), json.dumps(data), content_type="application/json"
    )


def test_a_draft_keeps_only_the_forms_fields_and_never_a_password():
    me = complete_applicant()
    client = signed_in(me)
    response = autosave(
        client,
        "profile",
        {
            "mobile": "13912345678",
            "declares_fit": False,
            "held_certificate_specialties": ["1", "2"],
            "password": "Residency-2026!",
            "csrfmiddlewaretoken": "x",
            "is_staff": True,
            "employer_city": {"nested": "object"},
        },
    )
    assert response.status_code == 200 and "saved_at" in response.json()
    draft = FormDraft.objects.get(user=me.user, form_key="profile")
    assert draft.data == {"mobile": "13912345678", "declares_fit": False, "held_certificate_specialties": ["1", "2"]}


def test_the_form_page_restores_the_draft_with_a_notice_and_a_way_to_discard_it():
    me = complete_applicant()
    client = signed_in(me)
    assert "已恢复您上次未提交的内容" not in client.get(reverse("applicant-profile")).content.decode()
    autosave(client, "profile", {"mobile": "13912345678"})
    page = client.get(reverse("applicant-profile")).content.decode()
    assert "已恢复您上次未提交的内容" in page and "放弃草稿" in page
    assert '<script id="form-draft" type="application/json">{"mobile": "13912345678"}</script>' in page

    discarded = client.post(reverse("applicant-form-draft-discard", args=["profile"]))
    assert discarded.status_code == 302 and discarded["Location"] == reverse("applicant-profile")
    assert not FormDraft.objects.exists()
    assert "已恢复您上次未提交的内容" not in client.get(reverse("applicant-profile")).content.decode()


def test_another_applicants_draft_is_never_shown_or_changed():
    a, b = complete_applicant(1), complete_applicant(2)
    autosave(signed_in(a), "education", {"school": "武汉大学"})
    b_client = signed_in(b)
    assert "武汉大学" not in b_client.get(reverse("applicant-education")).content.decode()
    autosave(b_client, "education", {"school": "北京大学"})
    assert FormDraft.objects.get(user=a.user).data == {"school": "武汉大学"}
    assert FormDraft.objects.get(user=b.user).data == {"school": "北京大学"}


def test_a_draft_too_large_or_not_an_object_is_refused_with_a_reason():
    client = signed_in(complete_applicant())
    too_large = autosave(client, "education", {"school": "医" * MAX_DRAFT_BYTES})
    assert too_large.status_code == 413 and "草稿内容过多" in too_large.json()["detail"]
    not_an_object = autosave(client, "education", ["school"])
    assert not_an_object.status_code == 400 and not_an_object.json()["detail"] == "草稿须为 JSON 对象。"
    broken = client.post(reverse("applicant-form-draft", args=["education"]), b"{", content_type="application/json")
    assert broken.status_code == 400
    assert autosave(client, "password", {"password": "x"}).status_code == 404
    assert not FormDraft.objects.exists()


def test_autosave_needs_a_signed_in_applicant_and_the_csrf_token(people):
    assert autosave(Client(), "profile", {"mobile": "13912345678"}).status_code == 302
    staff = Client()
    staff.force_login(people["xiehe_office"])
    assert autosave(staff, "profile", {"mobile": "13912345678"}).status_code == 403
    assert autosave(signed_in(complete_applicant(), enforce_csrf_checks=True), "profile", {}).status_code == 403
    assert not FormDraft.objects.exists()


def test_adding_the_education_removes_its_draft():
    me = complete_applicant()
    client = signed_in(me)
    autosave(client, "education", {"school": "武汉大学"})
    added = client.post(
        reverse("applicant-education"),
        {
            "school": "武汉大学",
            "major": "临床医学",
            "major_category": "clinical",
            "degree_level": 3,
            "full_time": "on",
            "graduation_date": "2029-06-30",
        },
    )
    assert added.status_code == 302
    assert me.educations.filter(school="武汉大学").exists() and not FormDraft.objects.exists()
