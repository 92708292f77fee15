"""The three exports as tables: a header and rows, read from the database in batches.

Only approved reports count. Rows carry what the report says and where it was made; never who made it
or who reviewed it (no user id, name or e-mail is selected at all). Dates are to the day, on the
programme's clock: a minute could identify the shopper. Answers, outcomes and durations are labelled
as the coordinator's report page labels them (``app.visits.review``).
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.assignments.models import Assignment
from app.exports.access import ExportScope
from app.extensions import db
from app.labels import channel_label, duration, outcome_label
from app.plans import services as plans
from app.plans.models import FindingResponse, PlanAction
from app.programmes.models import ContactPoint, Organisation, Programme, Scenario, ServiceArea, Wave
from app.questionnaires.models import QuestionnaireVersion, QuestionType, Section
from app.releases.redaction import Redactor
from app.releases.services import released_report_ids, released_waves, shopper_identities
from app.results import figures
from app.visits.models import Submission, SubmissionState
from app.visits.review import CALL_COMMENT, answer_label, questions_in_order, transfer_field

BATCH = 1000  # rows fetched at a time: memory stays flat whatever the size of the export

# Where a report was made: the first columns of every export.
_WHERE = (
    ("Report", Submission.id),
    ("Wave", Wave.name),
    ("Organisation", Organisation.name),
    ("Contact point", ContactPoint.name),
    ("Channel", Assignment.channel),
    ("Service area", ServiceArea.name),
)


def _approved(scope: ExportScope, *columns):
    """Approved reports in scope, oldest first, with the columns of ``_WHERE`` and then ``columns``."""
    query = (
        sa.select(*(column for _, column in _WHERE), Programme.timezone, *columns)
        .select_from(Submission)
        .join(Assignment, Submission.assignment_id == Assignment.id)
        .join(Wave, Assignment.wave_id == Wave.id)
        .join(Programme, Wave.programme_id == Programme.id)
        .join(ContactPoint, Assignment.contact_point_id == ContactPoint.id)
        .join(Organisation, ContactPoint.organisation_id == Organisation.id)
        .join(Scenario, Assignment.scenario_id == Scenario.id)
        .join(ServiceArea, Scenario.service_area_id == ServiceArea.id)
        .where(Submission.state == SubmissionState.approved)
        .order_by(Submission.id)
        .execution_options(yield_per=BATCH)
    )
    if scope.programme_id is not None:
        query = query.where(Wave.programme_id == scope.programme_id)
    if scope.wave_id is not None:
        query = query.where(Assignment.wave_id == scope.wave_id)
    if scope.organisation_id is not None:
        query = query.where(ContactPoint.organisation_id == scope.organisation_id)
    if scope.released_to is not None:
        query = query.where(Submission.id.in_(released_report_ids(scope.released_to, scope.wave_id)))
    return db.session.execute(query)


def _free_text(scope: ExportScope) -> Callable[..., str | None]:
    """How free text goes out, called with (text, the report's ``partner_texts``, its field): as written to the
    coordinator; to a partner, as the reviewer cleared it and through the partner guard (no staff names,
    nothing of the shoppers of the released reports)."""
    if scope.released_to is None:
        return lambda text, cleared=None, field=None: text
    return Redactor(shopper_identities(released_report_ids(scope.released_to, scope.wave_id)))


def _where(row) -> list:
    report, wave, organisation, point, channel, area = row[: len(_WHERE)]
    return [report, wave, organisation, point, channel_label(channel), area]


_WHERE_HEADER = [title for title, _ in _WHERE]


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _day(moment: datetime | None, timezone: str) -> date | None:
    return None if moment is None else moment.astimezone(_zone(timezone)).date()


def _yes_no(value) -> str:
    return "" if value is None else ("Yes" if value else "No")


# --- reports ----------------------------------------------------------------------------------------


REPORTS_HEADER = _WHERE_HEADER + [
    "Scenario",
    "Date",
    "Time taken",
    "Sent",
    "Replies",
    "First reply",
    "Notes",
    "Commendation",
]


def report_rows(scope: ExportScope) -> Iterator[list]:
    result = _approved(
        scope,
        Scenario.title,
        Submission.started_at,
        Submission.completed_at,
        Submission.sent_at,
        Submission.replies,
        Submission.notes,
        Submission.commendation,
        Programme.commendations_allowed,
        Submission.partner_texts,
    )
    text = _free_text(scope)
    for row in result:
        timezone, scenario, started, completed, sent, replies, notes, commendation, allowed, cleared = row[
            len(_WHERE) :
        ]
        replies = replies or []
        first_reply = min((r.get("received_at") for r in replies if r.get("received_at")), default=None)
        yield _where(row) + [
            scenario,
            _day(completed, timezone),
            duration((completed - started).total_seconds()),
            _day(sent, timezone),
            len(replies),
            _day(datetime.fromisoformat(first_reply), timezone) if first_reply else None,
            text(notes, cleared, "notes"),
            text(commendation, cleared, "commendation") if allowed else "",
        ]


# --- answers ----------------------------------------------------------------------------------------


# One row per answer, for tools (the workbook has a row per report: ``answer_sheets``). Where the report was
# made is in the reports export, under the same report number.
ANSWERS_HEADER = ["Report", "Section", "Question key", "Question", "Answer"]


def answer_rows(scope: ExportScope) -> Iterator[list]:
    """One row per (approved report, question of its questionnaire version), in questionnaire order."""
    questions = {}  # version id -> [(section title, question)]: a handful of versions per programme
    text = _free_text(scope)
    for row in _approved(
        scope, Submission.partner_texts, Submission.questionnaire_version_id, Submission.answers
    ):
        report, cleared, version_id, answers = row[0], row[-3], row[-2], row[-1] or {}
        if version_id not in questions:
            questions[version_id] = _questions(version_id)
        for section_title, question in questions[version_id]:
            yield [
                report,
                section_title,
                question.key,
                question.text,
                text(answer_label(question, answers, question.key), cleared, question.key)
                if question.type is QuestionType.text
                else answer_label(question, answers, question.key),
            ]


def _version(version_id: int) -> QuestionnaireVersion:
    return db.session.scalars(
        sa.select(QuestionnaireVersion)
        .where(QuestionnaireVersion.id == version_id)
        .options(
            selectinload(QuestionnaireVersion.sections).selectinload(Section.questions),
            selectinload(QuestionnaireVersion.questionnaire),
        )
    ).one()


def _questions(version_id: int):
    return questions_in_order(_version(version_id))


_NOT_IN_SHEET_NAMES = str.maketrans({c: " " for c in "[]:*?/\\'"})


def answer_sheets(scope: ExportScope) -> Iterator[tuple[tuple, list]]:
    """The answers as a spreadsheet reads them: a sheet per questionnaire version, one row per approved report
    (where it was made, then a column per question, labelled as in the CSV), tagged with its sheet.

    The CSV keeps one row per answer, for tools; a workbook of a million one-answer rows filled Excel's
    sheet and cost XlsxWriter five cells a row (bench/README.md), where a row per report costs one.
    """
    sheets = {}  # version id -> ((sheet name, header), [question keys and questions])
    used: set[str] = set()
    text = _free_text(scope)
    for row in _approved(
        scope, Submission.partner_texts, Submission.questionnaire_version_id, Submission.answers
    ):
        cleared, version_id, answers = row[-3], row[-2], row[-1] or {}
        if version_id not in sheets:
            sheets[version_id] = _answer_sheet(version_id, used)
        key, questions = sheets[version_id]
        yield (
            key,
            _where(row)
            + [
                text(answer_label(q, answers, q.key), cleared, q.key)
                if q.type is QuestionType.text
                else answer_label(q, answers, q.key)
                for q in questions
            ],
        )


def _answer_sheet(version_id: int, used: set[str]):
    version = _version(version_id)
    questions = [question for _, question in questions_in_order(version)]
    title = version.questionnaire.title.translate(_NOT_IN_SHEET_NAMES).strip()
    base = f"{title[:20].strip()} v{version.number}"
    name, copy = base, 1
    while name.lower() in used:
        copy += 1
        name = f"{base} ({copy})"
    used.add(name.lower())
    header = tuple(_WHERE_HEADER + [f"{q.text} ({q.key})" for q in questions])
    return (name, header), questions


# --- calls ------------------------------------------------------------------------------------------


CALLS_HEADER = _WHERE_HEADER + [
    "Date",
    "Answered by a person after",
    "Rings",
    "Recorded message heard",
    "Message gave the service's name",
    "Message gave the hours",
    "Message gave another way to get help",
    "Message comment",
    "Outcome",
    "Abandoned after",
    "Handle time",
    "Transfers",
    "Transfers announced",
    "Waiting in transfers",
    "Put through to",
]


def call_rows(scope: ExportScope) -> Iterator[list]:
    """One row per telephone call with a call log; its transfers in a few columns."""
    result = _approved(scope, Submission.call_log, Submission.partner_texts)
    text = _free_text(scope)
    for row in result:
        timezone, log, cleared = row[len(_WHERE) :]
        if not log:
            continue
        message = log.get("recorded_message") or {}
        transfers = log.get("transfers") or []
        waits = [t["seconds_waiting"] for t in transfers if t.get("seconds_waiting") is not None]
        abandoned = log.get("abandoned_after_minutes")
        yield _where(row) + [
            _day(datetime.fromisoformat(log["dialled_at"]), timezone),
            "Not answered" if log.get("seconds_to_answer") is None else duration(log["seconds_to_answer"]),
            "Not counted" if log.get("rings") is None else log["rings"],
            _yes_no(message.get("heard")),
            _yes_no(message.get("gave_name")),
            _yes_no(message.get("gave_hours")),
            _yes_no(message.get("gave_alternative")),
            text(message.get("comment") or "", cleared, CALL_COMMENT),
            outcome_label(log.get("outcome")),
            f"{abandoned} min" if abandoned is not None else "",
            duration(log.get("handle_time_seconds")),
            len(transfers),
            sum(1 for t in transfers if t.get("announced")),
            duration(sum(waits)) if waits else "",
            "; ".join(
                f"{text(t['to'], cleared, transfer_field(i))} ({'announced' if t.get('announced') else 'not announced'}"
                + (
                    f", waited {duration(t['seconds_waiting'])})"
                    if t.get("seconds_waiting") is not None
                    else ")"
                )
                for i, t in enumerate(transfers)
            ),
        ]


# --- improvement plans ----------------------------------------------------------------------------


PLANS_HEADER = [
    "Organisation",
    "Wave",
    "Kind",
    "Finding",
    "Action or response",
    "Owner role",
    "Due by",
    "Status",
    "Progress",
    "Progress notes",
    "Written",
]


def plan_rows(scope: ExportScope) -> Iterator[list]:
    """The actions of the plans in scope, then the responses to disputed findings, oldest first; progress is
    as of today, and each note is its date then its text."""
    today = date.today()
    names: dict[int, figures.Names] = {}  # programme id -> its Names

    def named(programme_id):
        if programme_id not in names:
            programme = db.session.get(Programme, programme_id)
            names[programme_id] = figures.Names(programme)
        return names[programme_id]

    for model in (PlanAction, FindingResponse):
        query = (
            sa.select(model, Organisation.name, Wave.name)
            .join(Organisation, Organisation.id == model.organisation_id)
            .join(Wave, Wave.id == model.wave_id)
            .order_by(model.id)
        )
        if scope.programme_id is not None:
            query = query.where(model.programme_id == scope.programme_id)
        if scope.wave_id is not None:
            query = query.where(model.wave_id == scope.wave_id)
        if scope.organisation_id is not None:
            query = query.where(model.organisation_id == scope.organisation_id)
        if scope.released_to is not None:  # a partner: its own plans, on the waves released to it
            released = [w.id for w in released_waves(scope.released_to)]
            query = query.where(model.organisation_id == scope.released_to, model.wave_id.in_(released))
        if model is PlanAction:
            query = query.options(selectinload(PlanAction.notes))
        for item, organisation, wave in db.session.execute(query.execution_options(yield_per=BATCH)):
            finding = plans.label(named(item.programme_id), plans.Finding.of(item))
            written = _day(item.created_at, "UTC")
            if model is PlanAction:
                notes = "; ".join(f"{n.written_on.isoformat()}: {n.text}" for n in item.notes)
                yield [
                    organisation,
                    wave,
                    "Action",
                    finding,
                    item.action,
                    item.owner_role,
                    item.due_on,
                    plans.STATUS_NAMES[item.status],
                    plans.PROGRESS_NAMES[plans.progress(item, today)],
                    notes,
                    written,
                ]
            else:
                yield [
                    organisation,
                    wave,
                    "Response to a finding",
                    finding,
                    item.text,
                    "",
                    None,
                    "",
                    "",
                    "",
                    written,
                ]


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: Callable[[ExportScope], Iterator[list]]
    sheet: str
    # The workbook's rows tagged with their sheets, where it is not the CSV's one sheet.
    xlsx_rows: Callable[[ExportScope], Iterator[tuple[tuple, list]]] | None = None

    def tagged_rows(self, scope: ExportScope) -> tuple[Iterator, list]:
        """(rows tagged ``((sheet name, header), row)``, the sheets to make even when empty)."""
        if self.xlsx_rows is not None:
            return self.xlsx_rows(scope), []
        sheet = (self.sheet, tuple(self.header))
        return ((sheet, row) for row in self.rows(scope)), [sheet]


TABLES = {
    "reports": Table(REPORTS_HEADER, report_rows, "Reports"),
    "answers": Table(ANSWERS_HEADER, answer_rows, "Answers", answer_sheets),
    "calls": Table(CALLS_HEADER, call_rows, "Calls"),
    "plans": Table(PLANS_HEADER, plan_rows, "Improvement plans"),
}
