#!/usr/bin/env python
"""Admission-notice PDFs per second through the app, against bare WeasyPrint on the same HTML.

    .venv/bin/python bench/notice_pdf.py                                   # SQLite in a temp dir
    .venv/bin/python bench/notice_pdf.py --admissions 300 --rounds 2 \\
        --database-url postgres://postgres@127.0.0.1:5432/portal_notice    # created, dropped afterwards

Builds a small season at stage "admitted" (bench/national.py), signs each admitted applicant in
(Django's test client, full middleware stack), then, in the same process and in turns (app, bare,
fonts kept, then the other way round, …, so a change of load on the machine weighs on all alike):

- app: each applicant's GET of its notice (`admission_notice`) while no PDF of it is kept, so the
  view renders it (`admissions.services.notices.render_notice` → `portal.pdf.render_pdf`) and keeps it;
- bare: `weasyprint.HTML(string=html).write_pdf(stylesheets=…)` on the very HTML and CSS the app
  passed to WeasyPrint for the same admission (captured in a warm-up pass), the CSS parsed once;
- fonts kept: the same with one `FontConfiguration` for every document (the app keeps one per
  thread, and a URL fetcher limited to data: URLs);
- app batched: what the admission sweep's tasks do (`admissions.services.admission.store_notices`,
  PDF_BATCH_SIZE admissions a call, no notice kept before): the notices of a batch rendered as the
  pages of one PDF, split into one file each and kept;
- bare batched: the batched ceiling, WeasyPrint on one HTML of PDF_BATCH_SIZE notices (the same
  bodies, each from a new page) at a time, its pages per second.

Prints PDFs/s of each, the ratios app/bare (target: at least 0.80), app/fonts kept and app
batched/bare batched (target: at least 0.50), the file size per notice, the rate of a download
once the PDF is kept, and checks that the app's PDFs (one by one and split from a batch) and the
bare ones carry the same text. See bench/README.md.
"""

import argparse
import io
import os
import re
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGET_RATIO = 0.80
TARGET_BATCHED_RATIO = 0.50


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--admissions", type=int, default=100, help="different admissions (notices) per pass")
    parser.add_argument("--rounds", type=int, default=2, help="passes of each kind, in turns")
    parser.add_argument(
        "--database-url",
        help="default: a new SQLite file in a temporary directory; postgres://…/NAME is created and dropped",
    )
    args = parser.parse_args(argv)
    if args.admissions < 1 or args.rounds < 1:
        parser.error("--admissions and --rounds must be positive")
    return args


