"""Idempotent loading of the demo province: a second run finds everything in place and changes
nothing (and so records no audit event)."""

import datetime
import zlib

from django.db import transaction

from bases import demo_data
from bases.models import Province, Specialty, SpecialtyBase, TrainingBase
from bases.services.quotas import set_quota
from policy.models import Campaign
from portal.audit import record_event


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


@transaction.atomic
def load_province(*, year):
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
            **{field: datetime.date(year, month, day) for field, (month, day) in demo_data.TIMETABLE.items()},
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
            set_quota(
                actor=None,
                campaign=campaign,
                specialty_base=specialty_base,
                places=capacity * _spread(f"{year}/{name}/{code}", 55, 90) // 100,
                reason="demo data",
            )
    return province, campaign
