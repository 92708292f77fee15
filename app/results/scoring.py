"""SPEC §6 scoring of one report: the report score, section scores, critical failures, standards, and the
report's share of every roll-up measure. Pure: it takes a questionnaire plan and the answers, never a session.

Which questions carry points: yes/no (yes earns the weight), a scale (its position between the scale's ends),
a choice whose options have scores (the chosen option's score; a multi-choice adds its chosen scores, at most
1), and any question tied to a standard (met earns the weight). Numbers, durations, times, text and photos
without a standard carry none. A question answered N/A, or not answered, leaves both sides. A critical
question "fails" when it earns nothing; then the report (or the section, as the version says) scores 0.
"""

from dataclasses import dataclass, field

from app.programmes.models import Channel
from app.questionnaires.models import CriticalScope, QuestionnaireVersion, QuestionType

UNIT_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600}
AT_LEAST_UNITS = {"percent"}  # a standard in per cent is met at or above its threshold; the rest at or below
HANDLED_OUTCOMES = {"resolved", "call_back_promised", "unresolved"}
EXIT_DRIVERS = (
    "satisfaction",
    "need_addressed",
    "ease",
    "reasonable_time",
    "treated_fairly",
    "staff_helpful",
    "trust",
)
AGREE_FROM = 4  # "agree" or "strongly agree" on the 5-point scale
NET_SATISFACTION = {"good": 1, "neutral": 0, "poor": -1}


@dataclass(frozen=True)
class QuestionPlan:
    key: str
    type: QuestionType
    weight: float
    critical: bool
    scale_min: int
    scale_max: int
    option_scores: dict  # {value: score or None}
    standard_code: str | None = None
    threshold: float | None = None
    unit: str = ""


@dataclass(frozen=True)
class SectionPlan:
    title: str
    questions: tuple[QuestionPlan, ...]


@dataclass(frozen=True)
class VersionPlan:
    """What scoring needs of a questionnaire version, read once per version."""

    channel: Channel
    critical_scope: CriticalScope
    sections: tuple[SectionPlan, ...]


def plan_for(version: QuestionnaireVersion) -> VersionPlan:
    sections = []
    for section in version.sections:
        questions = []
        for question in section.questions:
            standard = question.standard
            questions.append(
                QuestionPlan(
                    key=question.key,
                    type=question.type,
                    weight=question.weight or 0.0,
                    critical=question.critical,
                    scale_min=1 if question.scale_min is None else question.scale_min,
                    scale_max=5 if question.scale_max is None else question.scale_max,
                    option_scores={o.get("value"): o.get("score") for o in (question.options or [])},
                    standard_code=standard.code if standard else None,
                    threshold=standard.threshold if standard else None,
                    unit=standard.unit if standard else "",
                )
            )
        sections.append(SectionPlan(section.title, tuple(questions)))
    return VersionPlan(version.questionnaire.channel, version.critical_scope, tuple(sections))


@dataclass
class Scored:
    points_earned: float
    points_possible: float
    score: float | None
    critical_failure: bool
    detail: dict
    tallies: dict = field(default_factory=dict)


def standard_met(question: QuestionPlan, value) -> bool | None:
    """Whether ``value`` meets the question's standard; None when the question has none or the answer is N/A."""
    if question.standard_code is None or value is None:
        return None
    if question.threshold is None or question.type in (QuestionType.yes_no, QuestionType.scale):
        fraction = _fraction_of_answer(question, value)
        return None if fraction is None else fraction >= 1
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    threshold = question.threshold
    if question.type is QuestionType.duration:
        threshold *= UNIT_SECONDS.get(question.unit, 1)
    return value >= threshold if question.unit in AT_LEAST_UNITS else value <= threshold


def _fraction_of_answer(question: QuestionPlan, value) -> float | None:
    """The share of the weight an answer earns, without standards; None when the question carries no points."""
    kind = question.type
    if kind is QuestionType.yes_no:
        return 1.0 if value is True else 0.0 if value is False else None
    if kind is QuestionType.scale and isinstance(value, int) and not isinstance(value, bool):
        span = question.scale_max - question.scale_min
        return (value - question.scale_min) / span if span > 0 else None
    if kind is QuestionType.single_choice:
        score = question.option_scores.get(value)
        return float(score) if isinstance(score, (int, float)) else None
    if kind is QuestionType.multi_choice and isinstance(value, list):
        scores = [question.option_scores.get(v) for v in value]
        if not question.option_scores or any(s is None for s in question.option_scores.values()):
            return None
        return min(1.0, float(sum(scores)))
    return None


