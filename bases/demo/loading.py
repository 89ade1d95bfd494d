"""Idempotent loading of the demo province: a second run finds everything in place and changes
nothing (and so records no audit event)."""

import datetime
import zlib
import zoneinfo

from django.db import transaction

from bases.demo import data as demo_data
from bases.models import Brochure, BrochureVersion, Province, Specialty, SpecialtyBase, TrainingBase
from bases.services import brochures
from bases.services.quotas import do_set_quota
from policy.models import Campaign
from portal.audit import record_event

_SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def _upsert(model, lookup, values):
    """Create or update one row; an audit event only when something actually changed."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        record_event(
            actor=None, action=f"{model._meta.model_name}.create", obj=obj, after=_plain(values), reason="demo data"
        )
        return obj
    before = {field: getattr(obj, field) for field in values}
    if before != values:
        for field, value in values.items():
            setattr(obj, field, value)
        obj.save(update_fields=list(values))
        record_event(
            actor=None,
            action=f"{model._meta.model_name}.change",
            obj=obj,
            before=_plain(before),
            after=_plain(values),
            reason="demo data",
        )
    return obj


def _plain(values):
    return {key: value.isoformat() if isinstance(value, datetime.date) else value for key, value in values.items()}


def _spread(key, low, high):
    """A stable pseudo-random number in [low, high] for `key`, the same on every run."""
    return low + zlib.crc32(key.encode()) % (high - low + 1)


def specialty_codes_of(index, name):
    if name in demo_data.SPECIALISED:
        return demo_data.SPECIALISED[name]
    return demo_data.UNIVERSITY_HOSPITAL if index < demo_data.UNIVERSITY_HOSPITALS else demo_data.CITY_HOSPITAL


def season_dates(*, year: int, shift: datetime.timedelta = datetime.timedelta(0)) -> dict[str, datetime.date]:
    """The notice's timetable for `year`, moved by `shift` (a demo that puts today in another phase)."""
    return {field: datetime.date(year, month, day) + shift for field, (month, day) in demo_data.TIMETABLE.items()}


def shift_of(campaign: Campaign) -> datetime.timedelta:
    """How far the campaign's timetable stands from the notice's for its year."""
    return campaign.round1_opens - season_dates(year=campaign.year)["round1_opens"]


def phase_shift(*, phase: str, today: datetime.date) -> datetime.timedelta:
    """The shift of this year's timetable that puts `today` on the demo phase's day (`PHASE_DAYS`)."""
    (month, day), _phase = demo_data.PHASE_DAYS[phase]
    return today - datetime.date(today.year, month, day)


@transaction.atomic
def load_province(*, year: int, shift: datetime.timedelta = datetime.timedelta(0)):
    """The province, its bases and plan, and the campaign of `year` on the notice's timetable moved
    by `shift`."""
    province = _upsert(Province, {"code": demo_data.PROVINCE["code"]}, {"name": demo_data.PROVINCE["name"]})
    specialties = {
        code: _upsert(Specialty, {"code": code}, {"name": name, "category": category})
        for code, name, category in demo_data.SPECIALTIES
    }
    campaign = _upsert(
        Campaign,
        {"province": province, "year": year},
        {
            "title": f"{year}年度{province.name}住院医师规范化培训（西医）招录",
            **season_dates(year=year, shift=shift),
        },
    )
    shortage = [specialties[code] for code in demo_data.SHORTAGE_SPECIALTY_CODES]
    if set(campaign.shortage_specialties.all()) != set(shortage):
        campaign.shortage_specialties.set(shortage)
        record_event(
            actor=None,
            action="campaign.shortage_specialties",
            obj=campaign,
            after=sorted(s.code for s in shortage),
            reason="demo data",
        )
    for index, (name, city, person, phones, qq) in enumerate(demo_data.TRAINING_BASES):
        base = _upsert(
            TrainingBase,
            {"province": province, "name": name},
            {
                "city": city,
                "level": "national",
                "contact_person": person,
                "phone_numbers": phones,
                "qq_groups": qq,
                "sort_order": index + 1,
            },
        )
        for code in specialty_codes_of(index, name):
            capacity = _spread(f"{name}/{code}", 6, 40 if index < demo_data.UNIVERSITY_HOSPITALS else 18)
            specialty_base = _upsert(
                SpecialtyBase, {"training_base": base, "specialty": specialties[code]}, {"capacity": capacity}
            )
            do_set_quota(
                actor=None,
                campaign=campaign,
                specialty_base=specialty_base,
                places=capacity * _spread(f"{year}/{name}/{code}", 55, 90) // 100,
                reason="demo data",
            )
    return province, campaign


