"""Every roll-up measure once: its key in the cells, how a page names it, its kind and its definition (SPEC §6).

A *rate* is a share (k of n) with a Wilson interval; a *mean* is an average with a normal interval. The
definition is what a page shows one tap from the figure.
"""

from dataclasses import dataclass

from app.results.scoring import EXIT_DRIVERS


@dataclass(frozen=True)
class Measure:
    key: str  # in ResultCell.tallies and ReportResult.tallies
    name: str  # in the API's ``measures``
    label: str
    kind: str  # "rate" or "mean"
    group: str  # which panel of the measures page
    definition: str
    unit: str = ""  # "seconds" is shown as minutes and seconds; "" as a number or a per cent


SCORE_DEFINITION = (
    "Report score: points earned ÷ points possible over the questions that applied, weights applied; an N/A "
    "answer leaves both sides. A failed critical question sets the report (or its section, as the "
    "questionnaire says) to 0. A group's score is the mean of its reports' scores; its 95% interval is "
    "Wilson's, counting each report's score as its share of points."
)

MEASURES = [
    Measure("reports", "reports", "Approved reports", "count", "", "Approved reports in the group."),
    Measure("score", "score", "Score", "rate", "score", SCORE_DEFINITION),
    Measure(
        "critical_failure",
        "critical_failures",
        "Reports with a critical failure",
        "rate",
        "score",
        "Reports in which a critical (knock-out) question earned nothing ÷ scored reports.",
    ),
    Measure(
        "tel.service_level",
        "service_level",
        "Service level",
        "rate",
        "contact_centre",
        "Calls answered by a person within the programme's answer standard (20 seconds unless set) ÷ calls "
        "offered.",
    ),
    Measure(
        "tel.speed_of_answer",
        "average_speed_of_answer",
        "Average speed of answer",
        "mean",
        "contact_centre",
        "Total wait of answered calls ÷ answered calls.",
        "seconds",
    ),
    Measure(
        "tel.abandoned",
        "abandonment",
        "Abandoned calls",
        "rate",
        "contact_centre",
        "Calls the shopper gave up on after the programme's give-up time ÷ calls offered.",
    ),
    Measure(
        "tel.handle_time",
        "average_handle_time",
        "Average handle time",
        "mean",
        "contact_centre",
        "(Talk + hold) ÷ calls handled (resolved, call-back promised or unresolved).",
        "seconds",
    ),
    Measure(
        "tel.first_contact_resolution",
        "first_contact_resolution",
        "First contact resolution",
        "rate",
        "contact_centre",
        "Calls resolved at the first contact, without a transfer or a call-back ÷ calls handled.",
    ),
    Measure(
        "tel.satisfaction",
        "customer_satisfaction",
        "Customer satisfaction (1–5)",
        "mean",
        "contact_centre",
        "Mean of the shopper's 1–5 satisfaction with the call.",
    ),
    Measure(
        "p2p.transfers",
        "transfers_per_contact",
        "Transfers per contact",
        "mean",
        "pillar_to_post",
        "Transfers ÷ calls offered.",
    ),
    Measure(
        "p2p.passed_on_more_than_once",
        "passed_on_more_than_once",
        "Passed on more than once",
        "rate",
        "pillar_to_post",
        "Calls transferred two or more times ÷ calls offered.",
    ),
    Measure(
        "p2p.cross_tier_redirected",
        "cross_tier_redirected",
        "Cross-tier contacts correctly redirected",
        "rate",
        "pillar_to_post",
        "Cross-tier contacts (asking one tier for the other tier's service) where the shopper was told which "
        "council deals with it and how to reach them ÷ cross-tier contacts.",
    ),
    Measure(
        "exit.consented",
        "exit_consent",
        "Residents agreeing to be interviewed",
        "rate",
        "exit_interview",
        "Residents who agreed to answer ÷ residents asked.",
    ),
    Measure(
        "exit.net_satisfaction",
        "net_satisfaction",
        "Net satisfaction",
        "mean",
        "exit_interview",
        "(Good − poor) ÷ responses on the three-way smiley rating, from −1 to +1.",
    ),
]
DRIVER_LABELS = {
    "satisfaction": "Satisfied with the service",
    "need_addressed": "Need addressed",
    "ease": "Easy to do",
    "reasonable_time": "Took a reasonable time",
    "treated_fairly": "Treated fairly",
    "staff_helpful": "Staff helpful",
    "trust": "Increased trust",
}
for _driver in EXIT_DRIVERS:
    MEASURES.append(
        Measure(
            "exit.agree:" + _driver,
            "agree_" + _driver,
            DRIVER_LABELS[_driver],
            "rate",
            "exit_interview",
            f"Residents answering 4 or 5 (agree, strongly agree) to “{DRIVER_LABELS[_driver]}” ÷ residents "
            "who answered it, on the 5-point agreement scale.",
        )
    )
BY_KEY = {m.key: m for m in MEASURES}
GROUPS = {
    "contact_centre": "Contact-centre measures (telephone)",
    "pillar_to_post": "“Pillar to post”",
    "exit_interview": "Exit interviews",
}
STANDARD_DEFINITION = "Reports meeting the standard ÷ reports where it applies."
QUESTION_DEFINITION = (
    "Mean share of the question's points earned, over the reports where it applied (N/A left out)."
)
