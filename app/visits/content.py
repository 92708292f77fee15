"""A submission's content: its canonical form and hash (the idempotency check), and its API snapshot.

``canonical_content`` normalises what the device sent (times in UTC, defaults
filled in) so that the same report hashes the same however it was spelt;
``content_of`` rebuilds it from a stored row, so that a superseded revision
keeps exactly what was hashed.
"""

import hashlib
import json
from datetime import UTC, datetime

import orjson


def iso(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat()


def canonical_call_log(call_log: dict | None) -> dict | None:
    """A loaded ``CallLogArgs`` in its stored form: ``dialled_at`` in UTC, every optional key present."""
    if call_log is None:
        return None
    return {
        **call_log,
        "dialled_at": iso(call_log["dialled_at"]),
        "recorded_message": dict(call_log["recorded_message"]),
        "transfers": [dict(t) for t in call_log["transfers"]],
    }


def _with_call_log(content: dict, call_log: dict | None) -> dict:
    """The call log joins the content only when there is one: content without it hashes as it did
    before call logs existed, so a report queued on a phone before then is still an identical replay."""
    if call_log is not None:
        content["call_log"] = call_log
    return content


def canonical_content(item: dict) -> dict:
    """The device's content in one normal form (times in UTC, defaults filled in): what the hash covers."""
    return _with_call_log(
        {
            "uuid": str(item["uuid"]),
            "assignment_id": item["assignment_id"],
            "kind": item["kind"].value,
            "questionnaire_id": item["questionnaire_id"],
            "questionnaire_version": item["questionnaire_version"],
            "started_at": iso(item["started_at"]),
            "completed_at": iso(item["completed_at"]),
            "answers": item["answers"],
            "notes": item["notes"],
            "commendation": item["commendation"],
            "evidence": [
                {**{k: v for k, v in e.items() if k != "taken_at"}, "taken_at": iso(e.get("taken_at"))}
                for e in item["evidence"]
            ],
            "sent_at": iso(item["sent_at"]),
            "replies": [{**r, "received_at": iso(r["received_at"])} for r in item["replies"]],
        },
        canonical_call_log(item.get("call_log")),
    )


def content_hash(content: dict) -> str:
    """SHA-256 of the content's canonical JSON. Raises UnicodeEncodeError on text that cannot be stored
    (``app.text.broken_text`` says where)."""
    return hashlib.sha256(canonical_json(content)).hexdigest()


def canonical_json(content: dict) -> bytes:
    """The JSON the hash is of: the standard library's, keys sorted, no spaces, text as UTF-8. Hashes
    stored before must keep matching, so it never changes. orjson writes exactly that for content
    without floats (tests/visits/test_content.py holds it), several times faster: the hash was a tenth
    of a sync's CPU. A float is written differently by the two (1e-05 against 0.00001), so content
    with one, and anything orjson refuses, goes to the standard library."""
    if not _has_float(content):
        try:
            return orjson.dumps(content, option=orjson.OPT_SORT_KEYS)
        except orjson.JSONEncodeError:
            pass
    return json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode()


_NOT_FLOATS = frozenset((str, int, bool, type(None)))


def _has_float(value) -> bool:
    """Whether anything in ``value`` is other than dicts, lists, text, whole numbers, booleans and None.
    A loop over each container's items rather than a call per value: it walks every report uploaded,
    and a call per value cost more than the orjson it decides on."""
    kind = type(value)
    if kind is dict:
        value = value.values()
    elif kind is not list:
        return _is_other(value)
    for inner in value:
        kind = type(inner)
        if kind is dict or kind is list:
            if _has_float(inner):
                return True
        elif kind not in _NOT_FLOATS and _is_other(inner):
            return True
    return False


def _is_other(value) -> bool:
    return not isinstance(value, (str, bool, int)) and value is not None


def content_of(submission, questionnaire_id: int, number: int) -> dict:
    """The canonical content of the current revision, rebuilt from the row (its hash is ``content_hash``)."""
    return _with_call_log(
        {
            "uuid": str(submission.uuid),
            "assignment_id": submission.assignment_id,
            "kind": submission.kind.value,
            "questionnaire_id": questionnaire_id,
            "questionnaire_version": number,
            "started_at": iso(submission.started_at),
            "completed_at": iso(submission.completed_at),
            "answers": submission.answers,
            "notes": submission.notes,
            "commendation": submission.commendation,
            "evidence": submission.evidence,
            "sent_at": iso(submission.sent_at),
            "replies": submission.replies,
        },
        submission.call_log,
    )


def _evidence_view(item: dict) -> dict:
    view = {k: v for k, v in item.items() if k != "data"}
    if item.get("data"):
        data = item["data"]
        view["size"] = len(data) * 3 // 4 - (len(data) - len(data.rstrip("=")))
    return view


def snapshot(submission, questionnaire_id: int, number: int) -> dict:
    """The stored submission as the API answers it, already in its JSON form (times as ISO strings in UTC,
    as ``SubmissionSchema`` documents it): the views send it as it is, without a schema walk per item
    (``SubmissionSchema().dump(snapshot(...))`` gives it back unchanged; the tests hold that)."""
    return {
        "uuid": str(submission.uuid),
        "assignment_id": submission.assignment_id,
        "kind": submission.kind.value,
        "questionnaire_id": questionnaire_id,
        "questionnaire_version": number,
        "started_at": iso(submission.started_at),
        "completed_at": iso(submission.completed_at),
        "received_at": iso(submission.received_at),
        "revision": submission.revision,
        "state": submission.state.value,
        "flags": list(submission.flags),
        "answers": submission.answers,
        "notes": submission.notes,
        "commendation": submission.commendation,
        "evidence": [_evidence_view(e) for e in submission.evidence],
        "sent_at": iso(submission.sent_at),
        "replies": submission.replies,
        "call_log": submission.call_log,
        "content_hash": submission.content_hash,
        "review_comment": submission.review_comment,
    }
