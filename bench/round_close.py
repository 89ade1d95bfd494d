#!/usr/bin/env python
"""Round close at national size against its ceiling in the same run.

    .venv/bin/python bench/national.py --database-url postgres://postgres@127.0.0.1:5432/portal_national
    .venv/bin/python bench/round_close.py --database-url postgres://postgres@127.0.0.1:5432/portal_national --reuse-db

On the national season at stage "scored" (bench/national.py; built here first unless --reuse-db),
three timed runs, each starting from the same data:

- ceiling: the same ranking, proposals and publicity lists as minimal raw SQL — a window function
  ranks every specialty base's qualified candidates, one UPDATE proposes those within the quota's
  places left, one INSERT…SELECT opens a list per training base and one fills it — in a
  transaction that is rolled back;
- app: every training base's office closes round 1 in turn through the services
  (`admissions.services.round_close.close_round`: rank, quota check under the quota's row lock,
  proposals with an audit event and a notification each, `publish_list`), committed;
- one by one (a sample): the same through `decide_admission` per candidate and `publish_list`, to
  show what the per-candidate path would cost at this size.

Prints seconds and queries for each, the ratio ceiling/app and the verdict against the target;
checks the app proposed exactly the candidates the ceiling did. The data are reset to "scored"
before and after (`bench.national.reset_to_scored`), so runs repeat. Exit status 1 when the app's
proposals differ from the ceiling's or it is slower than --target seconds.
"""

import argparse
import cProfile
import hashlib
import io
import json
import multiprocessing
import pstats
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import close_and_drop  # noqa: E402 - needs the project root on the path when run as a script
from bench.national import PROVINCES, TITLE_MARK, build, close_all_rounds, reset_to_scored  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="postgres://…/NAME with the national season")
    parser.add_argument("--reuse-db", action="store_true", help="use the season already in NAME (same sizes)")
    parser.add_argument("--recreate-db", action="store_true", help="drop NAME first and build the season")
    parser.add_argument("--keep-db", action="store_true", help="keep a season this run built")
    parser.add_argument("--applicants", type=int, default=100_000)
    parser.add_argument("--training-bases", type=int, default=1_000)
    parser.add_argument("--specialty-bases", type=int, default=10_000)
    parser.add_argument("--provinces", type=int, default=len(PROVINCES))
    parser.add_argument("--target", type=float, default=30.0, help="seconds the app's close must stay under")
    parser.add_argument(
        "--workers",
        default="1",
        help="comma-separated numbers of processes the offices' closes are shared over, one run each",
    )
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="TOP",
        help="also run the 1-process close under cProfile and print its TOP functions (0: skip)",
    )
    parser.add_argument(
        "--one-by-one",
        type=int,
        default=500,
        help="decisions to time through decide_admission, per candidate (0: skip)",
    )
    args = parser.parse_args(argv)
    if args.reuse_db and args.recreate_db:
        parser.error("--reuse-db and --recreate-db exclude each other")
    args.workers = [int(w) for w in args.workers.split(",") if w.strip()]
    if not args.workers or min(args.workers) < 1:
        parser.error("--workers needs positive numbers")
    return args


@contextmanager
def counting_queries():
    """Counts the statements Django sends (the ceiling's included): {"queries": n}."""
    from django.db import connection

    counter = {"queries": 0}

    def count(execute, sql, params, many, context):
        counter["queries"] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        yield counter


# --- the ceiling -------------------------------------------------------------------------------

