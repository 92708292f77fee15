"""The writers' pieces: formula injection neutralised, and answers labelled as a person reads them."""

import glob
import os
import tempfile

import openpyxl
import pytest

from app.exports.writers import file_chunks, neutralise, xlsx_file
from app.labels import duration
from app.questionnaires.models import Question, QuestionType
from app.visits.review import answer_label


@pytest.mark.parametrize(
    "text, shown",
    [
        ("=1+1", "'=1+1"),
        ("+44 1234", "'+44 1234"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Kind staff = good", "Kind staff = good"),
        ("", ""),
        ("'quoted", "'quoted"),
    ],
)
def test_text_a_spreadsheet_would_run_is_neutralised(text, shown):
    assert neutralise(text) == shown


@pytest.mark.parametrize(
    "question_type, value, shown",
    [
        (QuestionType.duration, 125, "2 min 05 s"),
        (QuestionType.duration, 45, "45 s"),
        (QuestionType.duration, 3725, "1 h 02 min"),
        (QuestionType.yes_no, False, "No"),
        (QuestionType.scale, None, "Not applicable"),
        (QuestionType.number, 3, "3"),
    ],
)
def test_answers_are_labelled(question_type, value, shown):
    assert answer_label(Question(key="q", type=question_type), {"q": value}, "q") == shown


def test_a_question_not_answered_shows_a_dash():
    assert answer_label(Question(key="q", type=QuestionType.text), {}, "q") == "—"
    assert duration(None) == "—"


def test_the_xlsx_temporary_file_is_deleted_once_sent():
    path = xlsx_file(["A"], [["x"]], "Sheet")
    assert os.path.exists(path) and path.startswith(tempfile.gettempdir())
    data = b"".join(file_chunks(path))
    assert data.startswith(b"PK") and not os.path.exists(path)


def test_the_xlsx_temporary_file_is_deleted_when_the_client_goes_away():
    path = xlsx_file(["A"], [["x"] for _ in range(10_000)], "Sheet")
    chunks = file_chunks(path)
    next(chunks)
    chunks.close()  # what the WSGI server does when the client disconnects
    assert not os.path.exists(path)


def test_a_failed_workbook_leaves_no_file():
    before = set(glob.glob(os.path.join(tempfile.gettempdir(), "export-*.xlsx")))

    def rows():
        yield ["x"]
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        xlsx_file(["A"], rows(), "Sheet")
    assert set(glob.glob(os.path.join(tempfile.gettempdir(), "export-*.xlsx"))) == before


def test_rows_beyond_a_sheets_limit_go_on_to_the_next_sheet():
    path = xlsx_file(["N"], [[n] for n in range(7)], "Answers", rows_per_sheet=4)  # the header and 3 rows
    try:
        workbook = openpyxl.load_workbook(path, read_only=True)
        sheets = {s.title: [r[0] for r in s.iter_rows(values_only=True)] for s in workbook.worksheets}
        workbook.close()
    finally:
        os.unlink(path)
    assert sheets == {"Answers": ["N", 0, 1, 2], "Answers 2": ["N", 3, 4, 5], "Answers 3": ["N", 6]}
