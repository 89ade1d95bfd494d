"""The facts the eligibility rules (policy/rules/eligibility.py) read, gathered from the database: one
builder for one applicant and for a page of applicants, so both answer alike."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import (
    CharField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    StringAgg,
    Subquery,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Cast, Concat

from admissions.models import (
    HOLDING_STAGES,
    Applicant,
    ApplicantDocument,
    Assessment,
    DirectEntry,
    DocumentKind,
    EntryStatus,
)
from bases.models import BaseLevel, Quota, SpecialtyBase, SpecialtyCategory
from policy.choices import SanctionKind
from policy.models import Campaign, Sanction
from policy.rules.eligibility import (
    ApplicantFacts,
    CampaignFacts,
    Education,
    SanctionRecord,
    SpecialtyBaseFacts,
    banning_years,
    decide,
    place_reasons,
)
from portal.caching import read_through

# Applicants per query: within SQLite's limit on parameters, and a round close of a whole province
# reads its candidates in a few queries rather than one huge IN list.
_CHUNK = 5000


def _tagged(queryset, tag, id_type, id_number, kind, number):
    """`queryset` as rows (tag, id_type, id_number, kind, number) for one UNION; each column an F()
    of the model's or a constant."""
    text = CharField()
    values = {
        "tag": Value(tag, output_field=text),
        "t_id_type": id_type if isinstance(id_type, F) else Value(id_type, output_field=text),
        "t_id_number": id_number if isinstance(id_number, F) else Value(id_number, output_field=text),
        "t_kind": kind if isinstance(kind, F) else Value(kind, output_field=text),
        "t_number": number if isinstance(number, F) else Value(number, output_field=IntegerField()),
    }
    return queryset.order_by().annotate(**values).values_list(*values)


def _person_facts(applicants, campaign):
    """What is recorded about the people behind `applicants`, by identity document or in
    `campaign` — sanctions, a place outside the rounds, a place in them — as {applicant id:
    (sanctions, direct-entry kind, holds a place)}, in one query per 5,000 applicants."""
    sanctions, entry_kinds, holding = {}, {}, set()
    for start in range(0, len(applicants), _CHUNK):
        chunk = applicants[start : start + _CHUNK]
        identities = {(a.id_type, a.id_number): a.pk for a in chunk if a.id_number}
        numbers = [number for _type, number in identities]
        rows = _tagged(
            Assessment.objects.filter(applicant__in=[a.pk for a in chunk], campaign=campaign, stage__in=HOLDING_STAGES),
            "place",
            "",
            "",
            "",
            F("applicant_id"),
        )
        if numbers:
            rows = rows.union(
                _tagged(
                    Sanction.objects.filter(id_number__in=numbers),
                    "sanction",
                    F("id_type"),
                    F("id_number"),
                    F("kind"),
                    F("campaign_year"),
                ),
                _tagged(
                    DirectEntry.objects.filter(campaign=campaign, status=EntryStatus.ACTIVE, id_number__in=numbers),
                    "entry",
                    F("id_type"),
                    F("id_number"),
                    F("kind"),
                    0,
                ),
                all=True,
            )
        for tag, id_type, id_number, kind, number in rows:
            if tag == "place":
                holding.add(number)
                continue
            owner = identities.get((id_type, id_number))
            if owner is None:
                continue
            if tag == "sanction":
                sanctions.setdefault(owner, []).append(SanctionRecord(kind, number))
            else:
                entry_kinds[owner] = kind
    return {a.pk: (tuple(sanctions.get(a.pk, ())), entry_kinds.get(a.pk, ""), a.pk in holding) for a in applicants}


def person_annotations(campaign: Campaign, *, path: str = ""):
    """What `_person_facts` finds for one applicant, as annotations on a query of applicants (or of
    rows pointing at one through `path`, e.g. "applicant__"), so a query that loads or locks an
    applicant brings them along; read back with `annotated_person`."""
    person = {"id_type": OuterRef(f"{path}id_type"), "id_number": OuterRef(f"{path}id_number")}
    record = Concat("kind", Value(_SEPARATOR), Cast("campaign_year", CharField()), output_field=CharField())
    return {
        "person_sanctions": Subquery(
            Sanction.objects.filter(**person)
            .order_by()
            .values("id_number")
            .annotate(records=StringAgg(record, Value(_RECORDS)))
            .values("records")
        ),
        "person_entry_kind": Subquery(
            DirectEntry.objects.filter(**person, campaign=campaign, status=EntryStatus.ACTIVE).values("kind")[:1]
        ),
        "person_holds_place": Exists(
            Assessment.objects.filter(applicant=OuterRef(f"{path}pk"), campaign=campaign, stage__in=HOLDING_STAGES)
        ),
    }


