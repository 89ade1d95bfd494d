"""The registration roster as files: CSV (with a BOM) and xlsx in the one column layout the national
platform imports, with full ID numbers (for the provincial office only), and a PDF with masked ID
numbers, since it may be printed and posted."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from portal.pdf import render_pdf
from portal.privacy import mask_id_number
from portal.spreadsheets import csv_bytes

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


def roster_table(rows):
    """Header and rows as the CSV and xlsx write them: every cell text except 序号 and 招收年度,
    so an ID number keeps its digits and its final X."""
    table = [
        [
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
        for number, row in enumerate(rows, start=1)
    ]
    return roster_header(), table


def roster_csv(rows):
    header, table = roster_table(rows)
    return csv_bytes(header, table)


def roster_xlsx(rows):
    header, table = roster_table(rows)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("注册名单")
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for line in table:
        sheet.append(line)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, never a formula
                cell.number_format = "@"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def roster_pdf(*, campaign, rows, roster=None):
    header, table = roster_table(rows)
    id_column = header.index(_("证件号码"))
    for line in table:
        line[id_column] = mask_id_number(line[id_column])
    return render_pdf(
        "admissions/roster/roster_pdf.html",
        {"campaign": campaign, "roster": roster, "header": header, "table": table},
    )
