"""A submission's content: its canonical form and hash (the idempotency check), and its API snapshot.

Every shape here is derived from the schemas: ``SubmissionArgs`` says what the device sends (and, dumped,
its canonical form), the ``Submission`` model which of it is stored in which column, and
``SubmissionSchema`` what the API answers.

``canonical_content`` normalises what the device sent (times in UTC, defaults filled in) so that the same
report hashes the same however it was spelt; ``content_of`` rebuilds it from a stored row, so that a
superseded revision keeps exactly what was hashed.
"""

import hashlib
import json

import sqlalchemy as sa

from app.text import UnstorableText, broken_text
from app.visits.models import Submission
from app.visits.plain_dump import dumper
from app.visits.schemas import SubmissionArgs, SubmissionSchema

# The version is named by its questionnaire and number; the row holds the version's id instead.
_VERSION_FIELDS = ("questionnaire_id", "questionnaire_version")
_COLUMNS = Submission.__table__.columns
# What the device sends that is stored in a column of its own, as loaded (JSON ones in canonical form).
STORED_FIELDS = tuple(name for name in SubmissionArgs().fields if name in _COLUMNS)
_JSON_FIELDS = tuple(name for name in STORED_FIELDS if isinstance(_COLUMNS[name].type, sa.JSON))
_canonical = dumper(SubmissionArgs())
_scalars = SubmissionArgs(only=[name for name in STORED_FIELDS if name not in _JSON_FIELDS])
_snapshot_fields = tuple(SubmissionSchema().fields)
_snapshot = dumper(SubmissionSchema())


def _without_absent_call_log(content: dict) -> dict:
    """Content without a call log hashes as it did before call logs existed, so that a report queued on a
    phone before then is still an identical replay."""
    if content.get("call_log") is None:
        content.pop("call_log", None)
    return content


def canonical_content(item: dict) -> dict:
    """The device's content (a loaded ``SubmissionArgs``) in one normal form: what the hash covers."""
    return _without_absent_call_log(_canonical(item))


def stored_columns(item: dict, content: dict) -> dict:
    """The column values of a submission's content: JSON columns in canonical form, the rest as loaded."""
    return {name: content.get(name) if name in _JSON_FIELDS else item[name] for name in STORED_FIELDS}


def content_of(submission, questionnaire_id: int, number: int) -> dict:
    """The canonical content of the current revision, rebuilt from the row (its hash is ``content_hash``)."""
    content = _scalars.dump(submission)
    content.update({name: getattr(submission, name) for name in _JSON_FIELDS})
    content.update(zip(_VERSION_FIELDS, (questionnaire_id, number), strict=True))
    return _without_absent_call_log(content)


def content_hash(content: dict) -> str:
    """SHA-256 of the content's canonical JSON. Raises ``UnstorableText`` on text that cannot be stored."""
    try:
        data = canonical_json(content)
    except UnicodeEncodeError:  # half a surrogate pair
        data = None
    # JSON writes a NUL as \u0000; the same six characters typed as text are written \\u0000, so
    # ``broken_text`` decides.
    if data is None or b"\\u0000" in data:
        errors = broken_text(content)
        if errors:
            raise UnstorableText(errors)
    return hashlib.sha256(data).hexdigest()


def canonical_json(content: dict) -> bytes:
    """The JSON the hash is of: keys sorted, no spaces, text as UTF-8. Hashes stored before must keep
    matching, so it never changes."""
    return json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode()


def snapshot(submission, questionnaire_id: int, number: int) -> dict:
    """The stored submission as the API answers it (``SubmissionSchema``), in its JSON form."""
    values = {name: getattr(submission, name) for name in _snapshot_fields if name not in _VERSION_FIELDS}
    values.update(zip(_VERSION_FIELDS, (questionnaire_id, number), strict=True))
    return _snapshot(values)
