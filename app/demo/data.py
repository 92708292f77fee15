"""The demo partnership: organisations, contact points, the programme, its standards, waves and scenarios.

``load_demo`` builds everything in the current transaction; the command commits.
People and their assignments are in ``people.py``, questionnaires in ``questionnaires.py``.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from app.accounts.models import ConfidentialityStatement
from app.audit.services import record
from app.extensions import db
from app.programmes.models import (
    Channel,
    ContactPoint,
    Organisation,
    Partnership,
    Programme,
    Scenario,
    ServiceArea,
    ServiceStandard,
    Tier,
    Wave,
    WaveStatus,
)

PARTNERSHIP_NAME = "Wyvern Shire Partnership"

SERVICE_AREAS = [
    # code, name, website path
    ("REV", "Revenues and benefits", "council-tax-and-benefits"),
    ("PLN", "Planning and building control", "planning-and-building"),
    ("ENV", "Environmental services and waste", "bins-recycling-and-waste"),
    ("TRN", "Transport and highways", "roads-and-travel"),
    ("LEI", "Leisure and culture", "leisure-and-culture"),
    ("HOU", "Housing", "housing"),
]

OFFICE_HOURS = "Mon–Thu 8:45–17:00, Fri 8:45–16:30"
PHONE_HOURS = "Mon–Fri 8:30–17:30; recorded message out of hours"

# Numbers are in Ofcom's 0113 496 0xxx drama range, stored as E.164 (app/phones.py); domains end in .example.
ORGANISATIONS = [
    dict(
        key="county",
        name="Wyvern County Council",
        short_name="Wyvern CC",
        tier=Tier.county,
        areas=("TRN", "ENV", "PLN", "LEI"),
        domain="wyvern-county.example",
        phone="+441134960100",
        building="County Hall Customer Service Centre",
        address="County Hall, Spetchley Road, Wyvernbury WY1 2AA",
        extra_phone=("Highways and transport line", "+441134960110", ("TRN",)),
    ),
    dict(
        key="kingsmere",
        name="Kingsmere District Council",
        short_name="Kingsmere DC",
        tier=Tier.district,
        areas=("REV", "PLN", "ENV", "LEI", "HOU"),
        domain="kingsmere.example",
        phone="+441134960200",
        building="Kingsmere Civic Centre reception",
        address="Civic Centre, Market Street, Kingsmere WY4 7BQ",
        extra_phone=("Council tax and benefits line", "+441134960210", ("REV",)),
    ),
    dict(
        key="fenmoor",
        name="Fenmoor District Council",
        short_name="Fenmoor DC",
        tier=Tier.district,
        areas=("REV", "PLN", "ENV", "LEI", "HOU"),
        domain="fenmoor.example",
        phone="+441134960300",
        building="Fenmoor Customer Hub (in the library)",
        address="The Customer Hub, 12 Bridge Street, Fenmoor Market WY8 3DL",
        extra_phone=("Housing options line", "+441134960310", ("HOU",)),
    ),
    dict(
        key="severnside",
        name="Severnside District Council",
        short_name="Severnside DC",
        tier=Tier.district,
        areas=("REV", "PLN", "ENV", "LEI", "HOU"),
        domain="severnside.example",
        phone="+441134960400",
        building="Severnside Council House front desk",
        address="Council House, Riverside Way, Severnside WY11 5HR",
        extra_phone=None,
    ),
    dict(
        key="park",
        name="Wyvern Hills National Park Authority",
        short_name="Wyvern Hills NPA",
        tier=Tier.national_park,
        areas=("PLN", "LEI"),
        domain="wyvernhills-npa.example",
        phone="+441134960500",
        building="Wyvern Hills Visitor Centre and planning reception",
        address="Old Station Yard, Upper Coombe WY14 9NP",
        extra_phone=None,
    ),
]

GENERAL_INSTRUCTIONS = """\
Thank you for helping us see our services as residents do.

Before you start: read your brief on your phone while you still have signal; it stays available offline.
Use the scenario as a starting point and put it in your own words; never give a false name,
address or National Insurance number. If asked for personal details, say you are only asking
for information at this stage.

