"""Who may read a partner's results (issue 18): partner managers only, each their own organisation's
released waves. Nothing is released in the matrix's world, so a wave's pages are 404 to both partner
managers; ``tests/partner_results/test_isolation.py`` tries them with releases made."""

from tests.permissions_kit import HTML, Expect, Route, page_for

NOT_RELEASED = page_for(partner_manager=Expect(404), other_partner_manager=Expect(404))


def _wave(c, suffix=""):
    return f"/results/waves/{c.world.wave.id}{suffix}"


ROWS = {
    ("GET", "/results"): Route(
        lambda c: "/results", page_for(partner_manager=HTML, other_partner_manager=HTML)
    ),
    ("GET", "/results/waves/<id:wave_id>/log/<id:report_id>"): Route(
        lambda c: _wave(c, "/log/1"), NOT_RELEASED
    ),
}
for _suffix in ("", "/benchmark", "/log", "/method"):
    ROWS[("GET", "/results/waves/<id:wave_id>" + _suffix)] = Route(
        lambda c, s=_suffix: _wave(c, s), NOT_RELEASED
    )
