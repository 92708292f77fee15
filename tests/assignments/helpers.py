"""Builders shared by the planning tests."""

from app.accounts.models import Conflict, ConflictDeclaration
from app.assignments import planning
from app.extensions import db
from tests.factories import make_shopper


def declare(shopper, *conflicts):
    """File conflicts for ``shopper``: pairs of (organisation or None, service area or None)."""
    declaration = ConflictDeclaration(user_id=shopper.id)
    declaration.conflicts = [
        Conflict(
            user_id=shopper.id,
            organisation_id=o.id if o else None,
            service_area_id=a.id if a else None,
            reason="family",
        )
        for o, a in conflicts
    ]
    db.session.add(declaration)
    db.session.commit()
    return shopper


def set_target(world, wave, organisation, area, channel, target, max_per_shopper=20, actor=None):
    planning.set_targets(wave, {(organisation.id, area.id, channel): target}, max_per_shopper, actor)
    db.session.commit()


def shoppers(world, count):
    return [make_shopper(world) for _ in range(count)]
