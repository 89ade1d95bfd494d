#!/usr/bin/env python
"""The public vacancy board under a deadline rush, against a bare Django view in the same gunicorn.

    .venv/bin/python bench/vacancy_board.py
    .venv/bin/python bench/vacancy_board.py --database-url postgres://postgres@127.0.0.1:5432/portal_vacancy_bench

Prepares a database (the demo province's plan, round 2 open today so that the board is public,
proposed and admitted candidates on the quotas), starts gunicorn on 127.0.0.1 with
DJANGO_SETTINGS_MODULE=bench.settings, then for each number of concurrent clients runs the same
anonymous load on four targets, in turns over --rounds rounds: the board's page (GET /vacancies/
with its filters in turn), its API (GET /api/v1/vacancies/, the same filters), the lightest page of
the site for reference (GET /verify/, an empty form) and the bare view (GET /bench/bare/). Prints
requests, errors, req/s, p50/p99 per target and each board/bare ratio of req/s (target: at least
0.5). Exit status 1 when a target has more than --max-error-rate
errors. See bench/README.md.
"""

import argparse
import datetime
import http.client
import multiprocessing
import os
import shutil
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.choice_submit import (  # noqa: E402 - needs the project root on the path when run as a script
    HOST,
    RunResult,
    flush_broker,
    free_port,
    server_environment,
    start_gunicorn,
    stop,
    summarise,
    tail,
    wait_until_healthy,
)
from bench.common import add_database_arguments, close_and_drop, migrate, open_database, shift_timetable  # noqa: E402

PAGE_PATH = "/vacancies/"
API_PATH = "/api/v1/vacancies/"
VERIFY_PATH = "/verify/"  # the lightest page of the site: the base template and a two-field form
BARE_PATH = "/bench/bare/"
# What each response must carry to count (not a closed board, not an error page).
EXPECTED = {
    PAGE_PATH: b'data-testid="vacancy-board"',
    API_PATH: b'"is_open":true',
    VERIFY_PATH: b'name="code"',
    BARE_PATH: b'"ok"',
}
TARGET_RATIO = 0.5


def parse_args(argv=None):
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applicants", type=int, default=1500, help="candidates proposed or admitted on the plan")
    parser.add_argument("--clients", default="32", help="comma-separated numbers of concurrent clients")
    parser.add_argument("--seconds", type=float, default=5.0, help="measured duration of each run")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each target, in turns")
    parser.add_argument("--warmup", type=float, default=1.0, help="unmeasured seconds before each run")
    parser.add_argument("--workers", type=int, default=2 * cores + 1, help="gunicorn workers (default 2*cores+1)")
    parser.add_argument("--worker-class", choices=["sync", "gthread"], default="sync")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker with --worker-class gthread")
    add_database_arguments(
        parser,
        default_help="default: a fresh SQLite file in a temporary directory; postgres://…/NAME creates database "
        "NAME and drops it afterwards (refuses an existing one without --reuse-db or --recreate-db)",
    )
    parser.add_argument(
        "--cache-url",
        help="a Redis URL (e.g. redis://127.0.0.1:6379/13, flushed before and after) for the server's cache, "
        "shared by its workers as in production; default: each worker's own memory cache",
    )
    parser.add_argument(
        "--client-procs", type=int, default=cores, help="processes the clients are spread over (default: cores)"
    )
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds before a request counts as failed")
    parser.add_argument("--max-error-rate", type=float, default=0.001, help="fail above this share of errors")
    args = parser.parse_args(argv)
    args.client_counts = sorted({int(c) for c in args.clients.split(",") if c.strip()})
    if not args.client_counts or min(args.client_counts) < 1:
        parser.error("--clients needs positive numbers")
    if args.seconds <= 0 or args.warmup < 0 or args.rounds < 1:
        parser.error("--seconds and --rounds must be positive and --warmup not negative")
    return args


