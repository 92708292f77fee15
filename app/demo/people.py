"""Demo people (sign-ins, gated shoppers, an applicant) and their assignments.

Every demo user shares one password hash (argon2 is deliberately slow) and has ``is_demo`` set.
"""

from datetime import UTC, datetime, time, timedelta

from app.accounts.models import (
    ConfidentialityAcknowledgement,
    Conflict,
    ConflictDeclaration,
    Role,
    User,
    UserRole,
)
from app.assignments.models import Assignment, AssignmentState
from app.db_types import utcnow
from app.extensions import db
from app.programmes.models import Channel, ContactPoint
from app.recruitment.models import VolunteerApplication

S = AssignmentState
C = Channel

# key (the e-mail's local part), display name, role; ``gate`` is "none" (declared no conflicts),
# "conflict" (see CONFLICTS) or absent (has not passed the gate).
PEOPLE = [
    dict(key="coordinator", name="Priya Shah", role=Role.coordinator),
    dict(key="admin", name="Sam Okafor", role=Role.admin, programme=False),
    dict(key="manager", name="Gareth Price", role=Role.partner_manager, organisation="kingsmere"),
    dict(key="shopper1", name="Jo Bennett", role=Role.shopper, gate="none"),
    dict(key="shopper2", name="Tom Hughes", role=Role.shopper, gate="conflict"),
    dict(key="newshopper", name="Ruth Ellis", role=Role.shopper),
    dict(key="applicant", name="Dan Morgan", role=Role.applicant),
    dict(key="shopper3", name="Aisha Karim", role=Role.shopper, gate="none"),
    dict(key="shopper4", name="Bill Thomas", role=Role.shopper, gate="none"),
    dict(key="shopper5", name="Carys Lloyd", role=Role.shopper, gate="none", staff_on_loan=True),
    dict(key="shopper6", name="Dev Patel", role=Role.shopper, gate="none"),
    dict(key="shopper7", name="Elin Roberts", role=Role.shopper, gate="none"),
    dict(key="shopper8", name="Frank Osei", role=Role.shopper, gate="none", staff_on_loan=True),
]
SIGN_INS = {
    "coordinator": "coordinator",
    "admin": "admin",
    "manager": "partner manager, Kingsmere District Council",
    "shopper1": "shopper, gate passed, open assignments",
    "shopper2": "shopper, gate passed with a conflict (Fenmoor), open assignments",
    "newshopper": "shopper who has not passed the gate yet",
    "applicant": "applicant with a pending application",
}
HISTORY_SHOPPERS = ("shopper3", "shopper4", "shopper5", "shopper6", "shopper7", "shopper8")

# shopper key -> (organisation key, reason); the shopper is never assigned there.
CONFLICTS = {"shopper2": ("fenmoor", "My sister works in Fenmoor's housing options team.")}

APPLICATION = dict(
    full_name="Dan Morgan",
    phone="+441134960987",
    neighbourhood="Northfield, Kingsmere",
    languages="English, Welsh",
    availability="Weekday mornings, not in school holidays",
    accessibility_needs="Uses a walking stick; no long flights of stairs.",
)

# Open wave-2 work: (organisation, channel, scenario, state, starts in days from now, lasts days).
OPEN_WORK = {
    "shopper1": [
        ("kingsmere", C.in_person, "council_tax_moving", S.accepted, -1, 6),
        ("county", C.in_person, "pothole", S.offered, 1, 7),
        ("kingsmere", C.exit_interview, "exit_customer_centre", S.accepted, 0, 3),
        ("severnside", C.telephone, "pothole_to_district", S.accepted, -2, 5),
        ("fenmoor", C.telephone, "eviction", S.offered, 0, 7),
    ],
    "shopper2": [
        ("severnside", C.in_person, "benefit_change", S.accepted, -1, 5),
        ("park", C.in_person, "barn_conversion", S.offered, 2, 7),
        ("park", C.exit_interview, "exit_visitor_centre", S.accepted, 0, 4),
        ("county", C.telephone, "council_tax_to_county", S.accepted, -1, 4),
        ("kingsmere", C.telephone, "missed_bin", S.offered, 1, 6),
    ],
    "newshopper": [
        ("severnside", C.in_person, "swimming", S.offered, 2, 10),
    ],
}

# Earlier wave-2 work in every later state: (shopper, organisation, channel, scenario, state, days ago it
# started, decline reason).
WAVE2_HISTORY = [
    ("shopper3", "kingsmere", C.telephone, "council_tax_moving", S.submitted, 6, ""),
    ("shopper3", "county", C.email, "pothole", S.in_review, 12, ""),
    ("shopper4", "fenmoor", C.in_person, "eviction", S.in_review, 9, ""),
    ("shopper4", "severnside", C.website, "missed_bin", S.approved, 13, ""),
    ("shopper5", "county", C.telephone, "pothole", S.approved, 11, ""),
    ("shopper5", "park", C.letter, "barn_conversion", S.returned, 12, ""),
    ("shopper6", "kingsmere", C.email, "extension", S.in_review, 10, ""),
    ("shopper6", "fenmoor", C.website, "bus_pass_to_district", S.submitted, 5, ""),
    ("shopper7", "severnside", C.exit_interview, "exit_customer_centre", S.approved, 8, ""),
    (
        "shopper7",
        "kingsmere",
        C.letter,
        "adaptations",
        S.declined,
        7,
        "Moving house that week, so I cannot post and wait for a reply in the window.",
    ),
    ("shopper8", "park", C.website, "accessible_walks", S.approved, 10, ""),
    (
        "shopper8",
        "county",
        C.in_person,
        "council_tax_to_county",
        S.declined,
        4,
        "Not well enough to travel to Wyvernbury this month.",
    ),
]

