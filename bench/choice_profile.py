#!/usr/bin/env python
"""Where a choice change and an eligibility read spend their time, in one process (no server).

    .venv/bin/python bench/choice_profile.py --changes 300 --reads 100
    .venv/bin/python bench/choice_profile.py --database-url postgres://postgres@127.0.0.1:5432/portal_profile

Prepares the same data as bench/choice_submit.py (the demo province, synthetic applicants with
complete profiles, round 1 open; `--specialty-bases` grows the plan), signs one applicant in with
Django's test client, then times `--changes` changes of choice through POST /api/v1/me/applications/
and `--reads` GETs of /api/v1/me/eligibility/ and /me/choose/, each under cProfile. Prints
milliseconds and SQL statements per request and the functions with the most cumulative time.
"""

import argparse
import cProfile
import io
import os
import pstats
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.choice_submit import prepare_data, server_environment  # noqa: E402 - needs the project root on the path
from bench.common import add_database_arguments, close_and_drop, open_database  # noqa: E402

SORT = os.environ.get("PROFILE_SORT", "cumulative")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applicants", type=int, default=50)
    parser.add_argument("--specialty-bases", type=int, default=1000)
    parser.add_argument("--changes", type=int, default=300)
    parser.add_argument("--reads", type=int, default=100)
    parser.add_argument("--top", type=int, default=25, help="functions listed per profile")
    parser.add_argument("--password", default="Zhupei-demo-2026")
    add_database_arguments(parser, default_help="default: a fresh SQLite file in a temporary directory")
    return parser.parse_args(argv)


def measure(label, count, request, top):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    request()  # the first one fills the caches
    with CaptureQueriesContext(connection) as queries:
        request()
    statements = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    started = time.perf_counter()
    for _ in range(count):
        request()
    plain = (time.perf_counter() - started) / count
    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    for _ in range(count):
        request()
    profile.disable()
    elapsed = time.perf_counter() - started
    print(
        f"\n== {label}: {count} requests, {plain * 1000:.2f} ms each ({elapsed / count * 1000:.2f} under the "
        f"profiler), {len(statements)} SQL statements"
    )
    for sql in statements:
        print(f"   {sql[:110]}")
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats(SORT).print_stats(top)
    print("\n".join(line for line in out.getvalue().splitlines() if line.strip())[-(top + 3) * 140 :])


def main(argv=None):
    args = parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="choice-profile-"))
    database = None
    try:
        database = open_database(args.database_url, workdir, reuse=args.reuse_db, recreate=args.recreate_db)
        env = server_environment(database.url, workdir)
        env["SECRET_KEY"] = secrets.token_urlsafe(50)
        os.environ.update(env)
        _campaign, base_ids, _count = prepare_data(
            applicants=args.applicants, password=args.password, specialty_bases=args.specialty_bases
        )
        from django.test import Client

        from admissions.demo.people import USERNAME_PREFIX
        from portal.models import User

        user = User.objects.filter(username__startswith=USERNAME_PREFIX).order_by("username").first()
        client = Client(HTTP_HOST="127.0.0.1", enforce_csrf_checks=False)
        client.force_login(user)
        bodies = iter([])

        def change():
            nonlocal bodies
            pk = next(bodies, None)
            if pk is None:
                bodies = iter(base_ids[:2] * 10_000)
                pk = next(bodies)
            response = client.post("/api/v1/me/applications/", {"specialty_base": pk}, content_type="application/json")
            assert response.status_code in (200, 201), response.content[:300]

        def get(path):
            def request():
                response = client.get(path)
                assert response.status_code == 200, response.content[:300]

            return request

        print(f"prepared {database.label}: {len(base_ids)} eligible specialty bases of the plan")
        measure("change of choice (POST /api/v1/me/applications/)", args.changes, change, args.top)
        measure("GET /api/v1/me/eligibility/", args.reads, get("/api/v1/me/eligibility/"), args.top)
        measure("GET /me/choose/", args.reads, get("/me/choose/"), args.top)
    finally:
        close_and_drop(database)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
