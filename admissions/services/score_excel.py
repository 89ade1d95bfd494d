"""A specialty base's score sheet (成绩表) of one round as an Excel file: export it, fill it in,
import it back.

One sheet, header `考生姓名 | 证件号码 | 面试成绩 | 专业考试成绩 | 面试形式 | 基本情况分析 | 面试评价 |
专业考核评价 | 整体意见 | 录取意见`, one row per candidate; the export adds `综合成绩 | 排名 | 计分公式`
after them (the ranking and the formula version it used), which the import does not read. Staff
are entitled to the full ID number, which identifies the candidate on import. An import is all-or-nothing: every row is
checked and recorded through `record_scores` inside one transaction, and a single bad row (named
by its Excel row number) undoes the whole file. Rows that match what is recorded are skipped, so a
file exported after some candidates were decided comes back without complaint.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import partial

from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from admissions.models import Assessment, AssessmentMode, Opinion, Stage
from admissions.selectors.rounds import candidate_sheet
from admissions.services.assessments import record_scores
from bases.models import SpecialtyBase
from policy.models import Campaign
from policy.timetable import assessment_window, window_is_open
from portal.audit import record_event
from portal.errors import DomainError
from portal.models import ASSESSOR_ROLES, Release, Role, User
from portal.permissions import CHANGE, require, require_role
from portal.releases import Applied, do_open_release
from portal.spreadsheets import Column, cell_text, read_rows, xlsx_bytes

SHEET_TITLE = "成绩表"
# In a score's cell: the candidate was marked absent from that part (admissions.services.checkin).
ABSENT = "缺考"
HEADERS = (
    "考生姓名",
    "证件号码",
    "面试成绩",
    "专业考试成绩",
    "面试形式",
    "基本情况分析",
    "面试评价",
    "专业考核评价",
    "整体意见",
    "录取意见",
)
EVALUATIONS = ("evaluation_basic", "evaluation_interview", "evaluation_exam", "evaluation_overall")
WIDTHS = (12, 22, 10, 12, 10, 30, 30, 30, 30, 12)
COLUMNS = [
    Column(title, width=width, number_format="0.0" if title in ("面试成绩", "专业考试成绩") else None, wrap=True)
    for title, width in zip(HEADERS, WIDTHS, strict=True)
]
# After the columns the import reads: what the ranking made of the scores, and under which formula.
RANKING_COLUMNS = [
    Column("综合成绩", width=10, number_format="0.0"),
    Column("排名", width=8),
    Column("计分公式", width=36),
]
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000


class ScoreImportError(DomainError):
    """The file was refused and nothing was changed; `errors` lists every bad row."""

    status = 400
    code = "score_import_invalid"

    def __init__(self, message, *, errors=()):
        self.errors = list(errors)
        super().__init__(message)

    @classmethod
    def of_file(cls, reason):
        return cls(_("导入失败，成绩未作任何更改：%(reason)s") % {"reason": reason})

    @classmethod
    def of_rows(cls, errors):
        return cls(_("导入失败，成绩未作任何更改：共 %(count)s 处错误") % {"count": len(errors)}, errors=errors)


def _require_staff(actor, specialty_base):
    require_role(actor, *ASSESSOR_ROLES)
    require(actor, CHANGE, specialty_base)


def file_name(specialty_base: SpecialtyBase, round_number: int):
    return f"{specialty_base.training_base.name}-{specialty_base.specialty.name}-第{round_number}批次成绩表.xlsx"


# Export ------------------------------------------------------------------------------------------


def _label(label):
    """A choice's label in Chinese, like the sheet's headers, whatever the page's language."""
    with translation.override("zh-hans"):
        return str(label)


def _cell_text(value):
    return "" if value is None else value


def _score_cell(score, *, absent):
    if absent:
        return ABSENT
    return float(score) if score is not None else None


def export_scores(*, actor: User, campaign: Campaign, specialty_base: SpecialtyBase, round_number: int):
    """The round's score sheet of the specialty base as .xlsx bytes, in the ranking's order."""
    _require_staff(actor, specialty_base)
    sheet_data = candidate_sheet(campaign=campaign, specialty_base=specialty_base, round_number=round_number)
    rows = []
    with translation.override("zh-hans"):  # like the headers, whatever the page's language
        formula = sheet_data.formula.label
    for candidate in sheet_data.candidates:
        assessment = candidate.assessment
        values = [candidate.applicant.full_name, candidate.applicant.id_number]
        if assessment is None:
            values += [None, None, None, "", "", "", "", ""]
        else:
            values += [
                _score_cell(assessment.interview_score, absent=assessment.interview_absent),
                _score_cell(assessment.exam_score, absent=assessment.exam_absent),
                _label(AssessmentMode(assessment.interview_mode).label),
                *(getattr(assessment, name) for name in EVALUATIONS),
                _label(Opinion(assessment.opinion).label) if assessment.opinion else "",
            ]
        values += [float(candidate.composite) if candidate.composite is not None else None, candidate.rank, formula]
        rows.append([_cell_text(value) for value in values])
    record_event(
        actor=actor,
        action="assessment.scores_export",
        obj=specialty_base,
        after={"round": round_number, "rows": len(sheet_data.candidates), "formula": sheet_data.formula.version},
    )
    return xlsx_bytes(title=SHEET_TITLE, columns=COLUMNS + RANKING_COLUMNS, rows=rows, freeze="C2")


