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
    """One table's workbook: its rows on a sheet named ``sheet_name`` (and more if they overflow it)."""
    sheet = (sheet_name, tuple(header))
    return xlsx_workbook(((sheet, row) for row in rows), [sheet], rows_per_sheet)


def xlsx_workbook(tagged_rows: Iterable, sheets=(), rows_per_sheet: int = SHEET_ROWS) -> str:
    """Write a workbook to a temporary file and return its path (the caller deletes it).

    ``tagged_rows`` are ``((sheet name, header), row)`` pairs: each sheet is made with its header when first
    named (``sheets`` are made first, in order, even if empty), and rows may go to their sheets in any order.
    XlsxWriter needs a seekable file (a ZIP's directory is written last), so it cannot write to the
    response stream; ``constant_memory`` flushes each row of a sheet as the next begins, and ZIP64 lifts the
    4 GB limit of a plain ZIP. Strings never become formulas or links: each cell is written by its type.
    """
    handle, path = tempfile.mkstemp(prefix="export-", suffix=".xlsx")
    os.close(handle)
    workbook = xlsxwriter.Workbook(
        path,
        {"constant_memory": True, "use_zip64": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    try:
        _write_sheets(workbook, tagged_rows, sheets, rows_per_sheet)
    except BaseException:
        workbook.close()  # closes the row files constant_memory keeps open; the half-written workbook goes
        os.unlink(path)
        raise
    workbook.close()
    return path


class _Sheet:
    """Where the next row of one tagged sheet goes; a full sheet continues on "Name 2", "Name 3"..."""

    def __init__(self, workbook, formats, name, header, rows_per_sheet):
        self.workbook, self.formats, self.name, self.header = workbook, formats, name, header
        self.rows_per_sheet = rows_per_sheet
        self.parts = 0
        self._new_part()

    def _new_part(self):
        self.parts += 1
        self.sheet = self.workbook.add_worksheet(
            self.name if self.parts == 1 else f"{self.name} {self.parts}"
        )
        for column, title in enumerate(self.header):
            self.sheet.write_string(0, column, title, self.formats["bold"])
        self.sheet.freeze_panes(1, 0)
        self.row_number = 1

    def write(self, row):
        if self.row_number == self.rows_per_sheet:
            self._new_part()
        sheet, row_number = self.sheet, self.row_number
        for column, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, str):
                sheet.write_string(row_number, column, neutralise(value))
            elif isinstance(value, datetime.date):
                sheet.write_datetime(row_number, column, value, self.formats["day"])
            else:
                sheet.write_number(row_number, column, value)
        self.row_number += 1


def _write_sheets(workbook, tagged_rows, sheets, rows_per_sheet):
    formats = {
        "bold": workbook.add_format({"bold": True}),
        "day": workbook.add_format({"num_format": "yyyy-mm-dd"}),
    }
    made = {}

    def sheet_for(key):
        if key not in made:
            made[key] = _Sheet(workbook, formats, key[0], key[1], rows_per_sheet)
        return made[key]

    for key in sheets:
        sheet_for(key)
    for key, row in tagged_rows:
        sheet_for(key).write(row)


def file_chunks(path: str) -> Iterator[bytes]:
    """The file's bytes in chunks, deleting the file once they are sent (or the client went away)."""
    try:
        with open(path, "rb") as file:
            while chunk := file.read(CHUNK_BYTES):
                yield chunk
    finally:
        os.unlink(path)
