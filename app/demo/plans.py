"""The demo's improvement plan: Kingsmere's actions on the findings of the first wave, with their progress,
and a response to a finding it disputes (issue 18). Kingsmere's telephone service improves clearly in the
second wave (``app.demo.results``), so the follow-up beside that finding shows what residents then found."""

from datetime import date, timedelta

from app.plans import services as plans
from app.plans.models import ActionStatus
from app.plans.services import Finding, FindingKind
from app.programmes.models import Channel


def build_improvement_plan(partners, people, today: date) -> int:
    """Kingsmere's plan on wave 1 (written by its partner manager); the number of actions."""
    wave1 = partners.waves[0]
    kingsmere = partners.organisations["kingsmere"]
    manager = people["manager"]
    actions = [
        (
            Finding(FindingKind.channel, None, Channel.telephone.value),
            "Put two more advisers on the phones on Monday and Tuesday mornings, when most calls wait.",
            "Contact centre manager",
            wave1.ends_on + timedelta(days=30),
            ActionStatus.done,
            ["Rota changed from the first Monday of the month.", "Calls waiting at 9am down by half."],
        ),
        (
            Finding(FindingKind.standard, None, "TEL_TRANSFER_ONCE"),
            "Give every adviser the list of who deals with what, so that a caller is put through once.",
            "Contact centre team leader",
            today + timedelta(days=45),
            ActionStatus.in_progress,
            ["Draft list shared with the team for comment."],
        ),
        (
            Finding(FindingKind.service_area, None, str(partners.areas["REV"].id)),
            "Refresh the council tax pages with the questions residents asked at the desk.",
            "Web content editor",
            today - timedelta(days=10),
            ActionStatus.planned,
            [],
        ),
    ]
    for finding, text, role, due_on, status, notes in actions:
        action = plans.add_action(
            wave1, kingsmere.id, finding, manager, action=text, owner_role=role, due_on=due_on, status=status
        )
        for days, note in enumerate(notes):
            plans.add_note(action, note, min(today, wave1.ends_on + timedelta(days=14 + 7 * days)), manager)
    plans.add_response(
        wave1,
        kingsmere.id,
        Finding(FindingKind.channel, None, Channel.website.value),
        "The website moved to a new platform during the wave; search did not work for two weeks.",
        manager,
    )
    return len(actions)
