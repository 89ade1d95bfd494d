"""The registration roster (注册名单, 三(七)): who is on it, when it can be published, its exports."""

import csv
import datetime
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from admissions.models import Admission, AdmissionStatus, RegistrationRoster
from admissions.selectors.roster import roster_blockers, roster_rows
from admissions.services.entries import assign_rural_order_graduate
from admissions.services.reporting import disqualify_no_shows, record_reporting
from admissions.services.roster import publish_roster
from bases.models import Quota
from policy.identity import make_resident_id
from portal.errors import DomainError
from portal.models import AuditEvent, Notification
from portal.privacy import mask_id_number
from tests.admissions.test_reporting import admitted, at  # noqa: F401  (the fixture: one admitted resident)

HEADER = [
    "序号",
    "姓名",
    "性别",
    "证件类型",
    "证件号码",
    "出生日期",
    "人员类型",
    "培训基地",
    "培训专业",
    "招收年度",
    "录取批次",
    "报到日期",
    "协议类型",
]
RURAL_ID = make_resident_id("420102", datetime.date(2002, 7, 9), 22)  # sequence 022: even, a woman


@pytest.fixture
def reported(admitted, people):  # noqa: F811
    with at(2026, 8, 28, 9):
        record_reporting(actor=people["xiehe_office"], admission=admitted, reported_on=datetime.date(2026, 8, 28))
    admitted.refresh_from_db()
    return admitted


@pytest.fixture
def rural(world, people, admitted):  # noqa: F811
    """A rural order-oriented graduate placed at Tongji: registered with the admitted residents."""
    from bases.services.quotas import do_set_quota

    campaign = world["hubei_campaign"]
    quota = do_set_quota(actor=None, campaign=campaign, specialty_base=world["tongji_internal"], places=2)
    if not isinstance(quota, Quota):
        quota = Quota.objects.get(campaign=campaign, specialty_base=world["tongji_internal"])
    return assign_rural_order_graduate(
        actor=people["province"],
        quota=quota,
        full_name="订单生甲",
        id_type="resident_id",
        id_number=RURAL_ID,
        school="湖北医药学院",
        agreement_region="十堰市",
    )


def _csv_rows(content):
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def _xlsx_rows(content):
    sheet = load_workbook(io.BytesIO(content)).active
    return [["" if value is None else value for value in row] for row in sheet.iter_rows(values_only=True)]


def test_csv_and_xlsx_rows_and_columns(client, people, reported, rural):
    applicant = reported.assessment.application.applicant
    client.force_login(people["province"])
    csv_rows = _csv_rows(client.get("/province/roster/roster.csv").getvalue())  # streamed
    xlsx_rows = _xlsx_rows(client.get("/province/roster/roster.xlsx").content)
    resident = [
        "1",
        applicant.full_name,
        applicant.get_sex_display(),
        "居民身份证",
        applicant.id_number,  # full: the file is for the provincial office only
        applicant.birth_date.isoformat(),
        "面向社会招收住院医师",
        "协和医院",
        "内科",
        "2026",
        "第一批次",
        "2026-08-28",
        "劳动合同",
    ]
    graduate = [
        "2",
        "订单生甲",
        "女",
        "居民身份证",
        RURAL_ID,
        "2002-07-09",
        "农村订单定向免费医学毕业生",
        "同济医院",
        "内科",
        "2026",
        "直接录入",
        "",
        "农村订单定向培训协议",
    ]
    assert csv_rows == [HEADER, resident, graduate]
    assert [[str(value) for value in row] for row in xlsx_rows] == [HEADER, resident, graduate]
    assert isinstance(xlsx_rows[1][4], str)  # the ID number is text: no lost digits, no 1.2E+17


def test_only_reported_residents_and_active_entries_are_on_the_roster(world, people, admitted):  # noqa: F811
    assert roster_rows(world["hubei_campaign"]) == []
    with at(2026, 9, 16, 0, 0):
        assert disqualify_no_shows() == 1
    assert roster_rows(world["hubei_campaign"]) == []
    assert not roster_blockers(world["hubei_campaign"]).exists()


