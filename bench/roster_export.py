#!/usr/bin/env python
"""The registration-roster exports (CSV and xlsx) of a national-size roster, against a raw
database dump of the same rows.

    .venv/bin/python bench/roster_export.py --database-url postgres://postgres@127.0.0.1:5432/portal_roster
    .venv/bin/python bench/roster_export.py --database-url postgres://…/portal_roster --reuse-db --repeat 3

Builds (bench/national.py) one province's season at stage "admitted" (every admitted resident
reported), tops the roster up with direct entries (professional masters, rural orders) to exactly
--rows residents, then runs each export in a child process of its own: the province office's
GET of roster.csv / roster.xlsx through Django's full middleware stack (test client), the body
written to a file as it arrives, and the ceiling, psycopg2's `COPY (SELECT the same columns, same
joins, same order) TO STDOUT` into a file. Prints per export: rows, seconds (wall and CPU), the
process's RSS before the export and its peak, and the ratios to the ceiling. See bench/README.md.
"""

import argparse
import datetime
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import setup_django  # noqa: E402 - needs the project root on the path when run as a script

KINDS = ("ceiling", "csv", "xlsx")
TARGET_SECONDS, TARGET_MB = 20, 500
ENTRY_PREFIX = "直录"  # full names of the direct entries the bench adds

