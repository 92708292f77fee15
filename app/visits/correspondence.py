"""E-mail and letter shops between sending and finishing: the open report kept on the server so that a
reply can be added on any phone the shopper signs in on, and the programme's wait limit.

Plain functions; the caller commits.
"""

from datetime import timedelta

import sqlalchemy as sa

from app.assignments.models import Assignment
from app.db_types import utcnow
from app.extensions import db
from app.programmes.calendar import holidays_of, last_day_to_reply, local_date
from app.programmes.models import Programme, Wave
from app.visits.models import CORRESPONDENCE_KINDS, KIND_FOR_CHANNEL, OpenReport, Submission
from app.visits.schemas import OpenReportArgs

_open_args = OpenReportArgs()

FINISHED_ALREADY = (
    "This report was finished and sent already: a reply that arrives afterwards cannot be added to it."
)


def _programme_of(assignment_id: int):
    return db.session.execute(
        sa.select(Programme.id, Programme.timezone, Programme.reply_wait_working_days)
        .join(Wave, Wave.programme_id == Programme.id)
        .join(Assignment, Assignment.wave_id == Wave.id)
        .where(Assignment.id == assignment_id)
    ).first()


def wait_limit_errors(item: dict) -> dict:
    """A report finished as "no reply within the wait limit" before that limit passed: its field error."""
    if item.get("finished_by") != "wait_limit" or item["kind"] not in CORRESPONDENCE_KINDS:
        return {}
    programme = _programme_of(item["assignment_id"])
    if programme is None:
        return {}
    sent_day = local_date(item["sent_at"], programme.timezone)
    holidays = holidays_of(programme.id, since=sent_day, until=sent_day + timedelta(days=400))
    last = last_day_to_reply(item["sent_at"], programme.timezone, programme.reply_wait_working_days, holidays)
    if local_date(item["completed_at"], programme.timezone) <= last:
        return {
            "finished_by": [
                f"The wait of {programme.reply_wait_working_days} working days has not passed yet: "
                f"a reply may still come until the end of {last:%d %B %Y}."
            ]
        }
    return {}


def reply_wait(assignment) -> dict | None:
    """For an e-mail or letter brief: how long the programme waits for a reply, and the bank holidays the
    phone needs to count working days offline."""
    if assignment.channel.value not in ("email", "letter"):
        return None
    programme = assignment.wave.programme
    today = utcnow().date()
    holidays = holidays_of(programme.id, since=today - timedelta(days=60), until=today + timedelta(days=400))
    return {
        "working_days": programme.reply_wait_working_days,
        "bank_holidays": sorted(day.isoformat() for day in holidays),
    }


def open_report_of(assignment) -> dict | None:
    """The draft of the shop sent on this assignment and not yet finished, as a phone last sent it."""
    if assignment.channel.value not in ("email", "letter"):
        return None
    report = db.session.scalar(
        sa.select(OpenReport)
        .where(OpenReport.assignment_id == assignment.id, OpenReport.shopper_id == assignment.shopper_id)
        .order_by(OpenReport.updated_at.desc())
        .limit(1)
    )
    return None if report is None else report.content


class OpenReportRefused(Exception):
    def __init__(self, status: int, code: str, detail: str, errors: dict | None = None):
        super().__init__(detail)
        self.status, self.code, self.detail, self.errors = status, code, detail, errors


def keep_open(shopper, item: dict) -> dict:
    """Keep (or replace) the open draft of an e-mail or letter shop. Returns it as stored.

    ``item``: a loaded ``OpenReportArgs``. Raises ``OpenReportRefused``: 422 for a report already finished
    (its ``replies`` field) or an unknown assignment, 403 for someone else's assignment or report."""
    assignment = db.session.get(Assignment, item["assignment_id"])
    if assignment is None:
        raise OpenReportRefused(
            422, "unknown_assignment", "No such assignment.", {"assignment_id": ["No such assignment."]}
        )
    if assignment.shopper_id != shopper.id:
        raise OpenReportRefused(403, "not_yours", "This assignment is not yours.")
    if KIND_FOR_CHANNEL[assignment.channel] is not item["kind"]:
        raise OpenReportRefused(
            422,
            "validation_failed",
            "Some fields are not valid; see errors.",
            {"kind": ["Not the kind of shop this assignment is: reload the brief."]},
        )
    finished = db.session.scalar(sa.select(Submission.shopper_id).where(Submission.uuid == item["uuid"]))
    if finished is not None:
        if finished != shopper.id:
            raise OpenReportRefused(403, "not_yours", "This submission belongs to someone else.")
        raise OpenReportRefused(
            422,
            "validation_failed",
            "Some fields are not valid; see errors.",
            {"replies": [FINISHED_ALREADY]},
        )
    content = _open_args.dump(item)
    report = db.session.scalar(sa.select(OpenReport).where(OpenReport.uuid == item["uuid"]))
    if report is None:
        report = OpenReport(uuid=item["uuid"], assignment_id=assignment.id, shopper_id=shopper.id)
        db.session.add(report)
    elif report.shopper_id != shopper.id or report.assignment_id != assignment.id:
        raise OpenReportRefused(403, "not_yours", "This open report belongs to someone else.")
    report.content = content
    report.updated_at = utcnow()
    return content


def forget_open(uuids) -> None:
    """The reports of these UUIDs arrived finished: their open drafts are done with."""
    uuids = list(uuids)
    if uuids:
        db.session.execute(
            sa.delete(OpenReport)
            .where(OpenReport.uuid.in_(uuids))
            .execution_options(synchronize_session=False)
        )
