#!/usr/bin/env python
"""The registration roster's PDF for a national roster, rendered in parts: time, memory, pages.

    .venv/bin/python bench/roster_pdf.py                      # 100,000 rows
    .venv/bin/python bench/roster_pdf.py --rows 5000 --whole  # and, for comparison, in one piece

Writes the PDF of `--rows` synthetic roster rows (`admissions.selectors.roster.RosterRow`: names,
masked resident IDs, 1,000 training bases, 30 specialties, made up from a seeded generator as they
are read, no database) through `admissions.services.roster_export.write_roster_pdf`, the function
the roster page's job and the roster.pdf download call, to a temporary file. The rows come from a
generator, as `iter_roster_rows` yields them from the database (its cost is the CSV export's, see
bench/roster_export.py). Prints rows, pages, seconds (wall and CPU), rows and pages per second, the
process's peak RSS (target: under 500 MB) and the file's size, and checks that the pages are
numbered on across the parts and that the first and last residents are in the file. With
`--whole`, the same rows rendered as one document too (the way before issue 17), for comparison:
only for small counts, its memory grows with the rows. See bench/README.md.
"""

import argparse
import datetime
import io
import os
import random
import resource
import secrets
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGET_MB = 500
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华玉萍红娥玲芬燕彬鑫斌宇浩凯健俊帆帅旭宁龙林欢阳建思雨晨博文轩怡嘉"
)
CITIES = "武汉黄石十堰宜昌襄阳鄂州荆门孝感荆州黄冈咸宁随州恩施仙桃天门潜江"
SPECIALTIES = [
    "内科", "儿科", "急诊科", "皮肤科", "精神科", "神经内科", "全科", "康复医学科", "外科", "外科（神经外科方向）",
    "外科（胸心外科方向）", "外科（泌尿外科方向）", "外科（整形外科方向）", "骨科", "儿外科", "妇产科", "眼科",
    "耳鼻咽喉科", "麻醉科", "临床病理科", "检验医学科", "放射科", "超声医学科", "核医学科", "放射肿瘤科",
    "医学遗传科", "预防医学科", "口腔全科", "口腔内科", "口腔颌面外科",
]  # fmt: skip


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--whole", action="store_true", help="also render the rows as one document (small counts)")
    args = parser.parse_args(argv)
    if args.rows < 1:
        parser.error("--rows must be positive")
    return args


def synthetic_rows(count):
    """`count` roster rows in roster order, made as they are read."""
    from admissions.selectors.roster import RosterRow

    rng = random.Random(17)
    bases = [f"{CITIES[2 * (n % 17) : 2 * (n % 17) + 2]}市第{n + 1}人民医院" for n in range(1_000)]
    per_base = max(1, count // len(bases))
    for number in range(count):
        born = datetime.date(1996, 1, 1) + datetime.timedelta(days=rng.randrange(2_500))
        yield RosterRow(
            full_name=rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2)))),
            sex=rng.choice(("男", "女")),
            id_type="居民身份证",
            id_number=f"420{rng.randrange(100, 999)}{born:%Y%m%d}{rng.randrange(1000):03d}{rng.choice('0123456789X')}",
            birth_date=born,
            applicant_type=rng.choice(("单位委派", "社会人", "应届毕业生", "专业学位硕士", "订单定向")),
            training_base=bases[min(number // per_base, len(bases) - 1)],
            specialty=rng.choice(SPECIALTIES),
            year=2026,
            round=rng.choice(("第一批次", "第二批次")),
            reported_on=datetime.date(2026, 8, rng.randrange(20, 31)),
            agreement=rng.choice(("培训协议", "劳动合同")),
            sort_key=(number,),
        )


class Campaign:
    """What the roster's template prints of a campaign."""

    year = 2026
    title = "2026年度湖北省住院医师规范化培训招收"


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv=None):
    args = parse_args(argv)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="portal.settings", DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), LOG_LEVEL="WARNING"
    )
    import django

    django.setup()
    from pypdf import PdfReader

    from admissions.services import roster_export
    from portal.pdf import render_pdf
    from portal.privacy import mask_id_number

    workdir = Path(tempfile.mkdtemp(prefix="roster-pdf-bench-"))
    path = workdir / "roster.pdf"
    try:
        with path.open("wb") as out:
            roster_export.write_roster_pdf(campaign=Campaign, rows=synthetic_rows(1), out=out)  # fonts loaded
        before = peak_mb()
        done = [0]
        began, cpu = time.perf_counter(), time.process_time()
        with path.open("wb") as out:
            pages = roster_export.write_roster_pdf(
                campaign=Campaign,
                rows=synthetic_rows(args.rows),
                out=out,
                advance=lambda count: done.__setitem__(0, done[0] + count),
            )
        seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
        peak = peak_mb()
        size = path.stat().st_size / 1e6
        reader = PdfReader(path)
        numbers = [reader.pages[index].extract_text().split()[-1] for index in (0, len(reader.pages) // 2, -1)]
        first, *_rest, last = synthetic_rows(args.rows) if args.rows > 1 else (*synthetic_rows(1),) * 2
        head, tail = reader.pages[0].extract_text(), reader.pages[-1].extract_text()
        found = first.full_name in head and mask_id_number(last.id_number) in tail.replace(" ", "")
        load = os.getloadavg()
        print(
            f"{os.cpu_count()} cores, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} at the end; "
            f"{roster_export.ROWS_PER_PART} rows a part"
        )
        print(f"{'':<24} {'rows':>8} {'pages':>6} {'seconds':>8} {'CPU s':>7} {'rows/s':>7} {'pages/s':>7} "
              f"{'peak MB':>8} {'file MB':>8}")  # fmt: skip
        print(
            f"{'in parts (the app)':<24} {args.rows:>8} {pages:>6} {seconds:>8.1f} {cpu:>7.1f} "
            f"{args.rows / seconds:>7.0f} {pages / seconds:>7.1f} {peak:>8.0f} {size:>8.1f}"
        )
        print(f"peak RSS before the run (fonts loaded, one part written): {before:.0f} MB")
        print(f"progress reported for {done[0]} rows of {args.rows}")
        print(f"page numbers on pages 1, {len(reader.pages) // 2 + 1}, {pages}: {numbers}")
        numbered = numbers == ["1", str(len(reader.pages) // 2 + 1), str(pages)]
        print(f"pages numbered on across the parts: {'yes' if numbered else 'NO'}; first and last resident found: "
              f"{'yes' if found else 'NO'}")  # fmt: skip
        print(f"peak under {TARGET_MB} MB: {'met' if peak < TARGET_MB else 'MISSED'}")
        if args.whole:
            header = roster_export.roster_header()
            table = list(roster_export.roster_lines(synthetic_rows(args.rows)))
            began, cpu = time.perf_counter(), time.process_time()
            content = render_pdf(
                "admissions/roster/roster_pdf.html",
                {"campaign": Campaign, "roster": None, "header": header, "table": table, "first": True},
            )
            seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
            whole_pages = len(PdfReader(io.BytesIO(content)).pages)
            print(
                f"{'one document':<24} {args.rows:>8} {whole_pages:>6} {seconds:>8.1f} {cpu:>7.1f} "
                f"{args.rows / seconds:>7.0f} {whole_pages / seconds:>7.1f} {peak_mb():>8.0f} "
                f"{len(content) / 1e6:>8.1f}"
            )
        return 0 if numbered and found and done[0] == args.rows else 1
    finally:
        path.unlink(missing_ok=True)
        workdir.rmdir()


if __name__ == "__main__":
    sys.exit(main())
