"""Storing a received batch: new submissions, revised ones, their audit events, the assignments' state and
flags, and the freeze of the questionnaire versions they were captured with.

``app.visits.services`` decides what each item gets (validation, idempotency, flags) and hands this module
what to write; nothing here decides whether an item is taken. The caller commits.
"""

from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace

import sqlalchemy as sa

from app.assignments.models import OPEN_STATES, Assignment, AssignmentState
from app.audit.models import AuditEvent
from app.extensions import db
from app.programmes.models import Wave
from app.questionnaires.models import QuestionnaireVersion
from app.visits.content import content_of, stored_columns
from app.visits.models import Flag, Submission, SubmissionRevision, SubmissionState

STATE_FLAGS = {
    AssignmentState.withdrawn: Flag.assignment_withdrawn,
    AssignmentState.cancelled: Flag.assignment_cancelled,
    AssignmentState.declined: Flag.assignment_declined,
}
# Flags that also mark the assignment for the coordinator, with the reason shown there.
_ASSIGNMENT_FLAG_REASONS = {
    Flag.assignment_withdrawn: "A report arrived after the assignment was withdrawn.",
    Flag.assignment_cancelled: "A report arrived after the assignment was cancelled.",
    Flag.assignment_declined: "A report arrived after the assignment was declined.",
    Flag.second_report: "A second report arrived for this assignment.",
}


@dataclass
class Known:
    """A submission as the batch knows it: a stored row (a plain row, or the ORM object once revised), or a
    new one (its column values) of this batch."""

    row: sa.Row | Submission | SimpleNamespace
    questionnaire_id: int
    number: int


@dataclass
class Batch:
    """What one upload reads, decides and then writes."""

    shopper_id: int
    now: datetime
    imported_by: int | None = None  # the coordinator who imported the shopper's file, if it came so
    wanted: set = field(default_factory=set)  # the batch's UUIDs
    by_uuid: dict = field(default_factory=dict)  # uuid -> Known
    reports: dict = field(default_factory=dict)  # assignment id -> set of uuids reported for it
    assignments: dict = field(default_factory=dict)  # id -> row of the assignment and its version
    versions: dict = field(default_factory=dict)  # (questionnaire id, number) -> the version's id, frozen_at
    rules: dict = field(default_factory=dict)  # version id -> {key: Rule}
    created: list = field(default_factory=list)  # column values of new rows
    revised: list = field(default_factory=list)  # Submission rows made their next revision
    touched: dict = field(default_factory=dict)  # assignment id -> set of flags its reports got
    answered: list = field(default_factory=list)  # (Outcome, Known) of each stored item, for its snapshot


# The batch's statements, built once (every upload runs them), on the tables rather than through the ORM:
# plain rows, of which most batches only compare a few columns and write nothing back.
_submission = Submission.__table__
_assignment = Assignment.__table__
_version = QuestionnaireVersion.__table__
_wave = Wave.__table__
_SUBMISSIONS = (
    sa.select(_submission, _version.c.questionnaire_id, _version.c.number)
    .join(_version, _submission.c.questionnaire_version_id == _version.c.id)
    .where(
        sa.or_(
            _submission.c.uuid.in_(sa.bindparam("uuids", expanding=True)),
            _submission.c.assignment_id.in_(sa.bindparam("assignment_ids", expanding=True)),
        )
    )
)
_ASSIGNMENTS = (
    sa.select(
        _assignment.c.id,
        _assignment.c.wave_id,
        _assignment.c.shopper_id,
        _assignment.c.state,
        _assignment.c.channel,
        _assignment.c.window_starts_at,
        _assignment.c.window_ends_at,
        _assignment.c.questionnaire_version_id,
        _assignment.c.flag_reason,
        _version.c.questionnaire_id,
        _version.c.number,
        _version.c.frozen_at,
        _wave.c.programme_id,
    )
    .join(_version, _assignment.c.questionnaire_version_id == _version.c.id)
    .join(_wave, _assignment.c.wave_id == _wave.c.id)
    .where(_assignment.c.id.in_(sa.bindparam("assignment_ids", expanding=True)))
)


def load(batch: Batch, items: list[dict]) -> None:
    """Read what the batch needs: the submissions stored under its UUIDs or for its assignments, and the
    assignments with their questionnaire versions. Plain rows: most batches only compare them."""
    assignment_ids = list({item["assignment_id"] for item in items})
    found = db.session.execute(_SUBMISSIONS, {"uuids": list(batch.wanted), "assignment_ids": assignment_ids})
    for row in found:
        batch.reports.setdefault(row.assignment_id, set()).add(row.uuid)
        if row.uuid in batch.wanted:
            batch.by_uuid[row.uuid] = Known(row, row.questionnaire_id, row.number)
    for assignment in db.session.execute(_ASSIGNMENTS, {"assignment_ids": assignment_ids}):
        batch.assignments[assignment.id] = assignment
        batch.versions[assignment.questionnaire_id, assignment.number] = SimpleNamespace(
            id=assignment.questionnaire_version_id,
            questionnaire_id=assignment.questionnaire_id,
            number=assignment.number,
            frozen_at=assignment.frozen_at,
        )