def prepare_data(*, applicants):
    """Migrate, load the demo province with round 2 open today, and put `applicants` synthetic
    candidates on the plan, quota after quota: two in three admitted in round 1, the others
    proposed in round 2. Returns the filter queries the clients take in turn and a summary line."""
    import django

    django.setup()
    from admissions.demo.people import USERNAME_PREFIX, generate_applicants
    from admissions.models import Applicant, Application, Assessment, Stage
    from admissions.selectors.vacancies import public_board
    from bases.demo.loading import load_province
    from bases.models import Quota
    from policy.timetable import local_date, vacancy_board_state

    migrate()
    today = local_date()
    _province, campaign = load_province(year=today.year)
    shift_timetable([campaign], anchor="round2_opens", on=today - datetime.timedelta(days=2))
    campaign.refresh_from_db()
    if not vacancy_board_state(campaign):
        sys.exit("the board is not open after shifting the timetable")

    generate_applicants(count=applicants, password="!")  # noqa: S106 - nobody signs in
    people = list(
        Applicant.objects.filter(user__username__startswith=USERNAME_PREFIX, assessments__isnull=True).order_by("pk")
    )
    seats = [
        quota.specialty_base_id
        for quota in Quota.objects.filter(campaign=campaign).order_by("pk")
        for _ in range(quota.places)
    ]
    placed = list(zip(people, seats, strict=False))
    applications = Application.objects.bulk_create(
        [
            Application(applicant=person, campaign=campaign, round=1 if n % 3 else 2, specialty_base_id=base)
            for n, (person, base) in enumerate(placed)
        ]
    )
    Assessment.objects.bulk_create(
        [
            Assessment(
                application=application,
                specialty_base_id=application.specialty_base_id,
                stage=Stage.ADMITTED if application.round == 1 else Stage.PROPOSED,
            )
            for application in applications
        ]
    )

    public = public_board()
    cities, _specialties = public.filter_choices()
    queries = ["", "?shortage=on", *(f"?{urllib.parse.urlencode({'city': city})}" for city in cities[:4])]
    board = public.counts()
    summary = (
        f"{len(board.rows)} specialty bases, plan {board.plan}, held {board.held}, admitted {board.admitted}, "
        f"left {board.left}"
    )
    return queries, summary


# --- clients -----------------------------------------------------------------------------------


def client_loop(port, paths, window, timeout, result, lock):
    """One anonymous client: a connection of its own (kept alive when the server allows), GETting
    `paths` in turn until the window closes; a response without its board counts as an error."""
    start_at, measure_from, measure_until = window
    latencies, statuses, errors = [], Counter(), {}
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    time.sleep(max(0.0, start_at - time.time()))
    sent = 0
    try:
        while (began := time.time()) < measure_until:
            path = paths[sent % len(paths)]
            sent += 1
            tick = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Accept": "text/html,application/json"})
                response = connection.getresponse()
                data = response.read()
                status = response.status
                if status == 200 and EXPECTED[path.split("?")[0]] not in data:
                    status = 299  # answered, but not with the board
            except (OSError, http.client.HTTPException) as exc:
                connection.close()
                status, data = 0, repr(exc).encode()
            elapsed = time.perf_counter() - tick
            if began >= measure_from:
                latencies.append(elapsed)
                statuses[status] += 1
                if status != 200:
                    key = (status, " ".join(data[:400].decode("utf-8", "replace").split())[:160])
                    errors[key] = errors.get(key, 0) + 1
    finally:
        connection.close()
    with lock:
        result.latencies += latencies
        result.statuses += statuses
        for key, count in errors.items():
            result.error_samples[key] = result.error_samples.get(key, 0) + count


def client_process(port, jobs, window, timeout):
    result, lock = RunResult(), threading.Lock()
    threads = [
        threading.Thread(target=client_loop, args=(port, paths, window, timeout, result, lock)) for paths in jobs
    ]
    for thread in threads:
        thread.start()
    time.sleep(max(0.0, window[1] - time.time()))
    cpu_before = time.process_time()
    for thread in threads:
        thread.join(timeout=max(0.0, window[2] - time.time()) + timeout + 5)
    result.client_cpu = time.process_time() - cpu_before
    return result


def run_load(args, port, jobs):
    """All clients at once, spread over processes, synchronised on one start time."""
    procs = max(1, min(args.client_procs, len(jobs)))
    start_at = time.time() + 1.0
    window = (start_at, start_at + args.warmup, start_at + args.warmup + args.seconds)
    shares = [jobs[i::procs] for i in range(procs)]
    with multiprocessing.get_context("fork").Pool(procs) as pool:
        pending = pool.starmap_async(client_process, [(port, share, window, args.timeout) for share in shares])
        results = pending.get(timeout=args.warmup + args.seconds + args.timeout + 30)
    total = RunResult()
    for result in results:
        total.merge(result)
    return total


def jobs_for(clients, base, queries):
    """Each client's paths: the filters in turn, each client starting at another one."""
    paths = [base + query for query in queries]
    return [paths[n % len(paths) :] + paths[: n % len(paths)] for n in range(clients)]


# --- report ------------------------------------------------------------------------------------