def question_fraction(question: QuestionPlan, value) -> float | None:
    if value is None:
        return None
    met = standard_met(question, value)
    if met is not None:
        return 1.0 if met else 0.0
    return _fraction_of_answer(question, value)


def score_report(
    plan: VersionPlan,
    answers: dict,
    call_log: dict | None = None,
    cross_tier: bool = False,
    answer_within_seconds: float = 20,
) -> Scored:
    answers = answers or {}
    sections, failures, standards, fractions = [], [], {}, {}
    earned_total = possible_total = 0.0
    report_failed = False
    for section in plan.sections:
        earned = possible = 0.0
        section_failed = False
        for question in section.questions:
            value = answers.get(question.key)
            met = standard_met(question, value)
            if met is not None:
                standards[question.standard_code] = met
            fraction = question_fraction(question, value)
            if fraction is None:
                continue
            fractions[question.key] = round(fraction, 4)
            if question.critical and fraction == 0:
                failures.append(question.key)
                section_failed = True
            if question.weight > 0:
                earned += question.weight * fraction
                possible += question.weight
        if section_failed and plan.critical_scope is CriticalScope.section:
            earned = 0.0
        report_failed = report_failed or section_failed
        sections.append(
            {
                "title": section.title,
                "earned": round(earned, 4),
                "possible": round(possible, 4),
                "score": round(earned / possible, 4) if possible else None,
                "critical_failure": section_failed,
            }
        )
        earned_total += earned
        possible_total += possible
    if report_failed and plan.critical_scope is CriticalScope.report:
        earned_total = 0.0
    score = round(earned_total / possible_total, 4) if possible_total else None
    detail = {
        "sections": sections,
        "critical_failures": failures,
        "standards": standards,
        "questions": fractions,
    }
    scored = Scored(round(earned_total, 4), round(possible_total, 4), score, report_failed, detail)
    scored.tallies = _tallies(plan, scored, answers, call_log, cross_tier, answer_within_seconds)
    return scored


def _tallies(plan, scored: Scored, answers, call_log, cross_tier, answer_within_seconds) -> dict:
    tallies = {}

    def add(key, value):
        tallies[key] = [value, 1, value * value]

    if scored.score is not None:
        add("score", scored.score)
        add("critical_failure", 1 if scored.critical_failure else 0)
        for section in scored.detail["sections"]:
            if section["score"] is not None:
                add("section:" + section["title"], section["score"])
    for key, fraction in scored.detail["questions"].items():
        add("question:" + key, fraction)
    for code, met in scored.detail["standards"].items():
        add("standard:" + code, 1 if met else 0)
    if call_log:
        _call_tallies(add, call_log, answer_within_seconds)
    if plan.channel is Channel.telephone:
        satisfaction = answers.get("satisfaction")
        if isinstance(satisfaction, int) and not isinstance(satisfaction, bool):
            add("tel.satisfaction", satisfaction)
    if cross_tier:
        redirected = answers.get("redirect_correct")
        if not isinstance(redirected, bool) and call_log:
            redirected = call_log.get("outcome") == "redirected"
        if isinstance(redirected, bool):
            add("p2p.cross_tier_redirected", 1 if redirected else 0)
    if plan.channel is Channel.exit_interview:
        _exit_tallies(add, answers)
    return tallies


def _call_tallies(add, call_log: dict, answer_within_seconds: float) -> None:
    wait = call_log.get("seconds_to_answer")
    outcome = call_log.get("outcome")
    transfers = len(call_log.get("transfers") or [])
    add("tel.service_level", 1 if wait is not None and wait <= answer_within_seconds else 0)
    add("tel.abandoned", 1 if outcome == "abandoned" else 0)
    if wait is not None:
        add("tel.speed_of_answer", wait)
    if outcome in HANDLED_OUTCOMES:
        add("tel.handle_time", call_log.get("handle_time_seconds") or 0)
        add("tel.first_contact_resolution", 1 if outcome == "resolved" and transfers == 0 else 0)
    add("p2p.transfers", transfers)
    add("p2p.passed_on_more_than_once", 1 if transfers > 1 else 0)


def _exit_tallies(add, answers: dict) -> None:
    consent = answers.get("consent")
    if isinstance(consent, bool):
        add("exit.consented", 1 if consent else 0)
    for driver in EXIT_DRIVERS:
        value = answers.get(driver)
        if isinstance(value, int) and not isinstance(value, bool):
            add("exit.agree:" + driver, 1 if value >= AGREE_FROM else 0)
            add("exit.mean:" + driver, value)
    smiley = answers.get("overall_smiley")
    if smiley in NET_SATISFACTION:
        add("exit.net_satisfaction", NET_SATISFACTION[smiley])
