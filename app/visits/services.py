"""Receiving submissions: idempotent on the device's UUID, checked, flagged, never dropped.

Plain functions; the caller commits once, or ``receive_and_commit`` does, which also handles the race
where the same UUID arrives through two requests at once: the unique constraint on ``submission.uuid``
lets one win, the other is rolled back and taken again, when it finds the winner and answers as a
replay or a conflict.

``receive`` decides what each item of a batch gets (validation, idempotency, flags);
``app.visits.storing`` reads what the batch needs and writes what was decided, with a statement per
kind of row for the whole batch.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

import marshmallow as ma
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.assignments.models import AssignmentState
from app.assignments.services import change_state
from app.audit.services import record
from app.db_types import utcnow
from app.extensions import db
from app.labels import label
from app.questionnaires.models import QuestionnaireVersion
from app.text import UnstorableText
from app.visits import correspondence, storing
from app.visits.content import canonical_content, content_hash, snapshot
from app.visits.models import KIND_FOR_CHANNEL, Flag, Submission, SubmissionRevision, SubmissionState
from app.visits.plain_load import load_plain
from app.visits.schemas import SubmissionArgs
from app.visits.storing import STATE_FLAGS, Batch, Known
from app.visits.validation import REQUIRED_MISSING, check_answers, implausible_times, rules_for_versions

# A device time this far ahead of the server's clock marks the report with ``clock_skew``.
CLOCK_SKEW_TOLERANCE = timedelta(minutes=5)


@dataclass
class Outcome:
    """What one item gets: the HTTP status it would get alone, a problem code, or the stored submission."""

    uuid: str | None
    status: int
    code: str | None = None
    detail: str = ""
    errors: dict | None = None
    submission: dict | None = None
    revised: bool = False  # stored as the next revision of a returned report (status 200, as a replay)

    def as_result(self) -> dict:
        result = {"uuid": self.uuid, "status": self.status}
        for name in ("code", "errors", "submission"):
            if getattr(self, name) is not None:
                result[name] = getattr(self, name)
        if self.detail:
            result["detail"] = self.detail
        return result


def _version_exists(questionnaire_id: int, number: int) -> bool:
    return db.session.scalar(
        sa.select(
            sa.exists().where(
                QuestionnaireVersion.questionnaire_id == questionnaire_id,
                QuestionnaireVersion.number == number,
            )
        )
    )


def receive(shopper, items: list[dict], now: datetime | None = None, imported_by=None) -> list[Outcome]:
    """Store each item (loaded ``SubmissionArgs``) for ``shopper``, or say why not; one Outcome per item.

    ``imported_by``: the coordinator who brought the items in a file of the shopper's unsent work
    (``app.visits.imports``). What is stored then is flagged ``imported``, and its audit events name them.

    201 created; 200 an identical replay (or the replay of a superseded revision), or a
    returned report resubmitted as its next revision; 403 ``not_yours``; 409
    ``submission_conflict``; 422 ``unknown_assignment``, ``unknown_questionnaire_version``,
    ``questionnaire_version_mismatch`` or ``validation_failed``.
    """
    outcomes, batch = _receive(shopper, items, now, imported_by)
    _answer(batch)
    return outcomes


def _receive(shopper, items: list[dict], now: datetime | None, imported_by) -> tuple[list[Outcome], Batch]:
    """``receive`` but for the stored submissions' snapshots, which ``_answer`` adds: a caller that commits
    adds them after, so that SQLite's one write lock is not held while they are made."""
    batch = Batch(
        shopper.id,
        now or utcnow(),
        imported_by=imported_by and imported_by.id,
        wanted={item["uuid"] for item in items},
    )
    if not items:
        return [], batch
    storing.load(batch, items)
    batch.rules = rules_for_versions(batch.versions.values())
    outcomes = [_receive_one(batch, item, canonical_content(item)) for item in items]
    storing.store(batch)
    correspondence.forget_open(values["uuid"] for values in batch.created if values["sent_at"] is not None)
    return outcomes, batch


def _answer(batch: Batch) -> None:
    """Each stored item's outcome gets its submission's snapshot; after the writes, which may add a flag
    (``storing._overtaken``)."""
    for outcome, known in batch.answered:
        outcome.submission = snapshot(known.row, known.questionnaire_id, known.number)


