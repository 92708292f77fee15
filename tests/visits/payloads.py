"""Submission bodies as the shopper app sends them."""

import json
import secrets
import uuid
from datetime import timedelta

from app.accounts.models import UserSession
from app.db_types import utcnow
from app.extensions import db
from app.visits import signing


def submission_payload(assignment, **overrides) -> dict:
    """A complete, valid body for ``assignment`` (a visit on the factories' questionnaire)."""
    version = assignment.questionnaire_version
    started = utcnow() - timedelta(minutes=30)
    body = {
        "uuid": str(uuid.uuid4()),
        "assignment_id": assignment.id,
        "kind": {
            "in_person": "visit",
            "telephone": "call",
            "exit_interview": "exit_interview",
            "email": "email",
            "letter": "letter",
            "website": "website",
        }[assignment.channel.value],
        "questionnaire_id": version.questionnaire_id,
        "questionnaire_version": version.number,
        "started_at": started.isoformat(),
        "completed_at": (started + timedelta(minutes=20)).isoformat(),
        "answers": {"greeted": True, "helpful": 4, "outcome": "resolved"},
        "notes": "Queue of three; seen within ten minutes.",
    }
    body.update(overrides)
    return body


def unsent_work_file(shopper, submissions=(), drafts=(), decisions=()) -> dict:
    """The file as app/static/js/shopper-app/signout.js (``exportFile``) writes it."""
    return {
        "format": "service-shopper-unsent-work",
        "version": 1,
        "exported_at": "2026-11-30T10:04:00.000Z",
        "shopper": {"id": shopper.id, "email": shopper.email, "display_name": shopper.display_name},
        "about": "Work on a shopper's phone that the server had not confirmed.",
        "submissions": list(submissions),
        "drafts": list(drafts),
        "decisions": list(decisions),
        "refused": [],
    }


def signed_file(content: dict, session_id: int | None = None, signer: int | None = None) -> bytes:
    """``content`` as the shopper app writes and signs it, in a session (a new one unless ``session_id``
    is given) of the shopper it names, or of shopper number ``signer``."""
    shopper_id = signer or content["shopper"]["id"]
    if session_id is None:
        session = UserSession(token_hash=secrets.token_hex(32), user_id=shopper_id)
        db.session.add(session)
        db.session.commit()
        session_id = session.id
    text = json.dumps(content, separators=(",", ":"), ensure_ascii=False).encode()  # as JSON.stringify
    return signing.sign(text, shopper_id, session_id)
