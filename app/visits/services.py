"""Receiving submissions: idempotent on the device's UUID, checked, flagged, never dropped.

Plain functions; the caller commits once, or ``receive_and_commit`` does, which also handles the race
where the same UUID arrives through two requests at once: the unique constraint on ``submission.uuid``
lets one win, the other is rolled back and taken again, when it finds the winner and answers as a
replay or a conflict.

``receive`` takes a whole batch and costs about the same number of round trips
for one report as for a hundred: two queries read what the batch needs (the
submissions already stored under its UUIDs or for its assignments; the
assignments with their questionnaire versions), the questions of a frozen
version come from a cache, and the new rows, their audit events and the
assignments' new state are written with one multi-row statement each.
"""

import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import SimpleNamespace

import marshmallow as ma
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.assignments.models import OPEN_STATES, Assignment, AssignmentState
from app.assignments.services import change_state
from app.audit.models import AuditEvent
from app.audit.services import record
from app.db_types import utcnow
from app.direct_statements import DirectStatement
from app.extensions import db
from app.questionnaires.models import QuestionnaireVersion
from app.text import broken_text
from app.visits.content import canonical_content, content_hash, content_of, snapshot
from app.visits.models import KIND_FOR_CHANNEL, Flag, Submission, SubmissionRevision, SubmissionState
from app.visits.schemas import SubmissionArgs
from app.visits.validation import check_answers, implausible_times, rules_for_versions

# A device time this far ahead of the server's clock marks the report with ``clock_skew``.
CLOCK_SKEW_TOLERANCE = timedelta(minutes=5)