_submission_args = SubmissionArgs()


def receive_bodies(shopper, bodies: list, imported_by=None) -> list[Outcome]:
    """Each body as PUT would take it alone, in one transaction: loaded as ``SubmissionArgs`` (a body that
    is not valid is refused with its field errors and keeps none of the others out), the rest received
    and committed (``receive_and_commit``). One Outcome per body, in their order. Sync and the import
    of a shopper's file of unsent work take their items so."""
    outcomes: list[Outcome | None] = [None] * len(bodies)
    valid = []
    for index, raw in enumerate(bodies):
        try:
            valid.append((index, load_plain(raw) or _submission_args.load(raw)))
        except ma.ValidationError as error:
            outcomes[index] = Outcome(
                _uuid_of(raw),
                422,
                "validation_failed",
                "Some fields are not valid; see errors.",
                error.messages,
            )
    received = receive_and_commit(shopper, [item for _, item in valid], imported_by)
    for (index, _), outcome in zip(valid, received, strict=True):
        outcomes[index] = outcome
    return outcomes


def _uuid_of(raw) -> str | None:
    value = raw.get("uuid") if isinstance(raw, dict) else None
    return value if isinstance(value, str) and len(value) <= 64 else None


def receive_and_commit(shopper, items: list[dict], imported_by=None) -> list[Outcome]:
    """``receive`` in one transaction, committed; if a UUID was stored meanwhile by a parallel request, item by item.

    The unique constraint on ``submission.uuid`` (and on a revision number) decides
    the race: the loser is rolled back and taken again, finds the winner's row and
    answers as a replay (200) or a conflict (409), never as a second row.
    """
    try:
        outcomes, batch = _receive(shopper, items, None, imported_by)
        db.session.commit()
        _answer(batch)
        return outcomes
    except IntegrityError:
        db.session.rollback()
    outcomes = []
    for item in items:
        for attempt in range(3):
            try:
                [outcome], batch = _receive(shopper, [item], None, imported_by)
                db.session.commit()
                _answer(batch)
                break
            except IntegrityError:
                db.session.rollback()
                if attempt == 2:
                    raise
        outcomes.append(outcome)
    return outcomes


def _problem(item, status, code, detail, errors=None) -> Outcome:
    return Outcome(str(item["uuid"]), status, code, detail, errors)


def _stored(batch: Batch, known: Known, status: int, revised: bool = False) -> Outcome:
    """The outcome of a stored submission; ``receive`` adds its snapshot once the batch is written."""
    outcome = Outcome(str(known.row.uuid), status, revised=revised)
    batch.answered.append((outcome, known))
    return outcome


def _superseded_hashes(row) -> set[str]:
    if row.revision == 1:
        return set()
    return set(
        db.session.scalars(
            sa.select(SubmissionRevision.content_hash).where(SubmissionRevision.submission_id == row.id)
        )
    )


