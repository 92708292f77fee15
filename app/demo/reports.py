"""Demo reports: every assignment the demo shows as reported gets a real submission (SPEC §5).

They go through the same doors as a shopper's phone and a coordinator's review: each report is
loaded by ``SubmissionArgs`` and stored by ``visits.services.receive``, then started, approved or
returned by ``visits.review``. The review queue and report pages therefore show data that the app
itself could have produced, audit trail included, and a change to the contract shows up here as a
failing demo rather than as rows no real phone could send.
"""

import random
import uuid
from datetime import timedelta

import sqlalchemy as sa

from app.assignments.models import Assignment, AssignmentState
from app.extensions import db
from app.questionnaires.models import QuestionType
from app.visits import review
from app.visits.models import KIND_FOR_CHANNEL, Submission, SubmissionKind
from app.visits.schemas import SubmissionArgs
from app.visits.services import receive

S = AssignmentState
REPORTED = {S.submitted, S.in_review, S.approved, S.returned}
RETURN_COMMENT = (
    "Please add how long you waited before someone answered, and say which department "
    "you were transferred to."
)
NOTES = [
    "Staff were friendly and knew where to send me.",
    "The queue moved slowly, but I was told how long it would be.",
    "I was passed on once and the second person answered fully.",
    "Clear answer, and I was given a leaflet to take away.",
]


def build_reports(assignments: list[Assignment], coordinator, seed: int = 2026, adjust=None) -> int:
    """Store and review a report for each assignment in a reported state; the number stored.

    ``adjust(assignment, payload, chance)``, if given, changes a payload's answers before it is sent
    (app/demo/results.py makes some reports better or worse than the rest)."""
    chance = random.Random(seed)
    stored = 0
    for assignment in assignments:
        target = assignment.state
        if target not in REPORTED:
            continue
        assignment.state = S.accepted  # as it was on the phone when the work was done
        db.session.flush()
        body = _payload(assignment, chance)
        if adjust is not None:
            adjust(assignment, body, chance)
        payload = SubmissionArgs().load(body)
        (outcome,) = receive(assignment.shopper, [payload], now=payload["completed_at"] + timedelta(hours=2))
        if outcome.status != 201:
            raise ValueError(f"demo report for assignment {assignment.id}: {outcome.code} {outcome.errors}")
        db.session.expire(assignment)  # receive moved it to submitted in SQL, behind the ORM's back
        submission = db.session.scalars(sa.select(Submission).filter_by(assignment_id=assignment.id)).one()
        if target is S.in_review:
            review.start_review(submission, coordinator)
        elif target is S.approved:
            review.approve(submission, coordinator)
        elif target is S.returned:
            review.return_to_shopper(submission, coordinator, RETURN_COMMENT)
        stored += 1
    return stored


def _payload(assignment: Assignment, chance: random.Random) -> dict:
    version = assignment.questionnaire_version
    kind = KIND_FOR_CHANNEL[assignment.channel]
    started = assignment.window_starts_at + timedelta(
        hours=1 + chance.randrange(5), minutes=chance.randrange(60)
    )
    completed = started + timedelta(minutes=20 + chance.randrange(40))
    answers = {
        question.key: value
        for question in _questions(version)
        if (value := _answer(question, chance)) is not _SKIP
    }
    payload = {
        "uuid": str(uuid.UUID(int=chance.getrandbits(128), version=4)),
        "assignment_id": assignment.id,
        "kind": kind.value,
        "questionnaire_id": version.questionnaire_id,
        "questionnaire_version": version.number,
        "started_at": started.isoformat(),
        "completed_at": completed.isoformat(),
        "answers": answers,
        "notes": chance.choice(NOTES),
    }
    if kind is SubmissionKind.call:
        payload["call_log"] = _call_log(started, chance)
    if kind in (SubmissionKind.email, SubmissionKind.letter):
        payload["sent_at"] = started.isoformat()
        payload["replies"] = [
            {
                "received_at": completed.isoformat(),
                "via": kind.value,
                "summary": "A full answer, with the form attached.",
            }
        ]
    return payload


def _questions(version):
    return [question for section in version.sections for question in section.questions]


_SKIP = object()


def _answer(question, chance: random.Random):
    """A plausible answer, mostly good with some misses; optional photos are left out (no evidence)."""
    kind = question.type
    if kind is QuestionType.photo:
        return _SKIP
    if question.na_allowed and chance.random() < 0.15:
        return None
    if question.key == "consent":
        return True
    if kind is QuestionType.yes_no:
        return question.critical or chance.random() < 0.8
    if kind is QuestionType.scale:
        low, high = question.scale_min or 1, question.scale_max or 5
        return chance.randint(max(low, high - 2), high)
    if kind is QuestionType.single_choice:
        return chance.choice([o["value"] for o in question.options][:2])
    if kind is QuestionType.multi_choice:
        values = [o["value"] for o in question.options]
        return chance.sample(values, chance.randint(1, len(values)))
    if kind is QuestionType.number:
        return chance.randint(1, 5)
    if kind is QuestionType.duration:
        return chance.randrange(20, 900, 5)
    if kind is QuestionType.time:
        return f"{chance.randint(9, 15):02d}:{chance.randrange(0, 60, 5):02d}"
    if kind is QuestionType.text:
        return chance.choice(NOTES) if question.required or chance.random() < 0.5 else _SKIP
    return _SKIP


def _call_log(dialled, chance: random.Random) -> dict:
    rings = chance.randint(2, 9)
    transferred = chance.random() < 0.4
    return {
        "dialled_at": dialled.isoformat(),
        "seconds_to_answer": rings * 4,
        "rings": rings,
        "recorded_message": {
            "heard": True,
            "gave_name": True,
            "gave_hours": chance.random() < 0.7,
            "gave_alternative": chance.random() < 0.5,
        },
        "transfers": [
            {
                "to": "Council tax team",
                "announced": chance.random() < 0.6,
                "seconds_waiting": chance.randrange(10, 120),
            }
        ]
        if transferred
        else [],
        "outcome": "resolved" if not transferred or chance.random() < 0.5 else "redirected",
        "handle_time_seconds": chance.randrange(120, 600),
    }