def prepare(args, workdir):
    """A season at stage "admitted" with at least `args.admissions` admissions; returns the
    database and the first `args.admissions` admission ids with their applicants' user ids."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        LOG_LEVEL="WARNING",
        VAR_DIR=str(workdir / "var"),
        MEDIA_ROOT=str(workdir / "media"),
        PRIVATE_MEDIA_ROOT=str(workdir / "private"),
    )
    from bench.national import build

    bases = max(2, args.admissions // 50)
    season = build(
        args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}",
        applicants=3 * args.admissions,  # about half of the applicants are admitted
        training_bases=bases,
        specialty_bases=10 * bases,
        provinces=1,
        stage="admitted",
        keep=False,
        out=None,
    )
    from admissions.models import Admission

    rows = list(
        Admission.objects.order_by("pk").values_list("pk", "assessment__application__applicant__user_id")[
            : args.admissions
        ]
    )
    if len(rows) < args.admissions:
        season.database.drop()
        sys.exit(f"only {len(rows)} admissions in the season: ask for fewer")
    return season.database, rows


def capture_writes():
    """Wraps `portal.pdf._write_pdf` to keep what the app hands WeasyPrint: [(html, css texts)]."""
    from portal import pdf

    writes, write_pdf = [], pdf._write_pdf

    def recording(html, css_texts):
        writes.append((html, list(css_texts)))
        return write_pdf(html, css_texts)

    pdf._write_pdf = recording
    return writes, lambda: setattr(pdf, "_write_pdf", write_pdf)


def forget_kept_notices(admission_ids):
    """So that the next GET renders the notice again, as its first download does."""
    from admissions.models import Admission

    Admission.objects.filter(pk__in=admission_ids).update(notice_file="")


def app_pass(downloads):
    """Each (client, url) GET once; returns seconds and the PDFs."""
    pdfs = []
    began = time.perf_counter()
    for client, url in downloads:
        response = client.get(url)
        if response.status_code != 200 or response["Content-Type"] != "application/pdf":
            sys.exit(f"GET {url}: HTTP {response.status_code} {response['Content-Type']}")
        pdfs.append(response.getvalue())
    return time.perf_counter() - began, pdfs


def bare_pass(documents, fonts=None):
    """WeasyPrint alone on each (html, stylesheets), with its default (a font configuration made
    for each document) or the font configuration `fonts`; returns seconds and the PDFs."""
    from weasyprint import HTML

    pdfs = []
    began = time.perf_counter()
    for html, sheets in documents:
        pdfs.append(HTML(string=html).write_pdf(stylesheets=sheets, font_config=fonts))
    return time.perf_counter() - began, pdfs


def batched_pass(admission_ids, batch_size):
    """The sweep's way: `store_notices` on batches of `admission_ids`, none kept before; returns
    seconds and the kept PDFs."""
    from admissions.models import Admission
    from admissions.services.admission import store_notices

    forget_kept_notices(admission_ids)
    began = time.perf_counter()
    for start in range(0, len(admission_ids), batch_size):
        rendered = store_notices(admission_pks=admission_ids[start : start + batch_size])
        if rendered != len(admission_ids[start : start + batch_size]):
            sys.exit(f"store_notices rendered {rendered} notices of a batch of {batch_size}")
    spent = time.perf_counter() - began
    pdfs = []
    for admission in Admission.objects.filter(pk__in=admission_ids).order_by("pk"):
        with admission.notice_file.open("rb") as file:
            pdfs.append(file.read())
    return spent, pdfs


_BODY = re.compile(r"<body([^>]*)>(.*)</body>", re.DOTALL)


def batch_documents(writes, batch_size):
    """The recorded notices as HTML documents of `batch_size` notices each: the first notice's
    head, then each notice's body from a new page."""
    documents = []
    for start in range(0, len(writes), batch_size):
        batch = writes[start : start + batch_size]
        html = batch[0][0]
        attributes = _BODY.search(html).group(1)
        bodies = "".join(f'<div style="break-before: page">{_BODY.search(page).group(2)}</div>' for page, _css in batch)
        documents.append(html[: _BODY.search(html).start()] + f"<body{attributes}>{bodies}</body></html>")
    return documents


def bare_batched_pass(documents, sheets, fonts):
    """WeasyPrint on each batch document; returns seconds and the number of pages written."""
    from pypdf import PdfReader
    from weasyprint import HTML

    began = time.perf_counter()
    contents = [HTML(string=html).write_pdf(stylesheets=sheets, font_config=fonts) for html in documents]
    spent = time.perf_counter() - began
    return spent, sum(len(PdfReader(io.BytesIO(content)).pages) for content in contents)


def pdf_text(content):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    return len(reader.pages), "".join("".join(page.extract_text().split()) for page in reader.pages)


