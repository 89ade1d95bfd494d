from django.core.management.base import BaseCommand
from django.db import transaction

from admissions.demo import DEMO_PASSWORD, complete_demo_applicant, load_demo_season
from bases.demo.loading import load_brochures, load_province
from bases.models import SpecialtyBase, TrainingBase
from policy.timetable import local_date
from portal.audit import record_event
from portal.models import Role, User


class Command(BaseCommand):
    help = "Load Hubei's 37 training bases, the specialty catalogue, a campaign and one demo user per role."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None, help="campaign year (default: this year)")

    @transaction.atomic
    def handle(self, *args, year=None, **options):
        province, campaign = load_province(year=year or local_date().year)
        xiehe = TrainingBase.objects.get(province=province, sort_order=1)
        internal = SpecialtyBase.objects.get(training_base=xiehe, specialty__code="0100")
        users = [
            ("admin", {"role": Role.PROVINCIAL_OFFICE, "province": province, "is_staff": True, "is_superuser": True}),
            ("hubei-office", {"role": Role.PROVINCIAL_OFFICE, "province": province}),
            ("xiehe-office", {"role": Role.BASE_OFFICE, "province": province, "training_base": xiehe}),
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
        ]
        self.stdout.write(f"{campaign.title}: {TrainingBase.objects.filter(province=province).count()} 家住培基地")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, fields in users:
            user, created = User.objects.get_or_create(username=username, defaults=fields)
            if created:
                user.set_password(DEMO_PASSWORD)
                user.email = f"{username}@example.com"
                user.save()
                record_event(actor=None, action="user.create", obj=user, after={"role": user.role}, reason="demo data")
            self.stdout.write(f"  {username:16} {user.get_role_display()}")
        load_brochures(campaign=campaign, actor=User.objects.get(username="admin"))
        complete_demo_applicant(User.objects.get(username="applicant-demo"))
        season = load_demo_season(
            campaign=campaign,
            office=User.objects.get(username="xiehe-office"),
            staff=User.objects.get(username="xiehe-internal"),
        )
        self.stdout.write(f"Round-1 demo season at {internal}: {season}")