# Reading -----------------------------------------------------------------------------------------


def _raw_rows(file):
    """[(Excel row number, {header: value})] of the first sheet's data rows."""
    rows = read_rows(
        file, headers=HEADERS, refuse=ScoreImportError.of_file, max_bytes=MAX_FILE_BYTES, max_rows=MAX_ROWS
    )
    return [(number, dict(zip(HEADERS, values, strict=True))) for number, values in rows]


# Checking and recording --------------------------------------------------------------------------


def _score_text(value):
    """A score cell as the text `record_scores` parses: 85.5 stays "85.5", 90.0 becomes "90"."""
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        tenths = value * 10
        return f"{value:.1f}" if abs(tenths - round(tenths)) < 1e-6 else repr(value)
    return cell_text(value)


def _same_score(text, recorded):
    if text == "":
        return recorded is None
    try:
        return recorded is not None and Decimal(text) == recorded
    except InvalidOperation:
        return False


def _choice(value, choices):
    """The value of a choice from its Chinese label or its stored value; "" for blank; None if unknown."""
    text = cell_text(value)
    if not text:
        return ""
    for stored, label in choices:
        if text in (stored, str(label), _label(label)):
            return stored
    return None


def _prefix(number):
    return _("第%(row)s行：") % {"row": number}


def _changes(*, campaign, specialty_base, round_number, raw_rows):
    """(changes, unchanged rows, errors): each row checked against the round's candidates, a change
    being (row number, assessment, interview text, exam text, mode, opinion, evaluations), an error
    (row number, message)."""
    sheet_data = candidate_sheet(campaign=campaign, specialty_base=specialty_base, round_number=round_number)
    by_number = {c.applicant.id_number.upper(): c for c in sheet_data.candidates if c.applicant.id_number}
    errors, changes, seen, unchanged = [], [], {}, 0
    for number, row in raw_rows:
        before = len(errors)

        def fail(message, number=number):
            errors.append((number, _prefix(number) + message))

        id_number = cell_text(row["证件号码"]).upper()
        candidate = by_number.get(id_number)
        if not id_number:
            fail(_("缺少“证件号码”"))
        elif candidate is None:
            fail(_("证件号码“%(number)s”不是本专业基地本批次的考生") % {"number": id_number})
        elif id_number in seen:
            fail(_("与第%(first)s行是同一考生") % {"first": seen[id_number]})
        else:
            seen[id_number] = number
            if cell_text(row["考生姓名"]) and cell_text(row["考生姓名"]) != candidate.applicant.full_name:
                fail(_("姓名“%(name)s”与证件号码不符") % {"name": cell_text(row["考生姓名"])})
        mode = _choice(row["面试形式"], AssessmentMode.choices)
        if mode is None:
            fail(
                _("面试形式应为“%(choices)s”之一")
                % {"choices": "”或“".join(_label(label) for _value, label in AssessmentMode.choices)}
            )
        opinion = _choice(row["录取意见"], Opinion.choices)
        if opinion is None:
            fail(
                _("录取意见应为“%(choices)s”之一或留空")
                % {"choices": "”、“".join(_label(label) for _value, label in Opinion.choices)}
            )
        if len(errors) > before:
            continue
        interview, exam = (_score_text(row[header]) for header in ("面试成绩", "专业考试成绩"))
        texts = dict(zip(EVALUATIONS, (cell_text(row[h]) for h in HEADERS[5:9]), strict=True))
        assessment = candidate.assessment
        # A part marked absent is exported as 缺考: read back, it is no score. Only check-in marks
        # a candidate absent, never the sheet.
        for header, text, absent in (
            ("面试成绩", interview, getattr(assessment, "interview_absent", False)),
            ("专业考试成绩", exam, getattr(assessment, "exam_absent", False)),
        ):
            if text == ABSENT and not absent:
                fail(_("“%(column)s”为“缺考”，但该考生未在考核当天标记缺考") % {"column": header})
        if len(errors) > before:
            continue
        interview, exam = ("" if text == ABSENT else text for text in (interview, exam))
        if assessment is None:
            if interview or exam or any(texts.values()) or opinion:
                fail(_("该考生尚未通过资格审核，不能录入成绩"))
            else:
                unchanged += 1
            continue
        mode = mode or assessment.interview_mode
        if (
            _same_score(interview, assessment.interview_score)
            and _same_score(exam, assessment.exam_score)
            and mode == assessment.interview_mode
            and opinion == assessment.opinion
            and all(getattr(assessment, name) == text for name, text in texts.items())
        ):
            unchanged += 1
            continue
        changes.append((number, assessment, interview, exam, mode, opinion, texts))
    if changes:
        first, last = assessment_window(campaign, round_number)
        if not window_is_open(first, last):
            raise ScoreImportError.of_file(
                _("第%(round)s批次考核时间为 %(first)s 至 %(last)s，现在不能录入成绩。")
                % {"round": round_number, "first": f"{first:%m月%d日}", "last": f"{last:%m月%d日}"}
            )
    return changes, unchanged, errors


