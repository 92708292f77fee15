"""The words a person reads for every stored code: states, channels, kinds, flags, outcomes, roles, tiers;
and durations as minutes and seconds.

One table per kind of code, so every page (the coordinator's, the partner's, the shopper's) says the
same thing for the same code. Templates use the filters ``register`` installs::

    {{ assignment.state|label }}   {{ "exit_interview"|channel_label }}   {{ seconds|duration }}

``label`` takes any of the enums below; the ``*_label`` filters also take the stored string (a flag or a
call outcome is stored as text in JSON). A code with no entry reads as its words ("new_thing" -> "New
thing"), never as the raw code.
"""

import enum

from app.accounts.models import Role
from app.assignments.models import AssignmentState
from app.programmes.models import Channel, Tier, WaveStatus
from app.questionnaires.models import QuestionType
from app.recruitment.models import ApplicationStatus
from app.visits.models import Flag, SubmissionKind, SubmissionState

CHANNEL_LABELS = {
    Channel.in_person: "In person",
    Channel.exit_interview: "Exit interview",
    Channel.telephone: "Telephone",
    Channel.email: "E-mail",
    Channel.letter: "Letter",
    Channel.website: "Website",
}

# What one piece of work of each kind is called (a report's kind, not the channel it came by).
KIND_LABELS = {
    SubmissionKind.visit: "In-person visit",
    SubmissionKind.exit_interview: "Exit interview",
    SubmissionKind.call: "Telephone shop",
    SubmissionKind.email: "E-mail shop",
    SubmissionKind.letter: "Letter shop",
    SubmissionKind.website: "Website check",
}

ASSIGNMENT_STATE_LABELS = {
    AssignmentState.offered: "Offered",
    AssignmentState.accepted: "Accepted",
    AssignmentState.submitted: "Submitted",
    AssignmentState.in_review: "Being reviewed",
    AssignmentState.approved: "Approved",
    AssignmentState.returned: "Returned for changes",
    AssignmentState.declined: "Declined",
    AssignmentState.withdrawn: "Withdrawn",
    AssignmentState.cancelled: "Cancelled",
}

SUBMISSION_STATE_LABELS = {
    SubmissionState.submitted: "Submitted",
    SubmissionState.in_review: "Being reviewed",
    SubmissionState.approved: "Approved",
    SubmissionState.returned: "Returned for changes",
    SubmissionState.rejected: "Rejected",
}

WAVE_STATUS_LABELS = {
    WaveStatus.planned: "Planned",
    WaveStatus.open: "Open",
    WaveStatus.closed: "Closed",
    WaveStatus.published: "Published",
}

APPLICATION_STATUS_LABELS = {
    ApplicationStatus.pending: "Waiting for a decision",
    ApplicationStatus.approved: "Approved",
    ApplicationStatus.declined: "Declined",
}

FLAG_LABELS = {
    Flag.late: "Late: completed after the assignment's window closed",
    Flag.early: "Early: started before the assignment's window opened",
    Flag.assignment_withdrawn: "The assignment had been withdrawn",
    Flag.assignment_cancelled: "The assignment had been cancelled",
    Flag.assignment_declined: "The assignment had been declined",
    Flag.second_report: "A second report for the same assignment",
    Flag.clock_skew: "The device clock was far from the server's",
    Flag.imported: "Imported by a coordinator from the shopper's file of unsent work",
    Flag.derived_answer_overridden: "The shopper changed an answer that the call screen's timings gave",
}

# A telephone shop's outcome (app/visits/schemas.py CALL_OUTCOMES), stored as text in the call log.
CALL_OUTCOME_LABELS = {
    "resolved": "Resolved",
    "redirected": "Redirected",
    "call_back_promised": "Call back promised",
    "unresolved": "Not resolved",
    "abandoned": "Abandoned (the shopper gave up)",
}

ROLE_LABELS = {
    Role.applicant: "Applicant",
    Role.shopper: "Shopper",
    Role.coordinator: "Coordinator",
    Role.partner_manager: "Partner manager",
    Role.admin: "Administrator",
    Role.reviewer: "Reviewer",
}

TIER_LABELS = {
    Tier.county: "County council",
    Tier.district: "District council",
    Tier.unitary: "Unitary council",
    Tier.national_park: "National park authority",
    Tier.other: "Other organisation",
}

QUESTION_TYPE_LABELS = {
    QuestionType.yes_no: "Yes / no",
    QuestionType.scale: "Scale (e.g. 1 to 5)",
    QuestionType.single_choice: "One choice from a list",
    QuestionType.multi_choice: "Several choices from a list",
    QuestionType.number: "Number",
    QuestionType.duration: "Duration (minutes and seconds)",
    QuestionType.time: "Time of day",
    QuestionType.text: "Text",
    QuestionType.photo: "Photo",
}