_SEPARATOR, _RECORDS = ":", ";"


def annotated_person(row, applicant):
    """`_person_facts`'s answer for `applicant` from `row`, which carries `person_annotations`."""
    sanctions, entry_kind = (), ""
    if applicant.id_number:  # records are matched by identity document, as in `_person_facts`
        sanctions = tuple(
            SanctionRecord(kind, int(year))
            for kind, year in (
                record.split(_SEPARATOR) for record in (row.person_sanctions or "").split(_RECORDS) if record
            )
        )
        entry_kind = row.person_entry_kind or ""
    return sanctions, entry_kind, row.person_holds_place


def _sanction(record):
    kind, year = record.split(_SEPARATOR)
    return kind, int(year)


@dataclass(frozen=True)
class OwnRecords:
    """The applicant's records the checklist and the eligibility rules read, besides its own row."""

    educations: tuple  # of Education, oldest first
    document_kinds: frozenset
    certificate_codes: frozenset


def own_records(applicant: Applicant) -> OwnRecords:
    """The applicant's educations, documents and certificates: from what the caller prefetched, or
    from the cache under the applicant's `records_version` (which every change to them raises in
    its transaction, so a copy read under the applicant's lock is never stale), or read and cached."""
    prefetched = getattr(applicant, "_prefetched_objects_cache", {})
    if {"educations", "documents", "held_certificate_specialties"} <= prefetched.keys():
        return _read_records(applicant)
    key = f"applicant-records:{applicant.pk}:{applicant.records_version}"
    return read_through(key, _RECORDS_SECONDS, lambda: _read_records(applicant))


_RECORDS_SECONDS = 24 * 3600


def _read_records(applicant, *, documents=None):
    return OwnRecords(
        educations=tuple(
            Education(e.major_category, e.degree_level, e.full_time, e.graduation_date)
            for e in applicant.educations.all()
        ),
        document_kinds=frozenset(d.kind for d in (applicant.documents.all() if documents is None else documents)),
        certificate_codes=frozenset(s.code for s in applicant.held_certificate_specialties.all()),
    )


def _facts(applicant, person, records):
    sanctions, entry_kind, holds_place = person
    return ApplicantFacts(
        applicant_type=applicant.applicant_type,
        educations=records.educations,
        is_chinese_national=applicant.is_chinese_national,
        declares_fit=applicant.declares_fit,
        qualification_category=applicant.qualification_category,
        held_certificate_specialties=records.certificate_codes,
        enrolled_academic_student=applicant.enrolled_academic_student,
        on_national_platform=applicant.on_national_platform,
        technical_title=applicant.technical_title,
        employer_city=applicant.employer_city,
        dispatch_base_id=applicant.dispatch_training_base_id,
        dispatch_specialty_code=applicant.dispatch_specialty.code if applicant.dispatch_specialty_id else "",
        has_dispatch_letter=DocumentKind.DISPATCH_LETTER in records.document_kinds,
        sanctions=sanctions,
        direct_entry_kind=entry_kind,
        holds_place=holds_place,
    )


def applicant_facts(applicant: Applicant, campaign: Campaign):
    """The facts of one applicant: its records through `own_records`, what is recorded about the
    person from `person_annotations` when the applicant was loaded with them, else read now."""
    if hasattr(applicant, "person_holds_place"):
        person = annotated_person(applicant, applicant)
    else:
        person = _person_facts([applicant], campaign)[applicant.pk]
    return _facts(applicant, person, own_records(applicant))


def page_facts(applicants: Iterable[Applicant], campaign: Campaign):
    """{applicant id: ApplicantFacts} for one page of applicants, in a fixed number of queries."""
    applicants = list(applicants)
    letters = ApplicantDocument.objects.filter(kind=DocumentKind.DISPATCH_LETTER).only("pk", "applicant_id")
    prefetch_related_objects(
        applicants,
        "educations",
        "held_certificate_specialties",
        Prefetch("documents", queryset=letters, to_attr="dispatch_letters"),
    )
    people = _person_facts(applicants, campaign)
    return {a.pk: _facts(a, people[a.pk], _read_records(a, documents=a.dispatch_letters)) for a in applicants}


def place_facts(applicants: Iterable[Applicant], campaign: Campaign):
    """{applicant id: ApplicantFacts} with only what `policy.rules.eligibility.place_reasons` reads, for
    the candidates a base proposes at once (a whole round close reads no educations)."""
    applicants = list(applicants)
    people = _person_facts(applicants, campaign)
    return {
        a.pk: ApplicantFacts(
            applicant_type=a.applicant_type,
            sanctions=people[a.pk][0],
            direct_entry_kind=people[a.pk][1],
            holds_place=people[a.pk][2],
        )
        for a in applicants
    }


