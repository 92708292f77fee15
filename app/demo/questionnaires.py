"""The demo questionnaires: one version per channel, written as plain literals.

Every question type is used somewhere; each questionnaire has at least one
critical question; questions tied to a service standard name its code.
"""

from app.extensions import db
from app.programmes.models import Channel, Programme, ServiceStandard
from app.questionnaires.models import Question, Questionnaire, QuestionnaireVersion, QuestionType, Section

T = QuestionType


def q(key, type_, text, weight=1.0, **extra) -> dict:
    return dict(key=key, type=type_, text=text, weight=weight, **extra)


def choices(*items) -> list[dict]:
    return [{"value": value, "label": label, "score": score} for value, label, score in items]


def scale(key, text, low=1, high=5, **extra) -> dict:
    return q(key, T.scale, text, scale_min=low, scale_max=high, **extra)


AGREE = "1 = strongly disagree, 3 = neither, 5 = strongly agree."
NO_NAMES = "Describe staff by role only; no names."

OUTCOME = choices(
    ("answered", "Answered fully", 1),
    ("redirected", "Correctly redirected to the right council or service", 1),
    ("partly", "Partly answered", 0.5),
    ("misdirected", "Sent to the wrong place", 0),
    ("not_helped", "Not helped", 0),
)


def outcome(text="What happened with your question?") -> dict:
    return q("outcome", T.single_choice, text, weight=3, options=OUTCOME)


def accurate(text="Was the information you were given correct, as far as you could check against the brief?"):
    return q(
        "accurate_information",
        T.yes_no,
        text,
        weight=3,
        critical=True,
        help_text="Wrong information fails the whole report.",
    )


def redirect_correct() -> dict:
    return q(
        "redirect_correct",
        T.yes_no,
        "For a cross-tier question: were you told which council deals with it and how to reach them?",
        weight=2,
        na_allowed=True,
        help_text="N/A when the scenario is not cross-tier.",
    )


def notes(text="What happened, in your own words?") -> dict:
    return q("notes", T.text, text, weight=0, required=False, help_text=NO_NAMES)


