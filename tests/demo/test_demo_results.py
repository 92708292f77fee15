"""`flask demo`'s results (issue 17): both waves on every channel for every organisation, a real change
between waves in some places, a small sample in others, and a reference figure beside them."""

from datetime import date

import sqlalchemy as sa

from app.extensions import db
from app.plans import services as plans
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
    # The improvement plan (issue 18): Kingsmere's actions on wave 1, on track, overdue and done, the one on
    # its telephone service followed up in wave 2, where residents found it clearly better.
    kingsmere = next(o for o in names.organisation.values() if o.name.startswith("Kingsmere"))
    actions = plans.actions_of(kingsmere.id, [wave1.id])
    assert {plans.progress(a, date.today()) for a in actions} == {"done", "on_track", "overdue"}
    finding = plans.Finding.of(next(a for a in actions if a.finding_key == Channel.telephone.value))
    before, after = (plans.finding_rate(programme, w.id, kingsmere.id, finding) for w in (wave1, wave2))
    assert plans.follow_up(before, after, wave2)["change"]["call"] == "improved"
    assert plans.responses_of(kingsmere.id, [wave1.id])
