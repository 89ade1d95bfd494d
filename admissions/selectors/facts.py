"""The facts the eligibility rules (policy/rules/eligibility.py) read, gathered from the database: one
builder for one applicant and for a page of applicants, so both answer alike."""

from collections.abc import Iterable

from django.db.models import (
    CharField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    prefetch_related_objects,
)

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


def _facts(applicant, person, has_dispatch_letter):
    sanctions, entry_kind, holds_place = person
    return ApplicantFacts(
        applicant_type=applicant.applicant_type,
        educations=tuple(
            Education(e.major_category, e.degree_level, e.full_time, e.graduation_date)
            for e in applicant.educations.all()
        ),
        is_chinese_national=applicant.is_chinese_national,
        declares_fit=applicant.declares_fit,
        qualification_category=applicant.qualification_category,
        held_certificate_specialties=frozenset(s.code for s in applicant.held_certificate_specialties.all()),
        enrolled_academic_student=applicant.enrolled_academic_student,
        on_national_platform=applicant.on_national_platform,
        technical_title=applicant.technical_title,
        employer_city=applicant.employer_city,
        dispatch_base_id=applicant.dispatch_training_base_id,
        dispatch_specialty_code=applicant.dispatch_specialty.code if applicant.dispatch_specialty_id else "",
        has_dispatch_letter=has_dispatch_letter,
        sanctions=sanctions,
        direct_entry_kind=entry_kind,
        holds_place=holds_place,
    )


def applicant_facts(applicant: Applicant, campaign: Campaign):
    """The facts of one applicant (its educations, documents and certificates prefetched or not)."""
    person = _person_facts([applicant], campaign)[applicant.pk]
    has_letter = any(d.kind == DocumentKind.DISPATCH_LETTER for d in applicant.documents.all())
    return _facts(applicant, person, has_letter)


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
    return {a.pk: _facts(a, people[a.pk], bool(a.dispatch_letters)) for a in applicants}


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
    base = specialty_base_facts(specialty_base)
    return decide(
        applicant_facts(applicant, campaign), base, campaign_facts(campaign, specialty_code=base.specialty_code)
    )


def eligibility_by_quota(*, applicant: Applicant, campaign: Campaign, quotas: QuerySet[Quota]):
    """{quota id: Decision} for a list of quotas (with specialty_base, its specialty and training
    base selected), gathering the applicant's and the campaign's facts once."""
    facts, context = applicant_facts(applicant, campaign), campaign_facts(campaign)
    return {quota.pk: decide(facts, specialty_base_facts(quota.specialty_base), context) for quota in quotas}
