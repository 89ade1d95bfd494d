"""Reading an uploaded .xlsx table (the plan, score sheets): size and row limits, a header check,
blank rows skipped. Every problem becomes the caller's own DomainError, built by `refuse(reason)`,
so the importer names the file's fault in its own words and nothing is imported."""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import load_workbook

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