During the contact: note times as they happen (arrival, first greeting, being seen; ringing,
answer, transfers). Do not record, photograph or name any member of staff; describe people by
role at most ("the receptionist"). Photos are of signs, notices and waiting areas only, with
nobody in them.

Afterwards: finish the questionnaire the same day while it is fresh. If you were helped
exceptionally well, say so under "commendation"; it reaches the department, never the person's
manager as a complaint. If anything about the visit made you uncomfortable, stop and tell the
coordinator."""

CONFIDENTIALITY_TEXT = """\
Keeping the programme confidential

1. I will not tell anyone, including staff of the councils and the national park authority,
   that I am a service shopper, which services are being tested or when.
2. I will keep assignment briefs, questionnaires and my findings to myself and use them only for
   this programme. I will not share screenshots or post about assignments on social media.

Staff and residents

3. I will not record any member of staff by name, photograph or audio recording, and I will
   describe staff by role only. Findings are about services, never about individuals.
4. In exit interviews I will ask consent first, and I will not record any resident's name,
   address or anything else that could identify them.

Conflicts of interest

5. I will declare any organisation or department where I, or a close family member, work or have
   an open case, and I will update my declaration if that changes.

If the statement is broken

6. I understand that breaking this statement ends my participation in the programme."""

STANDARDS = [
    dict(
        code="TEL_ANSWER_20S",
        name="Telephone answered within 20 seconds (about 5–6 rings)",
        channel=Channel.telephone,
        threshold=20,
        unit="seconds",
    ),
    dict(
        code="TEL_TRANSFER_ONCE",
        name="Transferred at most once, and the transfer announced",
        channel=Channel.telephone,
        threshold=1,
        unit="transfers",
    ),
    dict(
        code="TEL_VOICEMAIL",
        name="Recorded message gives name, opening hours and another number",
        channel=Channel.telephone,
        threshold=None,
        unit="",
    ),
    dict(
        code="EMAIL_ACK_2D",
        name="E-mail acknowledged within 2 working days",
        channel=Channel.email,
        threshold=2,
        unit="working_days",
    ),
    dict(
        code="EMAIL_ANSWER_10D",
        name="E-mail answered within 10 working days",
        channel=Channel.email,
        threshold=10,
        unit="working_days",
    ),
    dict(
        code="EMAIL_ANSWER_5D",
        name="E-mail answered within 5 working days (fast standard)",
        channel=Channel.email,
        threshold=5,
        unit="working_days",
    ),
    dict(
        code="LETTER_ANSWER_10D",
        name="Letter answered within 10 working days",
        channel=Channel.letter,
        threshold=10,
        unit="working_days",
    ),
    dict(
        code="IN_PERSON_SEEN_15M",
        name="Seen within 15 minutes in person without an appointment",
        channel=Channel.in_person,
        threshold=15,
        unit="minutes",
    ),
]

# key, service area, title, persona, question, expected outcome; ``cross_tier`` names the tier that is
# asked (which does not provide the service); ``exit`` scenarios are for exit interviews only.
SCENARIOS = [
    dict(
        key="council_tax_moving",
        area="REV",
        title="Registering for council tax after moving in",
        persona="Has just moved into a rented flat with a partner who is a full-time student.",
        question="I've just moved in — how do I register for council tax, and do I get a discount "
        "if my partner is a student?",
        expected="Explains how to register and what is needed; explains the student disregard and the "
        "single-person discount; offers the online form or to take details.",
    ),
    dict(
        key="benefit_change",
        area="REV",
        title="Reporting a drop in income",
        persona="Works part-time in a shop; hours have just been cut from 30 to 16 a week.",
        question="My hours have been cut — do I need to tell you, and could I get more help with my "
        "council tax?",
        expected="Says to report the change now; explains Council Tax Reduction and where Universal Credit "
        "fits; says what evidence is needed.",
    ),
    dict(
        key="extension",
        area="PLN",
        title="Does a rear extension need permission?",
        persona="Owns a semi-detached house and wants a single-storey rear extension.",
        question="I want to build a 4-metre extension at the back — do I need planning permission, "
        "building regulations, or both?",
        expected="Explains permitted development and prior approval, separates planning from building "
        "regulations, offers pre-application advice.",
    ),
    dict(
        key="barn_conversion",
        area="PLN",
        title="Converting a barn to a holiday let",
        persona="Owns a stone field barn near Upper Coombe, inside the national park.",
        question="I'd like to turn my barn into a holiday let — who decides, and what should I send in?",
        expected="Identifies the right planning authority, explains pre-application advice and what a "
        "heritage and bat survey may need.",
    ),
    dict(
        key="missed_bin",
        area="ENV",
        title="Missed bin collection",
        persona="Lives in a terraced street; the green bin was out on time but not emptied.",
        question="My green bin wasn't emptied on Tuesday — what happens now?",
        expected="Logs the missed collection or gives the online form, and says when it will be collected.",
    ),
    dict(
        key="bulky_waste",
        area="ENV",
        title="Getting rid of a sofa and a fridge",
        persona="Clearing a late parent's house; has no car big enough.",
        question="How do I get rid of an old sofa and a fridge — can you collect them, and what does it cost?",
        expected="Explains the bulky waste collection and charge, or the household recycling centre.",
    ),
    dict(
        key="pothole",
        area="TRN",
        title="Reporting a pothole",
        persona="Parent who walks children to school past a deep pothole.",
        question="There's a deep pothole on Mill Lane outside the school — how do I report it and how "
        "quickly will it be fixed?",
        expected="Takes the report or points to online reporting; gives response times by category.",
    ),
    dict(
        key="pothole_to_district",
        area="TRN",
        cross_tier=Tier.district,
        title="Pothole reported to the district council",
        persona="Parent who assumes 'the council' means the district council whose bins they know.",
        question="There's a deep pothole on Mill Lane outside the school — can you get it fixed?",
        expected="Explains roads are the county council's, and gives the county's highways number or online "
        "reporting link — not just 'not us'.",
    ),
    dict(
        key="bus_pass_to_district",
        area="TRN",
        cross_tier=Tier.district,
        title="Older person's bus pass asked of the district",
        persona="Turns 66 next month and has just stopped driving.",
        question="I turn 66 next month — how do I apply for my free bus pass?",
        expected="Redirects to the county council's concessionary travel team with a number or web link.",
    ),
    dict(
        key="council_tax_to_county",
        area="REV",
        cross_tier=Tier.county,
        title="Council tax banding asked of the county",
        persona="Has a bill that says 'Wyvern' on it and thinks the county sends it.",
        question="I think my house is in the wrong council tax band — can you change it?",
        expected="Explains the district bills council tax and the Valuation Office Agency sets bands; "
        "names the right district and how to contact both.",
    ),
    dict(
        key="swimming",
        area="LEI",
        title="Swimming lessons for a child",
        persona="Parent of a 7-year-old; receives Universal Credit.",
        question="What swimming lessons are there for a 7-year-old, and is there a discount for families "
        "on benefits?",
        expected="Gives times, how to book, and the leisure concession scheme.",
    ),
    dict(
        key="accessible_walks",
        area="LEI",
        title="Accessible walks in the hills",
        persona="Planning a day out with a father who uses a wheelchair.",
        question="Are there any trails my dad could manage in a wheelchair, and where can we park?",
        expected="Names suitable routes, surfaces and gradients, accessible parking and toilets.",
    ),
    dict(
        key="eviction",
        area="HOU",
        title="Facing eviction from a private let",
        persona="Private tenant who has just been given two months' notice by the landlord.",
        question="My landlord has given me two months' notice to leave — what help can you give me?",
        expected="Treats it as a possible homelessness prevention case and offers a housing options "
        "appointment promptly; does not tell the caller to wait for bailiffs.",
    ),
    dict(
        key="adaptations",
        area="HOU",
        title="Help with a level-access shower",
        persona="Adult child of a mother who can no longer step into the bath.",
        question="My mum needs a level-access shower — can she get help with the cost?",
        expected="Explains the disabled facilities grant, the occupational therapy assessment and how to start.",
    ),
    dict(
        key="exit_customer_centre",
        area="REV",
        exit=True,
        title="Exit interviews at the customer service centre",
        persona="Interviewer wearing the programme badge, standing outside the main entrance.",
        question="Ask residents leaving the building if they will answer a few short questions about the "
        "visit they just made. Ask consent first and record nothing that identifies anyone.",
        expected="Eight completed interviews in the window; refusals are not recorded.",
    ),
    dict(
        key="exit_visitor_centre",
        area="LEI",
        exit=True,
        title="Exit interviews at the visitor centre",
        persona="Interviewer wearing the programme badge, standing by the exit.",
        question="Ask visitors leaving whether they will answer a few short questions about the help they "
        "got. Ask consent first and record nothing that identifies anyone.",
        expected="Eight completed interviews in the window; refusals are not recorded.",
    ),
]


@dataclass
class Partners:
    """What the later builders need to refer to."""

    partnership: Partnership
    programme: Programme
    organisations: dict[str, Organisation]
    areas: dict[str, ServiceArea]
    contact_points: list[ContactPoint]
    standards: dict[str, ServiceStandard]
    waves: list[Wave]
    statement: ConfidentialityStatement
    scenarios: dict[str, Scenario]
    # The scenario keys marked for exit interviews, and the tier a cross-tier scenario is put to.
    exit_keys: set[str] = field(default_factory=set)
    asked_tier: dict[str, Tier] = field(default_factory=dict)


def build_partnership() -> tuple[
    Partnership, dict[str, Organisation], dict[str, ServiceArea], list[ContactPoint]
]:
    partnership = Partnership(name=PARTNERSHIP_NAME)
    areas = {
        code: ServiceArea(partnership=partnership, code=code, name=name) for code, name, _ in SERVICE_AREAS
    }
    organisations, contact_points = {}, []
    for spec in ORGANISATIONS:
        organisation = Organisation(
            partnership=partnership, name=spec["name"], short_name=spec["short_name"], tier=spec["tier"]
        )
        organisations[spec["key"]] = organisation
        contact_points += _contact_points(organisation, spec, areas)
    db.session.add(partnership)
    return partnership, organisations, areas, contact_points


def _contact_points(
    organisation: Organisation, spec: dict, areas: dict[str, ServiceArea]
) -> list[ContactPoint]:
    """A building, the main line (and any specialist line), e-mail and postal addresses, the home page and
    a web page per service area. Cross-tier scenarios go to the first point of a channel: the general one."""
    served = [areas[code] for code in spec["areas"]]

    def point(channel, name, locator, hours="", codes=None):
        chosen = served if codes is None else [areas[code] for code in codes]
        return ContactPoint(
            organisation=organisation,
            channel=channel,
            name=name,
            locator=locator,
            opening_hours=hours,
            service_areas=chosen,
        )

    points = [
        point(Channel.in_person, spec["building"], spec["address"], OFFICE_HOURS),
        point(Channel.telephone, f"{spec['short_name']} main number", spec["phone"], PHONE_HOURS),
        point(Channel.email, "Customer services e-mail", f"customer.services@{spec['domain']}"),
        point(Channel.letter, "Customer services by post", f"Customer Services, {spec['address']}"),
    ]
    if spec["extra_phone"]:
        name, number, codes = spec["extra_phone"]
        points.append(point(Channel.telephone, name, number, PHONE_HOURS, codes))
    points.append(point(Channel.website, "Website home page", f"https://www.{spec['domain']}/"))
    paths = {code: path for code, _, path in SERVICE_AREAS}
    for area in served:
        points.append(
            point(
                Channel.website,
                f"Website: {area.name}",
                f"https://www.{spec['domain']}/{paths[area.code]}",
                codes=[area.code],
            )
        )
    return points


def build_programme(
    partnership: Partnership, today: date
) -> tuple[Programme, dict[str, ServiceStandard], list[Wave], ConfidentialityStatement]:
    programme = Programme(
        partnership=partnership,
        name="Wyvern Shire customer access mystery shop",
        general_instructions=GENERAL_INSTRUCTIONS,
    )
    db.session.add(programme)
    db.session.flush()  # standards, statements and questionnaires refer to the programme by id only
    standards = {spec["code"]: ServiceStandard(programme_id=programme.id, **spec) for spec in STANDARDS}
    wave1_start, wave2_start = today - timedelta(days=126), today - timedelta(days=14)
    waves = [
        Wave(
            programme=programme,
            number=1,
            name=f"Wave 1 ({wave1_start:%B %Y})",
            starts_on=wave1_start,
            ends_on=wave1_start + timedelta(days=55),
            status=WaveStatus.published,
        ),
        Wave(
            programme=programme,
            number=2,
            name=f"Wave 2 ({wave2_start:%B %Y})",
            starts_on=wave2_start,
            ends_on=wave2_start + timedelta(days=56),
            status=WaveStatus.open,
        ),
    ]
    statement = ConfidentialityStatement(programme_id=programme.id, version=1, text=CONFIDENTIALITY_TEXT)
    db.session.add_all([statement, *waves, *standards.values()])
    return programme, standards, waves, statement


def build_scenarios(programme: Programme, areas: dict[str, ServiceArea]) -> dict[str, Scenario]:
    scenarios = {}
    for spec in SCENARIOS:
        scenarios[spec["key"]] = Scenario(
            programme=programme,
            service_area=areas[spec["area"]],
            title=spec["title"],
            persona=spec["persona"],
            question=spec["question"],
            cross_tier="cross_tier" in spec,
            expected_outcome=spec["expected"],
        )
    db.session.add_all(scenarios.values())
    return scenarios


def load_demo(password_hash: str, today: date | None = None) -> dict:
    """Build the whole demo in the current session and return a summary (the caller commits)."""
    from app.demo.people import SIGN_INS, build_assignments, build_people
    from app.demo.planning import build_planning
    from app.demo.plans import build_improvement_plan
    from app.demo.questionnaires import build_questionnaires
    from app.demo.recruitment import build_recruitment
    from app.demo.releases import release_first_wave
    from app.demo.reports import build_reports
    from app.demo.results import build_results_history, store_results_history
    from app.demo.setup import build_setup

    today = today or date.today()
    partnership, organisations, areas, contact_points = build_partnership()
    programme, standards, waves, statement = build_programme(partnership, today)
    partners = Partners(
        partnership=partnership,
        programme=programme,
        organisations=organisations,
        areas=areas,
        contact_points=contact_points,
        standards=standards,
        waves=waves,
        statement=statement,
        scenarios=build_scenarios(programme, areas),
        exit_keys={s["key"] for s in SCENARIOS if s.get("exit")},
        asked_tier={s["key"]: s["cross_tier"] for s in SCENARIOS if "cross_tier" in s},
    )
    versions = build_questionnaires(programme, standards)
    people = build_people(partners, password_hash)
    assignments = build_assignments(partners, versions, people)
    build_recruitment(partners, people)
    build_planning(partners, people, today)
    build_setup(partners)
    db.session.flush()
    reports = build_reports(assignments, people["coordinator"])
    history = build_results_history(partners, versions, people, assignments)  # app/demo/results.py
    db.session.add_all(history)
    db.session.flush()
    reports += store_results_history(history, people["coordinator"])
    assignments += list(history)
    release_first_wave(partners, people["coordinator"])  # app/demo/releases.py
    build_improvement_plan(partners, people, today)  # app/demo/plans.py, on the released wave
    record("demo.loaded", programme, users=len(people), assignments=len(assignments))
    return {
        "sign_ins": [(people[key].email, note) for key, note in SIGN_INS.items()],
        "organisations": len(organisations),
        "contact_points": len(contact_points),
        "scenarios": len(partners.scenarios),
        "questionnaires": len(versions),
        "users": len(people),
        "assignments": len(assignments),
        "reports": reports,
    }
