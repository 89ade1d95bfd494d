"""Reads of the registration roster (注册名单, 三(七)): the residents to register (the reported
admissions and the active direct entries) in the roster's order, streamed or paged, and what still
blocks its publication."""

import datetime
import heapq
import itertools
from dataclasses import dataclass
from operator import attrgetter

from django.db import connection
from django.db.models import F
from django.db.models.functions import Collate
from django.utils.translation import gettext as _

from admissions.models import (
    Admission,
    AdmissionStatus,
    Applicant,
    Application,
    DirectEntry,
    EntryStatus,
    RegistrationRoster,
)
from admissions.models.people import IdentityDocumentType
from policy.choices import ApplicantType
from policy.identity import InvalidResidentId, parse_resident_id
from policy.models import Campaign
from policy.rules.reporting import agreement_kind

# Rows per round trip when the roster is read in chunks (a server-side cursor on PostgreSQL).
ROWS_PER_FETCH = 2000


@dataclass(frozen=True)
class RosterRow:
    """One resident to register on the national platform."""

    full_name: str
    sex: str
    id_type: str
    id_number: str
    birth_date: datetime.date | None
    applicant_type: str
    training_base: str
    specialty: str
    year: int
    round: str
    reported_on: datetime.date | None
    agreement: str
    sort_key: tuple


def _from_id(id_type, id_number):
    """Sex and birth date read from a resident ID number (the only facts a direct entry has)."""
    if id_type != IdentityDocumentType.RESIDENT_ID:
        return "", None
    try:
        parsed = parse_resident_id(id_number)
    except InvalidResidentId:
        return "", None
    return parsed.sex, parsed.birth_date


def _labels(model, field_name):
    """{value: label} of a field's choices, in the active language."""
    return {value: str(label) for value, label in model._meta.get_field(field_name).flatchoices}


def _code_point_order(name):
    """Text ordered as Python orders it (by code point), whatever the database's collation: the two
    kinds of row arrive each in the database's order and are merged by `RosterRow.sort_key`."""
    return Collate(name, "C" if connection.vendor == "postgresql" else "BINARY")


def _in_roster_order(rows, *, tiebreak):
    """`rows` (values with `full_name` and the aliases of `_place`) in the order of
    `RosterRow.sort_key`, fetched in chunks: a national roster is never held in memory at once."""
    ordering = [_code_point_order(name) for name in ("base_name", "specialty_code", "full_name")]
    return rows.order_by("base_order", *ordering, tiebreak).iterator(chunk_size=ROWS_PER_FETCH)


def _place(specialty_base):
    """The training base and specialty columns, from `specialty_base` (a lookup path)."""
    return {
        "base_order": F(f"{specialty_base}__training_base__sort_order"),
        "base_name": F(f"{specialty_base}__training_base__name"),
        "specialty_code": F(f"{specialty_base}__specialty__code"),
        "specialty": F(f"{specialty_base}__specialty__name"),
    }


def _reported_admissions(campaign):
    return Admission.objects.filter(assessment__application__campaign=campaign, status=AdmissionStatus.REPORTED)


def _active_entries(campaign):
    return DirectEntry.objects.filter(campaign=campaign, status=EntryStatus.ACTIVE)


def _admission_rows(campaign, labels):
    person = "assessment__application__applicant__"
    admissions = _reported_admissions(campaign).values(
        "reported_on",
        person_id=F(f"{person}id"),
        full_name=F(f"{person}full_name"),
        sex=F(f"{person}sex"),
        id_type=F(f"{person}id_type"),
        id_number=F(f"{person}id_number"),
        birth_date=F(f"{person}birth_date"),
        applicant_type=F(f"{person}applicant_type"),
        round=F("assessment__application__round"),
        **_place("assessment__specialty_base"),
    )
    for row in _in_roster_order(admissions, tiebreak="person_id"):
        yield RosterRow(
            full_name=row["full_name"],
            sex=labels["sex"].get(row["sex"], row["sex"]),
            id_type=labels["id_type"].get(row["id_type"], row["id_type"]),
            id_number=row["id_number"],
            birth_date=row["birth_date"],
            applicant_type=labels["applicant_type"][row["applicant_type"]],
            training_base=row["base_name"],
            specialty=row["specialty"],
            year=campaign.year,
            round=labels["round"].get(row["round"], row["round"]),
            reported_on=row["reported_on"],
            agreement=labels["agreement"][row["applicant_type"]],
            sort_key=(row["base_order"], row["base_name"], row["specialty_code"], row["full_name"], row["person_id"]),
        )