def _record(actor, changes, errors=()):
    """Record `changes` through `record_scores`, every row even when others already failed, so that
    the refusal names every bad row at once, with `errors` found before; the caller's transaction
    undoes them all then."""
    errors = list(errors)
    for number, assessment, interview, exam, mode, opinion, texts in changes:
        try:
            record_scores(
                actor=actor,
                assessment=assessment,
                interview_score=interview,
                exam_score=exam,
                interview_mode=mode,
                opinion=opinion,
                **texts,
            )
        except DomainError as error:
            errors.append((number, _prefix(number) + error.message))
    if errors:
        raise ScoreImportError.of_rows([message for _number, message in sorted(errors, key=lambda error: error[0])])


# The two-person release of an import (portal.releases) -----------------------------------------------

SCORE_RELEASE = "scores"
# What an import writes on an assessment, and so what its undo puts back.
SCORE_FIELDS = ("interview_score", "exam_score", "interview_mode", "opinion", *EVALUATIONS, "scored_by_id")


@dataclass(frozen=True)
class ScorePreparation:
    rows: int
    changed: int
    unchanged: int
    release: Release | None  # None when the file changes nothing


class _DryRun(Exception):
    """Undoes the trial run of an import, carrying its preview out."""

    def __init__(self, preview):
        self.preview = preview


def _fields(assessment):
    return {
        name: None if getattr(assessment, name) is None else str(getattr(assessment, name)) for name in SCORE_FIELDS
    }


def _standings(sheet_data):
    return {c.assessment.pk: c for c in sheet_data.candidates if c.assessment is not None}


def _score_preview(*, before, after, changed, places):
    """The candidates whose scores, composite score or rank the import changes, with both values."""
    rows = []
    for pk, now in after.items():
        was = before[pk]
        values = {
            "interview": [_text(was.assessment.interview_score), _text(now.assessment.interview_score)],
            "exam": [_text(was.assessment.exam_score), _text(now.assessment.exam_score)],
            "composite": [_text(was.composite), _text(now.composite)],
            "rank": [was.rank, now.rank],
        }
        if pk in changed or any(old != new for old, new in values.values()):
            within = [rank is not None and rank <= places for rank in values["rank"]]
            rows.append({"name": now.applicant.full_name, "scored": pk in changed, "within": within, **values})
    rows.sort(key=lambda row: (row["rank"][1] is None, row["rank"][1] or 0, row["name"]))
    return rows


def _text(value):
    return None if value is None else str(value)


def prepare_score_release(
    *, actor: User, campaign: Campaign, specialty_base: SpecialtyBase, round_number: int, file: File | bytes
):
    """Check the file and prepare its scores as a release: a trial run records every row through
    `record_scores` (so that each bad row is named now) and ranks the candidates on the new scores,
    then is undone; the preview shows each candidate's scores, composite score and rank before and
    after. Another assessor of the specialty base or its base office confirms it
    (portal.releases.confirm_release), which records exactly those rows."""
    _require_staff(actor, specialty_base)
    raw_rows = _raw_rows(file)
    changes, unchanged, errors = _changes(
        campaign=campaign, specialty_base=specialty_base, round_number=round_number, raw_rows=raw_rows
    )
    if not changes and not errors:
        return ScorePreparation(rows=len(raw_rows), changed=0, unchanged=unchanged, release=None)
    sheet = partial(candidate_sheet, campaign=campaign, specialty_base=specialty_base, round_number=round_number)
    before = sheet()
    try:
        with transaction.atomic():
            _record(actor, changes, errors)
            raise _DryRun(
                _score_preview(
                    before=_standings(before),
                    after=_standings(sheet()),
                    changed={assessment.pk for _n, assessment, *_rest in changes},
                    places=before.places,
                )
            )
    except _DryRun as trial:
        preview = {"rows": len(raw_rows), "unchanged": unchanged, "places": before.places, "candidates": trial.preview}
    release = do_open_release(
        actor=actor,
        kind=SCORE_RELEASE,
        subject=f"campaign:{campaign.pk}:specialty_base:{specialty_base.pk}:round:{round_number}",
        title=_("%(base)s第%(round)s批次成绩导入")
        % {"base": f"{specialty_base.training_base.name} · {specialty_base.specialty.name}", "round": round_number},
        payload={
            "campaign": campaign.pk,
            "specialty_base": specialty_base.pk,
            "round": round_number,
            "file": getattr(file, "name", "") or "",
            "rows": len(raw_rows),
            "changes": [
                {
                    "row": number,
                    "assessment": assessment.pk,
                    "interview_score": interview,
                    "exam_score": exam,
                    "interview_mode": mode,
                    "opinion": opinion,
                    "evaluations": texts,
                    "was": _fields(assessment),
                }
                for number, assessment, interview, exam, mode, opinion, texts in changes
            ],
        },
        preview=preview,
        province_id=specialty_base.training_base.province_id,
        training_base_id=specialty_base.training_base_id,
        specialty_base_id=specialty_base.pk,
    )
    return ScorePreparation(rows=len(raw_rows), changed=len(changes), unchanged=unchanged, release=release)


