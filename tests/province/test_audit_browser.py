"""The provincial audit browser: the province's events, filtered by actor, base, kind and date, on a
page and as a CSV file that Excel opens with its Chinese intact."""

import csv
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.audit import record_event
from portal.models import AuditEvent, Role
from province.views import audit as audit_views
from tests import factories

SHANGHAI = ZoneInfo("Asia/Shanghai")
HEADER = ["时间", "操作人", "操作", "对象类型", "对象", "住培基地", "原因", "变更前", "变更后"]


def at(*args):
    return time_machine.travel(datetime.datetime(*args, tzinfo=SHANGHAI), tick=False)


@pytest.fixture
def events(world, people):
    """Five events across two provinces, on Shanghai days 1, 2 and 3 March 2026; the third happens
    at 00:30 on 3 March in Shanghai, which is still 2 March in UTC."""
    wang = factories.user(Role.PROVINCIAL_OFFICE, username="wangli", province=world["hubei"])
    made = {}
    with at(2026, 3, 1, 10, 0):
        made["quota"] = record_event(
            actor=wang, action="quota.set", obj=world["xiehe_internal"], before={"places": 3}, after={"places": 5}
        )
    with at(2026, 3, 2, 23, 30):
        made["brochure"] = record_event(
            actor=people["xiehe_office"], action="brochure.submit", obj=world["xiehe_internal"]
        )
    with at(2026, 3, 3, 0, 30):
        made["increase"] = record_event(
            actor=people["tongji_office"],
            action="quota_increase.request",
            obj=world["tongji_internal"],
            after={"requested_places": 2},
            reason="新增带教老师",
        )
    with at(2026, 3, 3, 9, 0):
        made["hunan"] = record_event(actor=people["hunan_province"], action="quota.set", obj=world["changsha_internal"])
        made["sweep"] = record_event(actor=None, action="campaign.sweep", obj=world["hubei_campaign"])
    return made


def listed(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("audit-events"), params)
    assert response.status_code == 200
    return list(response.context["page"].object_list)


def exported(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("audit-events-csv"), params)
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    return body, list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_province_sees_its_events_newest_first(client, people, events):
    assert listed(client, people["province"]) == [
        events["sweep"],
        events["increase"],
        events["brochure"],
        events["quota"],
    ]


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("quota", ["quota"]),  # not quota_increase.…
        ("quota_increase", ["increase"]),
        ("brochure.submit", ["brochure"]),
        ("campaign", ["sweep"]),
    ],
)
def test_kind_narrows_to_the_prefix_or_the_exact_action(client, people, events, kind, expected):
    assert listed(client, people["province"], kind=kind) == [events[name] for name in expected]


def test_the_kind_select_offers_the_province_s_prefixes_and_actions(client, people, events):
    client.force_login(people["province"])
    page = client.get(reverse("audit-events")).content.decode()
    for option in ('value="quota"', 'value="quota_increase"', 'value="brochure.submit"', 'value="campaign"'):
        assert option in page
    assert "招收计划（quota）" in page


def test_actor_base_and_dates_narrow(client, people, world, events):
    province = people["province"]
    assert listed(client, province, actor="WANG") == [events["quota"]]
    assert listed(client, province, actor="系统") == [events["sweep"]]
    assert listed(client, province, training_base=world["tongji"].pk) == [events["increase"]]
    assert listed(client, province, training_base=world["xiehe"].pk) == [events["brochure"], events["quota"]]
    # Dates are Shanghai days, both ends included.
    assert listed(client, province, date_from="2026-03-02", date_to="2026-03-02") == [events["brochure"]]
    assert listed(client, province, date_from="2026-03-03") == [events["sweep"], events["increase"]]
    assert listed(client, province, date_to="2026-03-01") == [events["quota"]]
    assert listed(client, province, training_base=world["xiehe"].pk, kind="brochure", date_from="2026-03-02") == [
        events["brochure"]
    ]


def test_the_page_shows_the_change_compactly_and_the_reason(client, people, events):
    client.force_login(people["province"])
    page = client.get(reverse("audit-events"), {"training_base": events["quota"].training_base_id}).content.decode()
    assert "places: 3 → 5" in page
    assert "2026-03-01 10:00:00" in page
    page = client.get(reverse("audit-events"), {"kind": "quota_increase"}).content.decode()
    assert "新增带教老师" in page and "requested_places: 2" in page


