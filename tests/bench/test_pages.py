"""bench/pages.py times every GET route: a route with no place in its ROUTES (nor a reason in NOT_TIMED) stops
the benchmark, so the suite says so first, and ROUTES names no route the app no longer has."""

from bench import pages


def get_rules(app) -> set[str]:
    return {rule.rule for rule in app.url_map.iter_rules() if "GET" in rule.methods}


def test_the_pages_benchmark_times_every_get_route(app):
    pages.check_route_list(app)


def test_the_pages_benchmark_times_only_routes_of_the_app(app):
    assert set(pages.ROUTES) - get_rules(app) == set()
    assert set(pages.NOT_TIMED) - get_rules(app) == set()