def test_publication_is_refused_while_residents_have_not_reported(world, people, admitted):  # noqa: F811
    with pytest.raises(DomainError, match="还有1名录取学员既未报到也未取消培训资格"):
        publish_roster(actor=people["province"], campaign=world["hubei_campaign"])
    assert not RegistrationRoster.objects.exists()


def test_before_the_reporting_deadline_the_button_says_when_and_the_service_refuses(
    client, world, people, reported, rural
):
    client.force_login(people["province"])
    with at(2026, 8, 20, 10):
        page = client.get("/province/roster/").content.decode()
        assert "报到截止（9月1日 24时）后才能公布注册名单，9月2日起" in page
        assert 'data-testid="publish" disabled aria-describedby="roster-closed"' in page
        with pytest.raises(DomainError, match="9月2日起"):
            publish_roster(actor=people["province"], campaign=world["hubei_campaign"])
    assert not RegistrationRoster.objects.exists()
    with at(2026, 9, 2, 0, 0):
        assert publish_roster(actor=people["province"], campaign=world["hubei_campaign"]).resident_count == 2


def test_publication_once_with_an_audit_event_and_notice_to_the_bases(world, people, reported, rural, client):
    roster = publish_roster(actor=people["province"], campaign=world["hubei_campaign"])
    assert roster.resident_count == 2
    assert AuditEvent.objects.filter(action="roster.published", object_id=str(roster.pk)).count() == 1
    notified = set(Notification.objects.filter(kind="roster.published").values_list("recipient", flat=True))
    assert notified == {people["xiehe_office"].pk, people["tongji_office"].pk}
    with pytest.raises(DomainError, match="已发布"):
        publish_roster(actor=people["province"], campaign=world["hubei_campaign"])
    assert RegistrationRoster.objects.count() == 1


def test_the_page_shows_blockers_then_publishes(client, world, people, admitted):  # noqa: F811
    client.force_login(people["province"])
    page = client.get("/province/roster/").content.decode()
    assert "还有1名录取学员" in page
    assert 'data-testid="publish" disabled aria-describedby="roster-closed"' in page
    response = client.post("/province/roster/publish/", {"campaign": world["hubei_campaign"].pk}, follow=True)
    assert "还有1名录取学员" in response.content.decode()
    with at(2026, 8, 28, 9):
        record_reporting(actor=people["xiehe_office"], admission=admitted, reported_on=datetime.date(2026, 8, 28))
    assert 'data-testid="publish">' in client.get("/province/roster/").content.decode()
    response = client.post("/province/roster/publish/", {"campaign": world["hubei_campaign"].pk}, follow=True)
    assert "注册名单已发布" in response.content.decode()
    assert RegistrationRoster.objects.get().resident_count == 1
    assert Admission.objects.get().status == AdmissionStatus.REPORTED


@pytest.mark.parametrize("who", ["xiehe_office", "hunan_province", "applicant"])
@pytest.mark.parametrize("url", ["/province/roster/", "/province/roster/roster.csv", "/province/roster/roster.pdf"])
def test_only_the_campaigns_provincial_office(client, world, people, reported, who, url):
    client.force_login(people[who])
    assert client.get(url, {"campaign": world["hubei_campaign"].pk}).status_code == 403
    response = client.post("/province/roster/publish/", {"campaign": world["hubei_campaign"].pk})
    assert response.status_code == 403
    assert not RegistrationRoster.objects.exists()


def test_pdf_names_the_base_and_masks_id_numbers(client, people, reported, rural):
    applicant = reported.assessment.application.applicant
    client.force_login(people["province"])
    response = client.get("/province/roster/roster.pdf")
    assert response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content)  # streamed from the file it was written to
    text = "".join("".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)
    assert "协和医院" in text and "同济医院" in text and applicant.full_name in text
    assert mask_id_number(applicant.id_number) in text and mask_id_number(RURAL_ID) in text
    assert applicant.id_number not in text and RURAL_ID not in text


