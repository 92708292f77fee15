"""Building questionnaires: versions, sections and questions. Plain functions; the caller commits.

A version is read-only once a report was captured with it (``frozen_at``, set by app.visits). Every
change here first locks the version's row and checks it again, so a change cannot slip in beside the
first capture; a frozen version answers ``VersionFrozen`` (409) and nothing is changed. To change a
frozen questionnaire, make a new version from it.
"""

import copy

import sqlalchemy as sa

from app.audit.services import record
from app.errors_domain import DomainError, Invalid
from app.extensions import db
from app.programmes.models import Channel, Programme, ServiceStandard
from app.questionnaires.exchange import question_problems
from app.questionnaires.models import (
    CriticalScope,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    QuestionType,
    Section,
)

QUESTION_FIELDS = (
    "key",
    "text",
    "help_text",
    "type",
    "weight",
    "na_allowed",
    "critical",
    "required",
    "options",
    "scale_min",
    "scale_max",
    "translations",
)


class VersionFrozen(DomainError):
    status = 409

    def __init__(self, version: QuestionnaireVersion):
        super().__init__(
            "version_frozen",
            f"Version {version.number} of “{version.questionnaire.title}” is in use: reports were captured with it "
            f"on or after {version.frozen_at:%-d %B %Y}, so it can no longer change. Make a new version from it "
            "and change that.",
        )


class FieldInvalid(Invalid):
    def __init__(self, field: str, message: str):
        super().__init__("invalid_field", message)
        self.field = field