def print_table(rows):
    header = (
        f"{'clients':>7}  {'target':<6}  {'requests':>8}  {'errors':>6}  {'req/s':>8}  {'p50 ms':>7}  {'p99 ms':>7}"
    )
    header += f"  {'client CPU':>10}"
    print(header)
    print("-" * len(header))
    for clients in sorted({row.clients for row in rows}):
        runs = {row.target: row for row in rows if row.clients == clients}
        for row in runs.values():
            print(
                f"{row.clients:>7}  {row.target:<6}  {row.requests:>8}  {row.errors:>6}  {row.rate:>8.1f}  "
                f"{row.p50:>7.1f}  {row.p99:>7.1f}  {row.client_cpu:>9.2f}c"
            )
        bare = runs["bare"].rate
        for target in ("page", "api"):
            ratio = runs[target].rate / bare if bare else float("nan")
            verdict = "met" if ratio >= TARGET_RATIO else "missed"
            print(f"{clients:>7}  {target}/bare req/s = {ratio:.2f} (target >= {TARGET_RATIO}: {verdict})")
        if runs["verify"].rate:
            print(
                f"{clients:>7}  page/verify req/s = {runs['page'].rate / runs['verify'].rate:.2f} (the lightest page)"
            )


# --- main --------------------------------------------------------------------------------------


def main(argv=None):
    args = parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="vacancy-bench-"))
    database = None
    server = None
    log_path = workdir / "gunicorn.log"
    failed = False
    try:
        database = open_database(
            args.database_url, workdir, reuse=args.reuse_db, recreate=args.recreate_db, keep=args.keep_db
        )
        env = server_environment(database.url, workdir)
        env.pop("CACHE_URL", None)
        if args.cache_url:
            env["CACHE_URL"] = args.cache_url
            flush_broker(args.cache_url)
        os.environ.update(env)
        prep_started = time.monotonic()
        queries, summary = prepare_data(applicants=args.applicants)
        print(f"prepared {database.label}: {summary} ({time.monotonic() - prep_started:.1f} s)")

        from django.db import connections

        connections.close_all()  # nothing of the parent's connection goes into the client processes
        port = free_port()
        server = start_gunicorn(args, env, port, log_path)
        wait_until_healthy(server, port, log_path)
        cache = f"one Redis cache for all workers ({args.cache_url})" if args.cache_url else "a memory cache per worker"
        print(
            f"gunicorn {args.workers} {args.worker_class} workers"
            + (f" x {args.threads} threads" if args.worker_class == "gthread" else "")
            + f" on {HOST}:{port}, DEBUG=0, {cache}; {os.cpu_count()} cores shared with the clients"
        )
        print(f"page = GET {PAGE_PATH}, api = GET {API_PATH}, each client taking these filters in turn: {queries}")
        print(f"verify = GET {VERIFY_PATH}: the notice check's empty form, the lightest page of the site")
        print(f'bare = GET {BARE_PATH}: JSON {{"ok": true}}, no template, no database; all anonymous')
        print(
            f"{args.rounds} rounds of the four in turns, {args.seconds:g} s measured per run after "
            f"{args.warmup:g} s warm-up\n"
        )

        rows = []
        targets = [("page", PAGE_PATH), ("api", API_PATH), ("verify", VERIFY_PATH), ("bare", BARE_PATH)]
        for clients in args.client_counts:
            results = {target: RunResult() for target, _path in targets}
            # In turns, the order moved on every round: on a shared machine the load drifts, and
            # the targets should see the same drift.
            for round_number in range(args.rounds):
                turn = round_number % len(targets)
                for target, base in targets[turn:] + targets[:turn]:
                    jobs = jobs_for(clients, base, queries if base in (PAGE_PATH, API_PATH) else [""])
                    results[target].merge(run_load(args, port, jobs))
            for target, result in results.items():
                row = summarise(clients, target, result, args.seconds * args.rounds)
                rows.append(row)
                if row.errors > args.max_error_rate * max(row.requests, 1):
                    failed = True
                for (status, body), count in sorted(result.error_samples.items(), key=lambda item: -item[1])[:5]:
                    print(f"  {clients} clients, {target}: {count} x HTTP {status or 'connection error'}: {body}")

        print()
        print_table(rows)
        if failed:
            print(f"\nFAILED: a run had more than {args.max_error_rate:.1%} errors")
        return 1 if failed else 0
    finally:
        if server is not None:
            stop(server)
            if failed:
                print(f"gunicorn log:\n{tail(log_path)}")
        if args.cache_url:
            flush_broker(args.cache_url)
        close_and_drop(database)
        if database is None or database.drop is not None or args.database_url:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