def _entry_rows(campaign, labels):
    entries = _active_entries(campaign).values(
        "pk", "full_name", "id_type", "id_number", "kind", **_place("quota__specialty_base")
    )
    for entry in _in_roster_order(entries, tiebreak="-pk"):
        sex, birth_date = _from_id(entry["id_type"], entry["id_number"])
        yield RosterRow(
            full_name=entry["full_name"],
            sex=labels["sex"].get(sex, sex),
            id_type=labels["id_type"].get(entry["id_type"], entry["id_type"]),
            id_number=entry["id_number"],
            birth_date=birth_date,
            applicant_type=labels["kind"].get(entry["kind"], entry["kind"]),
            training_base=entry["base_name"],
            specialty=entry["specialty"],
            year=campaign.year,
            round=labels["direct_entry"],
            reported_on=None,
            agreement=labels["agreement"][entry["kind"]],
            sort_key=(
                entry["base_order"],
                entry["base_name"],
                entry["specialty_code"],
                entry["full_name"],
                -entry["pk"],
            ),
        )


def iter_roster_rows(campaign: Campaign):
    """The residents to register, one at a time: reported admissions and active direct entries
    (professional masters, rural orders), ordered by training base, specialty and name. Two
    queries, read in chunks, so memory stays flat however long the roster.

    The labels are looked up now, in the caller's language: the rows themselves may be produced
    later, while a response streams."""
    labels = {
        "sex": _labels(Applicant, "sex"),
        "id_type": _labels(Applicant, "id_type"),
        "applicant_type": {kind.value: str(kind.label) for kind in ApplicantType},
        "kind": _labels(DirectEntry, "kind"),
        "round": _labels(Application, "round"),
        "agreement": {kind.value: str(agreement_kind(kind)) for kind in ApplicantType},
        "direct_entry": _("直接录入"),
    }
    return heapq.merge(_admission_rows(campaign, labels), _entry_rows(campaign, labels), key=attrgetter("sort_key"))


def roster_rows(campaign: Campaign):
    """The residents to register as a list (see `iter_roster_rows`)."""
    return list(iter_roster_rows(campaign))


def roster_size(campaign: Campaign):
    return _reported_admissions(campaign).count() + _active_entries(campaign).count()


class PagedRoster:
    """The roster as Django's Paginator pages it: counted by two queries; a page read by skipping
    through the ordered stream to its rows, so memory stays flat on any page of a national roster."""

    def __init__(self, campaign):
        self.campaign = campaign

    def count(self):
        return roster_size(self.campaign)

    def __getitem__(self, window):
        return list(itertools.islice(iter_roster_rows(self.campaign), window.start, window.stop))


def roster_blockers(campaign: Campaign):
    """Admissions still waiting to report: the roster cannot be published while any remain."""
    return (
        Admission.objects.filter(assessment__application__campaign=campaign, status=AdmissionStatus.ADMITTED)
        .select_related(
            "assessment__application__applicant",
            "assessment__specialty_base__training_base",
            "assessment__specialty_base__specialty",
        )
        .order_by("assessment__specialty_base__training_base__name", "pk")
    )


def published_roster(campaign: Campaign) -> RegistrationRoster | None:
    """The campaign's published roster, with who published it, or None."""
    return RegistrationRoster.objects.filter(campaign=campaign).select_related("published_by").first()
