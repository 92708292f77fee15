"""Demo results: enough approved reports in both waves, on every channel for every organisation, that the
results pages are worth looking at (SPEC §5, issue 17).

Most organisation x channel cells reach the programme's minimum sample of 5 in each wave; the national park
authority stays under it (a small sample, flagged and left out of ranking); Kingsmere's telephone service
improves clearly between the waves and Fenmoor's website gets clearly worse, so the Newcombe interval of those
changes leaves out 0. The reports go through the same receive and review doors as every other demo report.
"""

import random
from datetime import UTC, datetime, time, timedelta

from app.assignments.models import Assignment, AssignmentState
from app.demo.people import CONFLICTS, HISTORY_SHOPPERS, _contact_point, _fitting_scenarios
from app.demo.reports import build_reports
from app.programmes.models import Channel
from app.questionnaires.models import QuestionType

PER_CELL = 5  # each wave, each organisation x channel, counting the demo's earlier reports
SMALL = ("park", 3)  # under the minimum sample
# (organisation, channel): (share of good answers in wave 1, in wave 2, reports per wave)
CHANGES = {
    ("kingsmere", Channel.telephone): (0.25, 0.97, 9),
    ("fenmoor", Channel.website): (0.97, 0.25, 9),
}
USUAL_QUALITY = 0.8


def build_results_history(partners, versions, people, existing: list[Assignment]) -> dict[Assignment, float]:
    """Approved assignments topping every cell of both waves up to its size, each with the share of good
    answers its report will have."""
    wave1, wave2 = partners.waves
    have = {}
    for assignment in existing:
        if assignment.state is AssignmentState.approved:
            key = (assignment.wave, assignment.contact_point.organisation, assignment.channel)
            have[key] = have.get(key, 0) + 1
    made, count = {}, 0
    for wave_index, wave in enumerate((wave1, wave2)):
        for organisation_key, organisation in partners.organisations.items():
            for channel in Channel:
                change = CHANGES.get((organisation_key, channel))
                size = change[2] if change else SMALL[1] if organisation_key == SMALL[0] else PER_CELL
                quality = change[wave_index] if change else USUAL_QUALITY
                candidates = _fitting_scenarios(partners, organisation_key, channel)
                for _ in range(size - have.get((wave, organisation, channel), 0)):
                    scenario_key = candidates[count % len(candidates)]
                    shopper_key = _shopper(count, organisation_key)
                    starts = datetime.combine(
                        wave.starts_on + timedelta(days=count % 30), time(9), tzinfo=UTC
                    )
                    assignment = Assignment(
                        wave=wave,
                        shopper=people[shopper_key],
                        contact_point=_contact_point(partners, organisation_key, channel, scenario_key),
                        scenario=partners.scenarios[scenario_key],
                        questionnaire_version=versions[channel],
                        channel=channel,
                        window_starts_at=starts,
                        window_ends_at=starts + timedelta(days=7),
                        state=AssignmentState.approved,
                        explanation="Demo: an earlier shop, for the results pages.",
                    )
                    made[assignment] = quality
                    count += 1
    return made


def _shopper(count: int, organisation_key: str) -> str:
    for step in range(len(HISTORY_SHOPPERS)):
        key = HISTORY_SHOPPERS[(count + step) % len(HISTORY_SHOPPERS)]
        if CONFLICTS.get(key, (None,))[0] != organisation_key:
            return key
    raise ValueError(f"demo data: every history shopper declared a conflict with {organisation_key}")


def store_results_history(history: dict[Assignment, float], coordinator) -> int:
    def adjust(assignment, payload, chance):
        _as_good_as(assignment, history[assignment], payload, chance)

    return build_reports(list(history), coordinator, seed=17, adjust=adjust)


def _as_good_as(assignment, quality: float, payload: dict, chance: random.Random) -> None:
    """Answers good with the share ``quality``: yes, the top of a scale, the best option, a quick answer."""
    answers = payload["answers"]
    log = payload.get("call_log")
    if log:
        wait = chance.randrange(5, 19) if chance.random() < quality else chance.randrange(25, 120)
        log["seconds_to_answer"] = wait
        log["rings"] = max(1, wait // 4)
    for section in assignment.questionnaire_version.sections:
        for question in section.questions:
            if question.key not in answers or answers[question.key] is None or question.key == "consent":
                continue
            good = chance.random() < (quality + (1 - quality) / 2 if question.critical else quality)
            if question.key == "answer_wait" and log:
                answers[question.key] = log["seconds_to_answer"]
            elif question.type is QuestionType.yes_no:
                answers[question.key] = good
            elif question.type is QuestionType.scale:
                low, high = question.scale_min or 1, question.scale_max or 5
                answers[question.key] = high if good else low + chance.randrange(0, 2)
            elif question.type is QuestionType.single_choice:
                scored = [o for o in question.options or [] if isinstance(o.get("score"), (int, float))]
                if scored:
                    pick = max if good else min
                    answers[question.key] = pick(scored, key=lambda o: o["score"])["value"]
