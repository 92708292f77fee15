"""Every partner-facing results page, export and API route, as the isolation tests try them.

Each ``Probe`` names a URL for the partner manager of North District (organisation A) and what it must do:
``own`` is their own released detail (must answer 200), the other kinds are attempts that must be refused
(403 or 404) or carry none of South District's (organisation B) detail. The plans feature adds its routes
to ``PROBES`` (B's improvement plan, by id, as kind ``other_plan``) with ``register``.
"""

from collections.abc import Callable
from dataclasses import dataclass

# kinds of probe
OWN = "own"  # A's own released wave: 200, and still none of B's detail
OTHER_ORGANISATION = "other_organisation"  # asks for B's detail by organisation id
UNRELEASED = "unreleased"  # a wave not released to A
OTHER_REPORT = "other_report"  # a report id of B's
OTHER_PLAN = "other_plan"  # B's improvement plan (the plans feature's probes)
COORDINATOR_ONLY = "coordinator_only"  # a coordinator's page (results, releases, preview)


@dataclass(frozen=True)
class Probe:
    kind: str
    url: Callable  # IsolationWorld -> path


PROBES: list[Probe] = []


def register(kind: str, *urls: Callable) -> None:
    PROBES.extend(Probe(kind, url) for url in urls)


EXPORTS = [f"/api/v1/exports/{t}.{e}" for t in ("reports", "answers", "calls") for e in ("csv", "xlsx")]
PAGES = ("", "/benchmark", "/log", "/method")

register(OWN, lambda w: "/results", *(lambda w, p=p: f"/results/waves/{w.released.id}{p}" for p in PAGES))
register(OWN, lambda w: f"/results/waves/{w.released.id}/log/{w.own_report.id}")
register(
    OWN, *(lambda w, e=e: f"{e}?wave={w.released.id}" for e in EXPORTS), *(lambda w, e=e: e for e in EXPORTS)
)
register(
    OWN,
    lambda w: "/api/v1/results",
    *(
        lambda w, g=g: f"/api/v1/results?wave={w.released.id}&group_by={g}"
        for g in (
            "organisation",
            "channel",
            "service_area",
            "service_area,channel",
            "organisation,channel",
            "wave",
        )
    ),
)
register(
    OTHER_ORGANISATION,
    *(lambda w, e=e: f"{e}?organisation={w.b.id}" for e in EXPORTS),
    lambda w: f"/api/v1/results?organisation={w.b.id}",
    lambda w: f"/api/v1/results?organisation={w.b.id}&group_by=channel",
    *(lambda w, p=p: f"/results/waves/{w.released.id}{p}?organisation={w.b.id}" for p in PAGES),
)
register(
    UNRELEASED,
    *(lambda w, p=p: f"/results/waves/{w.unreleased.id}{p}" for p in PAGES),
    lambda w: f"/results/waves/{w.unreleased.id}/log/{w.unreleased_report.id}",
    *(lambda w, e=e: f"{e}?wave={w.unreleased.id}" for e in EXPORTS),
    lambda w: f"/api/v1/results?wave={w.unreleased.id}",
    lambda w: f"/api/v1/results?wave={w.unreleased.id}&group_by=channel",
    lambda w: f"/results/waves/{w.withdrawn.id}",
    lambda w: f"/api/v1/results?wave={w.withdrawn.id}",
)
register(
    OTHER_REPORT,
    lambda w: f"/results/waves/{w.released.id}/log/{w.b_report.id}",
    lambda w: f"/results/waves/{w.released.id}/log/{w.unreleased_report.id}",
    lambda w: f"/results/waves/{w.unreleased.id}/log/{w.b_report.id}",
)
register(
    COORDINATOR_ONLY,
    *(
        lambda w, p=p: f"/programmes/{w.world.programme.id}/results{p}"
        for p in ("", "/league", "/trend", "/measures", "/strengths", "/reports")
    ),
    lambda w: f"/programmes/{w.world.programme.id}/releases",
    lambda w: f"/programmes/{w.world.programme.id}/releases/waves/{w.released.id}",
    *(
        lambda w, p=p: (
            f"/programmes/{w.world.programme.id}/releases/waves/{w.released.id}"
            f"/organisations/{w.b.id}/preview{p}"
        )
        for p in PAGES
    ),
    lambda w: (
        f"/programmes/{w.world.programme.id}/releases/waves/{w.released.id}"
        f"/organisations/{w.b.id}/preview/log/{w.b_report.id}"
    ),
)


# --- improvement plans and the wave report (the plans feature) ---------------------------------------
def _b_action(w) -> int:
    from tests.plans.helpers import other_partners_action

    return other_partners_action(w.world, w.b, w.released).id


PLAN_EXPORTS = [f"/api/v1/exports/plans.{e}" for e in ("csv", "xlsx")]
register(
    OWN,
    lambda w: f"/organisations/{w.a.id}/plans",
    lambda w: f"/organisations/{w.a.id}/waves/{w.released.id}/plan",
    lambda w: f"/waves/{w.released.id}/report/{w.a.id}",
    lambda w: f"/waves/{w.released.id}/report/{w.a.id}.pdf",
    *(lambda w, e=e: f"{e}?wave={w.released.id}" for e in PLAN_EXPORTS),
    *(lambda w, e=e: (_b_action(w), e)[1] for e in PLAN_EXPORTS),  # B's plan exists, and is not in A's
)
register(
    OTHER_PLAN,
    lambda w: f"/organisations/{w.b.id}/plans",
    lambda w: f"/organisations/{w.b.id}/waves/{w.released.id}/plan",
    lambda w: f"/plans/actions/{_b_action(w)}",
    lambda w: f"/waves/{w.released.id}/report/{w.b.id}",
    lambda w: f"/waves/{w.released.id}/report/{w.b.id}.pdf",
    *(lambda w, e=e: f"{e}?organisation={w.b.id}" for e in PLAN_EXPORTS),
)
register(
    UNRELEASED,
    lambda w: f"/organisations/{w.a.id}/waves/{w.unreleased.id}/plan",
    lambda w: f"/organisations/{w.a.id}/waves/{w.withdrawn.id}/plan",
    lambda w: f"/waves/{w.unreleased.id}/report/{w.a.id}",
    lambda w: f"/waves/{w.withdrawn.id}/report/{w.a.id}.pdf",
    *(lambda w, e=e: f"{e}?wave={w.unreleased.id}" for e in PLAN_EXPORTS),
)
register(
    COORDINATOR_ONLY,
    lambda w: f"/programmes/{w.world.programme.id}/plans",
    lambda w: f"/waves/{w.released.id}/report",
    lambda w: f"/waves/{w.released.id}/report.pdf",
)