def _receive_one(batch: Batch, item: dict, content: dict) -> Outcome:
    try:
        digest = content_hash(content)
    except UnstorableText as unstorable:
        return _problem(
            item, 422, "validation_failed", "Some fields are not valid; see errors.", unstorable.errors
        )
    known = batch.by_uuid.get(item["uuid"])
    if known is not None:
        row = known.row
        if row.shopper_id != batch.shopper_id:
            return _problem(item, 403, "not_yours", "This submission belongs to someone else.")
        if row.content_hash == digest or digest in _superseded_hashes(row):
            return _stored(batch, known, 200)
        if row.state is not SubmissionState.returned:
            if len(item["replies"]) > len(row.replies or ()):  # an e-mail's reply came after it was finished
                return _problem(
                    item,
                    422,
                    "validation_failed",
                    "Some fields are not valid; see errors.",
                    {"replies": [correspondence.FINISHED_ALREADY]},
                )
            return _problem(
                item,
                409,
                "submission_conflict",
                f"A different report with this UUID was received already (revision {row.revision}, "
                f"{label(row.state).lower()}). A finished report cannot be changed unless it is returned to you.",
            )
        if item["assignment_id"] != row.assignment_id:
            return _problem(
                item,
                409,
                "submission_conflict",
                "A resubmitted report must be for the same assignment as before.",
            )

    assignment = batch.assignments.get(item["assignment_id"])
    if assignment is None:
        return _problem(
            item, 422, "unknown_assignment", "No such assignment.", {"assignment_id": ["No such assignment."]}
        )
    if assignment.shopper_id != batch.shopper_id:
        return _problem(item, 403, "not_yours", "This assignment is not yours.")
    version = batch.versions.get((item["questionnaire_id"], item["questionnaire_version"]))
    if version is None or version.id != assignment.questionnaire_version_id:
        if not _version_exists(item["questionnaire_id"], item["questionnaire_version"]):
            return _problem(
                item,
                422,
                "unknown_questionnaire_version",
                "No such questionnaire version.",
                {"questionnaire_version": ["No such questionnaire version."]},
            )
        return _problem(
            item,
            422,
            "questionnaire_version_mismatch",
            "The assignment uses another questionnaire version; reload the brief.",
            {"questionnaire_version": ["Not the assignment's questionnaire version."]},
        )

    errors = {}
    expected_kind = KIND_FOR_CHANNEL[assignment.channel]
    if item["kind"] is not expected_kind:
        errors["kind"] = [
            f"A {label(assignment.channel).lower()} assignment is reported as {label(expected_kind).lower()}."
        ]
    photo_ids = {e["id"] for e in item["evidence"] if e["kind"] == "photo"}
    answer_errors = check_answers(batch.rules[version.id], item["answers"], photo_ids)
    if item["finished_by"] == "wait_limit":  # no reply came: the questions about it have no answer
        answer_errors = {k: v for k, v in answer_errors.items() if v != [REQUIRED_MISSING]}
    if answer_errors:
        errors["answers"] = answer_errors
    errors.update(implausible_times(item, assignment.window_starts_at, assignment.window_ends_at))
    errors.update(correspondence.wait_limit_errors(item))
    if errors:
        return _problem(item, 422, "validation_failed", "Some fields are not valid; see errors.", errors)

    flags = _flags(batch, item, assignment)
    if known is None:
        known = storing.create(batch, item, content, digest, flags, version)
        status = 201
    else:
        storing.revise(batch, known, item, content, digest, flags)
        status = 200
    batch.reports.setdefault(assignment.id, set()).add(item["uuid"])
    batch.touched.setdefault(assignment.id, set()).update(flags)
    return _stored(batch, known, status, revised=status == 200)


_NOT_GIVEN = object()


def _flags(batch: Batch, item: dict, assignment) -> list[str]:
    flags = set()
    if assignment.state in STATE_FLAGS:
        flags.add(STATE_FLAGS[assignment.state])
    if batch.reports.get(assignment.id, set()) - {item["uuid"]}:
        flags.add(Flag.second_report)
    device_times = [
        item["started_at"],
        item["completed_at"],
        item["sent_at"],
        *(r["received_at"] for r in item["replies"]),
    ]
    if max(t for t in device_times if t is not None) > batch.now + CLOCK_SKEW_TOLERANCE:
        flags.add(Flag.clock_skew)
    if item["completed_at"] > assignment.window_ends_at:
        flags.add(Flag.late)
    if item["started_at"] < assignment.window_starts_at:
        flags.add(Flag.early)
    if batch.imported_by is not None:
        flags.add(Flag.imported)
    derived = item["derived_answers"] or {}
    if any(item["answers"].get(key, _NOT_GIVEN) != value for key, value in derived.items()):
        flags.add(Flag.derived_answer_overridden)
    return sorted(flag.value for flag in flags)


def return_for_changes(submission: Submission, reviewer, comment: str) -> None:
    """A coordinator sends the report back; the shopper resubmits it under the same UUID as its next revision."""
    submission.state = SubmissionState.returned
    submission.review_comment = comment
    submission.reviewed_at = utcnow()
    submission.reviewed_by_id = reviewer.id if reviewer is not None else None
    assignment = submission.assignment
    if assignment.state in (AssignmentState.submitted, AssignmentState.in_review):
        change_state(assignment, AssignmentState.returned, actor=reviewer, submission=str(submission.uuid))
    record("submission.returned", submission, actor=reviewer, revision=submission.revision)
