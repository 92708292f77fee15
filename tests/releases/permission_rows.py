"""Who may release (issue 18): the programme's coordinator and an admin; a coordinator of another programme
is refused (403), a partner manager, shopper or applicant too; signed out goes to the sign-in page."""

import sqlalchemy as sa

from app.extensions import db
from app.programmes.models import Wave, WaveStatus
from app.releases.models import Release
from tests.permissions_kit import HTML, Expect, Route, page_for

PAGE = page_for(coordinator=HTML, admin=HTML)
CHANGE = page_for(coordinator=Expect(302), admin=Expect(302))


def _base(c):
    return f"/programmes/{c.world.programme.id}/releases"


def _wave(c, suffix=""):
    return f"{_base(c)}/waves/{c.world.wave.id}{suffix}"


def _preview(c, suffix=""):
    return _wave(c, f"/organisations/{c.world.district.id}/preview{suffix}")


def _release(c):
    """A release of the cast's wave to North District, made once per cast."""
    if "release" not in c.__dict__:
        made = Release(
            programme_id=c.world.programme.id,
            wave_id=c.world.wave.id,
            organisation_id=c.world.district.id,
            figures={},
            changes=[],
        )
        db.session.add(made)
        db.session.commit()
        c.__dict__["release"] = made.id
    return c.__dict__["release"]


def _closed_wave(c, suffix):
    """The cast's wave with its review closed, so that a release goes through."""
    db.session.execute(sa.update(Wave).where(Wave.id == c.world.wave.id).values(status=WaveStatus.closed))
    db.session.commit()
    return _wave(c, suffix)


ROWS = {
    ("GET", "/programmes/<id:programme_id>/releases"): Route(_base, PAGE),
    ("GET", "/programmes/<id:programme_id>/releases/waves/<id:wave_id>"): Route(_wave, PAGE),
    ("POST", "/programmes/<id:programme_id>/releases/waves/<id:wave_id>/close"): Route(
        lambda c: _wave(c, "/close"), CHANGE
    ),
    ("POST", "/programmes/<id:programme_id>/releases/waves/<id:wave_id>/release"): Route(
        lambda c: _closed_wave(c, "/release"),
        CHANGE,
        body=lambda c, u: {"data": {"organisation_id": c.world.county.id}},
    ),
    ("GET", "/programmes/<id:programme_id>/releases/<id:release_id>/withdraw"): Route(
        lambda c: f"{_base(c)}/{_release(c)}/withdraw", PAGE
    ),
    ("POST", "/programmes/<id:programme_id>/releases/<id:release_id>/withdraw"): Route(
        lambda c: f"{_base(c)}/{_release(c)}/withdraw",
        CHANGE,
        body=lambda c, u: {"data": {"reason": "In error"}},
    ),
}
_PREVIEW = (
    "/programmes/<id:programme_id>/releases/waves/<id:wave_id>/organisations/<id:organisation_id>/preview"
)
for _suffix in ("", "/benchmark", "/log", "/method"):
    ROWS[("GET", _PREVIEW + _suffix)] = Route(lambda c, s=_suffix: _preview(c, s), PAGE)
ROWS[("GET", _PREVIEW + "/log/<id:report_id>")] = Route(
    lambda c: _preview(c, "/log/999999"), page_for(coordinator=Expect(404), admin=Expect(404))
)
