#!/usr/bin/env python
"""Choice submissions under load, against a bare Django view in the same gunicorn.

    .venv/bin/python bench/choice_submit.py --seconds 5
    .venv/bin/python bench/choice_submit.py --seconds 5 --database-url postgres://postgres@127.0.0.1:5432/portal_bench

Prepares a database (synthetic applicants with complete profiles, the demo province, round 1 open
today), starts gunicorn on 127.0.0.1 with DJANGO_SETTINGS_MODULE=bench.settings, signs in one
applicant per client through the login form, then for each number of concurrent clients runs the
same load twice: choice submissions (each one a change of choice, i.e. a write) and the bare view.
Prints requests, errors, req/s, p50/p99 per run and the app/bare ratio of req/s. Exit status 1 when
a run has more than --max-error-rate errors. See bench/README.md.
"""

import argparse
import concurrent.futures
import datetime
import http.client
import http.cookies
import json
import math
import multiprocessing
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402 - needs the project root on the path when run as a script
    add_database_arguments,
    close_and_drop,
    complete_profiles,
    migrate,
    open_database,
    shift_timetable,
)

HOST = "127.0.0.1"
TARGET_PATHS = {
    "api": "/api/v1/me/applications/",  # the REST API (admissions API, issue 4)
    "service": "/bench/choose/",  # bench-only thin view over submit_choice (bench/views.py)
    "page": "/me/choose/",  # GET: the choice page, every row's eligibility (issue 16)
    "eligibility": "/api/v1/me/eligibility/",  # GET: the same through the API
}
READ_TARGETS = {"page", "eligibility"}
BARE_PATH = "/bench/bare/"
WRITE_PATH = "/bench/write/"  # the committed-write ceiling: one INSERT and a commit (bench/views.py)


def parse_args(argv=None):
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applicants", type=int, default=2000, help="synthetic applicants in the database")
    parser.add_argument("--clients", default="16,32", help="comma-separated numbers of concurrent clients")
    parser.add_argument("--seconds", type=float, default=10.0, help="measured duration of each run")
    parser.add_argument("--warmup", type=float, default=1.0, help="unmeasured seconds before each run")
    parser.add_argument("--workers", type=int, default=2 * cores + 1, help="gunicorn workers (default 2*cores+1)")
    parser.add_argument("--worker-class", choices=["sync", "gthread"], default="sync")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker with --worker-class gthread")
    parser.add_argument(
        "--target",
        choices=["auto", *TARGET_PATHS],
        default="auto",
        help="api: POST /api/v1/me/applications/; service: POST /bench/choose/ (bench view calling "
        "submit_choice); auto: api when that route exists, else service; page: GET /me/choose/; "
        "eligibility: GET /api/v1/me/eligibility/ (the read targets are compared with a GET of the bare view)",
    )
    parser.add_argument(
        "--specialty-bases",
        type=int,
        default=0,
        help="grow the demo province's plan to this many specialty bases (each with a quota) before the load",
    )
    parser.add_argument(
        "--cache-url",
        help="a Redis URL (e.g. redis://127.0.0.1:6379/13, flushed before and after) for the server's cache, "
        "as in production: sessions are then read from it (cached_db)",
    )
    add_database_arguments(
        parser,
        default_help="default: a fresh SQLite file in a temporary directory; postgres://…/NAME creates database "
        "NAME and drops it afterwards (refuses an existing one without --reuse-db or --recreate-db)",
    )
    parser.add_argument(
        "--broker-url",
        help="a Redis URL (e.g. redis://127.0.0.1:6379/14, flushed before and after): the server queues its "
        "e-mail and SMS tasks there, as in production, instead of running them inside the request",
    )
    parser.add_argument(
        "--celery-worker",
        action="store_true",
        help="with --broker-url: also run one Celery worker on the same machine, so the tasks' cost is in the figures",
    )
    parser.add_argument("--password", default=os.environ.get("DEMO_PASSWORD", "Zhupei-demo-2026"))
    parser.add_argument(
        "--client-procs", type=int, default=cores, help="processes the clients are spread over (default: cores)"
    )
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds before a request counts as failed")
    parser.add_argument("--max-error-rate", type=float, default=0.001, help="fail above this share of errors")
    args = parser.parse_args(argv)
    args.client_counts = sorted({int(c) for c in args.clients.split(",") if c.strip()})
    if not args.client_counts or min(args.client_counts) < 1:
        parser.error("--clients needs positive numbers")
    if args.applicants < max(args.client_counts):
        parser.error("--applicants must be at least the largest number of clients")
    if args.seconds <= 0 or args.warmup < 0:
        parser.error("--seconds must be positive and --warmup not negative")
    if args.reuse_db and args.recreate_db:
        parser.error("--reuse-db and --recreate-db exclude each other")
    if args.celery_worker and not args.broker_url:
        parser.error("--celery-worker needs --broker-url")
    return args