WAVE1_ROUNDS = 2  # each round visits every organisation on every channel


def build_people(partners, password_hash: str) -> dict[str, User]:
    """The demo users, with gates passed where the ``gate`` says so, and the applicant's application."""
    users = {}
    for spec in PEOPLE:
        organisation = partners.organisations[spec["organisation"]] if "organisation" in spec else None
        user = User(
            email=f"{spec['key']}@demo.test",
            display_name=spec["name"],
            password_hash=password_hash,
            is_demo=True,
            staff_on_loan=spec.get("staff_on_loan", False),
            programme=partners.programme if spec.get("programme", True) else None,
            organisation=organisation,
            role_rows=[UserRole(role=spec["role"])],
        )
        users[spec["key"]] = user
    db.session.add_all(users.values())
    db.session.flush()

    passed_at = utcnow() - timedelta(days=30)
    for spec in PEOPLE:
        user, gate = users[spec["key"]], spec.get("gate")
        if gate is None:
            continue
        db.session.add(
            ConfidentialityAcknowledgement(
                user_id=user.id, statement_id=partners.statement.id, acknowledged_at=passed_at
            )
        )
        declaration = ConflictDeclaration(
            user_id=user.id, declared_none=gate == "none", declared_at=passed_at
        )
        if gate == "conflict":
            organisation_key, reason = CONFLICTS[spec["key"]]
            declaration.conflicts = [
                Conflict(
                    user_id=user.id,
                    organisation_id=partners.organisations[organisation_key].id,
                    reason=reason,
                )
            ]
        db.session.add(declaration)

    db.session.add(
        VolunteerApplication(user_id=users["applicant"].id, programme_id=partners.programme.id, **APPLICATION)
    )
    return users


def build_assignments(partners, versions, users: dict[str, User]) -> list[Assignment]:
    wave1, wave2 = partners.waves
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    assignments = []

    def assign(wave, shopper_key, organisation_key, channel, scenario_key, state, starts, days, reason=""):
        if CONFLICTS.get(shopper_key, (None,))[0] == organisation_key:
            raise ValueError(f"demo data assigns {shopper_key} where they declared a conflict")
        scenario = partners.scenarios[scenario_key]
        contact_point = _contact_point(partners, organisation_key, channel, scenario_key)
        ends = starts + timedelta(days=days)
        assignments.append(
            Assignment(
                wave=wave,
                shopper=users[shopper_key],
                contact_point=contact_point,
                scenario=scenario,
                questionnaire_version=versions[channel],
                channel=channel,
                window_starts_at=starts,
                window_ends_at=ends,
                state=state,
                decline_reason=reason,
                created_at=min(starts - timedelta(days=7), now),
                state_changed_at=min(ends, now),
            )
        )

    for shopper_key, work in OPEN_WORK.items():
        for organisation_key, channel, scenario_key, state, offset, days in work:
            assign(
                wave2,
                shopper_key,
                organisation_key,
                channel,
                scenario_key,
                state,
                now + timedelta(days=offset),
                days,
            )
    for shopper_key, organisation_key, channel, scenario_key, state, days_ago, reason in WAVE2_HISTORY:
        assign(
            wave2,
            shopper_key,
            organisation_key,
            channel,
            scenario_key,
            state,
            now - timedelta(days=days_ago),
            4,
            reason,
        )

    count = 0
    for round_ in range(WAVE1_ROUNDS):
        for organisation_key in partners.organisations:
            for channel in Channel:
                candidates = _fitting_scenarios(partners, organisation_key, channel)
                scenario_key = candidates[(round_ + count) % len(candidates)]
                day = wave1.starts_on + timedelta(days=count % 40)
                starts = datetime.combine(day, time(9), tzinfo=UTC)
                shopper_key = HISTORY_SHOPPERS[count % len(HISTORY_SHOPPERS)]
                assign(wave1, shopper_key, organisation_key, channel, scenario_key, S.approved, starts, 7)
                count += 1
    db.session.add_all(assignments)
    return assignments


def _points(partners, organisation_key: str, channel: Channel) -> list[ContactPoint]:
    """The organisation's contact points for ``channel``; exit interviews happen at its buildings."""
    wanted = C.in_person if channel is C.exit_interview else channel
    organisation = partners.organisations[organisation_key]
    return [cp for cp in partners.contact_points if cp.organisation is organisation and cp.channel is wanted]


def _fits(partners, scenario_key: str, contact_point: ContactPoint, channel: Channel) -> bool:
    """Exit scenarios go with exit interviews only; a cross-tier scenario goes to the tier it asks,
    any other to a contact point that serves its service area."""
    if (scenario_key in partners.exit_keys) != (channel is C.exit_interview):
        return False
    if scenario_key in partners.asked_tier:
        return contact_point.organisation.tier is partners.asked_tier[scenario_key]
    return partners.scenarios[scenario_key].service_area in contact_point.service_areas


def _contact_point(partners, organisation_key: str, channel: Channel, key: str) -> ContactPoint:
    for contact_point in _points(partners, organisation_key, channel):
        if _fits(partners, key, contact_point, channel):
            return contact_point
    raise ValueError(f"demo data: no {channel.value} contact point at {organisation_key} fits {key}")


def _fitting_scenarios(partners, organisation_key: str, channel: Channel) -> list[str]:
    points = _points(partners, organisation_key, channel)
    return [key for key in partners.scenarios if any(_fits(partners, key, cp, channel) for cp in points)]