_BY_ENUM = {
    Channel: CHANNEL_LABELS,
    SubmissionKind: KIND_LABELS,
    AssignmentState: ASSIGNMENT_STATE_LABELS,
    SubmissionState: SUBMISSION_STATE_LABELS,
    WaveStatus: WAVE_STATUS_LABELS,
    ApplicationStatus: APPLICATION_STATUS_LABELS,
    Flag: FLAG_LABELS,
    Role: ROLE_LABELS,
    Tier: TIER_LABELS,
    QuestionType: QUESTION_TYPE_LABELS,
}

NONE_LABEL = "—"


def _words(code) -> str:
    text = str(code).replace("_", " ").strip()
    return text[:1].upper() + text[1:] if text else NONE_LABEL


def label(value) -> str:
    """Any enum member above as a person reads it; a plain string as its words; "—" for None."""
    if value is None:
        return NONE_LABEL
    if isinstance(value, enum.Enum):
        table = _BY_ENUM.get(type(value), {})
        return table.get(value) or _words(value.value)
    return _words(value)


def _from_code(enum_class, table: dict, value) -> str:
    if value is None:
        return NONE_LABEL
    if isinstance(value, enum.Enum):
        return label(value)
    try:
        return table[enum_class(value)]
    except (ValueError, KeyError):
        return _words(value)


def channel_label(value) -> str:
    """A channel (``Channel`` or its stored value)."""
    return _from_code(Channel, CHANNEL_LABELS, value)


def kind_label(value) -> str:
    """The kind of a piece of work (``SubmissionKind`` or its stored value)."""
    return _from_code(SubmissionKind, KIND_LABELS, value)


def flag_label(value) -> str:
    """A report's flag (``Flag`` or the string stored in ``Submission.flags``)."""
    return _from_code(Flag, FLAG_LABELS, value)


def outcome_label(value) -> str:
    """A telephone shop's outcome, as stored in its call log."""
    if value is None:
        return NONE_LABEL
    return CALL_OUTCOME_LABELS.get(value) or _words(value)


def duration(seconds) -> str:
    """Seconds as a person reads them: "45 s", "4 min 05 s", "1 h 03 min"; "—" for none.

    Seconds (and minutes after hours) have two digits so that a column of durations lines up and
    "4 min 5 s" cannot be misread as 4.5 minutes.
    """
    if seconds is None:
        return NONE_LABEL
    whole = round(seconds)
    if whole < 0:
        return "-" + duration(-whole)
    if whole >= 3600:
        return f"{whole // 3600} h {whole % 3600 // 60:02d} min"
    if whole >= 60:
        return f"{whole // 60} min {whole % 60:02d} s"
    return f"{whole} s"


def age(delta) -> str:
    """How long something has waited, to the unit that matters: "4 minutes", "3 hours", "2 days"."""
    seconds = delta.total_seconds() if hasattr(delta, "total_seconds") else float(delta)
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            n = int(seconds // size)
            return f"{n} {unit}{'s' if n != 1 else ''}"
    return "less than a minute"


def catalogue() -> dict[str, dict[str, str]]:
    """Every table by stored value, for a page's script (the shopper app) to use the same words."""
    return {
        "channel": {k.value: v for k, v in CHANNEL_LABELS.items()},
        "kind": {k.value: v for k, v in KIND_LABELS.items()},
        "assignment_state": {k.value: v for k, v in ASSIGNMENT_STATE_LABELS.items()},
        "submission_state": {k.value: v for k, v in SUBMISSION_STATE_LABELS.items()},
        "wave_status": {k.value: v for k, v in WAVE_STATUS_LABELS.items()},
        "application_status": {k.value: v for k, v in APPLICATION_STATUS_LABELS.items()},
        "flag": {k.value: v for k, v in FLAG_LABELS.items()},
        "outcome": dict(CALL_OUTCOME_LABELS),
        "role": {k.value: v for k, v in ROLE_LABELS.items()},
        "tier": {k.value: v for k, v in TIER_LABELS.items()},
    }


FILTERS = {
    "label": label,
    "channel_label": channel_label,
    "kind_label": kind_label,
    "flag_label": flag_label,
    "outcome_label": outcome_label,
    "duration": duration,
    "age": age,
}


def register(app) -> None:
    """Install the filters on ``app``'s templates."""
    app.jinja_env.filters.update(FILTERS)