# Rank each specialty base's qualified candidates (policy.rules.scoring: composite under the quota's
# latest scoring formula rounded half up to one decimal, then exam and interview in the formula's
# tie-break order, time of choice), propose those within the quota's places left, open
# one list per training base and fill it: one statement, its data-modifying parts feeding each other
# (re-reading the assessments would meet statistics that predate the UPDATE). Proposals made before
# the close and not yet published are not listed here: the "scored" stage has none.
CEILING_SQL = """
WITH held AS (
    SELECT h.specialty_base_id, ha.campaign_id, count(*) AS n
    FROM admissions_assessment h JOIN admissions_application ha ON ha.id = h.application_id
    WHERE h.stage IN ('proposed', 'admitted') GROUP BY 1, 2
),
entries AS (
    SELECT quota_id, count(*) AS n FROM admissions_directentry WHERE status = 'active' GROUP BY 1
),
quota AS MATERIALIZED (
    SELECT q.specialty_base_id, q.campaign_id, s.training_base_id, tb.province_id,
           f.interview_weight, f.exam_weight, f.tie_break = 'interview_first' AS interview_first,
           q.places - coalesce(e.n, 0) - coalesce(h.n, 0) AS places_left,
           (SELECT min(u.id) FROM portal_user u
            WHERE u.training_base_id = s.training_base_id AND u.role = 'base_office') AS office_id
    FROM bases_quota q
    JOIN LATERAL (SELECT * FROM bases_scoringformula WHERE quota_id = q.id ORDER BY version DESC LIMIT 1) f ON true
    JOIN bases_specialtybase s ON s.id = q.specialty_base_id
    JOIN bases_trainingbase tb ON tb.id = s.training_base_id
    LEFT JOIN entries e ON e.quota_id = q.id
    LEFT JOIN held h ON h.specialty_base_id = q.specialty_base_id AND h.campaign_id = q.campaign_id
    WHERE q.campaign_id = ANY(%(campaigns)s)
),
ranked AS (
    SELECT a.id, t.places_left, t.office_id, t.campaign_id, t.training_base_id, t.province_id, ap.user_id,
           row_number() OVER (
               PARTITION BY a.specialty_base_id
               ORDER BY round((a.interview_score * t.interview_weight + a.exam_score * t.exam_weight)
                              / (t.interview_weight + t.exam_weight), 1) DESC,
                        CASE WHEN t.interview_first THEN a.interview_score ELSE a.exam_score END DESC,
                        CASE WHEN t.interview_first THEN a.exam_score ELSE a.interview_score END DESC,
                        CASE WHEN a.is_adjustment THEN coalesce(a.adjustment_consent_at, p.submitted_at)
                             ELSE p.submitted_at END
           ) AS position
    FROM admissions_assessment a
    JOIN admissions_application p ON p.id = a.application_id
    JOIN admissions_applicant ap ON ap.id = p.applicant_id
    JOIN quota t ON t.specialty_base_id = a.specialty_base_id AND t.campaign_id = p.campaign_id
    WHERE a.stage = 'qualified' AND p.round = 1 AND (a.is_adjustment OR p.status = 'active')
      AND a.interview_score IS NOT NULL AND a.exam_score IS NOT NULL
),
proposed AS (
    UPDATE admissions_assessment a
    SET stage = 'proposed', decided_at = now(), decided_by_id = r.office_id
    FROM ranked r WHERE a.id = r.id AND r.position <= r.places_left
    RETURNING a.id, r.campaign_id, r.training_base_id, r.province_id, r.office_id, r.user_id
),
lists AS (
    INSERT INTO admissions_publicitylist
        (campaign_id, training_base_id, round, kind, published_at, last_day, published_by_id, note)
    SELECT campaign_id, training_base_id, 1, 'proposed', now(), %(last_day)s, min(office_id), ''
    FROM proposed GROUP BY campaign_id, training_base_id
    RETURNING id, campaign_id, training_base_id, published_by_id
),
listed AS (
    INSERT INTO admissions_publicityentry (publicity_list_id, assessment_id)
    SELECT l.id, p.id FROM proposed p
    JOIN lists l ON l.campaign_id = p.campaign_id AND l.training_base_id = p.training_base_id
    RETURNING 1
)"""

