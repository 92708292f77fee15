"""Demo recruitment: the programme's training quiz, and the demo applicant's pending application confirmed.

The "which organisation provides this service?" questions are built from the demo organisations' tiers,
since residents are bounced between tiers and shoppers must know who does what.
"""

from datetime import timedelta

from app.db_types import utcnow
from app.extensions import db
from app.programmes.models import Tier
from app.recruitment.models import QuizQuestion, TrainingQuiz, VolunteerApplication

PASS_MARK = 80

GENERAL_QUESTIONS = [
    (
        "A member of staff was exceptionally helpful. What do you write in your report?",
        ["Their name, so they get the credit", "Their role, as a commendation", "Nothing at all"],
        1,
        "Reports never identify staff. Describe them by role and record a commendation.",
    ),
    (
        "On an assignment you recognise the adviser as your neighbour. What do you do?",
        [
            "Carry on, but score them kindly",
            "Leave politely and tell the coordinator",
            "Tell them you are a mystery shopper",
        ],
        1,
        "Someone you know well is a conflict of interest: leave politely and tell the coordinator.",
    ),
    (
        "What must you do first in an exit interview?",
        ["Ask for the resident's name", "Ask for their consent", "Take a photo of the entrance"],
        1,
        "Ask consent first; record nothing that identifies the resident.",
    ),
    (
        "Nobody answers the phone within the programme's give-up time. What do you record?",
        ["An abandoned call", "Nothing: try another day", "A complaint"],
        0,
        "Abandoned calls count: they are part of how the service performs.",
    ),
]


def _provider(organisations: dict, tier: Tier, district_key: str = "kingsmere"):
    """The organisation of ``tier`` (for districts, the one named by ``district_key``)."""
    if tier == Tier.district:
        return organisations[district_key]
    return next(o for o in organisations.values() if o.tier == tier)


def _tier_questions(organisations: dict) -> list[tuple[str, list[str], int, str]]:
    county = _provider(organisations, Tier.county)
    park = _provider(organisations, Tier.national_park)
    questions = []
    for text, right, explanation in [
        (
            "A resident of Kingsmere wants a pothole outside the school fixed. Which organisation provides this "
            "service?",
            county,
            "Roads and highways are the county council's, wherever you live in the county.",
        ),
        (
            "A resident of Fenmoor Market has a question about their council tax bill. Which organisation provides "
            "this service?",
            _provider(organisations, Tier.district, "fenmoor"),
            "District councils bill and collect council tax.",
        ),
        (
            "A farmer wants to convert a barn near Upper Coombe, inside the national park. Which organisation "
            "decides the planning application?",
            park,
            "Inside the national park, the park authority is the planning authority.",
        ),
        (
            "A resident of Severnside has had a missed bin collection. Which organisation provides this service?",
            _provider(organisations, Tier.district, "severnside"),
            "District councils collect household waste.",
        ),
        (
            "A Kingsmere resident turning 66 asks about a free bus pass. Which organisation provides this service?",
            county,
            "Concessionary travel is run by the county council.",
        ),
    ]:
        others = [o for o in (county, _provider(organisations, Tier.district), park) if o is not right]
        if right.tier == Tier.district:
            others = [county, park]
        options = sorted([right.name, *(o.name for o in others)])
        questions.append((text, options, options.index(right.name), explanation))
    return questions


def build_recruitment(partners, people: dict) -> TrainingQuiz:
    """The quiz and pass mark; the demo applicant's application stays pending, with the e-mail confirmed."""
    quiz = TrainingQuiz(programme_id=partners.programme.id, pass_mark=PASS_MARK)
    rows = _tier_questions(partners.organisations) + GENERAL_QUESTIONS
    quiz.questions = [
        QuizQuestion(position=n, text=text, options=options, correct_option=correct, explanation=explanation)
        for n, (text, options, correct, explanation) in enumerate(rows, start=1)
    ]
    db.session.add(quiz)
    db.session.flush()
    application = db.session.scalar(db.select(VolunteerApplication).filter_by(user_id=people["applicant"].id))
    application.submitted_at = utcnow() - timedelta(days=3)
    application.consented_at = application.submitted_at
    application.email_confirmed_at = application.submitted_at + timedelta(hours=1)
    return quiz
