"""A released world: approved reports of two partners, the wave's review closed and released."""

import re

from app.accounts.models import Role
from app.extensions import db
from app.releases import services as releases
from tests.factories import make_user
from tests.results.helpers import FAILED, FAIR, GOOD, approved_report, coordinator_of

# Distinctive strings a partner must never read (seeded in reports, looked for in every response).
SHOPPER_NAME = "Zebedee Quillfeather"
SHOPPER_EMAIL = "zebedee.quill@shoppers.test"
STAFF_NAME = "Mrs Thistlewood"
STAFF_NAME_INTRODUCED = "Bartholomew"  # "her badge said Bartholomew"
OTHER_PARTNER_NOTE = "South-only-note-7731"


def reports_for(world, coordinator):
    """North District: three reports, one naming staff and signed by the shopper; South: one report."""
    from tests.factories import make_shopper

    named = make_shopper(world, email=SHOPPER_EMAIL)
    named.display_name = SHOPPER_NAME
    db.session.commit()
    own = [
        approved_report(world, coordinator, GOOD),
        approved_report(world, coordinator, FAIR),
        _by(world, coordinator, named, FAILED),
    ]
    other = approved_report(
        world,
        coordinator,
        GOOD,
        contact_point=world.other_office,
        notes=f"Quiet office. {OTHER_PARTNER_NOTE}",
    )
    return own, other


def _by(world, coordinator, shopper, answers):
    from app.visits import review
    from tests.factories import make_assignment
    from tests.review.helpers import make_submission

    assignment = make_assignment(world, shopper)
    submission = make_submission(
        world,
        shopper=shopper,
        assignment=assignment,
        answers=answers,
        notes=f"{STAFF_NAME} at the desk was curt; her badge said {STAFF_NAME_INTRODUCED}.\n— {SHOPPER_NAME}",
        commendation=f"Thanks to {STAFF_NAME} for staying late. Write to me at {SHOPPER_EMAIL}",
    )
    review.approve(submission, coordinator)
    db.session.commit()
    return submission


def released(world, *organisations):
    """Close the review and release the world's wave to ``organisations`` (all partners when none)."""
    coordinator = coordinator_of(world)
    own, other = reports_for(world, coordinator)
    releases.close_review(world.wave, coordinator)
    if organisations:
        for organisation in organisations:
            releases.release(world.wave, organisation, coordinator)
    else:
        releases.release_all(world.wave, coordinator)
    db.session.commit()
    return coordinator, own, other


def partner_manager(world, organisation=None):
    return make_user(Role.partner_manager, organisation=organisation or world.district)


def view_part(html: str) -> str:
    """The part of a partner page that the preview shares, with its links' targets left out (they point at
    the partner's pages or at the preview's)."""
    match = re.search(r'<div id="partner-view">(.*?)</div>\s*</main>', html, re.S)
    assert match, "no shared part in the page"
    return re.sub(r'href="[^"]*"', 'href=""', match.group(1))
