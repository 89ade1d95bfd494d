"""What the bench scripts share: the database they run on (created, reused or dropped as the flags
say), Django set up against it, bulk inserts, and a timer that prints as it goes."""

import io
import os
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def add_database_arguments(parser, *, default_help):
    parser.add_argument("--database-url", help=default_help)
    parser.add_argument("--reuse-db", action="store_true", help="use an existing database as it is (topped up)")
    parser.add_argument("--recreate-db", action="store_true", help="drop an existing database first")
    parser.add_argument("--keep-db", action="store_true", help="do not drop/remove the database afterwards")


@dataclass
class Database:
    url: str
    label: str
    created: bool = False
    drop: object = None  # callable, or None to keep


def open_database(database_url, workdir, *, reuse=False, recreate=False, keep=False):
    """The database to use; creates it (and arranges to drop it unless `keep`) unless it exists and
    is to be reused. Without a URL, a new SQLite file in `workdir`. An existing database is refused
    unless `reuse` or `recreate`."""
    import dj_database_url

    if reuse and recreate:
        sys.exit("--reuse-db and --recreate-db exclude each other")
    url = database_url or f"sqlite:///{Path(workdir) / 'bench.sqlite3'}"
    config = dj_database_url.parse(url)
    engine = config["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        path = Path(config["NAME"])
        exists = path.exists()
        if exists and not (reuse or recreate):
            sys.exit(f"{path} exists: pass --reuse-db to use it or --recreate-db to start afresh")
        if exists and recreate:
            path.unlink()
        database = Database(url, f"SQLite {path}")
        if not (exists and reuse):
            database.created = True
            if not keep:
                database.drop = lambda: path.unlink(missing_ok=True)
        return database
    if "postgresql" not in engine:
        sys.exit(f"unsupported database: {engine}")
    import psycopg2
    from psycopg2 import sql

    name = config["NAME"]

    def admin(statement):
        connection = psycopg2.connect(
            dbname="postgres",
            user=config.get("USER") or None,
            password=config.get("PASSWORD") or None,
            host=config.get("HOST") or None,
            port=config.get("PORT") or None,
        )
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(statement)
                return cursor.fetchall() if cursor.description else None
        finally:
            connection.close()

    exists = bool(admin(sql.SQL("SELECT 1 FROM pg_database WHERE datname = {}").format(sql.Literal(name))))
    if exists and not (reuse or recreate):
        sys.exit(f"database {name} exists: pass --reuse-db to use it or --recreate-db to start afresh")
    if exists and recreate:
        admin(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
    database = Database(url, f"PostgreSQL {config.get('HOST') or 'localhost'}/{name}")
    if not (exists and reuse):
        admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        database.created = True
        if not keep:
            database.drop = lambda: admin(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
    return database


def close_and_drop(database):
    """Drop the database when it is to be dropped (closing Django's connections first), else say
    where it was kept."""
    if database is None:
        return
    if database.drop is not None:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: S110 - Django may not be set up yet
            pass
        database.drop()
    elif database.created:
        print(f"kept the database: {database.url}")


def setup_django(database_url, **environment):
    """Point Django at `database_url` (with the portal's settings, or DJANGO_SETTINGS_MODULE) and
    set it up. Once per process: Django's settings cannot be switched afterwards."""
    import django
    from django.conf import settings

    if settings.configured:
        from django.db import connection

        if connection.settings_dict["NAME"] != _database_name(database_url):
            raise RuntimeError("Django is already set up against another database")
        return
    os.environ.update(environment)
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    django.setup()


def _database_name(database_url):
    import dj_database_url

    return dj_database_url.parse(database_url)["NAME"]


def migrate():
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


# --- bulk inserts ------------------------------------------------------------------------------


def _copy_text(value):
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def insert_rows(model, objects, *, with_pk=False, batch_size=5000):
    """Insert unsaved `objects` of `model` as fast as the database allows: COPY on PostgreSQL,
    bulk_create elsewhere. With `with_pk`, the objects carry their primary keys (and on PostgreSQL
    the identity sequence is moved past them); otherwise the database numbers them and the objects
    do not learn their keys. Bypasses save() and signals, as bulk_create does."""
    from django.db import connection

    objects = list(objects)
    if not objects:
        return 0
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects, batch_size=batch_size)
        return len(objects)
    fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        for start in range(0, len(objects), 50_000):
            buffer = io.StringIO()
            for obj in objects[start : start + 50_000]:
                buffer.write(
                    "\t".join(_copy_text(f.get_db_prep_save(f.pre_save(obj, add=True), connection)) for f in fields)
                )
                buffer.write("\n")
            buffer.seek(0)
            cursor.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)
        if with_pk:
            pk = model._meta.pk.column
            cursor.execute(
                # Identifiers from the model's metadata, quoted; the values are parameters.
                f"SELECT setval(pg_get_serial_sequence(%s, %s), (SELECT max({connection.ops.quote_name(pk)}) "  # noqa: S608
                f"FROM {table}))",
                [model._meta.db_table, pk],
            )
    return len(objects)


def next_pk(model):
    from django.db.models import Max

    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


# --- timing ------------------------------------------------------------------------------------


class Timer:
    """Prints each step's seconds as it ends and keeps them, in order, for the summary."""

    def __init__(self, out=print):
        self.steps = {}
        self.out = out

    @contextmanager
    def step(self, name):
        began = time.perf_counter()
        yield
        seconds = time.perf_counter() - began
        self.steps[name] = self.steps.get(name, 0.0) + seconds
        if self.out is not None:
            self.out(f"  {name}: {seconds:.1f} s")

    @property
    def total(self):
        return sum(self.steps.values())


# --- applicants --------------------------------------------------------------------------------


def complete_profiles(applicants, *, year):
    """Give each applicant of the queryset `applicants`, in bulk, what `submit_choice` requires:
    `declares_fit`, a full-time clinical-medicine bachelor graduating in `year`, and the three
    documents (ID front/back, diploma) pointing at one small PDF in the private storage. What an
    applicant already has is left as it is."""
    import datetime

    from django.core.files.base import ContentFile

    from admissions.models import ApplicantDocument, DocumentKind, EducationRecord
    from policy.choices import DegreeLevel, MajorCategory
    from portal.pdf import blank_pdf
    from portal.uploads import private_storage

    applicants.filter(declares_fit=False).update(declares_fit=True)
    insert_rows(
        EducationRecord,
        (
            EducationRecord(
                applicant_id=pk,
                school="华中科技大学",
                major="临床医学",
                major_category=MajorCategory.CLINICAL,
                degree_level=DegreeLevel.BACHELOR,
                full_time=True,
                graduation_date=datetime.date(year, 6, 30),
            )
            for pk in applicants.filter(educations__isnull=True).values_list("pk", flat=True)
        ),
    )
    without_documents = list(applicants.filter(documents__isnull=True).values_list("pk", flat=True))
    if without_documents:
        pdf = blank_pdf()
        stored = private_storage.save("applicantdocument/bench.pdf", ContentFile(pdf))
        kinds = [DocumentKind.ID_FRONT, DocumentKind.ID_BACK, DocumentKind.DIPLOMA]
        insert_rows(
            ApplicantDocument,
            (
                ApplicantDocument(applicant_id=pk, kind=kind, file=stored, original_name="bench.pdf", size=len(pdf))
                for pk in without_documents
                for kind in kinds
            ),
        )


def shift_timetable(campaigns, *, anchor, on):
    """Move every date of each campaign's timetable by as much as it takes for the date field
    `anchor` to fall `on` that day: a bench never depends on the calendar."""
    from policy.models import TIMETABLE_FIELDS, Campaign

    for campaign in campaigns:
        shift = on - getattr(campaign, anchor)
        if shift:
            Campaign.objects.filter(pk=campaign.pk).update(
                **{name: getattr(campaign, name) + shift for name in TIMETABLE_FIELDS}
            )
