"""The retention job: what is past the programme's retention period, and deleting it.

Due are a report's free text if it is an exit interview (what the resident said: its text answers, notes
and commendation) and every evidence photo, of any channel, once the report was collected more than the
programme's ``retention_days`` ago. Collected is the earlier of the device's completion time and the server's
receipt, so a phone clock set wrong cannot keep anything longer. Superseded revisions are cleaned of the same.

Scores never change: no text or photo answer earns points (``app.results.scoring``), the stored scores are
not touched, and ``content_hash`` is kept, so a late replay from a phone is still recognised as one.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.assignments.models import Assignment
from app.audit.services import record
from app.extensions import db
from app.programmes.models import Programme, Wave
from app.questionnaires.models import Question, QuestionType
from app.retention.models import RetentionDeletion
from app.visits.models import Submission, SubmissionKind

FREE_TEXT_FIELDS = ("notes", "commendation")
_CONTENT_FIELDS = ("answers", "evidence", *FREE_TEXT_FIELDS)


@dataclass
class Due:
    """One report with something past its retention period."""

    submission: Submission
    programme: Programme
    collected_at: datetime
    text_fields: list[str] = field(default_factory=list)
    photos: int = 0
    photo_bytes: int = 0
    revisions: int = 0


def _photo_bytes(item: dict) -> int:
    data = item.get("data") or ""
    return len(data) * 3 // 4 - (len(data) - len(data.rstrip("=")))


def _due_in(content: dict, text_keys: set[str], exit_interview: bool) -> tuple[list[str], list[dict]]:
    """The free-text fields and the photos of one content (a row's or a revision's) that are to go."""
    texts = []
    if exit_interview:
        answers = content.get("answers") or {}
        texts = sorted(key for key in text_keys if answers.get(key) not in (None, ""))
        texts += [name for name in FREE_TEXT_FIELDS if content.get(name)]
    photos = [e for e in content.get("evidence") or [] if e.get("kind") == "photo" and "data" in e]
    return texts, photos


def _cleaned(content: dict, texts: list[str], deleted_at: datetime) -> dict:
    """The content without the given free text and without photo data (the item stays, so a photo answer
    still names it, with when it was deleted)."""
    answers = {k: v for k, v in (content.get("answers") or {}).items() if k not in texts}
    evidence = [
        {k: v for k, v in e.items() if k not in ("data", "caption")} | {"deleted_at": deleted_at.isoformat()}
        if e.get("kind") == "photo" and "data" in e
        else e
        for e in content.get("evidence") or []
    ]
    cleaned = {**content, "answers": answers, "evidence": evidence}
    for name in FREE_TEXT_FIELDS:
        if name in texts:
            cleaned[name] = ""
    return cleaned


def _text_keys(version_ids) -> dict[int, set[str]]:
    keys: dict[int, set[str]] = {}
    query = sa.select(Question.version_id, Question.key).where(
        Question.type == QuestionType.text, Question.version_id.in_(version_ids)
    )
    for version_id, key in db.session.execute(query):
        keys.setdefault(version_id, set()).add(key)
    return keys


def due_for_deletion(now: datetime) -> list[Due]:
    """Every report, in every programme, with free text or photos older than its programme's period."""
    due = []
    for programme in db.session.scalars(sa.select(Programme).order_by(Programme.id)):
        cutoff = now - timedelta(days=programme.retention_days)
        query = (
            sa.select(Submission)
            .join(Assignment, Assignment.id == Submission.assignment_id)
            .join(Wave, Wave.id == Assignment.wave_id)
            .where(
                Wave.programme_id == programme.id,
                sa.or_(Submission.completed_at < cutoff, Submission.received_at < cutoff),
            )
            .options(selectinload(Submission.revisions))
            .order_by(Submission.id)
        )
        submissions = db.session.scalars(query).all()
        text_keys = _text_keys({s.questionnaire_version_id for s in submissions})
        for submission in submissions:
            found = _due_for(submission, programme, text_keys.get(submission.questionnaire_version_id, set()))
            if found is not None:
                due.append(found)
    return due


def _due_for(submission: Submission, programme: Programme, text_keys: set[str]) -> Due | None:
    exit_interview = submission.kind is SubmissionKind.exit_interview
    texts, photos = _due_in(_row_content(submission), text_keys, exit_interview)
    revisions = [r for r in submission.revisions if any(_due_in(r.content, text_keys, exit_interview))]
    if not texts and not photos and not revisions:
        return None
    found = Due(submission, programme, min(submission.completed_at, submission.received_at), texts)
    found.photos = len(photos)
    found.photo_bytes = sum(_photo_bytes(p) for p in photos)
    found.revisions = len(revisions)
    return found


def _row_content(submission: Submission) -> dict:
    return {name: getattr(submission, name) for name in _CONTENT_FIELDS}


def delete_due(due: list[Due], now: datetime) -> list[RetentionDeletion]:
    """Delete what ``due_for_deletion`` found and log each report; the caller commits."""
    logged = []
    text_keys = _text_keys({d.submission.questionnaire_version_id for d in due})
    for item in due:
        submission = item.submission
        keys = text_keys.get(submission.questionnaire_version_id, set())
        exit_interview = submission.kind is SubmissionKind.exit_interview
        for name, value in _cleaned(_row_content(submission), item.text_fields, now).items():
            setattr(submission, name, value)
        for revision in submission.revisions:
            texts, _ = _due_in(revision.content, keys, exit_interview)
            revision.content = _cleaned(revision.content, texts, now)
        entry = RetentionDeletion(
            programme_id=item.programme.id,
            submission_id=submission.id,
            deleted_at=now,
            collected_at=item.collected_at,
            retention_days=item.programme.retention_days,
            text_fields=item.text_fields,
            photos=item.photos,
            photo_bytes=item.photo_bytes,
            revisions=item.revisions,
        )
        db.session.add(entry)
        record(
            "retention.deleted",
            submission,
            text_fields=item.text_fields,
            photos=item.photos,
            revisions=item.revisions,
        )
        logged.append(entry)
    return logged