QUESTIONNAIRES = {
    Channel.in_person: (
        "In-person visit",
        [
            (
                "Arriving",
                [
                    q("arrival_time", T.time, "What time did you arrive?", weight=0),
                    q("signage_clear", T.yes_no, "Was it clear from outside where to go?"),
                    q("step_free", T.yes_no, "Was there step-free access to reception?"),
                    q(
                        "facilities",
                        T.multi_choice,
                        "Which of these did you see in the waiting area?",
                        options=choices(
                            ("seating", "Enough seating", 0.25),
                            ("hearing_loop", "A hearing loop sign", 0.25),
                            ("toilet", "An accessible toilet", 0.25),
                            ("self_service", "A free phone or computer to contact the council", 0.25),
                        ),
                    ),
                    q(
                        "entrance_photo",
                        T.photo,
                        "Photo of the entrance signs (nobody in the picture)",
                        weight=0,
                        required=False,
                    ),
                ],
            ),
            (
                "Waiting and being seen",
                [
                    q(
                        "wait_to_be_seen",
                        T.duration,
                        "How long did you wait before someone dealt with your question?",
                        weight=2,
                        standard="IN_PERSON_SEEN_15M",
                        help_text=(
                            "From joining the queue or taking a ticket until a member of staff took up your question."
                        ),
                    ),
                    q("acknowledged", T.yes_no, "Were you acknowledged while you waited?"),
                    q(
                        "privacy_offered",
                        T.yes_no,
                        "Were you offered somewhere private to talk?",
                        na_allowed=True,
                        help_text="N/A when the question was not a private matter.",
                    ),
                ],
            ),
            (
                "The answer",
                [
                    outcome(),
                    accurate(),
                    redirect_correct(),
                    scale("courtesy", "How courteous and helpful was the member of staff?", weight=2),
                    q(
                        "written_info",
                        T.yes_no,
                        "Were you given or shown something to take away (a leaflet, a web link)?",
                        na_allowed=True,
                    ),
                    notes(),
                ],
            ),
        ],
    ),
    Channel.exit_interview: (
        "Exit interview",
        [
            (
                "Consent",
                [
                    q(
                        "consent",
                        T.yes_no,
                        "Did the resident agree to answer a few anonymous questions?",
                        weight=0,
                        critical=True,
                        help_text="If no, thank them and stop. Record nothing else.",
                    ),
                    q("interview_time", T.time, "Time of the interview", weight=0),
                ],
            ),
            (
                "About the visit",
                [
                    q(
                        "visit_purpose",
                        T.single_choice,
                        "What did you come in about today?",
                        weight=0,
                        options=choices(
                            ("council_tax", "Council tax or benefits", None),
                            ("housing", "Housing", None),
                            ("planning", "Planning or building control", None),
                            ("waste", "Bins, recycling or waste", None),
                            ("roads", "Roads, parking or travel", None),
                            ("other", "Something else", None),
                        ),
                    ),
                    q(
                        "tried_before",
                        T.multi_choice,
                        "Had you tried another way first?",
                        weight=0,
                        na_allowed=True,
                        options=choices(
                            ("website", "Website", None),
                            ("phone", "Telephone", None),
                            ("email", "E-mail or letter", None),
                        ),
                    ),
                ],
            ),
            (
                "How it went",
                [
                    scale(
                        "satisfaction", "I am satisfied with the service I received today.", help_text=AGREE
                    ),
                    scale("need_addressed", "My need was addressed.", help_text=AGREE),
                    scale("ease", "It was easy to do what I needed to do.", help_text=AGREE),
                    scale("reasonable_time", "It took a reasonable amount of time.", help_text=AGREE),
                    scale("treated_fairly", "I was treated fairly.", help_text=AGREE),
                    scale(
                        "staff_helpful",
                        "The staff I dealt with were helpful.",
                        help_text=AGREE,
                        na_allowed=True,
                    ),
                    scale("trust", "This visit increased my trust in the council.", help_text=AGREE),
                    q(
                        "overall_smiley",
                        T.single_choice,
                        "Overall, how was your visit?",
                        options=choices(
                            ("good", "Good", 1), ("neutral", "Neither", 0.5), ("poor", "Poor", 0)
                        ),
                    ),
                ],
            ),
            (
                "Anything else",
                [
                    q(
                        "improve",
                        T.text,
                        "What one thing would have made today better?",
                        weight=0,
                        required=False,
                        help_text="No names, addresses or anything that identifies the resident or staff.",
                    ),
                ],
            ),
        ],
    ),
    Channel.telephone: (
        "Telephone call",
        [
            (
                "Getting through",
                [
                    q("call_time", T.time, "What time did you ring?", weight=0),
                    q(
                        "answer_wait",
                        T.duration,
                        "How long from the first ring until a person or a menu answered?",
                        weight=2,
                        standard="TEL_ANSWER_20S",
                    ),
                    q(
                        "call_result",
                        T.single_choice,
                        "How did the call end up?",
                        weight=2,
                        options=choices(
                            ("person", "Spoke to a person", 1),
                            ("voicemail", "Reached a recorded message or voicemail", 0.5),
                            ("gave_up", "Gave up after the programme's give-up time", 0),
                            ("no_answer", "Engaged or rang out", 0),
                        ),
                    ),
                    q(
                        "voicemail_complete",
                        T.yes_no,
                        "Did the recorded message give the service name, opening hours and another way to get help?",
                        na_allowed=True,
                        standard="TEL_VOICEMAIL",
                        help_text="N/A when a person answered.",
                    ),
                ],
            ),
            (
                "The conversation",
                [
                    q(
                        "transfers",
                        T.number,
                        "How many times were you transferred?",
                        weight=2,
                        na_allowed=True,
                        standard="TEL_TRANSFER_ONCE",
                    ),
                    q(
                        "transfer_announced",
                        T.yes_no,
                        "Were you told who you were being put through to?",
                        na_allowed=True,
                    ),
                    q("hold_time", T.duration, "Total time on hold", weight=0, na_allowed=True),
                    q("talk_time", T.duration, "Talk time, not counting hold", weight=0, na_allowed=True),
                ],
            ),
            (
                "The answer",
                [
                    outcome(),
                    accurate(),
                    redirect_correct(),
                    q(
                        "resolved_first_contact",
                        T.yes_no,
                        "Was it resolved in this call, with no call-back needed?",
                        weight=2,
                        na_allowed=True,
                    ),
                    scale(
                        "satisfaction",
                        "Overall, how satisfied were you with the call?",
                        weight=2,
                        help_text="1 = very dissatisfied, 5 = very satisfied.",
                    ),
                    notes(),
                ],
            ),
        ],
    ),
    Channel.email: (
        "E-mail enquiry",
        [
            (
                "Sending and replies",
                [
                    q("sent_time", T.time, "What time did you send the e-mail?", weight=0),
                    q(
                        "ack_working_days",
                        T.number,
                        "Working days until an acknowledgement arrived",
                        na_allowed=True,
                        standard="EMAIL_ACK_2D",
                        help_text="N/A when the full reply came first.",
                    ),
                    q(
                        "reply_working_days",
                        T.number,
                        "Working days until the full reply arrived",
                        weight=2,
                        standard="EMAIL_ANSWER_10D",
                    ),
                    q("reference_given", T.yes_no, "Did the council give you a reference number?"),
                ],
            ),
            (
                "The reply",
                [
                    outcome(),
                    accurate(
                        "Was the information in the reply correct, as far as you could check against the brief?"
                    ),
                    redirect_correct(),
                    scale("plain_english", "How clear and jargon-free was the reply?"),
                    q(
                        "reply_screenshot",
                        T.photo,
                        "Screenshot of the reply (cover any staff names)",
                        weight=0,
                        required=False,
                    ),
                ],
            ),
        ],
    ),
    Channel.letter: (
        "Letter enquiry",
        [
            (
                "Posting and reply",
                [
                    q("reply_received", T.yes_no, "Did you get a reply at all?", weight=2, critical=True),
                    q(
                        "reply_working_days",
                        T.number,
                        "Working days from posting until the reply arrived",
                        weight=2,
                        standard="LETTER_ANSWER_10D",
                    ),
                    q(
                        "reply_by",
                        T.single_choice,
                        "How did the reply come?",
                        weight=0,
                        options=choices(
                            ("letter", "Letter", None),
                            ("email", "E-mail", None),
                            ("phone", "Telephone call", None),
                        ),
                    ),
                ],
            ),
            (
                "The reply",
                [
                    outcome(),
                    accurate(
                        "Was the information in the reply correct, as far as you could check against the brief?"
                    ),
                    scale("plain_english", "How clear and jargon-free was the reply?"),
                    notes("Anything else about the reply?"),
                ],
            ),
        ],
    ),
    Channel.website: (
        "Website task",
        [
            (
                "Finding it",
                [
                    q(
                        "found_answer",
                        T.yes_no,
                        "Could you find the answer to the scenario's question?",
                        weight=3,
                        critical=True,
                    ),
                    q("time_to_find", T.duration, "How long did it take to find?", na_allowed=True),
                    q("clicks", T.number, "How many clicks from the home page?", na_allowed=True),
                    q(
                        "search_worked",
                        T.yes_no,
                        "Did the site's search find it?",
                        na_allowed=True,
                        help_text="N/A when you did not use the search.",
                    ),
                ],
            ),
            (
                "The page",
                [
                    q(
                        "up_to_date",
                        T.yes_no,
                        "Was the page up to date (no past dates, dead links or old charges)?",
                    ),
                    q(
                        "accessibility",
                        T.multi_choice,
                        "Which of these worked?",
                        options=choices(
                            ("zoom", "Zoomed to 200% without sideways scrolling", 0.25),
                            ("keyboard", "Usable with the keyboard alone", 0.25),
                            ("phone", "Readable on a phone", 0.25),
                            ("plain_english", "Written in plain English", 0.25),
                        ),
                    ),
                    redirect_correct(),
                    scale("clarity", "How clear was the page?"),
                    q("page_screenshot", T.photo, "Screenshot of the page", weight=0, required=False),
                ],
            ),
        ],
    ),
}