def create(batch: Batch, item: dict, content: dict, digest: str, flags: list[str], version) -> Known:
    """A new submission of this batch, written by ``store``."""
    assignment = batch.assignments[item["assignment_id"]]
    values = dict(
        wave_id=assignment.wave_id,
        programme_id=assignment.programme_id,
        shopper_id=batch.shopper_id,
        questionnaire_version_id=version.id,
        received_at=batch.now,
        revision=1,
        state=SubmissionState.submitted,
        flags=flags,
        review_comment="",
        content_hash=digest,
        **stored_columns(item, content),
    )
    batch.created.append(values)
    known = Known(SimpleNamespace(id=None, **values), version.questionnaire_id, version.number)
    batch.by_uuid[item["uuid"]] = known
    return known


def revise(batch: Batch, known: Known, item: dict, content: dict, digest: str, flags: list[str]) -> None:
    """Keep the returned revision in ``submission_revision`` and make the row the next one."""
    row = known.row = db.session.get(Submission, known.row.id)
    db.session.add(
        SubmissionRevision(
            submission_id=row.id,
            revision=row.revision,
            content=content_of(row, known.questionnaire_id, known.number),
            content_hash=row.content_hash,
            received_at=row.received_at,
            flags=row.flags,
            state=row.state,
            review_comment=row.review_comment,
            superseded_at=batch.now,
        )
    )
    for name, value in stored_columns(item, content).items():
        setattr(row, name, value)
    row.content_hash = digest
    row.revision += 1
    row.state = SubmissionState.submitted
    row.received_at = batch.now
    row.flags = flags
    row.review_comment = ""
    row.reviewed_at = None
    row.reviewed_by_id = None
    batch.revised.append(row)


def _event(batch: Batch, action: str, object_type: str, object_id: int | None, **data) -> dict:
    """An audit_event row as ``app.audit.services.record`` makes it, for a multi-row insert."""
    return dict(
        occurred_at=batch.now,
        actor_id=batch.imported_by or batch.shopper_id,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        data=data,
    )


# Several rows go as the driver's executemany of one short statement, whose ids are then read by their
# UUIDs: SQLAlchemy's INSERT ... RETURNING of many rows is one long statement of every row's parameters,
# which the driver parses again on each batch. One row is written and answered in one statement.
_INSERT_SUBMISSION = sa.insert(_submission).returning(_submission.c.uuid, _submission.c.id)
_INSERT_SUBMISSIONS = sa.insert(_submission)
_SUBMISSION_IDS = sa.select(_submission.c.uuid, _submission.c.id).where(
    _submission.c.uuid.in_(sa.bindparam("uuids", expanding=True))
)
_INSERT_EVENTS = sa.insert(AuditEvent.__table__)
# Only an assignment still open: one whose state changed since the batch read it (another phone's report
# for it was stored meanwhile, or the coordinator withdrew it) is left as it is, and ``_overtaken`` says so.
_SUBMIT_ASSIGNMENTS = (
    sa.update(_assignment)
    .where(_assignment.c.id.in_(sa.bindparam("ids", expanding=True)), _assignment.c.state.in_(OPEN_STATES))
    .values(state=AssignmentState.submitted, state_changed_at=sa.bindparam("now"))
    .returning(_assignment.c.id)
)
_FLAG_ASSIGNMENT = (
    sa.update(_assignment)
    .where(_assignment.c.id == sa.bindparam("assignment_id"))
    .values(flagged=True, flag_reason=sa.bindparam("reason"))
)
# Read-only from now on (SPEC §2); frozen_at IS NULL keeps the first capture's time.
_FREEZE_VERSIONS = (
    sa.update(_version)
    .where(_version.c.id.in_(sa.bindparam("ids", expanding=True)), _version.c.frozen_at.is_(None))
    .values(frozen_at=sa.bindparam("now"))
)


