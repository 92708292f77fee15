"""Small builders for test data. Each commits, and returns what it made."""

import itertools
from dataclasses import dataclass
from datetime import date, timedelta

from app.accounts.models import (
    ConfidentialityAcknowledgement,
    ConfidentialityStatement,
    ConflictDeclaration,
    Role,
    User,
    UserRole,
)
from app.assignments.models import Assignment, AssignmentState
from app.db_types import utcnow
from app.extensions import db
from app.programmes.models import (
    Channel,
    ContactPoint,
    Organisation,
    Partnership,
    Programme,
    Scenario,
    ServiceArea,
    Tier,
    Wave,
)
from app.questionnaires.models import Question, Questionnaire, QuestionnaireVersion, QuestionType, Section

# A real argon2id hash of PASSWORD, made once: hashing per user would slow every test.
PASSWORD = "correct horse battery staple"
_hash_cache = {}
_user_numbers = itertools.count(1)


def password_hash():
    if "hash" not in _hash_cache:
        from app.accounts.passwords import hash_password

        _hash_cache["hash"] = hash_password(PASSWORD)
    return _hash_cache["hash"]


@dataclass
class World:
    partnership: Partnership
    programme: Programme
    county: Organisation
    district: Organisation
    other_district: Organisation
    waste: ServiceArea
    planning: ServiceArea
    county_office: ContactPoint
    district_office: ContactPoint
    district_phone: ContactPoint
    other_office: ContactPoint
    wave: Wave
    waste_scenario: Scenario
    planning_scenario: Scenario
    visit_version: QuestionnaireVersion
    phone_version: QuestionnaireVersion
    statement: ConfidentialityStatement


def make_world() -> World:
    partnership = Partnership(name="Test Partnership")
    county = Organisation(
        partnership=partnership, name="Test County Council", short_name="TCC", tier=Tier.county
    )
    district = Organisation(
        partnership=partnership, name="North District Council", short_name="NDC", tier=Tier.district
    )
    other = Organisation(
        partnership=partnership, name="South District Council", short_name="SDC", tier=Tier.district
    )
    waste = ServiceArea(partnership=partnership, code="waste", name="Waste and recycling")
    planning = ServiceArea(partnership=partnership, code="planning", name="Planning")
    programme = Programme(partnership=partnership, name="Test Programme", general_instructions="Be polite.")

    def point(org, channel, name, locator):
        return ContactPoint(
            organisation=org, channel=channel, name=name, locator=locator, service_areas=[waste, planning]
        )

    county_office = point(county, Channel.in_person, "County Hall", "1 High St")
    district_office = point(district, Channel.in_person, "North Offices", "2 Low St")
    district_phone = point(district, Channel.telephone, "North Contact Centre", "01234 567890")
    other_office = point(other, Channel.in_person, "South Offices", "3 Mid St")
    wave = Wave(
        programme=programme,
        number=1,
        name="Wave 1",
        starts_on=date.today() - timedelta(days=7),
        ends_on=date.today() + timedelta(days=21),
    )
    waste_scenario = Scenario(
        programme=programme,
        service_area=waste,
        title="Missed bin",
        persona="A resident whose bin was missed",
        question="My bin was missed; what now?",
    )
    planning_scenario = Scenario(
        programme=programme,
        service_area=planning,
        title="Extension",
        persona="A homeowner",
        question="Do I need permission for an extension?",
    )
    visit_version = make_questionnaire(programme, Channel.in_person)
    phone_version = make_questionnaire(programme, Channel.telephone)
    statement = ConfidentialityStatement(programme=programme, version=1, text="Keep it confidential.")
    db.session.add_all(
        [
            partnership,
            programme,
            county,
            district,
            other,
            wave,
            statement,
            waste_scenario,
            planning_scenario,
            county_office,
            district_office,
            district_phone,
            other_office,
        ]
    )
    db.session.commit()
    return World(
        partnership,
        programme,
        county,
        district,
        other,
        waste,
        planning,
        county_office,
        district_office,
        district_phone,
        other_office,
        wave,
        waste_scenario,
        planning_scenario,
        visit_version,
        phone_version,
        statement,
    )