# The ceiling: the rows of the roster straight from PostgreSQL, in the export's order, as CSV.
CEILING_SQL = """
COPY (
  SELECT p.full_name, p.sex, p.id_type, p.id_number, p.birth_date, p.applicant_type, b.name, s.name, {year},
         ap.round, a.reported_on, b.sort_order, s.code, p.id
  FROM admissions_admission a
  JOIN admissions_assessment asm ON asm.id = a.assessment_id
  JOIN admissions_application ap ON ap.id = asm.application_id
  JOIN admissions_applicant p ON p.id = ap.applicant_id
  JOIN bases_specialtybase sb ON sb.id = asm.specialty_base_id
  JOIN bases_trainingbase b ON b.id = sb.training_base_id
  JOIN bases_specialty s ON s.id = sb.specialty_id
  WHERE ap.campaign_id = {campaign} AND a.status = 'reported'
  ORDER BY b.sort_order, b.name COLLATE "C", s.code COLLATE "C", p.full_name COLLATE "C", p.id
) TO STDOUT WITH (FORMAT csv, HEADER)
"""
CEILING_ENTRIES_SQL = """
COPY (
  SELECT e.full_name, e.id_type, e.id_number, e.kind, b.name, s.name, {year}, b.sort_order, s.code, e.id
  FROM admissions_directentry e
  JOIN bases_quota q ON q.id = e.quota_id
  JOIN bases_specialtybase sb ON sb.id = q.specialty_base_id
  JOIN bases_trainingbase b ON b.id = sb.training_base_id
  JOIN bases_specialty s ON s.id = sb.specialty_id
  WHERE e.campaign_id = {campaign} AND e.status = 'active'
  ORDER BY b.sort_order, b.name COLLATE "C", s.code COLLATE "C", e.full_name COLLATE "C", e.id DESC
) TO STDOUT WITH (FORMAT csv)
"""


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="postgres://…/NAME (created unless --reuse-db)")
    parser.add_argument("--rows", type=int, default=100_000, help="residents on the roster")
    parser.add_argument(
        "--applicants",
        type=int,
        default=120_000,
        help="applicants of the national season (about 60 %% end up admitted; direct entries make up the rest)",
    )
    parser.add_argument("--training-bases", type=int, default=1_000)
    parser.add_argument("--specialty-bases", type=int, default=10_000)
    parser.add_argument("--reuse-db", action="store_true", help="use the database a previous run kept (same sizes)")
    parser.add_argument("--recreate-db", action="store_true", help="drop an existing database first")
    parser.add_argument("--keep-db", action="store_true", help="keep the database for --reuse-db")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each export (each in a new process)")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds before an export counts as failed")
    parser.add_argument("--child", choices=KINDS, help=argparse.SUPPRESS)
    parser.add_argument("--campaign", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--username", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.reuse_db and args.recreate_db:
        parser.error("--reuse-db and --recreate-db exclude each other")
    if "postgres" not in args.database_url.split(":", 1)[0]:
        parser.error("--database-url must be a PostgreSQL database (the ceiling is its COPY)")
    return args


def django_environment(workdir):
    return {
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
        "VAR_DIR": str(Path(workdir) / "var"),
        "MEDIA_ROOT": str(Path(workdir) / "media"),
        "PRIVATE_MEDIA_ROOT": str(Path(workdir) / "private"),
    }


# --- data --------------------------------------------------------------------------------------


def prepare(args, workdir):
    """The national season of one province at stage "admitted" and enough direct entries for a
    roster of exactly `args.rows`. Returns (database, campaign id, provincial-office username)."""
    os.environ.update(django_environment(workdir))
    from bench.national import PROVINCE_OFFICE_PREFIX, build

    season = build(
        args.database_url,
        applicants=args.applicants,
        training_bases=args.training_bases,
        specialty_bases=args.specialty_bases,
        provinces=1,
        stage="admitted",
        existing="reuse" if args.reuse_db else "recreate" if args.recreate_db else "refuse",
        keep=args.keep_db,
    )
    from policy.models import Campaign

    (campaign_id,) = season.campaign_ids
    campaign = Campaign.objects.select_related("province").get(pk=campaign_id)
    username = f"{PROVINCE_OFFICE_PREFIX}{campaign.province.code}"
    reported, entries = top_up_entries(campaign, rows=args.rows, username=username)
    print(f"roster of {campaign}: {reported} reported admissions + {entries} direct entries = {reported + entries}")
    return season.database, campaign_id, username


def top_up_entries(campaign, *, rows, username):
    """Direct entries, spread over the campaign's quotas, until the roster has `rows` residents."""
    from admissions.models import Admission, AdmissionStatus, DirectEntry, EntryStatus
    from bases.models import Quota
    from bench.common import insert_rows
    from policy.choices import ApplicantType
    from policy.identity import make_resident_id
    from portal.models import User

    reported = Admission.objects.filter(
        assessment__application__campaign=campaign, status=AdmissionStatus.REPORTED
    ).count()
    entries = DirectEntry.objects.filter(campaign=campaign, status=EntryStatus.ACTIVE)
    missing = rows - reported - entries.count()
    if missing < 0:
        sys.exit(
            f"{reported} reported admissions and {entries.count()} entries exceed --rows {rows}: use fewer applicants"
        )
    if missing:
        quotas = list(Quota.objects.filter(campaign=campaign).order_by("pk").values_list("pk", flat=True))
        entered_by = User.objects.get(username=username)
        kinds = [ApplicantType.PROFESSIONAL_MASTER, ApplicantType.RURAL_ORDER]
        first = entries.count()
        insert_rows(
            DirectEntry,
            (
                DirectEntry(
                    quota_id=quotas[number % len(quotas)],
                    campaign=campaign,
                    kind=kinds[number % 2],
                    full_name=f"{ENTRY_PREFIX}{number:06d}",
                    # Born 1998 onwards, a day per thousand: no two share an ID number.
                    id_number=make_resident_id(
                        "420102", datetime.date(1998, 1, 1) + datetime.timedelta(days=number // 1000), number % 1000
                    ),
                    school="湖北医药学院",
                    entered_by=entered_by,
                )
                for number in range(first, first + missing)
            ),
        )
    return reported, rows - reported


# --- one export (child process) ----------------------------------------------------------------


def memory_mb(field):
    """VmRSS (resident set now) or VmHWM (its peak) of this process, from /proc (Linux). Not
    getrusage's ru_maxrss: that counts the parent's resident set, which the child had between
    fork and exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def child(args):
    """One export into `args.out`; prints its figures as JSON on the last line."""
    if args.child == "ceiling":
        import psycopg2

        connection = psycopg2.connect(args.database_url)
        with connection.cursor() as cursor:
            cursor.execute("SELECT year FROM policy_campaign WHERE id = %s", [args.campaign])
            (year,) = cursor.fetchone()
        before = memory_mb("VmRSS")
        wall, cpu = time.perf_counter(), time.process_time()
        with open(args.out, "w", encoding="utf-8") as file, connection.cursor() as cursor:
            values = {"year": int(year), "campaign": int(args.campaign)}
            cursor.copy_expert(CEILING_SQL.format(**values), file)
            cursor.copy_expert(CEILING_ENTRIES_SQL.format(**values), file)
        connection.close()
    else:
        setup_django(args.database_url, **django_environment(Path(args.out).parent))
        from django.test import Client

        from portal.models import User

        client = Client()
        client.force_login(User.objects.get(username=args.username))
        before = memory_mb("VmRSS")
        wall, cpu = time.perf_counter(), time.process_time()
        response = client.get(f"/province/roster/roster.{args.child}", {"campaign": args.campaign})
        if response.status_code != 200:
            sys.exit(f"HTTP {response.status_code}")
        with open(args.out, "wb") as file:
            for chunk in response.streaming_content if response.streaming else [response.content]:
                file.write(chunk)
        response.close()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = memory_mb("VmHWM")
    print(json.dumps({"seconds": wall, "cpu": cpu, "before_mb": before, "peak_mb": peak}))
    return 0


def run_child(args, kind, campaign_id, username, out):
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--database-url",
        args.database_url,
        "--child",
        kind,
        "--campaign",
        str(campaign_id),
        "--username",
        username,
        "--out",
        str(out),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=args.timeout, cwd=ROOT, check=False)
    if done.returncode != 0:
        sys.exit(f"{kind} export failed ({done.returncode}):\n{done.stderr[-3000:]}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures["rows"] = count_rows(kind, out)
    figures["file_mb"] = out.stat().st_size / 2**20
    return figures


def count_rows(kind, path):
    """Data rows in an export file (its header not counted)."""
    if kind == "xlsx":
        rows, tail, pattern = 0, b"", re.compile(rb"<row[ >]")
        with zipfile.ZipFile(path) as archive, archive.open("xl/worksheets/sheet1.xml") as sheet:
            while chunk := sheet.read(1 << 20):
                rows += len(pattern.findall(tail + chunk))  # a match is longer than the tail kept
                tail = chunk[-4:]
        return rows - 1
    import csv

    with open(path, encoding="utf-8-sig", newline="") as file:
        return sum(1 for _row in csv.reader(file)) - 1


# --- report ------------------------------------------------------------------------------------


def report(results):
    header = (
        f"{'export':<8} {'rows':>7} {'seconds':>8} {'CPU s':>7} {'RSS before MB':>13} {'peak MB':>8} "
        f"{'file MB':>8} {'s/ceiling':>9} {'MB/ceiling':>10}  targets (<{TARGET_SECONDS} s, <{TARGET_MB} MB)"
    )
    print(header)
    print("-" * len(header))
    ceilings = results["ceiling"]
    for kind in KINDS:
        for run, figures in enumerate(results[kind]):
            ceiling = ceilings[min(run, len(ceilings) - 1)]
            verdict = ""
            if kind != "ceiling":
                time_ok = figures["seconds"] < TARGET_SECONDS
                memory_ok = figures["peak_mb"] < TARGET_MB
                verdict = f"  time {'met' if time_ok else 'MISSED'}, memory {'met' if memory_ok else 'MISSED'}"
            print(
                f"{kind:<8} {figures['rows']:>7} {figures['seconds']:>8.1f} {figures['cpu']:>7.1f} "
                f"{figures['before_mb']:>13.0f} {figures['peak_mb']:>8.0f} {figures['file_mb']:>8.1f} "
                f"{figures['seconds'] / ceiling['seconds']:>9.1f} {figures['peak_mb'] / ceiling['peak_mb']:>10.1f}"
                + verdict
            )


def main(argv=None):
    args = parse_args(argv)
    if args.child:
        return child(args)
    workdir = Path(tempfile.mkdtemp(prefix="roster-bench-"))
    database = None
    try:
        database, campaign_id, username = prepare(args, workdir)
        from django.db import connections

        connections.close_all()
        results = {kind: [] for kind in KINDS}
        for run in range(args.repeat):
            for kind in KINDS:
                figures = run_child(args, kind, campaign_id, username, workdir / f"roster-{run}.{kind}")
                results[kind].append(figures)
                if figures["rows"] != args.rows:
                    sys.exit(f"{kind} wrote {figures['rows']} rows, expected {args.rows}")
                print(
                    f"  run {run + 1} {kind}: {figures['seconds']:.1f} s, peak {figures['peak_mb']:.0f} MB",
                    flush=True,
                )
        load = os.getloadavg()
        print(f"\n{os.cpu_count()} cores, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} at the end")
        print("each export in a new process; RSS before = after Django's setup and sign-in, just before the export\n")
        report(results)
        return 0
    finally:
        if database is not None and database.drop is not None:
            from django.db import connections

            connections.close_all()
            database.drop()
        elif database is not None:
            print(f"kept the database: {database.url} (run again with --reuse-db)")
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
