"""The registration roster's files (注册名单, 三(七)): CSV and xlsx in the national platform's
columns, and the PDF with ID numbers masked. All read the rows as they come, so a national
roster (100,000 residents) is never held whole: the PDF is rendered in parts of ROWS_PER_PART
rows whose pages are concatenated, and made by a bulk job (portal.jobs) when the office asks for
it from the roster page, its progress bar counting the rows."""

import itertools

from django.utils.translation import gettext as _

from admissions.selectors.roster import iter_roster_rows, published_roster, roster_size
from policy.models import Campaign
from portal.jobs import start_job
from portal.models import BulkJob, Role, User
from portal.pdf import write_pdf_parts
from portal.permissions import require_role
from portal.privacy import mask_id_number
from portal.spreadsheets import csv_chunks, xlsx_bytes

# Rows per part of the PDF: a part's layout is what the process holds (about 120 MB above the
# loaded fonts at 500 rows, bench/roster_pdf.py); each part embeds its own font subset.
ROWS_PER_PART = 500


def roster_header():
    return [
        _("序号"),
        _("姓名"),
        _("性别"),
        _("证件类型"),
        _("证件号码"),
        _("出生日期"),
        _("人员类型"),
        _("培训基地"),
        _("培训专业"),
        _("招收年度"),
        _("录取批次"),
        _("报到日期"),
        _("协议类型"),
    ]


def roster_filename(campaign, extension):
    return _("%(year)s年度住院医师规范化培训注册名单") % {"year": campaign.year} + f".{extension}"


def _date(value):
    return value.isoformat() if value else ""


def roster_lines(rows):
    """The rows as the CSV and xlsx write them, numbered, one at a time: every cell text except 序号
    and 招收年度, so an ID number keeps its digits and its final X."""
    for number, row in enumerate(rows, start=1):
        yield [
            number,
            row.full_name,
            row.sex,
            row.id_type,
            row.id_number,
            _date(row.birth_date),
            row.applicant_type,
            row.training_base,
            row.specialty,
            row.year,
            row.round,
            _date(row.reported_on),
            row.agreement,
        ]


def roster_csv(rows):
    """The CSV as chunks of bytes, written as `rows` (an iterator is fine) are read."""
    return csv_chunks(roster_header(), roster_lines(rows))


def roster_xlsx(rows):
    """The workbook as bytes, written as `rows` (an iterator is fine) are read."""
    return xlsx_bytes(title=_("注册名单"), columns=roster_header(), rows=roster_lines(rows))


def write_roster_pdf(*, campaign: Campaign, rows, out, roster=None, advance=None):
    """The roster PDF of `rows` (an iterator is fine) written to the binary file `out`, ID numbers
    masked, in parts of ROWS_PER_PART rows; `advance(count)` is called as each part is written.
    Returns the number of pages."""
    header = roster_header()
    id_column = header.index(_("证件号码"))

    def parts():
        # At least one part: an empty roster is a page with its title and the table's header.
        lines = roster_lines(rows)
        table, first = list(itertools.islice(lines, ROWS_PER_PART)), True
        while first or table:
            for line in table:
                line[id_column] = mask_id_number(line[id_column])
            yield {"campaign": campaign, "roster": roster, "header": header, "table": table, "first": first}
            if advance is not None:
                advance(len(table))
            table, first = list(itertools.islice(lines, ROWS_PER_PART)), False

    return write_pdf_parts("admissions/roster/roster_pdf.html", parts(), out)


def start_roster_pdf(*, actor: User, campaign: Campaign) -> BulkJob:
    """Start the PDF of `campaign`'s roster as a bulk job of the province's office (`campaign`
    read through `provincial_campaign`, which checks the office may), or give back the one under way."""
    require_role(actor, Role.PROVINCIAL_OFFICE)
    return start_job(
        actor=actor,
        key=f"roster-pdf:{campaign.pk}",
        title=roster_filename(campaign, "pdf").removesuffix(".pdf"),
        task="admissions.tasks.build_roster_pdf",
    )


def write_roster_pdf_job(job: BulkJob, progress, out):
    """The job's work (see `portal.jobs.run_job`); its key names the campaign."""
    campaign = Campaign.objects.get(pk=int(job.key.rsplit(":", 1)[1]))
    progress.total(roster_size(campaign))
    write_roster_pdf(
        campaign=campaign,
        rows=iter_roster_rows(campaign),
        out=out,
        roster=published_roster(campaign),
        advance=progress.advance,
    )
    return "pdf"