def make_questionnaire(programme, channel, number=1) -> QuestionnaireVersion:
    questionnaire = Questionnaire(
        programme=programme,
        channel=channel,
        title=f"{channel.name.replace('_', ' ').capitalize()} questionnaire",
    )
    version = QuestionnaireVersion(questionnaire=questionnaire, number=number)
    section = Section(version=version, position=1, title="Welcome")
    section.questions = [
        Question(
            version=version,
            position=1,
            key="greeted",
            text="Were you greeted?",
            type=QuestionType.yes_no,
            critical=True,
        ),
        Question(
            version=version,
            position=2,
            key="helpful",
            text="How helpful?",
            type=QuestionType.scale,
            scale_min=1,
            scale_max=5,
            na_allowed=True,
        ),
        Question(
            version=version,
            position=3,
            key="outcome",
            text="Outcome",
            type=QuestionType.single_choice,
            options=[
                {"value": "resolved", "label": "Resolved", "score": 1},
                {"value": "redirected", "label": "Redirected", "score": 0.5},
            ],
        ),
    ]
    db.session.add(version)
    return version


def make_user(*roles: Role, email=None, programme=None, organisation=None, **overrides) -> User:
    email = email or f"user{next(_user_numbers)}-{'-'.join(r.value for r in roles) or 'none'}@example.test"
    user = User(
        email=email,
        display_name=email.split("@")[0],
        password_hash=password_hash(),
        programme=programme,
        organisation=organisation,
        **overrides,
    )
    user.role_rows = [UserRole(role=role) for role in roles]
    db.session.add(user)
    db.session.commit()
    return user


def pass_gate(user: User, statement: ConfidentialityStatement) -> User:
    db.session.add(ConfidentialityAcknowledgement(user_id=user.id, statement_id=statement.id))
    db.session.add(ConflictDeclaration(user_id=user.id, declared_none=True))
    db.session.commit()
    return user


def make_shopper(world: World, gate_passed=True, **overrides) -> User:
    user = make_user(Role.shopper, programme=world.programme, **overrides)
    return pass_gate(user, world.statement) if gate_passed else user


def make_assignment(
    world: World,
    shopper: User,
    contact_point=None,
    scenario=None,
    version=None,
    channel=None,
    state=AssignmentState.offered,
) -> Assignment:
    contact_point = contact_point or world.district_office
    now = utcnow()
    assignment = Assignment(
        wave=world.wave,
        shopper=shopper,
        contact_point=contact_point,
        scenario=scenario or world.waste_scenario,
        questionnaire_version=version
        or (world.phone_version if contact_point.channel == Channel.telephone else world.visit_version),
        channel=channel or contact_point.channel,
        window_starts_at=now - timedelta(days=1),
        window_ends_at=now + timedelta(days=6),
        state=state,
    )
    db.session.add(assignment)
    db.session.commit()
    return assignment


# --- recruitment ---------------------------------------------------------------------------------


def make_application(programme, user=None, **overrides):
    """A pending application (and, unless given, its applicant)."""
    from app.recruitment.models import VolunteerApplication

    user = user or make_user(Role.applicant, programme=programme)
    fields = dict(
        full_name="Alex Applicant",
        phone="+441134960001",
        neighbourhood="Northfield",
        languages="English",
        availability="Weekday mornings",
        accessibility_needs="",
        consented_at=utcnow(),
    )
    fields.update(overrides)
    application = VolunteerApplication(user_id=user.id, programme_id=programme.id, **fields)
    db.session.add(application)
    db.session.commit()
    return application


def make_quiz(programme, pass_mark=50, questions=None):
    """A quiz with two questions by default; the right answer of each is option 0."""
    from app.recruitment.models import QuizQuestion, TrainingQuiz

    questions = questions or [
        ("Who fixes potholes?", ["The county council", "The district council"], 0),
        ("What do you record about staff?", ["Their role", "Their name"], 0),
    ]
    quiz = TrainingQuiz(programme_id=programme.id, pass_mark=pass_mark)
    quiz.questions = [
        QuizQuestion(position=n, text=text, options=options, correct_option=correct)
        for n, (text, options, correct) in enumerate(questions, start=1)
    ]
    db.session.add(quiz)
    db.session.commit()
    return quiz