# The exit interview in Welsh, for residents who answer in Welsh: the same keys and option values, so both
# languages count in one result. The ready template (templates_json/exit_interview.json) carries the same.
EXIT_INTERVIEW_WELSH = {
    "consent": {
        "text": "A gytunodd y preswylydd i ateb ychydig o gwestiynau dienw?",
        "help_text": "Os na, diolchwch iddyn nhw a stopio. Peidiwch â chofnodi dim byd arall.",
    },
    "interview_time": {"text": "Amser y cyfweliad"},
    "visit_purpose": {
        "text": "Am beth y daethoch chi i mewn heddiw?",
        "options": {
            "council_tax": "Treth gyngor neu fudd-daliadau",
            "housing": "Tai",
            "planning": "Cynllunio neu reoli adeiladu",
            "waste": "Biniau, ailgylchu neu wastraff",
            "roads": "Ffyrdd, parcio neu deithio",
            "other": "Rhywbeth arall",
        },
    },
    "tried_before": {
        "text": "Oeddech chi wedi rhoi cynnig ar ffordd arall yn gyntaf?",
        "options": {"website": "Gwefan", "phone": "Ffôn", "email": "E-bost neu lythyr"},
    },
    "satisfaction": {
        "text": "Rwy'n fodlon â'r gwasanaeth a gefais heddiw.",
        "help_text": "1 = anghytuno'n gryf, 3 = dim barn, 5 = cytuno'n gryf.",
    },
    "need_addressed": {
        "text": "Cafodd fy angen ei ddiwallu.",
        "help_text": "1 = anghytuno'n gryf, 3 = dim barn, 5 = cytuno'n gryf.",
    },
    "ease": {
        "text": "Roedd yn hawdd gwneud yr hyn roedd angen i mi ei wneud.",
        "help_text": "1 = anghytuno'n gryf, 3 = dim barn, 5 = cytuno'n gryf.",
    },
    "reasonable_time": {
        "text": "Cymerodd amser rhesymol.",
        "help_text": "1 = anghytuno'n gryf, 3 = dim barn, 5 = cytuno'n gryf.",
    },
    "treated_fairly": {
        "text": "Cefais fy nhrin yn deg.",
        "help_text": "1 = anghytuno'n gryf, 3 = dim barn, 5 = cytuno'n gryf.",
    },
    "staff_helpful": {
        "text": "Roedd y staff y deliais â nhw yn barod i helpu.",
        "help_text": "1 = anghytuno'n gryf, 3 = dim barn, 5 = cytuno'n gryf.",
    },
    "trust": {
        "text": "Mae'r ymweliad hwn wedi cynyddu fy ymddiriedaeth yn y cyngor.",
        "help_text": "1 = anghytuno'n gryf, 3 = dim barn, 5 = cytuno'n gryf.",
    },
    "overall_smiley": {
        "text": "At ei gilydd, sut oedd eich ymweliad?",
        "options": {"good": "Da", "neutral": "Canolig", "poor": "Gwael"},
    },
    "improve": {
        "text": "Beth yw'r un peth a fyddai wedi gwneud heddiw'n well?",
        "help_text": "Dim enwau, cyfeiriadau nac unrhyw beth sy'n dangos pwy yw'r preswylydd neu'r staff.",
    },
}
EXIT_SECTIONS_WELSH = {
    "Consent": "Caniatâd",
    "About the visit": "Am yr ymweliad",
    "How it went": "Sut aeth hi",
    "Anything else": "Unrhyw beth arall",
}