def server_environment(database_url, workdir, broker_url=None, cache_url=None):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"CELERY_BROKER_URL", "CACHE_URL", "EMAIL_HOST", "EMAIL_BACKEND", "CSRF_TRUSTED_ORIGINS"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=database_url,
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        VAR_DIR=str(workdir / "var"),
        MEDIA_ROOT=str(workdir / "media"),
        PRIVATE_MEDIA_ROOT=str(workdir / "private"),
        LOG_LEVEL="WARNING",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    )
    if broker_url:
        env["CELERY_BROKER_URL"] = broker_url
    if cache_url:
        env["CACHE_URL"] = cache_url
    return env


def flush_broker(broker_url):
    subprocess.run(["redis-cli", "-u", broker_url, "flushdb"], check=True, capture_output=True, timeout=30)


def queued_tasks(broker_url):
    answer = subprocess.run(
        ["redis-cli", "-u", broker_url, "llen", "celery"], capture_output=True, text=True, timeout=30
    )
    return int(answer.stdout.strip() or 0)


def start_celery_worker(env, log_path):
    command = [sys.executable, "-m", "celery", "-A", "portal", "worker", "--concurrency", "1", "--loglevel", "warning"]
    with open(log_path, "ab") as log:
        return subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)


def grow_plan(campaign, total):
    """Training bases of ten specialty bases each (new specialties), with a quota each, until the
    campaign's province has `total` specialty bases."""
    from bases.models import Quota, Specialty, SpecialtyBase, TrainingBase

    missing = total - SpecialtyBase.objects.filter(training_base__province=campaign.province_id).count()
    if missing <= 0:
        return
    specialties = [
        Specialty.objects.get_or_create(code=f"B{n:03d}", defaults={"name": f"扩展专业{n}"})[0] for n in range(10)
    ]
    first = TrainingBase.objects.count()
    bases = TrainingBase.objects.bulk_create(
        [
            TrainingBase(
                province_id=campaign.province_id, name=f"扩展医院{n}", city=f"扩展市{n % 13}", sort_order=900 + n
            )
            for n in range(first, first + math.ceil(missing / 10))
        ]
    )
    offers = SpecialtyBase.objects.bulk_create(
        [SpecialtyBase(training_base=b, specialty=s, capacity=9) for b in bases for s in specialties][:missing]
    )
    Quota.objects.bulk_create([Quota(campaign=campaign, specialty_base=sb, places=5, capacity=9) for sb in offers])


def prepare_data(*, applicants, password, specialty_bases=0):
    """Migrate, load the demo province, add synthetic applicants with complete profiles, open round 1
    today. Returns (campaign id, [eligible specialty base ids], number of synthetic applicants)."""
    import django

    django.setup()
    from admissions.demo.people import USERNAME_PREFIX, generate_applicants
    from admissions.models import Applicant
    from admissions.selectors.facts import eligibility_by_quota
    from bases.demo.loading import load_province
    from bases.models import Quota
    from policy.timetable import local_date

    migrate()
    today = local_date()
    _province, campaign = load_province(year=today.year)
    grow_plan(campaign, specialty_bases)
    generate_applicants(count=applicants, password=password)

    synthetic = Applicant.objects.filter(user__username__startswith=USERNAME_PREFIX)
    complete_profiles(synthetic, year=today.year)
    # Round 1 opened two days ago (Asia/Shanghai).
    shift_timetable([campaign], anchor="round1_opens", on=today - datetime.timedelta(days=2))
    campaign.refresh_from_db()

    quotas = list(
        Quota.objects.filter(campaign=campaign, places__gt=0)
        .select_related("specialty_base__training_base", "specialty_base__specialty")
        .order_by("pk")
    )
    sample = synthetic.select_related("user").order_by("user__username").first()
    decisions = eligibility_by_quota(applicant=sample, campaign=campaign, quotas=quotas)
    eligible = [quota.specialty_base_id for quota in quotas if decisions[quota.pk]]
    if len(eligible) < 2:
        sys.exit("fewer than two eligible specialty bases: nothing to alternate between")
    return campaign.pk, eligible[:32], synthetic.count()


