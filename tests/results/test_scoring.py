"""SPEC §6 scoring against hand-worked reports, and the telephone measures from hand-made call logs."""

import pytest

from app.programmes.models import Channel
from app.questionnaires.models import CriticalScope
from app.questionnaires.models import QuestionType as T
from app.results import statistics as stats
from app.results.measures import BY_KEY
from app.results.scoring import QuestionPlan, SectionPlan, VersionPlan, score_report


def question(key, type_, weight=1.0, critical=False, options=None, standard=None, threshold=None, unit=""):
    return QuestionPlan(
        key=key,
        type=type_,
        weight=weight,
        critical=critical,
        scale_min=1,
        scale_max=5,
        option_scores=options or {},
        standard_code=standard,
        threshold=threshold,
        unit=unit,
    )


def plan(scope=CriticalScope.report, channel=Channel.in_person):
    return VersionPlan(
        channel,
        scope,
        (
            SectionPlan(
                "Welcome",
                (question("greeted", T.yes_no, weight=2, critical=True), question("helpful", T.scale)),
            ),
            SectionPlan(
                "The answer",
                (
                    question(
                        "outcome",
                        T.single_choice,
                        weight=3,
                        options={"resolved": 1, "partly": 0.5, "wrong": 0},
                    ),
                    question("wait", T.duration, weight=2, standard="SEEN_15M", threshold=15, unit="minutes"),
                    question("leaflet", T.yes_no),
                    question("notes", T.text, weight=0),
                    question("arrived", T.time),  # a time without a standard carries no points
                ),
            ),
        ),
    )


def test_weights_and_an_na_answer_that_leaves_both_sides():
    # greeted 2/2, helpful 5 -> 1/1, outcome partly 1.5/3, wait 10 min meets 15 min 2/2, leaflet N/A
    answers = {
        "greeted": True,
        "helpful": 5,
        "outcome": "partly",
        "wait": 600,
        "leaflet": None,
        "arrived": "10:00",
    }
    scored = score_report(plan(), answers)
    assert (scored.points_earned, scored.points_possible, scored.score) == (6.5, 8.0, 0.8125)
    assert [(s["title"], s["score"]) for s in scored.detail["sections"]] == [
        ("Welcome", 1.0),
        ("The answer", 0.7),
    ]
    assert scored.critical_failure is False and scored.detail["critical_failures"] == []
    assert scored.detail["standards"] == {"SEEN_15M": True}
    assert "leaflet" not in scored.detail["questions"]
    # A missing answer is N/A too: the same score without the key.
    del answers["leaflet"]
    assert score_report(plan(), answers).score == 0.8125


FAILED = {"greeted": False, "helpful": 3, "outcome": "resolved", "wait": 1200, "leaflet": True}


def test_a_critical_failure_sets_the_report_to_0_and_is_listed_and_a_standard_is_missed():
    scored = score_report(plan(CriticalScope.report), FAILED)
    assert scored.score == 0.0 and scored.points_earned == 0.0 and scored.points_possible == 9.0
    assert scored.critical_failure is True and scored.detail["critical_failures"] == ["greeted"]
    assert scored.detail["standards"] == {"SEEN_15M": False}  # 20 minutes against 15


def test_a_critical_failure_of_a_section_sets_only_that_section_to_0():
    scored = score_report(plan(CriticalScope.section), FAILED)
    # Welcome 0 (was 0.5 of 3); The answer: outcome 3 + wait 0 + leaflet 1 = 4 of 6.
    sections = {
        s["title"]: (s["earned"], s["possible"], s["critical_failure"]) for s in scored.detail["sections"]
    }
    assert sections == {"Welcome": (0.0, 3.0, True), "The answer": (4.0, 6.0, False)}
    assert scored.score == pytest.approx(4 / 9, abs=1e-4)
    assert scored.detail["critical_failures"] == ["greeted"]


def test_a_report_with_no_applicable_question_has_no_score():
    scored = score_report(
        plan(), {"greeted": None, "helpful": None, "outcome": None, "wait": None, "leaflet": None}
    )
    assert scored.score is None and "score" not in scored.tallies


