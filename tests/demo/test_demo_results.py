"""`flask demo`'s results (issue 17): both waves on every channel for every organisation, a real change
between waves in some places, a small sample in others, and a reference figure beside them."""

import sqlalchemy as sa

from app.extensions import db
from app.programmes.models import Channel, Programme
from app.results import figures


def test_the_demo_has_results_worth_looking_at(app, runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    programme = db.session.scalar(sa.select(Programme))
    names = figures.Names(programme)
    wave1, wave2 = names.waves
    rows = figures.rows(programme, names, None, figures.Filters(), ("organisation", "channel", "wave"))
    cells = {(r["organisation"]["id"], r["channel"]["id"], r["wave"]["id"]) for r in rows if r["reports"]}
    assert cells == {(o, c.value, w.id) for o in names.organisation for c in Channel for w in (wave1, wave2)}
    latest = figures.rows(programme, names, wave2, figures.Filters(), ("organisation", "channel"))
    calls = {r["score_change"]["call"] for r in latest if r["score_change"]}
    assert {"improved", "declined", "no_clear_change"} <= calls
    assert any(r["score"]["small_sample"] and r["rank"] is None for r in latest)
    by_channel = figures.rows(programme, names, wave2, figures.Filters(), ("channel",))
    assert any(r["reference"] for r in by_channel)