def synthetic_usernames(count):
    from admissions.demo.people import USERNAME_PREFIX
    from portal.models import User

    return list(
        User.objects.filter(username__startswith=USERNAME_PREFIX)
        .order_by("username")
        .values_list("username", flat=True)
    )[:count]


def active_choices(usernames, campaign_id):
    """{username: specialty base id} of each applicant's active round-1 choice."""
    from admissions.models import Application, ApplicationStatus

    return dict(
        Application.objects.filter(
            applicant__user__username__in=usernames, campaign_id=campaign_id, status=ApplicationStatus.ACTIVE
        ).values_list("applicant__user__username", "specialty_base_id")
    )


def count_applications(campaign_id):
    from admissions.models import Application

    return Application.objects.filter(campaign_id=campaign_id).count()


# --- server ------------------------------------------------------------------------------------


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_gunicorn(args, env, port, log_path):
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "portal.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(args.workers),
        "--worker-class",
        args.worker_class,
        "--chdir",
        str(ROOT),
        "--log-level",
        "warning",
        "--error-logfile",
        str(log_path),
    ]
    if args.worker_class == "gthread":
        command += ["--threads", str(args.threads)]
    return subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)


def wait_until_healthy(process, port, log_path, deadline_seconds=60):
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn exited with {process.returncode}:\n{tail(log_path)}")
        connection = http.client.HTTPConnection(HOST, port, timeout=2)
        try:
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            connection.close()
        time.sleep(0.2)
    sys.exit(f"gunicorn did not answer /healthz within {deadline_seconds} s:\n{tail(log_path)}")


def stop(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def tail(path, lines=30):
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


# --- clients -----------------------------------------------------------------------------------


@dataclass
class Session:
    username: str
    cookie: str
    csrf: str


def cookies_of(response, jar):
    for header in response.msg.get_all("Set-Cookie") or []:
        parsed = http.cookies.SimpleCookie()
        parsed.load(header)
        for name, morsel in parsed.items():
            jar[name] = morsel.value


def sign_in(port, username, password, timeout):
    """Sign in through the login form like a browser: GET for the CSRF cookie, POST the form."""
    jar = {}
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", "/accounts/login/")
        response = connection.getresponse()
        response.read()
        cookies_of(response, jar)
        if response.status != 200 or "csrftoken" not in jar:
            raise RuntimeError(f"login page: HTTP {response.status}")
        form = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": jar["csrftoken"]}
        )
        connection.request(
            "POST",
            "/accounts/login/",
            body=form,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={jar['csrftoken']}",
            },
        )
        response = connection.getresponse()
        response.read()
        cookies_of(response, jar)
        if response.status != 302 or "sessionid" not in jar:
            raise RuntimeError(f"login of {username}: HTTP {response.status} (wrong password?)")
    finally:
        connection.close()
    return Session(username, "; ".join(f"{k}={v}" for k, v in jar.items()), jar["csrftoken"])


@dataclass
class RunResult:
    latencies: list = field(default_factory=list)  # seconds, successful and failed requests
    statuses: Counter = field(default_factory=Counter)
    error_samples: dict = field(default_factory=dict)  # (status, body start) -> count
    client_cpu: float = 0.0  # CPU seconds the client processes used in the measured window

    def merge(self, other):
        self.latencies += other.latencies
        self.statuses += other.statuses
        for key, count in other.error_samples.items():
            self.error_samples[key] = self.error_samples.get(key, 0) + count
        self.client_cpu += other.client_cpu


def client_loop(port, path, session, bodies, window, timeout, result, lock):
    """One client: a connection of its own (kept alive when the server allows), the same request
    over and over with the two bodies alternating (a GET without a body when `bodies` is None),
    until the window closes."""
    start_at, measure_from, measure_until = window
    headers = {
        "Cookie": session.cookie,
        "X-CSRFToken": session.csrf,
        "Content-Type": "application/json",
        "Accept": "application/json",
    }
    latencies, statuses, errors = [], Counter(), {}
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    time.sleep(max(0.0, start_at - time.time()))
    sent = 0
    try:
        while (began := time.time()) < measure_until:
            body = bodies[sent % 2] if bodies else None
            sent += 1
            tick = time.perf_counter()
            try:
                connection.request("POST" if bodies else "GET", path, body=body, headers=headers)
                response = connection.getresponse()
                data = response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as exc:
                connection.close()
                status, data = 0, repr(exc).encode()
            elapsed = time.perf_counter() - tick
            if began >= measure_from:
                latencies.append(elapsed)
                statuses[status] += 1
                if not 200 <= status < 300:
                    key = (status, " ".join(data[:400].decode("utf-8", "replace").split())[:160])
                    errors[key] = errors.get(key, 0) + 1
    finally:
        connection.close()
    with lock:
        result.latencies += latencies
        result.statuses += statuses
        for key, count in errors.items():
            result.error_samples[key] = result.error_samples.get(key, 0) + count


