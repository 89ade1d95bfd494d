import pytest

from portal import sms
from portal.models import Role
from tests import factories


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The production hasher is slow on purpose; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    # Uploaded documents go to a folder of the test's own, never the developer's var/private.
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture(autouse=True)
def empty_cache():
    # Sign-in failures and rate-limit counters live in the cache: each test starts with none.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def outbox(settings):
    """The text messages sent during the test (portal.sms.LocMemBackend), in order."""
    settings.SMS_BACKEND = "portal.sms.LocMemBackend"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture
def hubei(db):
    return factories.province()


@pytest.fixture
def hunan(db):
    return factories.province(code="430000", name="湖南省")


@pytest.fixture
def world(hubei, hunan):
    """Two provinces; Hubei with two training bases, each with an internal-medicine specialty base."""
    internal = factories.specialty("0100", "内科")
    xiehe = factories.training_base(hubei, "协和医院")
    tongji = factories.training_base(hubei, "同济医院")
    changsha = factories.training_base(hunan, "湘雅医院", city="长沙市")
    return {
        "hubei": hubei,
        "hunan": hunan,
        "xiehe": xiehe,
        "tongji": tongji,
        "changsha": changsha,
        "xiehe_internal": factories.specialty_base(xiehe, internal),
        "tongji_internal": factories.specialty_base(tongji, internal),
        "changsha_internal": factories.specialty_base(changsha, internal),
        "hubei_campaign": factories.campaign(hubei),
        "hunan_campaign": factories.campaign(hunan),
    }


@pytest.fixture
def people(world):
    """One user per role, scoped into the world."""
    return {
        "province": factories.user(Role.PROVINCIAL_OFFICE, province=world["hubei"]),
        "hunan_province": factories.user(Role.PROVINCIAL_OFFICE, province=world["hunan"]),
        "xiehe_office": factories.user(Role.BASE_OFFICE, training_base=world["xiehe"]),
        "tongji_office": factories.user(Role.BASE_OFFICE, training_base=world["tongji"]),
        "xiehe_staff": factories.user(Role.SPECIALTY_BASE_STAFF, specialty_base=world["xiehe_internal"]),
        "employer": factories.user(Role.EMPLOYER, province=world["hubei"], organization="江岸区人民医院"),
        "applicant": factories.user(Role.APPLICANT),
        "other_applicant": factories.user(Role.APPLICANT),
    }


@pytest.fixture
def api():
    """An API client signed in as the given user (None: anonymous)."""
    return factories.api_client
