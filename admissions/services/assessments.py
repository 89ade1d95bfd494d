"""Round assessment (三(三)1-2, 三(四)3): qualification review, scores and evaluations by the
specialty base, the training base's decision under the quota's lock, and adjustment (调剂)."""

from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from admissions.models import SCORE_FIELDS, Application, ApplicationStatus, Assessment, Opinion, SessionPart, Stage
from admissions.selectors.checkin import absent_parts
from admissions.selectors.facts import check_eligibility, place_refusal
from admissions.selectors.places import places_taken
from admissions.services.applicants import require_owner
from admissions.services.entries import QuotaFull
from bases.models import Quota, SpecialtyBase
from policy.timetable import assessment_window, window_is_open
from portal.audit import record_event
from portal.errors import DomainError
from portal.models import ASSESSOR_ROLES, Role, User
from portal.notifications import notify
from portal.permissions import CHANGE, require, require_role
from portal.states import advance

EVALUATIONS = ("evaluation_basic", "evaluation_interview", "evaluation_exam", "evaluation_overall")


class AssessmentClosed(DomainError):
    code = "assessment_closed"


def _require_assessment_window(campaign, round_number):
    first, last = assessment_window(campaign, round_number)
    if not window_is_open(first, last):
        raise AssessmentClosed(
            _("第%(round)s批次考核时间为 %(first)s 至 %(last)s，现在不能进行此操作。")
            % {"round": round_number, "first": f"{first:%m月%d日}", "last": f"{last:%m月%d日}"}
        )


def _score(value, label):
    if value in (None, ""):
        return None
    try:
        score = Decimal(str(value))
    except InvalidOperation:
        raise DomainError(_("%(label)s应为数字。") % {"label": label}, status=400, code="invalid") from None
    if not Decimal(0) <= score <= Decimal(100) or score != score.quantize(Decimal("0.1")):
        raise DomainError(
            _("%(label)s应在 0 到 100 之间，最多一位小数。") % {"label": label}, status=400, code="invalid"
        )
    return score


def _locked(assessment):
    return (
        Assessment.objects.select_for_update(of=("self",))
        .select_related(
            "application__campaign",
            "application__applicant__user",
            "specialty_base__training_base",
            "specialty_base__specialty",
        )
        .get(pk=assessment.pk)
    )


def review_qualification(*, actor: User, application: Application, passed: bool, note: str = ""):
    """The qualification review (资格审核) of a first choice; the applicant sees the note."""
    require_role(actor, *ASSESSOR_ROLES)
    require(actor, CHANGE, application)
    if not passed and not note.strip():
        raise DomainError(_("资格审核不通过时，请写明学员能看到的原因。"), status=400, code="invalid")
    _require_assessment_window(application.campaign, application.round)
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status != ApplicationStatus.ACTIVE:
            raise DomainError(_("该志愿已改报或撤回，不能审核。"), code="inactive")
        assessment, _created = Assessment.objects.get_or_create(
            application=application, specialty_base_id=application.specialty_base_id
        )
        assessment = _locked(assessment)
        before = assessment.stage
        advance(assessment, Stage.QUALIFIED if passed else Stage.DISQUALIFIED)
        assessment.qualification_note = note.strip()
        assessment.save(update_fields=["stage", "qualification_note"])
        record_event(
            actor=actor,
            action="assessment.qualification",
            obj=assessment,
            before={"stage": before},
            after={"stage": assessment.stage},
            reason=note,
        )
        notify(
            recipient=assessment.application.applicant.user,
            kind="assessment.qualification",
            subject=_("资格审核结果：%(result)s") % {"result": Stage(assessment.stage).label},
            body=_("%(base)s：%(result)s。%(note)s")
            % {"base": assessment.specialty_base, "result": Stage(assessment.stage).label, "note": note},
        )
    return assessment