# The rows the app writes besides: an audit event per proposal and per list, two notifications
# per proposal (the decision, the publicity) and their e-mail and SMS copies (receipts).
SAME_ROWS_SQL = """,
audited AS (
    INSERT INTO portal_auditevent (occurred_at, actor_id, actor_label, action, content_type_id, object_id,
                                   object_repr, province_id, training_base_id, before, after, reason)
    SELECT now(), office_id, 'office', 'assessment.decision', %(assessment_type)s, id::text, '', province_id,
           training_base_id, '{"stage": "qualified"}'::jsonb, '{"stage": "proposed"}'::jsonb, ''
    FROM proposed
    UNION ALL
    SELECT now(), published_by_id, 'office', 'publicity.proposed', %(list_type)s, id::text, '', NULL,
           training_base_id, NULL, '{}'::jsonb, ''
    FROM lists
    RETURNING 1
),
notified AS (
    INSERT INTO portal_notification (recipient_id, kind, subject, body, created_at)
    SELECT p.user_id, k.kind, k.subject, '', now()
    FROM proposed p CROSS JOIN (VALUES ('assessment.scores', '考核结果：拟录取'),
                                       ('publicity.started', '您已列入拟录取名单公示')) AS k (kind, subject)
    RETURNING id, recipient_id
),
copies AS (
    INSERT INTO portal_delivery (notification_id, channel, status, attempts, last_error, address,
                                 provider_message_id, queued_at)
    SELECT n.id, 'email', 'queued', 0, '', '', '', now()
    FROM notified n JOIN portal_user u ON u.id = n.recipient_id WHERE u.email <> ''
    UNION ALL
    SELECT n.id, 'sms', 'queued', 0, '', '', '', now()
    FROM notified n JOIN admissions_applicant a ON a.user_id = n.recipient_id WHERE a.mobile <> ''
    RETURNING 1
)"""

CEILING_SELECT = """
SELECT p.id, (SELECT count(*) FROM lists), (SELECT count(*) FROM listed) FROM proposed p
"""