def client_process(port, path, jobs, window, timeout):
    """The clients of one process, each in a thread; returns their merged RunResult."""
    result, lock = RunResult(), threading.Lock()
    threads = [
        threading.Thread(target=client_loop, args=(port, path, session, bodies, window, timeout, result, lock))
        for session, bodies in jobs
    ]
    for thread in threads:
        thread.start()
    time.sleep(max(0.0, window[1] - time.time()))
    cpu_before = time.process_time()
    for thread in threads:
        thread.join(timeout=max(0.0, window[2] - time.time()) + timeout + 5)
    result.client_cpu = time.process_time() - cpu_before
    return result


def run_load(args, port, path, jobs):
    """All clients at once, spread over processes, synchronised on one start time."""
    procs = max(1, min(args.client_procs, len(jobs)))
    start_at = time.time() + 1.0  # time for the processes to start
    window = (start_at, start_at + args.warmup, start_at + args.warmup + args.seconds)
    shares = [jobs[i::procs] for i in range(procs)]
    context = multiprocessing.get_context("fork")
    with context.Pool(procs) as pool:
        pending = pool.starmap_async(client_process, [(port, path, share, window, args.timeout) for share in shares])
        results = pending.get(timeout=args.warmup + args.seconds + args.timeout + 30)
    total = RunResult()
    for result in results:
        total.merge(result)
    return total


# --- report ------------------------------------------------------------------------------------


def percentile(sorted_values, share):
    if not sorted_values:
        return float("nan")
    rank = math.ceil(share * len(sorted_values))  # nearest rank
    return sorted_values[min(len(sorted_values), max(rank, 1)) - 1]


@dataclass
class Row:
    clients: int
    target: str
    requests: int
    errors: int
    rate: float
    p50: float
    p99: float
    client_cpu: float


def summarise(clients, target, result, seconds):
    latencies = sorted(result.latencies)
    errors = sum(count for status, count in result.statuses.items() if not 200 <= status < 300)
    return Row(
        clients=clients,
        target=target,
        requests=len(latencies),
        errors=errors,
        rate=len(latencies) / seconds,
        p50=percentile(latencies, 0.50) * 1000,
        p99=percentile(latencies, 0.99) * 1000,
        client_cpu=result.client_cpu / seconds,
    )


def print_table(rows):
    header = (
        f"{'clients':>7}  {'target':<7}  {'requests':>8}  {'errors':>6}  {'req/s':>8}  {'p50 ms':>7}  {'p99 ms':>7}"
    )
    header += f"  {'client CPU':>10}"
    print(header)
    print("-" * len(header))
    for clients in sorted({row.clients for row in rows}):
        pair = [row for row in rows if row.clients == clients]
        for row in pair:
            print(
                f"{row.clients:>7}  {row.target:<7}  {row.requests:>8}  {row.errors:>6}  {row.rate:>8.1f}  "
                f"{row.p50:>7.1f}  {row.p99:>7.1f}  {row.client_cpu:>9.2f}c"
            )
        app = pair[0]
        ceilings = [row for row in pair[1:] if row.rate]
        for ceiling in ceilings:
            print(f"{clients:>7}  {app.target}/{ceiling.target} req/s = {app.rate / ceiling.rate:.2f}")


# --- main --------------------------------------------------------------------------------------


def resolve_target(requested):
    if requested != "auto":
        return requested
    from django.urls import Resolver404, resolve

    try:
        resolve(TARGET_PATHS["api"])
    except Resolver404:
        return "service"
    return "api"