def test_hunan_sees_none_of_hubei_s_events(client, people, world, events):
    assert listed(client, people["hunan_province"]) == [events["hunan"]]
    # Asking for a Hubei base is not one of its choices: an error, and no rows.
    client.force_login(people["hunan_province"])
    response = client.get(reverse("audit-events"), {"training_base": world["xiehe"].pk})
    assert response.context["form"].errors.keys() == {"training_base"}
    assert list(response.context["page"].object_list) == []
    body, rows = exported(client, people["hunan_province"])
    assert [row[4] for row in rows[1:]] == ["湘雅医院 · 内科"]
    assert "协和医院" not in body.decode("utf-8-sig")


@pytest.mark.parametrize("url_name", ["audit-events", "audit-events-csv"])
def test_only_the_provincial_office_may_browse(client, people, events, url_name):
    assert client.get(reverse(url_name)).status_code == 302  # to the login form
    for role in ("xiehe_office", "xiehe_staff", "employer", "applicant"):
        client.force_login(people[role])
        assert client.get(reverse(url_name)).status_code == 403


def test_a_reversed_date_range_is_an_error_not_a_500(client, people, events):
    client.force_login(people["province"])
    response = client.get(reverse("audit-events"), {"date_from": "2026-03-03", "date_to": "2026-03-01"})
    assert response.status_code == 200
    assert "截止日期不能早于起始日期。" in response.content.decode()
    response = client.get(reverse("audit-events-csv"), {"date_from": "2026-03-03", "date_to": "2026-03-01"})
    assert response.status_code == 400
    assert client.get(reverse("audit-events"), {"date_from": "yesterday", "page": "x"}).status_code == 200


def test_the_csv_has_the_bom_the_header_and_the_filtered_rows(client, people, world, events):
    body, rows = exported(client, people["province"], training_base=world["xiehe"].pk)
    assert body.startswith("\ufeff".encode())
    assert rows[0] == HEADER
    assert rows[1:] == [
        ["2026-03-02 23:30:00", people["xiehe_office"].username, "brochure.submit", "专业基地", "协和医院 · 内科",
         "协和医院", "", "", ""],
        ["2026-03-01 10:00:00", "wangli", "quota.set", "专业基地", "协和医院 · 内科", "协和医院", "",
         '{"places":3}', '{"places":5}'],
    ]  # fmt: skip
    _, rows = exported(client, people["province"], kind="quota_increase", date_from="2026-03-03")
    assert [row[2] for row in rows[1:]] == ["quota_increase.request"]
    assert rows[1][6] == "新增带教老师"


def test_the_csv_is_a_download_and_neutralises_formulas(client, people, world):
    record_event(actor=people["province"], action="quota.note", obj=world["xiehe_internal"], reason="=HYPERLINK(1)")
    client.force_login(people["province"])
    response = client.get(reverse("audit-events-csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[1][6] == "'=HYPERLINK(1)"


def test_the_csv_stops_at_its_bound_with_a_note(client, people, events, monkeypatch):
    monkeypatch.setattr(audit_views, "CSV_MAX_ROWS", 2)
    _, rows = exported(client, people["province"])
    assert rows[0] == HEADER
    assert len(rows) == 4
    assert rows[3] == ["仅导出前 2 条，请缩小筛选范围后再导出其余记录。"]


def test_the_list_pages_by_fifty(client, people, world):
    for n in range(51):
        record_event(actor=people["province"], action=f"quota.k{n}", obj=world["xiehe_internal"])
    client.force_login(people["province"])
    response = client.get(reverse("audit-events"), {"kind": "quota"})
    assert len(response.context["page"].object_list) == 50
    assert "page=2" in response.content.decode() and "kind=quota" in response.content.decode()
    assert len(client.get(reverse("audit-events"), {"kind": "quota", "page": 2}).context["page"].object_list) == 1


def _add_events(world, people, count):
    actors = [people["province"], people["xiehe_office"], people["tongji_office"], None]
    objects = [world["xiehe_internal"], world["tongji_internal"], world["hubei_campaign"]]
    for n in range(count):
        record_event(
            actor=actors[n % 4],
            action=f"kind{n % 7}.act{n % 5}",
            obj=objects[n % 3],
            before={"n": n},
            after={"n": n + 1},
        )


def test_list_queries_stay_flat_from_10_to_300_events(client, people, world):
    client.force_login(people["province"])
    counts = []
    for total in (10, 300):
        _add_events(world, people, total - AuditEvent.objects.count())
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("audit-events"))
        assert response.status_code == 200
        assert len(response.context["page"].object_list) == min(total, 50)
        counts.append(len(captured))
    assert counts[0] == counts[1]