def run_ceiling(campaign_ids, *, same_rows=False):
    """(seconds, queries, proposed assessment ids, lists, entries) of the raw-SQL close, rolled back;
    with `same_rows`, writing the app's audit events and notifications too."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

    from admissions.models import Assessment, PublicityList
    from policy.calendar import publicity_last_day
    from policy.models import Campaign
    from policy.timetable import local_date

    working_days = {c.publicity_working_days for c in Campaign.objects.filter(pk__in=campaign_ids)}
    if len(working_days) != 1:
        sys.exit("the ceiling assumes one publicity period for every campaign")
    params = {
        "campaigns": list(campaign_ids),
        "last_day": publicity_last_day(local_date(), working_days.pop()),
        "assessment_type": ContentType.objects.get_for_model(Assessment).pk,
        "list_type": ContentType.objects.get_for_model(PublicityList).pk,
    }
    statement = CEILING_SQL + (SAME_ROWS_SQL if same_rows else "") + CEILING_SELECT
    with counting_queries() as counter:
        began = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, params)
            rows = cursor.fetchall()
            proposed = {row[0] for row in rows}
            lists, entries = rows[0][1:] if rows else (0, 0)
            seconds = time.perf_counter() - began  # the rollback is not part of the work
            transaction.set_rollback(True)
    return seconds, counter["queries"], proposed, lists, entries


# --- the app -----------------------------------------------------------------------------------


def _close_share(training_base_ids):
    """In a worker process: close round 1 at these training bases; returns the queries sent."""
    from django.db import connections

    with counting_queries() as counter:
        close_all_rounds(training_base_ids=training_base_ids)
    connections.close_all()
    return counter["queries"]


def run_app(workers):
    """(seconds, queries, proposed assessment ids, lists) of every office's close_round, committed;
    the training bases shared out over `workers` processes, as offices close at the same time."""
    from django.db import connections

    from admissions.models import Assessment, PublicityList, Stage
    from bases.models import TrainingBase

    ids = list(TrainingBase.objects.order_by("pk").values_list("pk", flat=True))
    connections.close_all()  # nothing of this connection goes into the worker processes
    began = time.perf_counter()
    if workers == 1:
        queries = _close_share(ids)
    else:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            queries = sum(pool.map(_close_share, [ids[i::workers] for i in range(workers)]))
    seconds = time.perf_counter() - began
    proposed = set(Assessment.objects.filter(stage=Stage.PROPOSED).values_list("pk", flat=True))
    return seconds, queries, proposed, PublicityList.objects.count()


def written_rows_digest():
    """A digest of what a close wrote besides the proposals: every audit event of a decision or a
    list, every notification and its copies, by what they say (not by id or time), so two runs of
    different code can be compared."""
    from admissions.models import PublicityEntry
    from portal.models import AuditEvent, Delivery, Notification

    digest = hashlib.sha256()
    events = AuditEvent.objects.filter(action__regex=r"^(assessment|publicity)\.").values_list(
        "actor_id",
        "actor_label",
        "action",
        "content_type_id",
        "object_id",
        "object_repr",
        "province_id",
        "training_base_id",
        "before",
        "after",
        "reason",
    )
    notes = Notification.objects.exclude(kind="bench.earlier").values_list(
        "recipient_id", "kind", "subject", "body", "dedupe_key"
    )
    copies = Delivery.objects.exclude(notification__kind="bench.earlier").values_list(
        "notification__recipient_id", "notification__kind", "channel", "status"
    )
    entries = PublicityEntry.objects.values_list("assessment_id", "publicity_list__training_base_id")
    # A list's event names the list by its id, which the sequence moves on from run to run.
    events = ((*row[:4], "" if row[2].startswith("publicity.") else row[4], *row[5:]) for row in events)
    for rows in (events, notes, copies, entries):
        for row in sorted(json.dumps(row, sort_keys=True, default=str) for row in rows):
            digest.update(row.encode())
        digest.update(b"|")
    return digest.hexdigest()[:16]


def run_profiled(top):
    """The 1-process close of every base under cProfile: (seconds, the top functions by internal and
    by cumulative time, as pstats prints them)."""
    from django.db import connections

    from bases.models import TrainingBase

    ids = list(TrainingBase.objects.order_by("pk").values_list("pk", flat=True))
    connections.close_all()
    profile = cProfile.Profile()
    began = time.perf_counter()
    profile.enable()
    _close_share(ids)
    profile.disable()
    seconds = time.perf_counter() - began
    report = []
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out)
        stats.strip_dirs().sort_stats(order).print_stats(top)
        lines = out.getvalue().splitlines()
        start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
        report.append(f"by {order}:\n" + "\n".join(line for line in lines[start:] if line.strip()))
    return seconds, "\n\n".join(report)


def run_one_by_one(limit):
    """(seconds, queries, decisions, lists) of closing bases through `decide_admission`, candidate by
    candidate in rank order up to the quota, and `publish_list`, until `limit` decisions are made."""
    from admissions.models import Stage
    from admissions.selectors.rounds import candidate_sheet
    from admissions.services.assessments import decide_admission
    from admissions.services.publicity import publish_list
    from bases.models import Quota
    from policy.models import Campaign
    from portal.models import Role, User

    campaigns = {c.province_id: c for c in Campaign.objects.filter(title__endswith=TITLE_MARK)}
    offices = User.objects.filter(role=Role.BASE_OFFICE).select_related("training_base").order_by("pk")
    decisions = lists = 0
    with counting_queries() as counter:
        began = time.perf_counter()
        for office in offices:
            base, campaign = office.training_base, campaigns[office.province_id]
            quotas = Quota.objects.filter(campaign=campaign, specialty_base__training_base=base).select_related(
                "specialty_base__training_base", "specialty_base__specialty"
            )
            for quota in quotas.order_by("pk"):
                sheet = candidate_sheet(campaign=campaign, specialty_base=quota.specialty_base, round_number=1)
                left = sheet.places - sheet.taken
                for candidate in sheet.ranking:
                    if left <= 0:
                        break
                    if candidate.stage == Stage.QUALIFIED:
                        decide_admission(actor=office, assessment=candidate.assessment, admit=True)
                        decisions += 1
                        left -= 1
            publish_list(actor=office, campaign=campaign, training_base=base, round_number=1)
            lists += 1
            if decisions >= limit:
                break
        seconds = time.perf_counter() - began
    return seconds, counter["queries"], decisions, lists


# --- main --------------------------------------------------------------------------------------


def add_earlier_messages():
    """The in-site messages a season has before its round close, one per applicant (what a choice's
    receipt would be), which `reset_to_scored` deletes with the close's own. Without them every
    close starts on an empty message table, and PostgreSQL plans the checks of the copies' foreign
    key to it (kept for the connection's life) as scans of a table that then grows to 120,000 rows:
    a cost no real close meets, since every choice and score has sent a message before it."""
    from django.db import connection, transaction

    from admissions.models import Applicant
    from portal.models import Notification

    notifications, applicants = Notification._meta.db_table, Applicant._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {notifications} (recipient_id, kind, subject, body, created_at) "  # noqa: S608 - table names from the models
            f"SELECT user_id, 'bench.earlier', '', '', now() - interval '10 days' FROM {applicants}"
        )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {notifications}")


def timed_reset():
    began = time.perf_counter()
    reset_to_scored()
    add_earlier_messages()
    return time.perf_counter() - began


def main(argv=None):
    args = parse_args(argv)
    season = build(
        args.database_url,
        applicants=args.applicants,
        training_bases=args.training_bases,
        specialty_bases=args.specialty_bases,
        provinces=args.provinces,
        stage="scored",
        existing="reuse" if args.reuse_db else "recreate" if args.recreate_db else "refuse",
        keep=args.keep_db or args.reuse_db,
    )
    failed = False
    try:
        from django.db import connection

        from admissions.models import Assessment
        from portal.models import AuditEvent, Notification

        print(f"reset to scored: {timed_reset():.1f} s")
        candidates = Assessment.objects.count()
        print(
            f"{season.database.label}: {candidates} scored candidates, {args.training_bases} training bases, "
            f"{args.specialty_bases} specialty bases, {len(season.campaign_ids)} campaigns; "
            f"PostgreSQL {connection.pg_version // 10000}, tasks to an in-memory queue\n"
        )

        ceiling_s, ceiling_q, ceiling_ids, ceiling_lists, ceiling_entries = run_ceiling(season.campaign_ids)
        print(
            f"ceiling (raw SQL, rolled back): {ceiling_s:.2f} s, {ceiling_q} query, {len(ceiling_ids)} proposed, "
            f"{ceiling_lists} lists, {ceiling_entries} entries"
        )
        rows_s = run_ceiling(season.campaign_ids, same_rows=True)[0]
        print(f"ceiling writing the app's audit events and notifications too: {rows_s:.2f} s, 1 query")

        results = {}
        for workers in args.workers:
            events_before, notes_before = AuditEvent.objects.count(), Notification.objects.count()
            app_s, app_q, app_ids, app_lists = run_app(workers)
            events = AuditEvent.objects.count() - events_before
            notes = Notification.objects.count() - notes_before
            results[workers] = (app_s, app_q)
            print(
                f"app (close_round per training base, {workers} process{'es' if workers > 1 else ''}): "
                f"{app_s:.2f} s, {app_q} queries, {len(app_ids)} proposed, {app_lists} lists, "
                f"{events} audit events, {notes} notifications"
            )
            same = app_ids == ceiling_ids
            print(f"  same proposals as the ceiling: {'yes' if same else 'NO'}")
            print(f"  digest of the audit events, notifications, copies and entries: {written_rows_digest()}")
            if not same:
                failed = True
                print(f"  only app: {len(app_ids - ceiling_ids)}, only ceiling: {len(ceiling_ids - app_ids)}")
            print(f"  reset to scored: {timed_reset():.1f} s")

        if args.profile:
            profiled_s, report = run_profiled(args.profile)
            print(f"app, 1 process, under cProfile: {profiled_s:.1f} s\n{report}")
            print(f"reset to scored: {timed_reset():.1f} s")

        if args.one_by_one:
            one_s, one_q, one_n, one_lists = run_one_by_one(args.one_by_one)
            per = one_s / max(one_n, 1)
            print(
                f"one by one (decide_admission, publish_list): {one_n} decisions at {one_lists} training bases in "
                f"{one_s:.2f} s, {one_q} queries; {per * 1000:.1f} ms a decision, "
                f"so about {per * len(ceiling_ids):.0f} s for {len(ceiling_ids)}"
            )
            print(f"reset to scored: {timed_reset():.1f} s")

        print()
        print(
            f"round close of {candidates} candidates (ceiling: {ceiling_s:.1f} s, {ceiling_q} query; "
            f"{rows_s:.1f} s with the audit events and notifications)"
        )
        for workers, (app_s, app_q) in results.items():
            verdict = "within" if app_s < args.target else "OVER"
            print(
                f"  app, {workers} process{'es' if workers > 1 else ''}: {app_s:.1f} s, {app_q} queries, "
                f"ceiling/app = {ceiling_s / app_s:.2f}, target under {args.target:g} s: {verdict}"
            )
        if min(app_s for app_s, _q in results.values()) >= args.target:
            failed = True
        return 1 if failed else 0
    finally:
        close_and_drop(season.database)


if __name__ == "__main__":
    sys.exit(main())
