"""The registration roster as files: CSV (with a BOM) and xlsx in the one column layout the national
platform imports, with full ID numbers (for the provincial office only), and a PDF with masked ID
numbers, since it may be printed and posted."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from portal.pdf import render_pdf
from portal.privacy import mask_id_number
from portal.spreadsheets import csv_chunks

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
    """The workbook as bytes. Written row by row (openpyxl's write-only mode), so only the file,
    not a sheet of cell objects, is held in memory."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("注册名单"))
    sheet.freeze_panes = "A2"
    sheet.append([_header_cell(sheet, title) for title in roster_header()])
    for line in roster_lines(rows):
        sheet.append([_text_cell(sheet, value) if isinstance(value, str) else value for value in line])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _header_cell(sheet, title):
    cell = WriteOnlyCell(sheet, value=title)
    cell.font = Font(bold=True)
    return cell


def _text_cell(sheet, value):
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # text, never a formula
    cell.number_format = "@"
    return cell


def roster_pdf(*, campaign, rows, roster=None):
    header, table = roster_header(), list(roster_lines(rows))
    id_column = header.index(_("证件号码"))
    for line in table:
        line[id_column] = mask_id_number(line[id_column])
    return render_pdf(
        "admissions/roster/roster_pdf.html",
        {"campaign": campaign, "roster": roster, "header": header, "table": table},
    )