def main(argv=None):
    args = parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="choice-bench-"))
    database = None
    server = None
    worker = None
    log_path = workdir / "gunicorn.log"
    failed = False
    try:
        database = open_database(
            args.database_url, workdir, reuse=args.reuse_db, recreate=args.recreate_db, keep=args.keep_db
        )
        env = server_environment(database.url, workdir, args.broker_url, args.cache_url)
        if args.broker_url:
            flush_broker(args.broker_url)
        if args.cache_url:
            flush_broker(args.cache_url)
        os.environ.update(env)
        prep_started = time.monotonic()
        campaign_id, base_ids, applicant_count = prepare_data(
            applicants=args.applicants, password=args.password, specialty_bases=args.specialty_bases
        )
        target = resolve_target(args.target)
        path = TARGET_PATHS[target]
        most = max(args.client_counts)
        usernames = synthetic_usernames(most)
        print(
            f"prepared {database.label}: {applicant_count} applicants, round 1 open, "
            f"{len(base_ids)} eligible specialty bases ({time.monotonic() - prep_started:.1f} s)"
        )

        from django.db import connections

        connections.close_all()  # nothing of the parent's connection goes into the client processes
        port = free_port()
        server = start_gunicorn(args, env, port, log_path)
        wait_until_healthy(server, port, log_path)
        if args.celery_worker:
            worker = start_celery_worker(env, workdir / "celery.log")
        tasks = (
            "tasks run inside the request (no broker)"
            if not args.broker_url
            else f"tasks queued on {args.broker_url}"
            + (", one Celery worker on this machine" if args.celery_worker else ", no worker (they stay queued)")
        )
        print(f"e-mail and SMS: {tasks}")
        print(
            f"gunicorn {args.workers} {args.worker_class} workers"
            + (f" x {args.threads} threads" if args.worker_class == "gthread" else "")
            + f" on {HOST}:{port}, DEBUG=0; {os.cpu_count()} cores shared with the clients"
        )
        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
            sessions = list(
                pool.map(lambda name: sign_in(port, name, args.password, args.timeout), usernames, timeout=600)
            )
        print(f"{len(sessions)} applicants signed in through /accounts/login/")
        reading = target in READ_TARGETS
        if reading:
            print(f"{target:<7} = GET {path}, each client its own applicant's page")
            print(f'{"bare":<7} = GET {BARE_PATH}, same clients and headers; JSON {{"ok": true}}, no database')
        else:
            print(
                f'{target:<7} = POST {path} {{"specialty_base": id}}, alternating two eligible bases: every request '
                "changes the choice (ends one Application, creates one)"
            )
            print(f"{'write':<7} = POST {WRITE_PATH}, same clients, headers and bodies; one INSERT and a commit")
            print(f'{"bare":<7} = POST {BARE_PATH}, same clients, headers and bodies; JSON {{"ok": true}}, no database')
        print(f"{args.seconds:g} s measured per run after {args.warmup:g} s warm-up\n")

        rows = []
        for clients in args.client_counts:
            chosen = active_choices(usernames[:clients], campaign_id)
            jobs = []
            for index, session in enumerate(sessions[:clients]):
                first, second = base_ids[(2 * index) % len(base_ids)], base_ids[(2 * index + 1) % len(base_ids)]
                if chosen.get(session.username) == first:
                    first, second = second, first  # so that the first request is a change too
                bodies = None if reading else [json.dumps({"specialty_base": pk}).encode() for pk in (first, second)]
                jobs.append((session, bodies))
            before = count_applications(campaign_id)
            connections.close_all()
            app = run_load(args, port, path, jobs)
            written = count_applications(campaign_id) - before
            connections.close_all()
            runs = [(target, app)]
            if not reading:
                runs.append(("write", run_load(args, port, WRITE_PATH, jobs)))
            runs.append(("bare", run_load(args, port, BARE_PATH, jobs)))
            for name, result in runs:
                row = summarise(clients, name, result, args.seconds)
                rows.append(row)
                if row.errors > args.max_error_rate * max(row.requests, 1):
                    failed = True
                for (status, body), count in sorted(result.error_samples.items(), key=lambda item: -item[1])[:5]:
                    print(f"  {clients} clients, {name}: {count} x HTTP {status or 'connection error'}: {body}")
            ok = sum(count for status, count in app.statuses.items() if 200 <= status < 300)
            print(f"  {clients} clients: {written} applications written (warm-up included), {ok} 2xx measured")
            if args.broker_url:
                print(f"  {queued_tasks(args.broker_url)} tasks waiting in the broker after the runs")

        print()
        print_table(rows)
        if failed:
            print(f"\nFAILED: a run had more than {args.max_error_rate:.1%} errors")
        return 1 if failed else 0
    finally:
        if worker is not None:
            stop(worker)
        if args.broker_url:
            flush_broker(args.broker_url)
        if args.cache_url:
            flush_broker(args.cache_url)
        if server is not None:
            stop(server)
            if failed:
                print(f"gunicorn log:\n{tail(log_path)}")
        close_and_drop(database)
        if database is None or database.drop is not None or args.database_url:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