def store(batch: Batch) -> None:
    """Write the batch: new rows, their audit events, the assignments' state and flags, version freezes.
    Revised rows are ORM objects and are flushed at commit with everything else."""
    received = [
        _event(
            batch,
            "submission.received",
            Submission.__tablename__,
            None,  # its id once the row has one
            uuid=str(values["uuid"]),
            assignment_id=values["assignment_id"],
            revision=1,
            flags=values["flags"],
        )
        for values in batch.created
    ]
    events = received + [
        _event(
            batch,
            "submission.resubmitted",
            Submission.__tablename__,
            row.id,
            uuid=str(row.uuid),
            assignment_id=row.assignment_id,
            revision=row.revision,
            flags=row.flags,
        )
        for row in batch.revised
    ]
    if batch.created:
        if len(batch.created) == 1:
            ids = dict(db.session.execute(_INSERT_SUBMISSION, batch.created[0]).all())
        else:
            db.session.execute(_INSERT_SUBMISSIONS, batch.created)
            uuids = [values["uuid"] for values in batch.created]
            ids = dict(db.session.execute(_SUBMISSION_IDS, {"uuids": uuids}).all())
        for event, values in zip(received, batch.created, strict=True):
            event["object_id"] = str(ids[values["uuid"]])

    to_submit, flag_reasons = [], {}
    for assignment_id, flags in batch.touched.items():
        assignment = batch.assignments[assignment_id]
        if assignment.state in OPEN_STATES:
            to_submit.append(assignment_id)
            # As app.assignments.services.change_state records it.
            events.append(
                _event(
                    batch,
                    "assignment.submitted",
                    Assignment.__tablename__,
                    assignment_id,
                    previous=assignment.state.value,
                )
            )
        reasons = _reasons_for(flags)
        if reasons:
            flag_reasons[assignment_id] = (assignment.flag_reason, reasons)
    if to_submit:
        submitted = set(db.session.scalars(_SUBMIT_ASSIGNMENTS, {"ids": to_submit, "now": batch.now}))
        overtaken = [assignment_id for assignment_id in to_submit if assignment_id not in submitted]
        if overtaken:
            events = _overtaken(batch, overtaken, events, flag_reasons)
    for assignment_id, (earlier, reasons) in flag_reasons.items():
        reason = " ".join(filter(None, [earlier, *reasons]))[-500:]
        db.session.execute(_FLAG_ASSIGNMENT, {"assignment_id": assignment_id, "reason": reason})
    if events:
        db.session.execute(_INSERT_EVENTS, events)
    new_versions = {values["questionnaire_version_id"] for values in batch.created}
    unfrozen = [v.id for v in batch.versions.values() if v.id in new_versions and v.frozen_at is None]
    if unfrozen:
        db.session.execute(_FREEZE_VERSIONS, {"ids": unfrozen, "now": batch.now})


def _reasons_for(flags) -> list[str]:
    return [_ASSIGNMENT_FLAG_REASONS[Flag(f)] for f in sorted(flags) if Flag(f) in _ASSIGNMENT_FLAG_REASONS]


def _overtaken(batch: Batch, assignment_ids: list[int], events: list[dict], flag_reasons: dict):
    """Assignments this batch read as open, whose state changed before its write: another upload stored a
    report for one (two phones, one assignment), or the coordinator withdrew or cancelled it. The batch's
    reports for them get the flags they would have had had they come second (``second_report``, the
    state's own), each assignment keeps the state the other change gave it, and ``assignment.submitted``
    is not recorded for it. Returns the events to record."""
    now = {
        row.id: row
        for row in db.session.execute(
            sa.select(Assignment.id, Assignment.state, Assignment.flag_reason)
            .where(Assignment.id.in_(assignment_ids))
            # PostgreSQL: hold them until commit, so that a third upload in the same race reads the reason
            # this one writes. NO KEY UPDATE: each upload's submission row holds a KEY SHARE lock on its
            # assignment (the foreign key), which a plain FOR UPDATE would wait for: deadlock.
            .with_for_update(key_share=True)
        )
    }
    reports = {}
    for assignment_id, uuid in db.session.execute(
        sa.select(Submission.assignment_id, Submission.uuid).where(
            Submission.assignment_id.in_(assignment_ids)
        )
    ):
        reports.setdefault(assignment_id, set()).add(uuid)
    for values in batch.created:
        assignment_id = values["assignment_id"]
        if assignment_id not in now:
            continue
        late = set()
        if reports.get(assignment_id, set()) - batch.reports.get(assignment_id, set()):
            late.add(Flag.second_report)
        if now[assignment_id].state in STATE_FLAGS:
            late.add(STATE_FLAGS[now[assignment_id].state])
        added = {flag.value for flag in late} - set(values["flags"])
        if added:
            # In place: the row's answer, its snapshot and its audit event hold this same list.
            values["flags"][:] = sorted(set(values["flags"]) | added)
            db.session.execute(
                sa.update(Submission)
                .where(Submission.uuid == values["uuid"])
                .values(flags=values["flags"])
                .execution_options(synchronize_session=False)
            )
            batch.touched[assignment_id].update(added)
    for assignment_id in assignment_ids:
        reasons = _reasons_for(batch.touched.get(assignment_id, ()))
        if reasons and assignment_id in now:  # after what the assignment says now, not what the batch read
            flag_reasons[assignment_id] = (now[assignment_id].flag_reason, reasons)
    return [
        event
        for event in events
        if not (event["action"] == "assignment.submitted" and int(event["object_id"]) in now)
    ]
