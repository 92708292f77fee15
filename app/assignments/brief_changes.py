"""What changed in a shopper's briefs since the app last fetched them: the ``since`` cursor of GET /api/v1/briefs.

A brief's content depends on its assignment and on what it shows of its contact point, scenario, wave and
programme, none of which carries a reliable "changed at". So the cursor is a digest of every brief as sent, and
the server keeps, per shopper, what each brief's digest was behind the last few cursors (``BriefSnapshot``).
Comparing them with the briefs now gives the briefs that changed or are new, and the ids of those that went
(withdrawn, cancelled, declined, reported and approved, or reassigned to someone else), whatever changed them.
"""

import hashlib
from dataclasses import dataclass

import orjson
import sqlalchemy as sa

from app.accounts.models import User
from app.assignments.models import Assignment, BriefSnapshot
from app.assignments.schemas import (
    CompactBriefSchema,
    ContactPointBriefSchema,
    ScenarioBriefSchema,
    WaveBriefSchema,
)
from app.db_types import utcnow
from app.extensions import db

# Snapshots kept per shopper: a second phone, or an app that failed to store an answer, may hold an older one.
SNAPSHOTS_KEPT = 5


@dataclass
class BriefChanges:
    cursor: str  # the state now: the app sends it back as ``since``
    full: bool  # every brief is in ``changed`` (no cursor, or one no longer kept): the app replaces what it holds
    changed: list[Assignment]
    removed: list[int]


def _digest(data) -> str:
    return hashlib.sha256(orjson.dumps(data, option=orjson.OPT_SORT_KEYS)).hexdigest()[:32]


def brief_state(briefs: list[Assignment]) -> tuple[str, dict[str, str]]:
    """The cursor for these briefs and each brief's digest, by id (as text: the keys of a JSON object).

    A brief's digest covers its compact form and the digests of its contact point, scenario and wave (with the
    programme's time zone and instructions), each of these dumped once however many briefs share it."""
    shared = {}
    for schema, attribute in (
        (ContactPointBriefSchema(), "contact_point"),
        (ScenarioBriefSchema(), "scenario"),
        (WaveBriefSchema(), "wave"),
    ):
        for brief in briefs:
            part = getattr(brief, attribute)
            if (attribute, part.id) not in shared:
                shared[attribute, part.id] = _digest(schema.dump(part))
    items = CompactBriefSchema(many=True).dump(briefs)
    digests = {
        str(brief.id): _digest(
            [
                item,
                shared["contact_point", brief.contact_point_id],
                shared["scenario", brief.scenario_id],
                shared["wave", brief.wave_id],
            ]
        )
        for brief, item in zip(briefs, items, strict=True)
    }
    return _digest(sorted(digests.items())), digests


def _remember(shopper: User, state: str, digests: dict[str, str]) -> None:
    """Keep this state as a cursor, on a connection of its own and committed at once: bookkeeping that must not
    commit (and so expire) the briefs the caller loaded and is about to send."""
    exists = sa.select(BriefSnapshot.id).where(
        BriefSnapshot.shopper_id == shopper.id, BriefSnapshot.state == state
    )
    if db.session.scalar(exists) is not None:
        return
    table = BriefSnapshot.__table__
    newest = (
        sa.select(table.c.id)
        .where(table.c.shopper_id == shopper.id)
        .order_by(table.c.id.desc())
        .limit(SNAPSHOTS_KEPT)
    )
    try:
        with db.engine.begin() as connection:
            connection.execute(
                sa.insert(table).values(
                    shopper_id=shopper.id, state=state, digests=digests, created_at=utcnow()
                )
            )
            connection.execute(
                sa.delete(table).where(
                    table.c.shopper_id == shopper.id, table.c.id.not_in(newest.scalar_subquery())
                )
            )
    except sa.exc.IntegrityError:
        pass  # a second request with the same briefs at the same moment kept it


def changes_since(
    shopper: User, briefs: list[Assignment], state: str, digests: dict[str, str], since: str | None
):
    """The briefs that changed since the cursor ``since`` (or all of them), and the ids of those gone.

    Records the state now (committed apart), so that the app may send it back as its next ``since``.
    """
    _remember(shopper, state, digests)
    held = None
    if since:
        held = db.session.scalar(
            sa.select(BriefSnapshot.digests).where(
                BriefSnapshot.shopper_id == shopper.id, BriefSnapshot.state == since
            )
        )
    if held is None:
        return BriefChanges(cursor=state, full=True, changed=list(briefs), removed=[])
    return BriefChanges(
        cursor=state,
        full=False,
        changed=[b for b in briefs if held.get(str(b.id)) != digests[str(b.id)]],
        removed=sorted(int(key) for key in held if key not in digests),
    )