def _entries(world, people, count, start, *, specialty_base="tongji_internal", names=None):
    from admissions.models import DirectEntry

    quota = Quota.objects.get(campaign=world["hubei_campaign"], specialty_base=world[specialty_base])
    names = names or [f"订单生{n}" for n in range(start, start + count)]
    DirectEntry.objects.bulk_create(
        DirectEntry(
            quota=quota,
            campaign=world["hubei_campaign"],
            kind="rural_order",
            full_name=name,
            id_number=make_resident_id("420102", datetime.date(2002, 1, 1), n),
            school="湖北医药学院",
            entered_by=people["province"],
        )
        for n, name in enumerate(names, start=start)
    )


def test_admissions_and_entries_of_one_specialty_base_interleave_by_name(client, world, people, reported):
    """In the order of the characters (capitals before small letters before Chinese), whatever
    the database's collation."""
    applicant = reported.assessment.application.applicant
    names = ["adam", "Zhang San", f"{applicant.full_name}乙", "龥某"]
    _entries(world, people, len(names), 300, specialty_base="xiehe_internal", names=names)
    client.force_login(people["province"])
    rows = _csv_rows(client.get("/province/roster/roster.csv").getvalue())[1:]
    assert [row[1] for row in rows] == sorted([applicant.full_name, *names])
    assert [row[0] for row in rows] == ["1", "2", "3", "4", "5"]
    assert [row[10] for row in rows].count("第一批次") == 1


def test_page_and_export_queries_stay_flat_as_the_roster_grows(client, world, people, rural):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(people["province"])
    counts = []
    residents = 1  # the rural graduate
    for count, start in ((3, 100), (30, 200)):
        _entries(world, people, count, start)
        residents += count
        with CaptureQueriesContext(connection) as page:
            assert client.get("/province/roster/").status_code == 200
        queries = [len(page)]
        for url, read in (("/province/roster/roster.csv", _csv_rows), ("/province/roster/roster.xlsx", _xlsx_rows)):
            with CaptureQueriesContext(connection) as export:
                rows = read(client.get(url).getvalue())  # a streamed file reads the roster only now
            assert len(rows) == 1 + residents
            queries.append(len(export))
        counts.append(queries)
    assert counts[0] == counts[1]


def test_the_page_shows_the_roster_a_page_at_a_time_numbered_throughout(client, world, people, rural, monkeypatch):
    from admissions.views import roster as roster_views

    monkeypatch.setattr(roster_views, "ROWS_PER_PAGE", 2)
    _entries(world, people, 4, 400)  # with the rural graduate: five residents, three pages
    client.force_login(people["province"])
    everyone = [row[1] for row in _csv_rows(client.get("/province/roster/roster.csv").getvalue())[1:]]
    second = client.get("/province/roster/", {"page": 2})
    assert second.context["page"].paginator.count == 5
    assert [row.full_name for row in second.context["page"]] == everyone[2:4]
    html = second.content.decode()
    assert 'data-testid="roster-count">5<' in html and "2 / 3" in html
    assert f"<td>3</td><td>{everyone[2]}</td>" in html and f"<td>4</td><td>{everyone[3]}</td>" in html
    last = client.get("/province/roster/", {"page": 99})  # past the end: the last page
    assert [row.full_name for row in last.context["page"]] == everyone[4:]


def test_those_still_to_report_are_counted_in_full_and_named_in_part(client, people, admitted, monkeypatch):  # noqa: F811
    from admissions.views import roster as roster_views

    monkeypatch.setattr(roster_views, "BLOCKERS_SHOWN", 0)
    client.force_login(people["province"])
    page = client.get("/province/roster/").content.decode()
    assert 'data-testid="blocker-count">1<' in page and "还有1名录取学员" in page
    assert admitted.assessment.application.applicant.full_name not in page
    assert "仅列出前0名" in page