def test_a_multi_choice_adds_its_scores_up_to_1_and_a_choice_without_scores_carries_none():
    checklist = VersionPlan(
        Channel.website,
        CriticalScope.report,
        (
            SectionPlan(
                "Page",
                (
                    question("checks", T.multi_choice, options={"a": 0.25, "b": 0.25, "c": 0.5, "d": 0.5}),
                    question("purpose", T.single_choice, options={"tax": None, "bins": None}),
                ),
            ),
        ),
    )
    assert score_report(checklist, {"checks": ["a", "c"], "purpose": "tax"}).score == 0.75
    assert score_report(checklist, {"checks": ["a", "b", "c", "d"], "purpose": "tax"}).score == 1.0


# --- contact-centre and pillar-to-post measures from hand-made call logs --------------------------


def call(seconds_to_answer, outcome, transfers=0, handle=None):
    return {
        "dialled_at": "2026-11-30T10:00:00+00:00",
        "seconds_to_answer": seconds_to_answer,
        "rings": None,
        "recorded_message": {"heard": False},
        "transfers": [{"to": "Team", "announced": True, "seconds_waiting": 30}] * transfers,
        "outcome": outcome,
        "abandoned_after_minutes": 10 if outcome == "abandoned" else None,
        "handle_time_seconds": handle,
    }


CALLS = [  # (call log, cross-tier, satisfaction)
    (call(12, "resolved", handle=300), False, 5),
    (call(45, "unresolved", transfers=2, handle=600), False, 2),
    (call(None, "abandoned"), False, 1),
    (call(20, "redirected", transfers=1), True, 3),
]


def summed(tallies_list):
    sums = {}
    for tallies in tallies_list:
        for key, (total, n, squares) in tallies.items():
            cell = sums.setdefault(key, [0.0, 0, 0.0])
            cell[0] += total
            cell[1] += n
            cell[2] += squares
    return sums


def test_contact_centre_and_pillar_to_post_measures_from_call_logs():
    phone = VersionPlan(
        Channel.telephone, CriticalScope.report, (SectionPlan("Call", (question("satisfaction", T.scale),)),)
    )
    sums = summed(
        score_report(phone, {"satisfaction": satisfaction}, call_log=log, cross_tier=cross).tallies
        for log, cross, satisfaction in CALLS
    )

    def value(key):
        total, n, _ = sums[key]
        return total / n, n

    assert value("tel.service_level") == (0.5, 4)  # 12 s and 20 s within 20 s, of 4 offered
    assert value("tel.speed_of_answer") == (pytest.approx(77 / 3), 3)  # (12 + 45 + 20) / 3 answered
    assert value("tel.abandoned") == (0.25, 4)
    assert value("tel.handle_time") == (450, 2)  # (300 + 600) / 2 handled
    assert value("tel.first_contact_resolution") == (0.5, 2)
    assert value("tel.satisfaction") == (2.75, 4)
    assert value("p2p.transfers") == (0.75, 4)
    assert value("p2p.passed_on_more_than_once") == (0.25, 4)
    assert value("p2p.cross_tier_redirected") == (1.0, 1)
    assert BY_KEY["tel.handle_time"].kind == "mean" and BY_KEY["tel.service_level"].kind == "rate"
    assert stats.rate(*sums["tel.service_level"][:2], min_sample=5)["small_sample"] is True


def test_the_programmes_answer_standard_sets_the_service_level_threshold():
    phone = VersionPlan(Channel.telephone, CriticalScope.report, ())
    log = call(25, "resolved", handle=100)
    assert score_report(phone, {}, call_log=log).tallies["tel.service_level"][0] == 0
    assert (
        score_report(phone, {}, call_log=log, answer_within_seconds=30).tallies["tel.service_level"][0] == 1
    )


def test_exit_interview_drivers_and_net_satisfaction():
    exit_plan = VersionPlan(Channel.exit_interview, CriticalScope.report, ())
    answers = [
        {"consent": True, "satisfaction": 5, "ease": 3, "overall_smiley": "good"},
        {"consent": True, "satisfaction": 4, "ease": 2, "overall_smiley": "poor"},
        {"consent": True, "satisfaction": 2, "overall_smiley": "good"},
        {"consent": False},
    ]
    sums = summed(score_report(exit_plan, a).tallies for a in answers)
    assert sums["exit.consented"][:2] == [3, 4]
    assert sums["exit.agree:satisfaction"][:2] == [2, 3]
    assert sums["exit.agree:ease"][:2] == [0, 2]
    assert sums["exit.net_satisfaction"][:2] == [1, 3]  # (2 good - 1 poor) / 3
