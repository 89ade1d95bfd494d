"""The provincial office's plan table (招收计划) as an Excel file: export it, edit it, import it back.

The file has one sheet with the header `住培基地 | 培训专业 | 招收计划数 | 容量` and one row per
specialty base. An import is all-or-nothing: every row is checked first and any error rejects the
whole file, naming each bad row by its Excel row number; only a clean file changes anything, once
a second person of the provincial office confirms its preview (a release, which can be undone), in
one transaction, through the quota services (which write their own audit events). Quotas of the
campaign that the file does not list are left as they are.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Max, ProtectedError
from django.urls import reverse
from django.utils.translation import gettext as _

from bases.models import Quota, Specialty, SpecialtyBase, TrainingBase
from bases.selectors.plan import plan_rows
from bases.services.quotas import below_held_message, do_change_capacity, do_set_quota, held_places
from policy.models import Campaign
from portal.audit import record_event
from portal.errors import DomainError
from portal.models import Release, Role, User
from portal.permissions import CHANGE, require, require_role
from portal.releases import Applied, do_open_release
from portal.spreadsheets import cell_text, read_rows, xlsx_bytes

SHEET_TITLE = "招收计划"
HEADERS = ("住培基地", "培训专业", "招收计划数", "容量")
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
# Rows the reader walks through at most, blank ones included (a sheet formatted down to row 1,048,576).
# Far above any real specialty base; keeps a typo from reaching the database's integer limit.
MAX_COUNT = 100_000
IMPORT_REASON = "年度计划导入"


class PlanImportError(DomainError):
    """The file was refused and nothing was changed; `errors` lists every bad row."""

    status = 400
    code = "plan_import_invalid"

    def __init__(self, message, *, errors=()):
        self.errors = list(errors)
        super().__init__(message)

    @classmethod
    def of_file(cls, reason):
        return cls(_("导入失败，文件未作任何更改：%(reason)s") % {"reason": reason})

    @classmethod
    def of_rows(cls, errors):
        return cls(_("导入失败，文件未作任何更改：共 %(count)s 处错误") % {"count": len(errors)}, errors=errors)


@dataclass(frozen=True)
class ImportResult:
    rows: int
    created_specialty_bases: int
    changed_quotas: int
    changed_capacities: int = 0


# Export ------------------------------------------------------------------------------------------


def export_plan(*, campaign: Campaign):
    """The campaign's plan as .xlsx bytes, in the order of the public plan table."""
    rows = (
        (
            quota.specialty_base.training_base.name,
            quota.specialty_base.specialty.name,
            quota.places,
            quota.capacity,
        )
        for quota in plan_rows(campaign=campaign)
    )
    return xlsx_bytes(title=SHEET_TITLE, columns=HEADERS, rows=rows, fit_widths=True)


# Reading the file --------------------------------------------------------------------------------


# Checking the rows -------------------------------------------------------------------------------


@dataclass
class _PlanRow:
    number: int
    training_base: TrainingBase
    specialty: Specialty
    places: int
    capacity: int