def main(argv=None):
    args = parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="notice-bench-"))
    database = None
    try:
        prepared = time.monotonic()
        database, rows = prepare(args, workdir)
        from django.test import Client
        from django.urls import reverse
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        from portal.models import User

        users = User.objects.in_bulk([user_id for _pk, user_id in rows])
        downloads = []
        for admission_id, user_id in rows:
            client = Client()
            client.force_login(users[user_id])
            downloads.append((client, reverse("admission-notice", args=[admission_id])))
        admission_ids = [admission_id for admission_id, _user in rows]
        print(
            f"{database.label}: {len(rows)} admissions, their applicants signed in "
            f"({time.monotonic() - prepared:.1f} s)"
        )

        # Warm-up: the first download of each notice renders it; what goes to WeasyPrint is kept.
        writes, restore = capture_writes()
        try:
            app_pass(downloads)
        finally:
            restore()
        if len(writes) != len(downloads):
            sys.exit(f"{len(writes)} PDFs written for {len(downloads)} first downloads: is the notice kept elsewhere?")
        documents = [(html, [CSS(string=text) for text in css_texts]) for html, css_texts in writes]
        fonts = FontConfiguration()
        documents_fonts_kept = [
            (html, [CSS(string=text, font_config=fonts) for text in css_texts]) for html, css_texts in writes
        ]
        kept_seconds, _pdfs = app_pass(downloads)  # every notice is kept by now: a plain download
        from portal.pdf import PDF_BATCH_SIZE

        batch_size = min(PDF_BATCH_SIZE, len(writes))
        batched_documents = batch_documents(writes, batch_size)
        batched_sheets = [CSS(string=text, font_config=fonts) for text in writes[0][1]]

        targets = ["app", "bare", "fonts kept", "app batched", "bare batched"]
        seconds = dict.fromkeys(targets, 0.0)
        samples = {}
        order = []
        for number in range(args.rounds):
            order += targets if number % 2 == 0 else targets[::-1]
        for target in order:
            if target == "app":
                forget_kept_notices(admission_ids)
                spent, pdfs = app_pass(downloads)
            elif target == "bare":
                spent, pdfs = bare_pass(documents)
            elif target == "fonts kept":
                spent, pdfs = bare_pass(documents_fonts_kept, fonts)
            elif target == "app batched":
                spent, pdfs = batched_pass(admission_ids, batch_size)
            else:
                spent, pages = bare_batched_pass(batched_documents, batched_sheets, fonts)
                if pages != len(downloads):
                    sys.exit(f"the batched documents have {pages} pages for {len(downloads)} notices")
                pdfs = [None] * pages
            seconds[target] += spent
            samples[target] = pdfs
            print(f"  {target}: {len(pdfs)} PDFs in {spent:.1f} s ({len(pdfs) / spent:.2f}/s)", flush=True)

        triples = list(zip(samples["app"], samples["bare"], samples["app batched"], strict=True))
        compared = triples[:3] + triples[-3:]
        same = all(pdf_text(app) == pdf_text(bare) == pdf_text(split) for app, bare, split in compared)
        per_target = args.rounds * len(downloads)
        rates = {target: per_target / spent for target, spent in seconds.items()}
        ratio = rates["app"] / rates["bare"]
        ratio_kept = rates["app"] / rates["fonts kept"]
        ratio_batched = rates["app batched"] / rates["bare batched"]
        size_alone = sum(map(len, samples["app"])) / len(samples["app"]) / 1024
        size_split = sum(map(len, samples["app batched"])) / len(samples["app batched"]) / 1024
        load = os.getloadavg()
        print(f"\n{os.cpu_count()} cores, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} at the end")
        lines = [
            ("app: GET, notice rendered and kept", per_target, seconds["app"]),
            ("bare: WeasyPrint on the same HTML and CSS", per_target, seconds["bare"]),
            ("bare, one font configuration for all", per_target, seconds["fonts kept"]),
            (f"app batched: store_notices, {batch_size} a batch", per_target, seconds["app batched"]),
            (f"bare batched: {batch_size} notices a document (pages)", per_target, seconds["bare batched"]),
            ("app: GET, notice already kept", len(downloads), kept_seconds),
        ]
        print(f"{'':<44} {'PDFs':>6} {'seconds':>8} {'PDFs/s':>7}")
        for label, count, spent in lines:
            print(f"{label:<44} {count:>6} {spent:>8.1f} {count / spent:>7.2f}")
        print(f"app/bare = {ratio:.2f} (target >= {TARGET_RATIO:.2f}: {'met' if ratio >= TARGET_RATIO else 'MISSED'})")
        print(f"app/bare with one font configuration = {ratio_kept:.2f}")
        print(
            f"app batched/bare batched = {ratio_batched:.2f} (target >= {TARGET_BATCHED_RATIO:.2f}: "
            f"{'met' if ratio_batched >= TARGET_BATCHED_RATIO else 'MISSED'})"
        )
        print(
            f"ceilings: per file (bare) {rates['bare']:.2f} PDFs/s, batched (bare) {rates['bare batched']:.2f} pages/s"
        )
        print(f"file size per notice: {size_alone:.0f} KB rendered alone, {size_split:.0f} KB split from a batch")
        print(
            "same text and pages in the app's (alone and split) and the bare PDFs "
            f"({len(compared)} compared): {'yes' if same else 'NO'}"
        )
        return 0 if same else 1
    finally:
        if database is not None and database.drop is not None:
            from django.db import connections

            connections.close_all()
            database.drop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