def _brochure_text(base):
    return {
        "overview": f"{base.name}位于{base.city}，是国家住院医师规范化培训基地，开放床位两千余张，"
        "设有内科、外科、妇产科、儿科、全科等专业基地，拥有完善的临床技能培训中心和专职带教队伍，"
        "近年住培结业考核通过率位居全省前列。",
        "requirements": "具有中华人民共和国国籍；临床医学或口腔医学类本科及以上学历，符合国家临床、口腔类别执业医师"
        "资格考试报考条件；身体健康，能够完成临床培训。",
        "how_to_apply": "于第一批次开放时间内登录湖北省住院医师规范化培训公共服务平台注册，上传身份证、毕业证等材料，"
        "并填报本基地专业志愿。",
        "assessment": "资格审核通过后，于4月下旬至5月下旬组织面试和专业考试，均按百分制计分，"
        "面试可采取现场或网络视频形式。",
        "rights_and_duties": "学员应遵守医院规章制度，按轮转计划完成培训和考核；享有与本院同年资医师同等的学习、"
        "休假等权利，按规定参加结业考核。",
        "pay_wages": "面向社会招收学员每月基本工资不低于4500元，另按考核发放绩效，本科学员享受同等待遇。",
        "pay_social_insurance": "依法缴纳养老、医疗、失业、工伤、生育保险及住房公积金。",
        "pay_board_lodging": "医院提供学员公寓，双人间，每月象征性收取住宿费；职工食堂就餐享受餐补。",
        "quality_beds": "内科、外科等专业学员每人管理床位不少于5张，在上级医师指导下独立管理患者。",
        "quality_procedures": "按国家培训内容与标准完成规定病种、病例数及技能操作，技能中心每月组织模拟训练。",
        "quality_teachers": "各专业基地带教师资均为主治医师及以上职称，师生比不低于1:2，带教师资均经省级师资培训。",
        "quality_process": "实行轮转出科考核、年度考核和院级督导，建立督导问题清单和整改反馈机制。",
        "contacts": f"招收办公室：{base.contact_person}，电话{base.phone_numbers}，"
        f"QQ群{base.qq_groups or '见医院官网'}",
    }


def load_brochures(*, campaign, actor):
    """Brochures at every stage, as a season shows them: most published on time, some awaiting
    audit, a few returned and being revised, the last two bases overdue. Runs once per campaign."""
    if Brochure.objects.filter(campaign=campaign).exists():
        return
    bases = list(TrainingBase.objects.filter(province=campaign.province).order_by("sort_order"))
    for index, base in enumerate(bases[:-2]):
        version = brochures.start_brochure_draft(actor=actor, campaign=campaign, training_base=base)
        brochures.save_brochure_draft(
            actor=actor,
            version=version,
            sections=_brochure_text(base),
            applicant_types=["own_staff", "entrusted", "open_recruitment"],
        )
        if index >= len(bases) - 5:
            continue  # still a draft
        version = brochures.submit_brochure(actor=actor, version=version)
        if index >= len(bases) - 9:
            brochures.return_brochure(
                actor=actor, version=version, comments={"pay_wages": "请写明工资的具体金额和发放方式。"}
            )
            continue
        if index < len(bases) - 12:
            brochures.approve_brochure(actor=actor, version=version, note="内容完整，同意发布。")
            brochures.publish_brochure(actor=actor, version=version)
    # The season already happened: date the demo's submissions and publications as they would have been.
    on_time = datetime.datetime.combine(campaign.brochure_submit_by, datetime.time(10), tzinfo=_SHANGHAI)
    BrochureVersion.objects.filter(brochure__campaign=campaign, submitted_at__isnull=False).update(
        submitted_at=on_time - datetime.timedelta(days=3), decided_at=on_time
    )
    BrochureVersion.objects.filter(brochure__campaign=campaign, published_at__isnull=False).update(
        published_at=on_time + datetime.timedelta(days=1)
    )
