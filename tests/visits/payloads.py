"""Submission bodies as the shopper app sends them."""
import uuid
from datetime import timedelta

from app.db_types import utcnow


def submission_payload(assignment, **overrides) -> dict:
    """A complete, valid body for ``assignment`` (a visit on the factories' questionnaire)."""
    version = assignment.questionnaire_version
    started = utcnow() - timedelta(minutes=30)
    body = {
        "uuid": str(uuid.uuid4()),
        "assignment_id": assignment.id,
        "kind": {"in_person": "visit", "telephone": "call", "exit_interview": "exit_interview",
                 "email": "email", "letter": "letter", "website": "website"}[assignment.channel.value],
        "questionnaire_id": version.questionnaire_id,
        "questionnaire_version": version.number,
        "started_at": started.isoformat(),
        "completed_at": (started + timedelta(minutes=20)).isoformat(),
        "answers": {"greeted": True, "helpful": 4, "outcome": "resolved"},
        "notes": "Queue of three; seen within ten minutes.",
    }
    body.update(overrides)
    return body