def _refuse_absent_parts(assessment, *, interview, exam):
    """No score for a part the candidate was marked absent from (缺考), unless the mark is corrected."""
    absent = absent_parts(assessment)
    refused = {
        SCORE_FIELDS[part]: [
            _("该考生%(part)s缺考，不能录入%(part)s成绩；如系误记，须先在考核当天更正签到。")
            % {"part": SessionPart(part).label}
        ]
        for part, score in ((SessionPart.INTERVIEW, interview), (SessionPart.EXAM, exam))
        if score is not None and part in absent
    }
    if refused:
        raise DomainError.of_inputs(refused, code="absent")


def record_scores(
    *,
    actor: User,
    assessment: Assessment,
    interview_score: Decimal | None,
    exam_score: Decimal | None,
    interview_mode: str,
    opinion: str = "",
    **evaluations,
):
    """Interview and exam scores (each out of 100, one decimal), the four written evaluations and
    the specialty base's admission opinion (三(三)2)."""
    require_role(actor, *ASSESSOR_ROLES)
    require(actor, CHANGE, assessment)
    unknown = set(evaluations) - set(EVALUATIONS)
    if unknown:
        raise DomainError(_("未知字段：%(fields)s") % {"fields": "、".join(sorted(unknown))}, status=400)
    problems, scores = {}, {}
    for name, value, label in (
        ("interview_score", interview_score, _("面试成绩")),
        ("exam_score", exam_score, _("专业考试成绩")),
    ):
        try:
            scores[name] = _score(value, label)
        except DomainError as error:
            problems[name] = [error.message]
    if opinion and opinion not in Opinion.values:
        problems["opinion"] = [_("录取意见无效。")]
    if problems:
        raise DomainError.of_inputs(problems, status=400, code="invalid")
    interview, exam = scores["interview_score"], scores["exam_score"]
    with transaction.atomic():
        assessment = _locked(assessment)
        _require_assessment_window(assessment.application.campaign, assessment.application.round)
        if assessment.stage != Stage.QUALIFIED:
            raise DomainError(_("只有资格审核通过、尚未决定录取的考生可以录入成绩。"), code="wrong_stage")
        _refuse_absent_parts(assessment, interview=interview, exam=exam)
        # The quota's lock, which a change of the scoring formula takes: the base office may change
        # the formula only while no score is in, and a score cannot slip in while it does.
        Quota.objects.select_for_update().filter(
            campaign=assessment.campaign_id, specialty_base=assessment.specialty_base_id
        ).first()
        before = {"interview": str(assessment.interview_score), "exam": str(assessment.exam_score)}
        assessment.interview_score, assessment.exam_score = interview, exam
        assessment.interview_mode, assessment.opinion, assessment.scored_by = interview_mode, opinion, actor
        for field, text in evaluations.items():
            setattr(assessment, field, (text or "").strip())
        assessment.save()
        record_event(
            actor=actor,
            action="assessment.scores",
            obj=assessment,
            before=before,
            after={"interview": str(interview), "exam": str(exam), "opinion": opinion},
        )
    return assessment


