import contextlib
import datetime
import logging

from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from admissions.demo.people import DEMO_PASSWORD, complete_demo_applicant
from admissions.demo.season import Cast, replay_season
from bases.demo.data import PHASE_DAYS
from bases.demo.loading import load_province, phase_shift, shift_of
from bases.models import SpecialtyBase, TrainingBase
from policy.models import Campaign
from policy.timetable import Phase, local_date, phase_at
from portal import sms
from portal.audit import record_event
from portal.models import Role, User

PROVINCE_CODE = "420000"


class Command(BaseCommand):
    help = (
        "Load Hubei's 37 training bases, the specialty catalogue, a campaign whose dates put today in the "
        "chosen phase, the season's history up to today, and one demo user per role."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--phase",
            choices=list(PHASE_DAYS),
            help="the phase today should fall in (default: wherever today falls on the notice's timetable)",
        )
        parser.add_argument("--year", type=int, default=None, help="campaign year (default: this year)")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="empty the database first when it holds the demo in another phase (development only)",
        )

    def handle(self, *args, phase=None, year=None, reset=False, **options):
        today = local_date()
        year = year or today.year
        campaign = Campaign.objects.filter(province__code=PROVINCE_CODE, year=year).first()
        if phase and campaign and phase_at(campaign) != PHASE_DAYS[phase][1]:
            if not reset:
                raise CommandError(
                    f"数据库中的演示招录今天处于“{Phase(phase_at(campaign)).label}”阶段，不是 {phase}；"
                    "加 --reset 清空后重新加载，或换一个数据库。"
                )
            if not settings.DEBUG:
                raise CommandError("--reset 会清空数据库，只能在开发环境（DEBUG）中使用。")
            call_command("flush", interactive=False, verbosity=0)
            campaign = None
        if campaign:
            shift = shift_of(campaign)  # the loaded season keeps its dates: its history was built on them
        else:
            shift = phase_shift(phase=phase, today=today) if phase else datetime.timedelta(0)
        with quiet_notifications() as sent:
            province, campaign = load_province(year=year, shift=shift)
            users = load_users(province)
            cast = Cast(
                campaign=campaign,
                office=users["xiehe-office"],
                staff=users["xiehe-internal"],
                applicant=users["applicant-demo"],
                round2_applicant=users["applicant-round2"],
            )
            ran = replay_season(cast=cast)
        self.stdout.write(
            f"{campaign.title}：{TrainingBase.objects.filter(province=province).count()} 家住培基地；"
            f"今天 {today:%Y-%m-%d} 处于“{Phase(phase_at(campaign)).label}”阶段"
            f"（第一批次 {campaign.round1_opens:%m-%d} 至 {campaign.round1_closes:%m-%d}）。"
        )
        self.stdout.write(
            f"本次补上的招录经历：{len(ran)} 步；通知 {sent['mail']} 封邮件、{sent['sms']} 条短信（演示数据，未发送）。"
        )
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, user in users.items():
            self.stdout.write(f"  {username:18} {user.get_role_display()}")


@contextlib.contextmanager
def quiet_notifications():
    """Mail and SMS the replayed season sends stay in memory; only their numbers are reported."""
    counts = {"mail": 0, "sms": 0}
    with override_settings(
        MAILERS={"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}},
        SMS_BACKEND="portal.sms.LocMemBackend",
    ):
        previous_outbox = getattr(mail, "outbox", None)  # the test runner's, when a test loads the demo
        mail.outbox = []
        sms_before = len(sms.outbox)
        logging.disable(logging.WARNING)
        try:
            yield counts
        finally:
            logging.disable(logging.NOTSET)
            counts["mail"] = len(mail.outbox)
            counts["sms"] = len(sms.outbox) - sms_before
            del sms.outbox[sms_before:]
            if previous_outbox is None:
                del mail.outbox
            else:
                mail.outbox = previous_outbox


@transaction.atomic
def load_users(province):
    xiehe = TrainingBase.objects.get(province=province, sort_order=1)
    internal = SpecialtyBase.objects.get(training_base=xiehe, specialty__code="0100")
    users = [
        ("admin", {"role": Role.PROVINCIAL_OFFICE, "province": province, "is_staff": True, "is_superuser": True}),
        ("hubei-office", {"role": Role.PROVINCIAL_OFFICE, "province": province}),
        ("xiehe-office", {"role": Role.BASE_OFFICE, "province": province, "training_base": xiehe}),
        # A second person of the office, who confirms the lists and score imports the first prepares.
        ("xiehe-office-2", {"role": Role.BASE_OFFICE, "province": province, "training_base": xiehe}),
        (
            "xiehe-internal",
            {
                "role": Role.SPECIALTY_BASE_STAFF,
                "province": province,
                "training_base": xiehe,
                "specialty_base": internal,
            },
        ),
        ("employer-demo", {"role": Role.EMPLOYER, "province": province, "organization": "武汉市江岸区人民医院"}),
        ("applicant-demo", {"role": Role.APPLICANT}),
        ("applicant-round2", {"role": Role.APPLICANT}),
    ]
    loaded = {}
    for username, fields in users:
        user, created = User.objects.get_or_create(username=username, defaults=fields)
        if created:
            user.set_password(DEMO_PASSWORD)
            user.email = f"{username}@example.com"
            user.save()
            record_event(actor=None, action="user.create", obj=user, after={"role": user.role}, reason="demo data")
        loaded[username] = user
    complete_demo_applicant(loaded["applicant-demo"])
    complete_demo_applicant(loaded["applicant-round2"], full_name="周婷", number=358, mobile="13871234568")
    return loaded