_STATE_FLAGS = {
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


@dataclass
class _Known:
    """A submission as ``receive`` knows it: a stored row (a plain row, or the ORM object once revised),
    or a new one (its column values) of this batch."""

    row: sa.Row | Submission | SimpleNamespace
    questionnaire_id: int
    number: int


@dataclass
class _Batch:
    shopper_id: int
    now: datetime
    imported_by: int | None = None  # the coordinator who imported the shopper's file, if it came so
    wanted: set = field(default_factory=set)  # the batch's UUIDs
    by_uuid: dict = field(default_factory=dict)  # uuid -> _Known
    reports: dict = field(default_factory=dict)  # assignment id -> set of uuids reported for it
    assignments: dict = field(default_factory=dict)  # id -> row of _ASSIGNMENTS_OF_BATCH
    versions: dict = field(default_factory=dict)  # (questionnaire id, number) -> its version's id, frozen_at
    rules: dict = field(default_factory=dict)  # version id -> {key: Rule}
    created: list = field(default_factory=list)  # column values of new rows
    revised: list = field(default_factory=list)  # Submission rows made their next revision
    touched: dict = field(default_factory=dict)  # assignment id -> set of flags its reports got
    answered: list = field(default_factory=list)  # (Outcome, _Known) of each stored item, for its snapshot


_QV = QuestionnaireVersion
_SUBMISSION = Submission.__table__


def _matching(column, name: str, one: bool):
    """``column = :name`` for one value (``one``), else ``column IN :name``. SQLAlchemy renders an
    expanding IN afresh on every execution, which cost a twentieth of a PUT's CPU for its single value."""
    return column == sa.bindparam(name) if one else column.in_(sa.bindparam(name, expanding=True))


def _bound(values: list, one: bool):
    """What ``_matching``'s parameter takes: the value itself, or the list."""
    return values[0] if one else values


# Built once, for one item and for many: the batch's two reads. Plain rows, not ORM objects: most batches
# only compare them; ``_revise`` loads the one it changes. Direct (``app.direct_statements``): one PUT's
# statements are a fifth of its CPU through ``connection.execute``.
_SUBMISSIONS_OF_BATCH = {
    one: DirectStatement(
        sa.select(_SUBMISSION, _QV.__table__.c.questionnaire_id, _QV.__table__.c.number)
        .join(_QV.__table__, _SUBMISSION.c.questionnaire_version_id == _QV.__table__.c.id)
        .where(
            sa.or_(
                _matching(_SUBMISSION.c.uuid, "uuids", one),
                _matching(_SUBMISSION.c.assignment_id, "assignment_ids", one),
            )
        )
    )
    for one in (True, False)
}
_ASSIGNMENTS_OF_BATCH = {
    one: DirectStatement(
        sa.select(
            Assignment.id,
            Assignment.shopper_id,
            Assignment.state,
            Assignment.channel,
            Assignment.window_starts_at,
            Assignment.window_ends_at,
            Assignment.questionnaire_version_id,
            Assignment.flag_reason,
            _QV.questionnaire_id,
            _QV.number,
            _QV.frozen_at,
        )
        .join(_QV, Assignment.questionnaire_version_id == _QV.id)
        .where(_matching(Assignment.id, "assignment_ids", one))
    )
    for one in (True, False)
}


def _load(batch: _Batch, items: list[dict]) -> None:
    assignment_ids = list({item["assignment_id"] for item in items})
    one = len(items) == 1
    connection = db.session.connection()
    for row in _SUBMISSIONS_OF_BATCH[one].rows(
        connection, {"uuids": _bound(list(batch.wanted), one), "assignment_ids": _bound(assignment_ids, one)}
    ):
        batch.reports.setdefault(row.assignment_id, set()).add(row.uuid)
        if row.uuid in batch.wanted:
            batch.by_uuid[row.uuid] = _Known(row, row.questionnaire_id, row.number)
    for assignment in _ASSIGNMENTS_OF_BATCH[one].rows(
        connection, {"assignment_ids": _bound(assignment_ids, one)}
    ):
        batch.assignments[assignment.id] = assignment
        batch.versions[assignment.questionnaire_id, assignment.number] = SimpleNamespace(
            id=assignment.questionnaire_version_id,
            questionnaire_id=assignment.questionnaire_id,
            number=assignment.number,
            frozen_at=assignment.frozen_at,
        )
    batch.rules = rules_for_versions(batch.versions.values())


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
    if not items:
        return []
    batch = _Batch(
        shopper.id,
        now or utcnow(),
        imported_by=imported_by and imported_by.id,
        wanted={item["uuid"] for item in items},
    )
    _load(batch, items)
    outcomes = [_receive_one(batch, item, canonical_content(item)) for item in items]
    _store(batch)
    for outcome, known in batch.answered:  # after the writes, which may add a flag (``_overtaken``)
        outcome.submission = snapshot(known.row, known.questionnaire_id, known.number)
    return outcomes


# One upload at a time in each process. A sync batch is some 40 ms of CPU, a PUT's share here some
# 3 ms, all under the process's one GIL: two at once in a process only take longer each, and the one
# holding SQLite's write turn (app/database.py) is held up by the other. An upload that waits here
# waits without the GIL (the process's other requests go on), and the processes still take uploads
# side by side. bench/README.md: with 8 senders, a third more reports through sync, p95 a third lower.
# gunicorn.conf.py now gives each process one thread, so it only matters where more are configured.
_uploads = threading.BoundedSemaphore(1)
# An instance, not the class: a loaded schema keeps no state between calls, and making one copies every field.
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
            valid.append((index, _submission_args.load(raw)))
        except ma.ValidationError as error:
            outcomes[index] = Outcome(
                _uuid_of(raw),
                422,
                "validation_failed",
                "Some fields are not valid; see errors.",
                error.messages,
            )
    received = receive_and_commit(shopper, [item for _, item in valid], imported_by)
    for (index, _), outcome in zip(valid, received, strict=False):
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
    with _uploads:
        return _receive_and_commit(shopper, items, imported_by)


def _receive_and_commit(shopper, items: list[dict], imported_by) -> list[Outcome]:
    try:
        outcomes = receive(shopper, items, imported_by=imported_by)
        db.session.commit()
        return outcomes
    except IntegrityError:
        db.session.rollback()
    outcomes = []
    for item in items:
        for attempt in range(3):
            try:
                [outcome] = receive(shopper, [item], imported_by=imported_by)
                db.session.commit()
                break
            except IntegrityError:
                db.session.rollback()
                if attempt == 2:
                    raise
        outcomes.append(outcome)
    return outcomes


def _problem(item, status, code, detail, errors=None) -> Outcome:
    return Outcome(str(item["uuid"]), status, code, detail, errors)


def _stored(batch: _Batch, known: _Known, status: int, revised: bool = False) -> Outcome:
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


def _receive_one(batch: _Batch, item: dict, content: dict) -> Outcome:
    try:
        digest = content_hash(content)
    except UnicodeEncodeError:
        return _problem(
            item, 422, "validation_failed", "Some fields are not valid; see errors.", broken_text(content)
        )
    known = batch.by_uuid.get(item["uuid"])
    if known is not None:
        row = known.row
        if row.shopper_id != batch.shopper_id:
            return _problem(item, 403, "not_yours", "This submission belongs to someone else.")
        if row.content_hash == digest or digest in _superseded_hashes(row):
            return _stored(batch, known, 200)
        if row.state is not SubmissionState.returned:
            return _problem(
                item,
                409,
                "submission_conflict",
                f"A different report with this UUID was received already (revision {row.revision}, "
                f"{row.state.value}). A finished report cannot be changed unless it is returned to you.",
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
        errors["kind"] = [f"A {assignment.channel.value} assignment is reported as {expected_kind.value}."]
    photo_ids = {e["id"] for e in item["evidence"] if e["kind"] == "photo"}
    answer_errors = check_answers(batch.rules[version.id], item["answers"], photo_ids)
    if answer_errors:
        errors["answers"] = answer_errors
    errors.update(implausible_times(item, assignment.window_starts_at, assignment.window_ends_at))
    if errors:
        return _problem(item, 422, "validation_failed", "Some fields are not valid; see errors.", errors)

    flags = _flags(batch, item, assignment)
    if known is None:
        known = _create(batch, item, content, digest, flags, version)
        status = 201
    else:
        _revise(batch, known, item, content, digest, flags)
        status = 200
    batch.reports.setdefault(assignment.id, set()).add(item["uuid"])
    batch.touched.setdefault(assignment.id, set()).update(flags)
    return _stored(batch, known, status, revised=status == 200)


def _flags(batch: _Batch, item: dict, assignment) -> list[str]:
    flags = set()
    if assignment.state in _STATE_FLAGS:
        flags.add(_STATE_FLAGS[assignment.state])
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
    return sorted(flag.value for flag in flags)


def _content_columns(item: dict, content: dict, digest: str) -> dict:
    return {
        "kind": item["kind"],
        "started_at": item["started_at"],
        "completed_at": item["completed_at"],
        "answers": item["answers"],
        "notes": item["notes"],
        "commendation": item["commendation"],
        "evidence": content["evidence"],
        "sent_at": item["sent_at"],
        "replies": content["replies"],
        "call_log": content.get("call_log"),
        "content_hash": digest,
    }


def _create(batch: _Batch, item: dict, content: dict, digest: str, flags: list[str], version) -> _Known:
    values = dict(
        uuid=item["uuid"],
        assignment_id=item["assignment_id"],
        shopper_id=batch.shopper_id,
        questionnaire_version_id=version.id,
        received_at=batch.now,
        revision=1,
        state=SubmissionState.submitted,
        flags=flags,
        review_comment="",
        **_content_columns(item, content, digest),
    )
    batch.created.append(values)
    known = _Known(SimpleNamespace(id=None, **values), version.questionnaire_id, version.number)
    batch.by_uuid[item["uuid"]] = known
    return known


def _revise(batch: _Batch, known: _Known, item: dict, content: dict, digest: str, flags: list[str]) -> None:
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
    for name, value in _content_columns(item, content, digest).items():
        setattr(row, name, value)
    row.revision += 1
    row.state = SubmissionState.submitted
    row.received_at = batch.now
    row.flags = flags
    row.review_comment = ""
    row.reviewed_at = None
    row.reviewed_by_id = None
    batch.revised.append(row)


def _event(batch: _Batch, action: str, object_type: str, object_id: int | None, **data) -> dict:
    """An audit_event row as ``app.audit.services.record`` makes it, for a multi-row insert."""
    return dict(
        occurred_at=batch.now,
        actor_id=batch.imported_by or batch.shopper_id,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        data=data,
    )


# Built once: the batch's writes, run on the session's connection (no ORM bookkeeping for plain rows).
# Many rows by a plain executemany, not INSERT ... RETURNING: on PostgreSQL the multi-row INSERT that
# RETURNING takes has thousands of parameters, and psycopg parses such a statement afresh every time (it
# caches only those of 50 parameters or fewer); their ids are read back by UUID instead, a cheap indexed
# read. One row (a PUT) returns its id.
_INSERT_SUBMISSIONS = DirectStatement(sa.insert(Submission.__table__))
_INSERT_SUBMISSION = DirectStatement(sa.insert(Submission.__table__).returning(Submission.id))
_IDS_OF_UUIDS = sa.select(Submission.uuid, Submission.id).where(
    Submission.uuid.in_(sa.bindparam("uuids", expanding=True))
)
_INSERT_EVENTS = DirectStatement(sa.insert(AuditEvent.__table__))
# Only an assignment still open: one whose state changed since the batch read it (another phone's report
# for it was stored meanwhile, or the coordinator withdrew it) is left as it is, and ``_overtaken`` says so.
_SUBMIT_ASSIGNMENTS = {
    one: DirectStatement(
        sa.update(Assignment.__table__)
        .where(
            _matching(Assignment.id, "ids", one),
            # Comparisons, not state IN (...): an IN list is rendered afresh on every execution (``_matching``).
            sa.or_(*(Assignment.state == state for state in sorted(OPEN_STATES, key=lambda s: s.value))),
        )
        .values(state=AssignmentState.submitted, state_changed_at=sa.bindparam("now"))
        .returning(Assignment.id)
    )
    for one in (True, False)
}
_NOW_OF_ASSIGNMENTS = (
    sa.select(Assignment.id, Assignment.state, Assignment.flag_reason)
    .where(Assignment.id.in_(sa.bindparam("ids", expanding=True)))
    # PostgreSQL: hold them until commit (SQLite's write turn does already), so that a third upload in the
    # same race reads the reason this one writes. NO KEY UPDATE: each upload's submission row holds a
    # KEY SHARE lock on its assignment (the foreign key), which a plain FOR UPDATE would wait for: deadlock.
    .with_for_update(key_share=True)
)
_REPORTS_OF_ASSIGNMENTS = sa.select(Submission.assignment_id, Submission.uuid).where(
    Submission.assignment_id.in_(sa.bindparam("ids", expanding=True))
)
_REFLAG_SUBMISSION = (
    sa.update(Submission.__table__)
    .where(Submission.uuid == sa.bindparam("submission_uuid"))
    .values(flags=sa.bindparam("flags"))
)
_FLAG_ASSIGNMENT = (
    sa.update(Assignment.__table__)
    .where(Assignment.id == sa.bindparam("assignment_id"))
    .values(flagged=True, flag_reason=sa.bindparam("reason"))
)
# Read-only from now on (SPEC §2); WHERE frozen_at IS NULL keeps the first capture's time.
_FREEZE_VERSIONS = (
    sa.update(QuestionnaireVersion.__table__)
    .where(
        QuestionnaireVersion.id.in_(sa.bindparam("ids", expanding=True)),
        QuestionnaireVersion.frozen_at.is_(None),
    )
    .values(frozen_at=sa.bindparam("now"))
)


def _store(batch: _Batch) -> None:
    """Write the batch: new rows, their audit events, the assignments' state and flags, version freezes.

    Everything the writes take but the new rows' ids is made before the first of them: from that
    write to the commit, this process holds SQLite's one write turn (app/database.py) and every
    other writer waits. Revised rows are ORM objects and are flushed at commit with everything else.
    """
    received = [
        _event(
            batch,
            "submission.received",
            Submission.__tablename__,
            None,
            uuid=str(values["uuid"]),
            assignment_id=values["assignment_id"],
            revision=1,
            flags=values["flags"],
        )
        for values in batch.created
    ]  # their object_id once the rows have ids
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
    new_versions = {values["questionnaire_version_id"] for values in batch.created}
    unfrozen = [v.id for v in batch.versions.values() if v.id in new_versions and v.frozen_at is None]

    connection = db.session.connection()
    if len(batch.created) == 1:
        [(new_id,)] = _INSERT_SUBMISSION.rows(connection, batch.created[0])
        received[0]["object_id"] = str(new_id)
    elif batch.created:
        _INSERT_SUBMISSIONS.executemany(connection, batch.created)
        ids = dict(
            connection.execute(_IDS_OF_UUIDS, {"uuids": [values["uuid"] for values in batch.created]}).all()
        )
        for event, values in zip(received, batch.created, strict=False):
            event["object_id"] = str(ids[values["uuid"]])
    if to_submit:
        one = len(to_submit) == 1
        submitted = {
            row.id
            for row in _SUBMIT_ASSIGNMENTS[one].rows(
                connection, {"ids": _bound(to_submit, one), "now": batch.now}
            )
        }
        overtaken = [assignment_id for assignment_id in to_submit if assignment_id not in submitted]
        if overtaken:
            events = _overtaken(batch, connection, overtaken, events, flag_reasons)
    for assignment_id, (earlier, reasons) in flag_reasons.items():  # rare: one statement each
        reason = " ".join(filter(None, [earlier, *reasons]))[-500:]
        connection.execute(_FLAG_ASSIGNMENT, {"assignment_id": assignment_id, "reason": reason})
    if events:
        _INSERT_EVENTS.executemany(connection, events)
    if unfrozen:
        connection.execute(_FREEZE_VERSIONS, {"ids": unfrozen, "now": batch.now})


def _reasons_for(flags) -> list[str]:
    return [_ASSIGNMENT_FLAG_REASONS[Flag(f)] for f in sorted(flags) if Flag(f) in _ASSIGNMENT_FLAG_REASONS]


def _overtaken(batch: _Batch, connection, assignment_ids: list[int], events: list[dict], flag_reasons: dict):
    """Assignments this batch read as open, whose state changed before its write: another upload stored a
    report for one (two phones, one assignment), or the coordinator withdrew or cancelled it. The batch's
    reports for them get the flags they would have had had they come second (``second_report``, the
    state's own), each assignment keeps the state the other change gave it, and ``assignment.submitted``
    is not recorded for it. Returns the events to record. Rare: a statement or two more, in the write turn
    (or, on PostgreSQL, after the other transaction's commit, which the UPDATE waited for)."""
    now = {row.id: row for row in connection.execute(_NOW_OF_ASSIGNMENTS, {"ids": assignment_ids})}
    reports = {}
    for assignment_id, uuid in connection.execute(_REPORTS_OF_ASSIGNMENTS, {"ids": assignment_ids}):
        reports.setdefault(assignment_id, set()).add(uuid)
    for values in batch.created:
        assignment_id = values["assignment_id"]
        if assignment_id not in now:
            continue
        late = set()
        if reports.get(assignment_id, set()) - batch.reports.get(assignment_id, set()):
            late.add(Flag.second_report)
        if now[assignment_id].state in _STATE_FLAGS:
            late.add(_STATE_FLAGS[now[assignment_id].state])
        added = {flag.value for flag in late} - set(values["flags"])
        if added:
            # In place: the row's answer, its snapshot and its audit event hold this same list.
            values["flags"][:] = sorted(set(values["flags"]) | added)
            connection.execute(
                _REFLAG_SUBMISSION, {"submission_uuid": values["uuid"], "flags": values["flags"]}
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