def barred_from_the_rounds(campaign: Campaign) -> Q:
    """Condition on Applicant: what `place_reasons` finds besides a place held (which the callers
    ask for themselves) — a ban covering the campaign's year or a cancellation in it, and an entry
    outside the rounds in the campaign, matched by identity document as `_person_facts` matches
    them — for filtering a list in the database."""
    person = {"id_type": OuterRef("id_type"), "id_number": OuterRef("id_number")}
    sanctions = Sanction.objects.filter(**person).filter(
        Q(kind=SanctionKind.BAN, campaign_year__in=banning_years(campaign.year, campaign.ban_years))
        | Q(kind=SanctionKind.CANCELLATION, campaign_year=campaign.year)
    )
    entries = DirectEntry.objects.filter(
        **person, campaign=campaign, status=EntryStatus.ACTIVE, kind__in=DirectEntry.KINDS
    )
    return ~Q(id_number="") & (Q(Exists(sanctions)) | Q(Exists(entries)))


def place_refusal(applicant: Applicant, campaign: Campaign):
    """Why `applicant` may not take a place in `campaign` now, as a sentence, or ""."""
    facts = place_facts([applicant], campaign)[applicant.pk]
    context = CampaignFacts(year=campaign.year, ban_years=campaign.ban_years)
    return "；".join(str(reason) for reason in place_reasons(facts, context))


def with_national_cities(specialty_bases: QuerySet[SpecialtyBase]):
    """`specialty_bases` annotated with the cities where a national base of the same province offers
    the same specialty — what `campaign_facts(specialty_code=…)` reads for one decision — so the
    query that finds a specialty base brings them along."""
    return specialty_bases.annotate(
        national_cities=Subquery(
            SpecialtyBase.objects.filter(
                training_base__province_id=OuterRef("training_base__province_id"),
                training_base__level=BaseLevel.NATIONAL,
                specialty_id=OuterRef("specialty_id"),
            )
            .order_by()
            .values("specialty_id")
            .annotate(cities=StringAgg("training_base__city", Value(_RECORDS)))
            .values("cities")
        )
    )


def campaign_facts(campaign: Campaign, *, specialty_code: str | None = None):
    """The campaign's facts; with `specialty_code`, the national bases' offers of that specialty only
    — all a decision about one specialty base reads, where the whole province has hundreds."""
    offers = SpecialtyBase.objects.filter(
        training_base__province_id=campaign.province_id, training_base__level=BaseLevel.NATIONAL
    )
    if specialty_code is not None:
        offers = offers.filter(specialty__code=specialty_code)
    offers = offers.values_list("training_base__city", "specialty__code")
    return CampaignFacts(year=campaign.year, ban_years=campaign.ban_years, national_offers=frozenset(offers))


def specialty_base_facts(specialty_base: SpecialtyBase):
    return SpecialtyBaseFacts(
        training_base_id=specialty_base.training_base_id,
        specialty_code=specialty_base.specialty.code,
        specialty_name=specialty_base.specialty.name,
        stomatology=specialty_base.specialty.category == SpecialtyCategory.STOMATOLOGY,
        city=specialty_base.training_base.city,
        national=specialty_base.training_base.level == BaseLevel.NATIONAL,
    )


def check_eligibility(*, applicant: Applicant, specialty_base: SpecialtyBase, campaign: Campaign):
    """The decision on one specialty base (of the campaign's province); reads what `applicant` and
    `specialty_base` were not loaded with (`person_annotations`, `with_national_cities`)."""
    base = specialty_base_facts(specialty_base)
    if hasattr(specialty_base, "national_cities"):
        cities = (specialty_base.national_cities or "").split(_RECORDS)
        context = CampaignFacts(
            year=campaign.year,
            ban_years=campaign.ban_years,
            national_offers=frozenset((city, base.specialty_code) for city in cities if city),
        )
    else:
        context = campaign_facts(campaign, specialty_code=base.specialty_code)
    return decide(applicant_facts(applicant, campaign), base, context)


def eligibility_by_quota(*, applicant: Applicant, campaign: Campaign, quotas: QuerySet[Quota]):
    """{quota id: Decision} for a list of quotas (with specialty_base, its specialty and training
    base selected), gathering the applicant's and the campaign's facts once."""
    facts, context = applicant_facts(applicant, campaign), campaign_facts(campaign)
    return {quota.pk: decide(facts, specialty_base_facts(quota.specialty_base), context) for quota in quotas}
