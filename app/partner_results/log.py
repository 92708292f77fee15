"""The detailed log a partner reads: each released visit, call, e-mail, letter and website shop — what
happened, timings, answers and notes — with nothing that identifies the shopper or names a member of staff.

Only what is selected here can reach the page: no user id, name or e-mail is shown (the shopper's name and
e-mail are read only to remove them from free text), dates are to the day on the programme's clock, photos
and evidence are left out (a face or a badge could name someone), and every free text passes through
``partner_text``.
"""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.assignments.models import Assignment
from app.extensions import db
from app.labels import duration, outcome_label
from app.programmes.models import ContactPoint, Programme, Scenario, ServiceArea
from app.questionnaires.models import QuestionnaireVersion, QuestionType, Section
from app.releases.redaction import partner_text
from app.results.figures import CHANNEL_NAMES
from app.results.models import ReportResult
from app.visits.models import Submission
from app.visits.review import answer_label, questions_in_order

PAGE_SIZE = 25


@dataclass
class LogPage:
    total: int
    items: list[dict]
    page: int
    pages: int


def _query(ids):
    return (
        sa.select(
            Submission.id,
            Submission.started_at,
            Submission.completed_at,
            Submission.sent_at,
            Submission.replies,
            Submission.answers,
            Submission.notes,
            Submission.commendation,
            Submission.partner_texts,
            Submission.call_log,
            Submission.questionnaire_version_id,
            Assignment.channel,
            ContactPoint.name.label("contact_point"),
            ServiceArea.name.label("service_area"),
            Scenario.title.label("scenario"),
            Scenario.cross_tier,
            ReportResult.score,
            ReportResult.critical_failure,
            User.display_name.label("shopper_name"),
            User.email.label("shopper_email"),
        )
        .join(Assignment, Assignment.id == Submission.assignment_id)
        .join(ContactPoint, ContactPoint.id == Assignment.contact_point_id)
        .join(Scenario, Scenario.id == Assignment.scenario_id)
        .join(ServiceArea, ServiceArea.id == Scenario.service_area_id)
        .join(User, User.id == Submission.shopper_id)
        .outerjoin(ReportResult, ReportResult.submission_id == Submission.id)
        .where(Submission.id.in_(ids))
    )


def page_of(programme: Programme, report_ids, page: int) -> LogPage:
    """One page of the log of ``report_ids`` (a SELECT of submission ids), oldest first. The page's ids are
    found first and only those reports are read whole: sorting every report with its answers and notes to
    keep a page of them costs as much as reading them all."""
    total = db.session.scalar(sa.select(sa.func.count()).select_from(report_ids.subquery()))
    oldest_first = (Submission.completed_at, Submission.id)
    page_ids = db.session.scalars(
        sa.select(Submission.id)
        .where(Submission.id.in_(report_ids))
        .order_by(*oldest_first)
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    rows = db.session.execute(_query(page_ids).order_by(*oldest_first)).all()
    shaped = Shaper(programme)
    return LogPage(total, [shaped(row) for row in rows], page, max(1, -(-total // PAGE_SIZE)))


def one(programme: Programme, report_ids, submission_id: int) -> dict | None:
    """One report of ``report_ids``, or None when it is not among them (another partner's, unreleased)."""
    row = db.session.execute(_query(report_ids).where(Submission.id == submission_id)).first()
    return Shaper(programme)(row, with_answers=True) if row else None


class Shaper:
    """Rows as the partner reads them; questionnaire versions read once each."""

    def __init__(self, programme: Programme):
        self.programme = programme
        self.zone = ZoneInfo(programme.timezone)
        self._versions = {}

    def day(self, moment: datetime | str | None):
        if moment is None:
            return None
        if isinstance(moment, str):
            moment = datetime.fromisoformat(moment)
        return moment.astimezone(self.zone).date()

    def questions(self, version_id: int):
        if version_id not in self._versions:
            version = db.session.scalars(
                sa.select(QuestionnaireVersion)
                .where(QuestionnaireVersion.id == version_id)
                .options(selectinload(QuestionnaireVersion.sections).selectinload(Section.questions))
            ).one()
            self._versions[version_id] = questions_in_order(version)
        return self._versions[version_id]

    def __call__(self, row, with_answers: bool = False) -> dict:
        known = (row.shopper_name, row.shopper_email)
        item = {
            "id": row.id,
            "channel": CHANNEL_NAMES[row.channel],
            "contact_point": row.contact_point,
            "service_area": row.service_area,
            "scenario": row.scenario,
            "cross_tier": row.cross_tier,
            "date": self.day(row.completed_at),
            "time_taken": duration((row.completed_at - row.started_at).total_seconds()),
            "score": row.score,
            "critical_failure": row.critical_failure,
            "notes": partner_text(row.notes, known, row.partner_texts, "notes"),
            "commendation": partner_text(row.commendation, known, row.partner_texts, "commendation")
            if self.programme.commendations_allowed
            else "",
            "timings": self.timings(row),
        }
        if with_answers:
            answers = row.answers or {}
            item["answers"] = [
                {
                    "section": section,
                    "question": question.text,
                    "answer": partner_text(
                        answer_label(question, answers, question.key), known, row.partner_texts, question.key
                    )
                    if question.type is QuestionType.text
                    else answer_label(question, answers, question.key),
                }
                for section, question in self.questions(row.questionnaire_version_id)
                if question.type is not QuestionType.photo
            ]
        return item

    def timings(self, row) -> list[tuple[str, str]]:
        """What happened and how long it took, as (label, value) pairs a person reads."""
        shown = []
        if row.sent_at is not None:
            shown.append(("Sent", self.day(row.sent_at).strftime("%-d %B %Y")))
            replies = [r for r in (row.replies or []) if r.get("received_at")]
            if replies:
                first = min(datetime.fromisoformat(r["received_at"]) for r in replies)
                shown.append(("First reply", self.day(first).strftime("%-d %B %Y")))
                shown.append(("Replies", str(len(replies))))
            else:
                shown.append(("First reply", "No reply"))
        log = row.call_log
        if log:
            answered = log.get("seconds_to_answer")
            shown.append(
                (
                    "Answered by a person after",
                    "Not answered" if answered is None else duration(answered),
                )
            )
            if log.get("rings") is not None:
                shown.append(("Rings", str(log["rings"])))
            message = log.get("recorded_message") or {}
            if message.get("heard"):
                parts = [
                    label
                    for key, label in (
                        ("gave_name", "the service's name"),
                        ("gave_hours", "the hours"),
                        ("gave_alternative", "another way to get help"),
                    )
                    if message.get(key)
                ]
                shown.append(
                    (
                        "Recorded message",
                        "Gave " + ", ".join(parts) if parts else "Gave none of name, hours or another way",
                    )
                )
            transfers = log.get("transfers") or []
            shown.append(
                (
                    "Transfers",
                    str(len(transfers))
                    + (
                        f" ({sum(1 for t in transfers if t.get('announced'))} announced)" if transfers else ""
                    ),
                )
            )
            if log.get("handle_time_seconds") is not None:
                shown.append(("Handle time", duration(log["handle_time_seconds"])))
            if log.get("outcome"):
                shown.append(("Outcome", outcome_label(log["outcome"])))
        return shown