def lock_editable(version: QuestionnaireVersion) -> QuestionnaireVersion:
    """Lock the version's row for this transaction and refuse if it is frozen (read afresh, not from memory)."""
    db.session.execute(
        sa.select(QuestionnaireVersion)
        .where(QuestionnaireVersion.id == version.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()
    if version.frozen_at is not None:
        raise VersionFrozen(version)
    return version


def _renumber(version: QuestionnaireVersion) -> None:
    """Sections 1..n, and questions 1..m across the version in section order (one order for every reader)."""
    position = 0
    for section_position, section in enumerate(version.sections, start=1):
        section.position = section_position
        for question in section.questions:
            position += 1
            question.position = position


# --- questionnaires and versions --------------------------------------------------------------------------------


def create_questionnaire(programme: Programme, title: str, channel: Channel, actor) -> QuestionnaireVersion:
    """A new questionnaire with an empty version 1 and one section to start from."""
    questionnaire = Questionnaire(programme_id=programme.id, title=title.strip(), channel=channel)
    version = QuestionnaireVersion(questionnaire=questionnaire, number=1)
    version.sections.append(Section(position=1, title="Questions"))
    db.session.add(questionnaire)
    db.session.flush()
    record(
        "questionnaire.created", questionnaire, actor=actor, title=questionnaire.title, channel=channel.value
    )
    return version


def _standards_by_code(programme_id: int) -> dict[str, ServiceStandard]:
    return {
        s.code: s for s in db.session.scalars(sa.select(ServiceStandard).filter_by(programme_id=programme_id))
    }


def _fill(
    version: QuestionnaireVersion, content: dict, programme_id: int, unknown_standards: str
) -> list[str]:
    """Sections and questions from checked import ``content``; returns the standard codes left out.

    ``unknown_standards``: "refuse" (an import names only standards the programme has) or "drop" (a
    template may name presets a programme has removed; the question is kept without its standard).
    """
    standards = _standards_by_code(programme_id)
    missing = sorted(
        {
            q["standard"]
            for s in content["sections"]
            for q in s["questions"]
            if q["standard"] and q["standard"] not in standards
        }
    )
    if missing and unknown_standards == "refuse":
        raise Invalid(
            "unknown_standard",
            f"The programme has no service standard with the code "
            f"{', '.join(missing)}; add it under Service standards first.",
        )
    version.critical_scope = content["critical_scope"]
    position = 0
    for section_position, section_content in enumerate(content["sections"], start=1):
        section = Section(
            position=section_position,
            title=section_content["title"].strip(),
            translations=section_content.get("translations") or {},
        )
        version.sections.append(section)
        for q in section_content["questions"]:
            position += 1
            section.questions.append(
                Question(
                    version=version,
                    position=position,
                    standard=standards.get(q["standard"] or ""),
                    **{name: q[name] for name in QUESTION_FIELDS},
                )
            )
    return missing


def create_from_content(
    programme: Programme, content: dict, actor, unknown_standards="refuse", action="questionnaire.imported"
) -> tuple[QuestionnaireVersion, list[str]]:
    """A new questionnaire whose version 1 holds ``content`` (checked by ``exchange.parse``)."""
    content = copy.deepcopy(content)  # the ready templates are shared; the new rows get their own lists
    questionnaire = Questionnaire(
        programme_id=programme.id, title=content["title"].strip(), channel=content["channel"]
    )
    version = QuestionnaireVersion(questionnaire=questionnaire, number=1)
    dropped = _fill(version, content, programme.id, unknown_standards)
    db.session.add(questionnaire)
    db.session.flush()
    record(
        action,
        questionnaire,
        actor=actor,
        title=questionnaire.title,
        questions=sum(len(s["questions"]) for s in content["sections"]),
        dropped_standards=dropped,
    )
    return version, dropped


def new_version_from(version: QuestionnaireVersion, actor) -> QuestionnaireVersion:
    """A copy of ``version`` (frozen or not) as the questionnaire's next number, open for changes."""
    questionnaire = version.questionnaire
    latest = db.session.scalar(
        sa.select(sa.func.max(QuestionnaireVersion.number)).where(
            QuestionnaireVersion.questionnaire_id == questionnaire.id
        )
    )
    sections = [(section, list(section.questions)) for section in version.sections]  # loaded before copying
    new_version = QuestionnaireVersion(
        questionnaire_id=questionnaire.id, number=latest + 1, critical_scope=version.critical_scope
    )
    db.session.add(new_version)
    with db.session.no_autoflush:
        for section, questions in sections:
            new_section = Section(
                position=section.position,
                title=section.title,
                translations=copy.deepcopy(section.translations),
            )
            new_version.sections.append(new_section)
            for q in questions:
                new_section.questions.append(
                    Question(
                        version=new_version,
                        position=q.position,
                        standard_id=q.standard_id,
                        **{
                            name: (
                                copy.deepcopy(getattr(q, name))
                                if name in ("options", "translations")
                                else getattr(q, name)
                            )
                            for name in QUESTION_FIELDS
                        },
                    )
                )
    db.session.flush()
    db.session.refresh(questionnaire, ["versions"])
    record("questionnaire_version.copied", new_version, actor=actor, source_version=version.number)
    return new_version


def set_critical_scope(version: QuestionnaireVersion, scope: CriticalScope, actor) -> None:
    """What a failed critical question sets to 0: the whole report, or only its section."""
    lock_editable(version)
    if version.critical_scope is not scope:
        record(
            "questionnaire_version.scoring_changed",
            version,
            actor=actor,
            changed={"critical_scope": [version.critical_scope.value, scope.value]},
        )
        version.critical_scope = scope


# --- sections ---------------------------------------------------------------------------------------------------


def add_section(version: QuestionnaireVersion, title: str, actor) -> Section:
    lock_editable(version)
    section = Section(position=len(version.sections) + 1, title=title.strip())
    version.sections.append(section)
    db.session.flush()
    record("questionnaire_section.added", section, actor=actor, version_id=version.id, title=section.title)
    return section


def rename_section(section: Section, title: str, actor) -> None:
    lock_editable(section.version)
    old, section.title = section.title, title.strip()
    record("questionnaire_section.renamed", section, actor=actor, changed={"title": [old, section.title]})


def _move(items: list, item, direction: str) -> bool:
    index = items.index(item)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(items):
        return False
    items[index], items[other] = items[other], items[index]
    return True


def move_section(section: Section, direction: str, actor) -> bool:
    version = lock_editable(section.version)
    sections = list(version.sections)
    if not _move(sections, section, direction):
        return False
    for position, s in enumerate(sections, start=1):
        s.position = position
    version.sections.sort(key=lambda s: s.position)
    _renumber(version)
    record("questionnaire_section.moved", section, actor=actor, direction=direction)
    return True


def delete_section(section: Section, actor) -> None:
    version = lock_editable(section.version)
    if section.questions:
        raise DomainError(
            "section_not_empty", "Delete or move its questions first: only an empty section can go."
        )
    record("questionnaire_section.deleted", section, actor=actor, title=section.title)
    version.sections.remove(section)
    db.session.flush()
    _renumber(version)


# --- questions --------------------------------------------------------------------------------------------------


def save_question(
    version: QuestionnaireVersion,
    question: Question | None,
    section: Section,
    values: dict,
    standard: ServiceStandard | None,
    actor,
) -> Question:
    """Add (``question`` None) or change a question; ``values`` holds QUESTION_FIELDS."""
    lock_editable(version)
    problems = question_problems(values)
    if problems:
        field, message = next(iter(problems.items()))
        raise FieldInvalid(field, message)
    clash = db.session.scalar(
        sa.select(Question.id).where(
            Question.version_id == version.id,
            Question.key == values["key"],
            Question.id != (question.id if question else None),
        )
    )
    if clash is not None:
        raise FieldInvalid("key", "Another question in this version has that key.")
    if standard is not None and standard.programme_id != version.questionnaire.programme_id:
        raise FieldInvalid("standard_id", "Choose a standard of this programme.")
    is_new = question is None
    with db.session.no_autoflush:  # a question between two sections is no orphan to delete
        if is_new:
            question = Question(version=version, position=0)
            section.questions.append(question)
        elif question.section is not section:
            section.questions  # noqa: B018  (loaded before the move)
            question.section.questions.remove(question)
            section.questions.append(question)
    changed = {}
    for name in QUESTION_FIELDS:
        if name == "translations" and name not in values:  # a caller that does not edit them keeps them
            continue
        old = getattr(question, name, None)
        if is_new or old != values[name]:
            changed[name] = [
                old.value if isinstance(old, QuestionType) else old,
                values[name].value if isinstance(values[name], QuestionType) else values[name],
            ]
            setattr(question, name, values[name])
    question.standard = standard
    _renumber(version)
    db.session.flush()
    record(
        f"question.{'added' if is_new else 'changed'}",
        question,
        actor=actor,
        version_id=version.id,
        changed=changed,
    )
    return question


def move_question(question: Question, direction: str, actor) -> bool:
    version = lock_editable(question.version)
    questions = list(question.section.questions)
    if not _move(questions, question, direction):
        return False
    question.section.questions[:] = questions
    _renumber(version)
    record("question.moved", question, actor=actor, direction=direction)
    return True


def delete_question(question: Question, actor) -> None:
    version = lock_editable(question.version)
    record("question.deleted", question, actor=actor, key=question.key)
    question.section.questions.remove(question)
    db.session.flush()
    _renumber(version)
