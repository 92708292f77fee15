"""Approved reports to export, and the exports read back (CSV with ``csv``, XLSX with openpyxl)."""

import csv
import io
import zipfile

import openpyxl

from app.extensions import db
from app.visits import review
from tests.review.helpers import make_submission

BOM = "\ufeff".encode()


def approved(world, shopper, assignment, reviewer, **overrides):
    submission = make_submission(world, shopper, assignment, **overrides)
    review.approve(submission, reviewer)
    db.session.commit()
    return submission


def read_csv(response) -> list[dict]:
    data = response.get_data()
    assert data.startswith(BOM)
    return list(csv.DictReader(io.StringIO(data[len(BOM) :].decode())))


def csv_header(response) -> list[str]:
    return next(csv.reader(io.StringIO(response.get_data()[len(BOM) :].decode())))


def read_xlsx(response) -> tuple[list[str], list[dict], list[list]]:
    """(header, rows as dicts, the cells themselves) of the workbook's one sheet."""
    workbook = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    [sheet] = workbook.worksheets
    cells = [list(row) for row in sheet.iter_rows()]
    header = [c.value for c in cells[0]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in cells[1:]]
    return header, rows, cells[1:]


def every_byte(response) -> bytes:
    """The export's bytes, and for an XLSX (a ZIP) every member's uncompressed bytes too."""
    data = response.get_data()
    if data.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            data += b"".join(archive.read(name) for name in archive.namelist())
    return data
