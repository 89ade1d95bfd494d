import os

from django.core.management.base import BaseCommand

from admissions.demo.people import generate_applicants


class Command(BaseCommand):
    help = "Create N synthetic applicants (synthetic-000001 …) with valid resident-ID numbers, for load tests."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--password", default=os.environ.get("DEMO_PASSWORD", "Zhupei-demo-2026"))

    def handle(self, *args, count, password, **options):
        created = generate_applicants(count=count, password=password)
        self.stdout.write(f"{created} synthetic applicants created ({count} requested).")
