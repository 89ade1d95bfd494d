"""Spreadsheets in and out.

Reading an uploaded .xlsx table (the plan, score sheets): size and row limits, a header check,
blank rows skipped. Every problem becomes the caller's own DomainError, built by `refuse(reason)`,
so the importer names the file's fault in its own words and nothing is imported.

Writing: one .xlsx writer (`xlsx_bytes`, a bold frozen header, text that never runs as a formula)
and one CSV writer (`csv_chunks`, with a BOM) for every export."""

import csv
import io
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from portal.errors import DomainError


def cell_text(value):
    """A cell as text: numbers Excel stored as floats lose their ".0" (a code 100, not 100.0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _read_bytes(file, max_bytes, refuse):
    too_big = _("文件超过 %(size)s MB，请删去无关内容后重试。") % {"size": max_bytes // (1024 * 1024)}
    if isinstance(file, bytes | bytearray):
        data = bytes(file)
    else:
        if getattr(file, "size", None) is not None and file.size > max_bytes:
            raise refuse(too_big)
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise refuse(too_big)
    if not data:
        raise refuse(_("上传的文件是空的。"))
    return data


def read_rows(file, *, headers, refuse, max_bytes, max_rows):
    """[(Excel row number, tuple of the header columns' values)] of the first sheet's data rows."""
    not_xlsx = _("文件不是有效的 Excel 工作簿（.xlsx），请用导出的表格填写后上传。")
    too_many = _("表格超过 %(rows)s 行，请分批导入。") % {"rows": max_rows}
    data = _read_bytes(file, max_bytes, refuse)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds of errors for a file that is not xlsx
        raise refuse(not_xlsx) from error
    found = []
    try:
        if not workbook.worksheets:
            raise refuse(not_xlsx)
        rows = workbook.worksheets[0].iter_rows(max_col=len(headers), values_only=True)
        header = tuple(cell_text(value) for value in next(rows, ()))
        header += ("",) * (len(headers) - len(header))
        if header != tuple(headers):
            raise refuse(
                _("第1行应为表头“%(expected)s”（依次为这些列），现为“%(found)s”。")
                % {"expected": "、".join(headers), "found": "、".join(v for v in header if v) or _("空")}
            )
        for number, values in enumerate(rows, start=2):
            # Blank rows count too, so a sheet of a million empty rows is refused, not scanned.
            if number > 10 * max_rows:
                raise refuse(too_many)
            values = tuple(values) + (None,) * (len(headers) - len(values))
            if all(cell_text(value) == "" for value in values):
                continue
            if len(found) == max_rows:
                raise refuse(too_many)
            found.append((number, values))
    except DomainError:
        raise
    except Exception as error:  # a damaged sheet fails only while it is read
        raise refuse(not_xlsx) from error
    finally:
        workbook.close()
    if not found:
        raise refuse(_("表头下没有任何数据行。"))
    return found


# Cells starting with these are formulas to a spreadsheet: prefixed with ' in exports (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A value for an exported cell: text that could start a formula is kept as text."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_chunks(header, rows, *, rows_per_chunk=1000):
    """A CSV file Excel opens correctly in Chinese (UTF-8 with a BOM, every cell made safe), as
    chunks of bytes produced while `rows` are read: a long file can stream."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(header)
    for number, row in enumerate(rows, start=1):
        writer.writerow([safe_cell(value) for value in row])
        if number % rows_per_chunk == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def csv_bytes(header, rows):
    """The whole CSV file of `csv_chunks` as bytes."""
    return b"".join(csv_chunks(header, rows))


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class Column:
    """A column of an exported sheet: its header, its width in characters (None: Excel's default,
    or fitted to the contents with `fit_widths`), the number format of its numbers (e.g. "0.0"),
    and whether its text wraps."""

    title: str
    width: float | None = None
    number_format: str | None = None
    wrap: bool = False


def display_width(value) -> int:
    """How many columns `value` takes on screen: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in str(value))


def xlsx_bytes(
    *,
    title: str,
    columns: Sequence[Column | str],
    rows: Iterable[Sequence],
    freeze: str = "A2",
    fit_widths: bool = False,
) -> bytes:
    """One sheet as .xlsx bytes: a bold header row, frozen at `freeze`, then `rows`. Every string
    is a text cell (format "@"): a name starting with "=" never runs as a formula and an ID number
    keeps its leading zeros and X. Written row by row (openpyxl's write-only mode), so a long
    export holds the file, not a sheet of cell objects, in memory; `fit_widths` reads all rows
    first to size the columns to their contents."""
    columns = [column if isinstance(column, Column) else Column(column) for column in columns]
    widths = [column.width for column in columns]
    if fit_widths:
        rows = [list(row) for row in rows]
        for index, column in enumerate(columns):
            fitted = max([display_width(column.title)] + [display_width(row[index]) for row in rows])
            widths[index] = min(fitted + 4, 70)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    for index, width in enumerate(widths, start=1):
        if width:
            sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = freeze
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.title)
        cell.font = _BOLD
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([_cell(sheet, value, column) for value, column in zip(row, columns, strict=True)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(sheet, value, column):
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        cell.number_format = "@"
        if column.wrap:
            cell.alignment = _WRAP
        return cell
    if column.number_format and value is not None:
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = column.number_format
        return cell
    return value