def _count(value):
    """A non-negative integer from a cell (number or text, full-width digits too), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float):
        return int(value) if value.is_integer() and value >= 0 else None
    text = unicodedata.normalize("NFKC", str(value)).strip()
    return int(text) if re.fullmatch(r"[0-9]+", text) else None


class _Catalogue:
    """What the rows are checked against, loaded once whatever the number of rows."""

    def __init__(self, campaign):
        province_id = campaign.province_id
        self.training_bases = {base.name: base for base in TrainingBase.objects.filter(province_id=province_id)}
        specialties = list(Specialty.objects.all())
        self.specialties = {s.code: s for s in specialties} | {s.name: s for s in specialties}
        self.specialty_bases = {
            (sb.training_base_id, sb.specialty_id): sb
            for sb in SpecialtyBase.objects.filter(training_base__province_id=province_id)
        }
        self.quotas = {quota.specialty_base_id: quota for quota in Quota.objects.filter(campaign=campaign)}
        held = held_places(Quota.objects.filter(campaign=campaign))
        self.held = {quota.specialty_base_id: held.get(quota.pk, 0) for quota in self.quotas.values()}
        self.other_campaigns_places = dict(
            Quota.objects.filter(specialty_base__training_base__province_id=province_id)
            .exclude(campaign=campaign)
            .values("specialty_base_id")
            .annotate(most=Max("places"))
            .values_list("specialty_base_id", "most")
        )

    def specialty(self, value):
        text = cell_text(value)
        found = self.specialties.get(text)
        if found is None and isinstance(value, int | float) and text.isdigit():
            found = self.specialties.get(text.zfill(4))  # a code like 0100 that Excel turned into 100
        return found


def _check(raw_rows, catalogue):
    """(valid rows, errors): every row is checked, an error names the row."""
    valid, errors, seen = [], [], {}
    for number, values in raw_rows:
        base_value, specialty_value, places_value, capacity_value = values

        def fail(message, number=number, **params):
            errors.append(_("第%(row)s行：") % {"row": number} + message % params)

        row_errors = len(errors)
        missing = [header for header, value in zip(HEADERS, values, strict=True) if not cell_text(value)]
        if missing:
            fail(_("缺少%(columns)s"), columns="、".join(f"“{header}”" for header in missing))
        training_base = specialty = places = capacity = None
        if cell_text(base_value):
            training_base = catalogue.training_bases.get(cell_text(base_value))
            if training_base is None:
                fail(_("找不到住培基地“%(name)s”"), name=cell_text(base_value))
        if cell_text(specialty_value):
            specialty = catalogue.specialty(specialty_value)
            if specialty is None:
                fail(_("找不到培训专业“%(name)s”"), name=cell_text(specialty_value))
        for header, value in ((HEADERS[2], places_value), (HEADERS[3], capacity_value)):
            if not cell_text(value):
                continue
            number_value = _count(value)
            if number_value is None:
                fail(_("%(column)s应为非负整数，现为“%(value)s”"), column=header, value=cell_text(value))
            elif number_value > MAX_COUNT:
                fail(_("%(column)s %(value)s 过大"), column=header, value=number_value)
            elif header == HEADERS[2]:
                places = number_value
            else:
                capacity = number_value
        if places is not None and capacity is not None and places > capacity:
            fail(_("招收计划数 %(places)s 超过容量 %(capacity)s"), places=places, capacity=capacity)
        if training_base and specialty:
            key = (training_base.pk, specialty.pk)
            if key in seen:
                fail(_("与第%(first)s行重复（同一基地同一专业）"), first=seen[key])
            else:
                seen[key] = number
                specialty_base = catalogue.specialty_bases.get(key)
                held = catalogue.held.get(specialty_base.pk, 0) if specialty_base else 0
                if places is not None and places < held:
                    fail("%(text)s", text=below_held_message(places, held))
                fixed = catalogue.other_campaigns_places.get(specialty_base.pk, 0) if specialty_base else 0
                if capacity is not None and capacity < fixed:
                    fail(
                        _("容量 %(capacity)s 低于该专业基地其他年度已定的招收计划数 %(places)s"),
                        capacity=capacity,
                        places=fixed,
                    )
        if len(errors) == row_errors:
            valid.append(_PlanRow(number, training_base, specialty, places, capacity))
    return valid, errors


# Writing -----------------------------------------------------------------------------------------


def _now_and_after(catalogue, row):
    """(what the plan says now, what the row would make it) for one checked row: the specialty
    base's id (None before it is created), its places in the campaign (None without a quota) and
    its capacity."""
    specialty_base = catalogue.specialty_bases.get((row.training_base.pk, row.specialty.pk))
    quota = catalogue.quotas.get(specialty_base.pk) if specialty_base else None
    now = {
        "specialty_base": specialty_base.pk if specialty_base else None,
        "places": quota.places if quota else None,
        "capacity": specialty_base.capacity if specialty_base else None,
    }
    return now, {**now, "places": row.places, "capacity": row.capacity}


# The two-person release of an import (portal.releases) -----------------------------------------------

PLAN_RELEASE = "plan"

# How many choices applicants filed in a campaign since a moment, which admissions records: it
# registers its count when Django starts (AppConfig.ready), as it imports this app.
_choice_counters = []


def register_choices_filed(counter):
    """`counter(campaign_id, since)` answers how many choices were filed in the campaign since `since`."""
    _choice_counters.append(counter)


@dataclass(frozen=True)
class PlanPreparation:
    rows: int
    changed: int
    release: Release | None  # None when the file changes nothing


def prepare_plan_release(*, actor: User, campaign: Campaign, file: File | bytes):
    """Check the file (all-or-nothing, each bad row named) and prepare the rows that change the plan
    as a release, with a preview of the places and capacity per specialty base before → after;
    another person of the provincial office confirms it (portal.releases.confirm_release).

    `file` is an uploaded file, a binary file object or bytes."""
    require_role(actor, Role.PROVINCIAL_OFFICE)
    require(actor, CHANGE, campaign)
    raw_rows = read_rows(
        file, headers=HEADERS, refuse=PlanImportError.of_file, max_bytes=MAX_FILE_BYTES, max_rows=MAX_ROWS
    )
    catalogue = _Catalogue(campaign)
    rows, errors = _check(raw_rows, catalogue)
    if errors:
        raise PlanImportError.of_rows(errors)
    changes = [(row, *_now_and_after(catalogue, row)) for row in rows]
    changes = [(row, now, after) for row, now, after in changes if now != after]
    if not changes:
        return PlanPreparation(rows=len(rows), changed=0, release=None)
    total = sum(quota.places for quota in catalogue.quotas.values())
    release = do_open_release(
        actor=actor,
        kind=PLAN_RELEASE,
        subject=f"campaign:{campaign.pk}",
        title=_("%(year)s年度招收计划导入") % {"year": campaign.year},
        payload={
            "campaign": campaign.pk,
            "file": getattr(file, "name", "") or "",
            "rows": [
                {
                    "row": row.number,
                    "training_base": row.training_base.pk,
                    "specialty": row.specialty.pk,
                    "places": row.places,
                    "capacity": row.capacity,
                    "was": now,
                }
                for row, now, _after in changes
            ],
        },
        preview={
            "rows": len(rows),
            "unchanged": len(rows) - len(changes),
            "places": [total, total + sum(row.places - (now["places"] or 0) for row, now, _after in changes)],
            "changes": [
                {
                    "training_base": row.training_base.name,
                    "specialty": row.specialty.name,
                    "new": now["specialty_base"] is None,
                    "places": [now["places"], row.places],
                    "capacity": [now["capacity"], row.capacity],
                    "held": catalogue.held.get(now["specialty_base"], 0),
                }
                for row, now, _after in changes
            ],
        },
        province_id=campaign.province_id,
    )
    return PlanPreparation(rows=len(rows), changed=len(changes), release=release)


class PlanImportRelease:
    """A plan import as a release (portal.releases): confirmed by another person of the provincial
    office; undone, restoring every quota and capacity and removing the specialty bases it
    created, until an applicant files a choice."""

    kind = PLAN_RELEASE
    preview_template = "bases/releases/plan.html"

    def back_url(self, release):
        return reverse("plan-import") + f"?campaign={release.payload['campaign']}"

    def require_reviewer(self, user, release):
        require_role(user, Role.PROVINCIAL_OFFICE)
        require(user, CHANGE, release)

    def reviewers(self, release):
        return User.objects.filter(role=Role.PROVINCIAL_OFFICE, province_id=release.province_id)

    def _rows(self, release, values):
        """The payload's rows as checked rows, with `values(row)` → (places, capacity)."""
        training_bases = TrainingBase.objects.in_bulk([row["training_base"] for row in release.payload["rows"]])
        specialties = Specialty.objects.in_bulk([row["specialty"] for row in release.payload["rows"]])
        return [
            _PlanRow(row["row"], training_bases[row["training_base"]], specialties[row["specialty"]], *values(row))
            for row in release.payload["rows"]
        ]

    def _state(self, release, catalogue):
        rows = self._rows(release, lambda row: (row["places"], row["capacity"]))
        return [_now_and_after(catalogue, row)[0] for row in rows]

    def apply(self, *, release, actor):
        # One import of a campaign at a time, as `do_write_plan` expects.
        campaign = Campaign.objects.select_for_update().get(pk=release.payload["campaign"])
        catalogue = _Catalogue(campaign)
        if self._state(release, catalogue) != [row["was"] for row in release.payload["rows"]]:
            raise DomainError(
                _("准备发布之后招收计划已有修改，请取消这次发布，重新导入后再发布。"), code="release_stale"
            )
        rows = self._rows(release, lambda row: (row["places"], row["capacity"]))
        # Checked again: places held may have grown since the preview.
        rows, errors = _check(
            [(row.number, (row.training_base.name, row.specialty.code, row.places, row.capacity)) for row in rows],
            catalogue,
        )
        if errors:
            raise PlanImportError.of_rows(errors)
        try:
            with transaction.atomic():
                result = do_write_plan(actor=actor, campaign=campaign, rows=rows, catalogue=catalogue)
        except IntegrityError as error:
            raise PlanImportError.of_file(_("招收计划在导入过程中被他人同时修改，请重新导入。")) from error
        record_event(
            actor=actor,
            action="plan.import",
            obj=campaign,
            after={
                "file": release.payload["file"],
                "rows": result.rows,
                "created_specialty_bases": result.created_specialty_bases,
                "changed_quotas": result.changed_quotas,
                "changed_capacities": result.changed_capacities,
            },
            reason=IMPORT_REASON,
        )
        return Applied(snapshot={"written": self._state(release, _Catalogue(campaign))}, notified=[])

    def undo_refusal(self, release):
        campaign = Campaign.objects.get(pk=release.payload["campaign"])
        if any(counter(campaign.pk, release.released_at) for counter in _choice_counters):
            return _("发布后已有考生填报志愿，不能再撤回。")
        if self._state(release, _Catalogue(campaign)) != release.snapshot["written"]:
            return _("发布后招收计划又有修改，不能再撤回。")
        return ""

    def undo(self, *, release, actor):
        campaign = Campaign.objects.select_for_update().get(pk=release.payload["campaign"])
        refusal = self.undo_refusal(release)
        if refusal:
            raise DomainError(refusal, code="release_acted_on")
        catalogue = _Catalogue(campaign)
        rows = self._rows(release, lambda row: (row["was"]["places"], row["was"]["capacity"]))
        # Quotas that existed go back to their places and capacity; those the import made go away,
        # with the specialty bases it created.
        do_write_plan(
            actor=actor,
            campaign=campaign,
            rows=[
                row for row, old in zip(rows, release.payload["rows"], strict=True) if old["was"]["places"] is not None
            ],
            catalogue=catalogue,
        )
        for row, old in zip(rows, release.payload["rows"], strict=True):
            if old["was"]["places"] is not None:
                continue
            specialty_base = catalogue.specialty_bases[(row.training_base.pk, row.specialty.pk)]
            quota = catalogue.quotas[specialty_base.pk]
            if catalogue.held.get(specialty_base.pk, 0):
                raise DomainError(
                    _("%(base)s已有占用的招收计划，不能撤回。") % {"base": specialty_base}, code="release_acted_on"
                )
            record_event(
                actor=actor,
                action="quota.remove",
                obj=quota,
                before={"places": quota.places, "capacity": quota.capacity},
                reason=release.reason,
            )
            try:
                quota.delete()
                if old["was"]["specialty_base"] is None:
                    record_event(
                        actor=actor,
                        action="specialty_base.remove",
                        obj=specialty_base,
                        before={"capacity": specialty_base.capacity},
                        reason=release.reason,
                    )
                    specialty_base.delete()
                elif specialty_base.capacity != old["was"]["capacity"]:
                    do_change_capacity(
                        actor=actor,
                        specialty_base=specialty_base,
                        capacity=old["was"]["capacity"],
                        reason=release.reason,
                    )
            except ProtectedError:
                raise DomainError(
                    _("%(base)s已有关联的记录，不能撤回。") % {"base": specialty_base}, code="release_acted_on"
                ) from None

    def withdrawal(self, release):
        return (
            _("撤回通知：%(title)s已撤回") % {"title": release.title},
            _("%(title)s已撤回，招收计划恢复为导入前的状态。") % {"title": release.title},
        )