class ScoreImportRelease:
    """A score import as a release (portal.releases): confirmed by another assessor of the
    specialty base or its base office; undone until a candidate it scored is decided."""

    kind = SCORE_RELEASE
    preview_template = "admissions/releases/scores.html"

    def back_url(self, release):
        url = reverse("round-scores-import", args=[release.payload["round"]])
        return f"{url}?{urlencode({'specialty_base': release.specialty_base_id})}"

    def require_reviewer(self, user, release):
        require_role(user, *ASSESSOR_ROLES)
        require(user, CHANGE, release)

    def reviewers(self, release):
        return User.objects.filter(
            Q(role=Role.SPECIALTY_BASE_STAFF, specialty_base_id=release.specialty_base_id)
            | Q(role=Role.BASE_OFFICE, training_base_id=release.training_base_id)
        )

    def _locked(self, release):
        pks = [change["assessment"] for change in release.payload["changes"]]
        return Assessment.objects.select_for_update().in_bulk(sorted(pks))

    def apply(self, *, release, actor):
        payload = release.payload
        locked = self._locked(release)
        if any(_fields(locked[change["assessment"]]) != change["was"] for change in payload["changes"]):
            raise DomainError(_("准备发布之后成绩已有修改，请取消这次发布，重新导入后再发布。"), code="release_stale")
        _record(
            actor,
            [
                (
                    change["row"],
                    locked[change["assessment"]],
                    change["interview_score"],
                    change["exam_score"],
                    change["interview_mode"],
                    change["opinion"],
                    change["evaluations"],
                )
                for change in payload["changes"]
            ],
        )
        specialty_base = SpecialtyBase.objects.get(pk=release.specialty_base_id)
        record_event(
            actor=actor,
            action="assessment.scores_import",
            obj=specialty_base,
            after={"round": payload["round"], "rows": payload["rows"], "recorded": len(payload["changes"])},
            reason=payload["file"],
        )
        written = Assessment.objects.in_bulk(list(locked))
        return Applied(snapshot={"written": {str(pk): _fields(row) for pk, row in written.items()}}, notified=[])

    def undo_refusal(self, release):
        pks = [change["assessment"] for change in release.payload["changes"]]
        if Assessment.objects.filter(pk__in=pks).exclude(stage=Stage.QUALIFIED).exists():
            return _("已有考生在导入后被决定录取或不录取，不能再撤回。")
        written = release.snapshot["written"]
        if any(_fields(row) != written[str(pk)] for pk, row in Assessment.objects.in_bulk(pks).items()):
            return _("导入后又有成绩被修改，不能再撤回。")
        return ""

    def undo(self, *, release, actor):
        locked = self._locked(release)
        refusal = self.undo_refusal(release)
        if refusal:
            raise DomainError(refusal, code="release_acted_on")
        for change in release.payload["changes"]:
            assessment = locked[change["assessment"]]
            written = _fields(assessment)
            for name, value in change["was"].items():
                setattr(assessment, name, value)
            assessment.save(update_fields=[name.removesuffix("_id") for name in SCORE_FIELDS])
            record_event(
                actor=actor,
                action="assessment.scores_restored",
                obj=assessment,
                before=written,
                after=change["was"],
                reason=release.reason,
            )

    def withdrawal(self, release):
        return (
            _("撤回通知：%(title)s已撤回") % {"title": release.title},
            _("%(title)s已撤回，成绩恢复为导入前的记录。") % {"title": release.title},
        )
