"""The provincial office's plan table (招收计划) as an Excel file: export it, edit it, import it back.

The file has one sheet with the header `住培基地 | 培训专业 | 招收计划数 | 容量` and one row per
specialty base. An import is all-or-nothing: every row is checked first and any error rejects the
whole file, naming each bad row by its Excel row number; only a clean file changes anything, in
one transaction, through the quota services (which write their own audit events). Quotas of the
campaign that the file does not list are left as they are.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.utils.translation import gettext as _

from bases.models import Quota, Specialty, SpecialtyBase, TrainingBase
from bases.selectors.plan import plan_rows
from bases.services.quotas import below_held_message, do_change_capacity, do_set_quota, held_places
from policy.models import Campaign
from portal.audit import record_event
from portal.errors import DomainError
from portal.models import Role, User
from portal.permissions import CHANGE, require, require_role
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


def import_plan(*, actor: User, campaign: Campaign, file: File | bytes):
    """Replace the listed rows of the campaign's plan with the file's, or change nothing at all.

    `file` is an uploaded file, a binary file object or bytes.
    """
    require_role(actor, Role.PROVINCIAL_OFFICE)
    require(actor, CHANGE, campaign)
    raw_rows = read_rows(
        file, headers=HEADERS, refuse=PlanImportError.of_file, max_bytes=MAX_FILE_BYTES, max_rows=MAX_ROWS
    )
    try:
        with transaction.atomic():
            # One import of a campaign at a time: the second sees what the first wrote.
            campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
            catalogue = _Catalogue(campaign)
            rows, errors = _check(raw_rows, catalogue)
            if errors:
                raise PlanImportError.of_rows(errors)
            result = do_write_plan(actor=actor, campaign=campaign, rows=rows, catalogue=catalogue)
            if result.created_specialty_bases or result.changed_quotas or result.changed_capacities:
                record_event(
                    actor=actor,
                    action="plan.import",
                    obj=campaign,
                    after={
                        "file": getattr(file, "name", "") or "",
                        "rows": result.rows,
                        "created_specialty_bases": result.created_specialty_bases,
                        "changed_quotas": result.changed_quotas,
                        "changed_capacities": result.changed_capacities,
                    },
                    reason=IMPORT_REASON,
                )
    except IntegrityError as error:
        raise PlanImportError.of_file(_("招收计划在导入过程中被他人同时修改，请重新导入。")) from error
    return result


def do_write_plan(*, actor: User, campaign: Campaign, rows: QuerySet[Quota], catalogue):
    """Write the checked rows. Trusts `import_plan`, which has checked the provincial office and
    holds the campaign's row lock in its transaction; each quota and capacity change takes the
    specialty base's and the quota's row locks (`do_set_quota`, `do_change_capacity`)."""
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