def do_write_plan(*, actor: User, campaign: Campaign, rows: list[_PlanRow], catalogue):
    """Write the checked rows. Trusts its caller (a plan release being confirmed or undone), which
    has checked the provincial office and holds the campaign's row lock in its transaction; each
    quota and capacity change takes the specialty base's and the quota's row locks (`do_set_quota`,
    `do_change_capacity`)."""
    created = changed_quotas = changed_capacities = 0
    for row in rows:
        try:
            specialty_base = catalogue.specialty_bases.get((row.training_base.pk, row.specialty.pk))
            if specialty_base is None:
                specialty_base = SpecialtyBase.objects.create(
                    training_base=row.training_base, specialty=row.specialty, capacity=row.capacity
                )
                record_event(
                    actor=actor,
                    action="specialty_base.create",
                    obj=specialty_base,
                    after={"capacity": row.capacity},
                    reason=IMPORT_REASON,
                )
                created += 1
            # Capacity up before the places (they may need the room); capacity down after them.
            if row.capacity > specialty_base.capacity:
                do_change_capacity(
                    actor=actor, specialty_base=specialty_base, capacity=row.capacity, reason=IMPORT_REASON
                )
                changed_capacities += 1
            quota = catalogue.quotas.get(specialty_base.pk)
            if quota is None or quota.places != row.places:
                do_set_quota(
                    actor=actor,
                    campaign=campaign,
                    specialty_base=specialty_base,
                    places=row.places,
                    reason=IMPORT_REASON,
                )
                changed_quotas += 1
            if row.capacity < specialty_base.capacity:
                do_change_capacity(
                    actor=actor, specialty_base=specialty_base, capacity=row.capacity, reason=IMPORT_REASON
                )
                changed_capacities += 1
        except PlanImportError:
            raise
        except DomainError as error:
            # Someone changed the plan since the rows were checked; the transaction is undone.
            raise PlanImportError.of_rows([_("第%(row)s行：") % {"row": row.number} + error.message]) from error
    return ImportResult(
        rows=len(rows),
        created_specialty_bases=created,
        changed_quotas=changed_quotas,
        changed_capacities=changed_capacities,
    )