def build_questionnaires(
    programme: Programme, standards: dict[str, ServiceStandard]
) -> dict[Channel, QuestionnaireVersion]:
    """One questionnaire with one version per channel; returns the versions by channel."""
    versions = {}
    for channel, (title, sections) in QUESTIONNAIRES.items():
        questionnaire = Questionnaire(programme_id=programme.id, channel=channel, title=title)
        version = QuestionnaireVersion(questionnaire=questionnaire, number=1)
        position = 0
        for section_position, (section_title, questions) in enumerate(sections, start=1):
            section = Section(version=version, position=section_position, title=section_title)
            if channel is Channel.exit_interview and section_title in EXIT_SECTIONS_WELSH:
                section.translations = {"cy": {"title": EXIT_SECTIONS_WELSH[section_title]}}
            for spec in questions:
                position += 1
                spec = dict(spec)
                standard_code = spec.pop("standard", None)
                if channel is Channel.exit_interview and spec["key"] in EXIT_INTERVIEW_WELSH:
                    welsh = EXIT_INTERVIEW_WELSH[spec["key"]]
                    spec["translations"] = {"cy": {"help_text": "", "options": {}, **welsh}}
                section.questions.append(
                    Question(
                        version=version,
                        position=position,
                        standard=standards[standard_code] if standard_code else None,
                        **spec,
                    )
                )
        db.session.add(questionnaire)
        versions[channel] = version
    return versions