def decide_admission(*, actor: User, assessment: Assessment, admit: bool, reason: str = ""):
    """The training base proposes the candidate for admission (拟录取) or not; a proposal takes a
    place of the quota, checked under the quota's row lock."""
    require_role(actor, Role.BASE_OFFICE)
    require(actor, CHANGE, assessment)
    with transaction.atomic():
        assessment = _locked(assessment)
        campaign = assessment.application.campaign
        _require_assessment_window(campaign, assessment.application.round)
        if assessment.publicity_entries.exists():
            raise DomainError(_("已列入公示名单，不能再改变录取决定；如有异议请按异议处理。"), code="published")
        before = assessment.stage
        if admit:
            if assessment.interview_score is None or assessment.exam_score is None:
                raise DomainError(_("面试和专业考试成绩录入后才能决定拟录取。"), status=400, code="no_scores")
            refusal = place_refusal(assessment.application.applicant, campaign)
            if refusal:
                raise DomainError(_("不能拟录取该考生：") + refusal, code="not_placeable")
            quota = Quota.objects.select_for_update().get(campaign=campaign, specialty_base=assessment.specialty_base)
            if places_taken(quota) >= quota.places:
                raise QuotaFull(
                    _("%(base)s的招收计划 %(places)s 个已满，不能再拟录取；可申请增加招收计划。")
                    % {"base": assessment.specialty_base, "places": quota.places}
                )
            advance(assessment, Stage.PROPOSED)
        else:
            advance(assessment, Stage.NOT_ADMITTED)
        assessment.decided_by, assessment.decided_at = actor, timezone.now()
        try:
            with transaction.atomic():
                assessment.save(update_fields=["stage", "decided_by", "decided_at"])
        except IntegrityError:
            # one_place_per_applicant_and_campaign: another base proposed the same person meanwhile.
            raise DomainError(
                _("不能拟录取该考生：已被其他专业基地拟录取或录取，一人只能占用一个招收名额（三(四)1）。"),
                code="not_placeable",
            ) from None
        record_event(
            actor=actor,
            action="assessment.decision",
            obj=assessment,
            before={"stage": before},
            after={"stage": assessment.stage},
            reason=reason,
        )
        notify(**decision_message(assessment))
    return assessment


def decision_message(assessment: Assessment):
    """The notification of a decision on `assessment`, as keyword arguments of `notify`."""
    return {
        "recipient": assessment.application.applicant.user,
        "kind": "assessment.scores",
        "subject": _("考核结果：%(result)s") % {"result": Stage(assessment.stage).label},
        "body": _("%(base)s：面试 %(interview)s 分，专业考试 %(exam)s 分，结果为“%(result)s”。")
        % {
            "base": assessment.specialty_base,
            "interview": "—" if assessment.interview_score is None else assessment.interview_score,
            "exam": "—" if assessment.exam_score is None else assessment.exam_score,
            "result": Stage(assessment.stage).label,
        },
    }


def request_adjustment(*, actor: User, assessment: Assessment, specialty_base: SpecialtyBase):
    """The applicant, not admitted to its first choice, consents to be assessed for another
    specialty base of the same training base that still has places (调剂, 三(三)2)."""
    applicant = assessment.application.applicant
    require_owner(actor, applicant)
    with transaction.atomic():
        assessment = _locked(assessment)
        application = assessment.application
        if application.round != 1 or assessment.is_adjustment or assessment.stage != Stage.NOT_ADMITTED:
            raise DomainError(_("只有第一批次第一志愿未被录取的考生可以申请调剂。"), code="not_adjustable")
        _require_assessment_window(application.campaign, 1)
        if specialty_base.training_base_id != assessment.specialty_base.training_base_id:
            raise DomainError(_("调剂限于同一住培基地的其他专业基地。"), status=400, code="invalid")
        quota = (
            Quota.objects.select_for_update()
            .filter(campaign=application.campaign, specialty_base=specialty_base)
            .first()
        )
        if quota is None or places_taken(quota) >= quota.places:
            raise QuotaFull(_("%(base)s已没有剩余招收计划。") % {"base": specialty_base})
        decision = check_eligibility(applicant=applicant, specialty_base=specialty_base, campaign=application.campaign)
        if not decision:
            raise DomainError(_("不符合调剂专业的申报条件：") + str(decision), status=400, code="not_eligible")
        if Assessment.objects.filter(application=application, is_adjustment=True).exists():
            raise DomainError(_("已申请过调剂。"), code="duplicate")
        adjustment = Assessment.objects.create(
            application=application,
            specialty_base=specialty_base,
            is_adjustment=True,
            adjustment_consent_at=timezone.now(),
            stage=Stage.QUALIFIED,  # qualified already in the first-choice review; eligibility checked above
        )
        record_event(
            actor=actor,
            action="assessment.adjustment",
            obj=adjustment,
            after={"from": str(assessment.specialty_base), "to": str(specialty_base), "consent": True},
        )
    return adjustment
