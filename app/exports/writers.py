"""CSV and XLSX writing, streamed, with spreadsheet formula injection neutralised.

Rows are sequences of ``str``, ``int``, ``float``, ``datetime.date`` or ``None`` (an empty cell).
"""

import csv
import datetime
import os
import tempfile
from collections.abc import Iterable, Iterator

import xlsxwriter

# A spreadsheet takes a cell that begins with one of these as a formula (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK_BYTES = 64 * 1024
# An Excel sheet holds 1,048,576 rows; XlsxWriter drops what is written beyond. The header takes one.
SHEET_ROWS = 1_048_576


def neutralise(text: str) -> str:
    """Text a spreadsheet would run as a formula, prefixed with a single quote so that it shows as typed."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


class _Line:
    """A file-like object that hands back what ``csv.writer`` wrote to it."""

    def write(self, text):
        return text


def csv_chunks(header: list[str], rows: Iterable) -> Iterator[bytes]:
    """The CSV in chunks of about CHUNK_BYTES. UTF-8 with a byte-order mark: without it Excel reads the
    file as the machine's legacy code page and mangles every accented name."""
    writer = csv.writer(_Line())
    parts = ["\ufeff", writer.writerow(header)]
    size = 0
    for row in rows:
        line = writer.writerow([_csv_cell(v) for v in row])
        parts.append(line)
        size += len(line)
        if size >= CHUNK_BYTES:
            yield "".join(parts).encode()
            parts, size = [], 0
    yield "".join(parts).encode()


def xlsx_file(header: list[str], rows: Iterable, sheet_name: str, rows_per_sheet: int = SHEET_ROWS) -> str:
    """Write the workbook to a temporary file and return its path (the caller deletes it).

    XlsxWriter needs a seekable file (a ZIP's directory is written last), so it cannot write to the
    response stream; ``constant_memory`` flushes each row as it is written, and ZIP64 lifts the 4 GB
    limit of a plain ZIP. Strings never become formulas or links: each cell is written by its type.
    """
    handle, path = tempfile.mkstemp(prefix="export-", suffix=".xlsx")
    os.close(handle)
    workbook = xlsxwriter.Workbook(
        path,
        {"constant_memory": True, "use_zip64": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    try:
        _write_sheet(workbook, header, rows, sheet_name, rows_per_sheet)
    except BaseException:
        workbook.close()  # closes the row files constant_memory keeps open; the half-written workbook goes
        os.unlink(path)
        raise
    workbook.close()
    return path


def _write_sheet(workbook, header, rows, sheet_name, rows_per_sheet):
    """The rows on as many sheets as they need ("Answers", "Answers 2", ...), each with the header."""
    bold = workbook.add_format({"bold": True})
    day = workbook.add_format({"num_format": "yyyy-mm-dd"})

    def new_sheet(number):
        sheet = workbook.add_worksheet(sheet_name if number == 1 else f"{sheet_name} {number}")
        for column, title in enumerate(header):
            sheet.write_string(0, column, title, bold)
        sheet.freeze_panes(1, 0)
        return sheet

    sheets, sheet, row_number = 1, new_sheet(1), 1
    for row in rows:
        if row_number == rows_per_sheet:
            sheets += 1
            sheet, row_number = new_sheet(sheets), 1
        for column, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, str):
                sheet.write_string(row_number, column, neutralise(value))
            elif isinstance(value, datetime.date):
                sheet.write_datetime(row_number, column, value, day)
            else:
                sheet.write_number(row_number, column, value)
        row_number += 1


def file_chunks(path: str) -> Iterator[bytes]:
    """The file's bytes in chunks, deleting the file once they are sent (or the client went away)."""
    try:
        with open(path, "rb") as file:
            while chunk := file.read(CHUNK_BYTES):
                yield chunk
    finally:
        os.unlink(path)
