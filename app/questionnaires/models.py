"""Questionnaires per channel, in numbered versions that freeze once anything is captured with them."""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_types import UTCDateTime, enum_column, utcnow
from app.extensions import db
from app.programmes.models import Channel


class QuestionType(enum.Enum):
    yes_no = "yes_no"
    scale = "scale"
    single_choice = "single_choice"
    multi_choice = "multi_choice"
    number = "number"
    duration = "duration"  # seconds
    time = "time"  # HH:MM
    text = "text"
    photo = "photo"


CHOICE_TYPES = {QuestionType.single_choice, QuestionType.multi_choice}


class CriticalScope(enum.Enum):
    report = "report"
    section = "section"


class Questionnaire(db.Model):
    __tablename__ = "questionnaire"
    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programme.id"), index=True)
    channel: Mapped[Channel] = mapped_column(enum_column(Channel))
    title: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    programme = relationship("Programme")
    versions: Mapped[list["QuestionnaireVersion"]] = relationship(
        back_populates="questionnaire", order_by="QuestionnaireVersion.number"
    )


class QuestionnaireVersion(db.Model):
    """One version. ``frozen_at`` is set when the first report is captured with it; then it is read-only."""

    __tablename__ = "questionnaire_version"
    __table_args__ = (sa.UniqueConstraint("questionnaire_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(sa.ForeignKey("questionnaire.id"), index=True)
    number: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    frozen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    critical_scope: Mapped[CriticalScope] = mapped_column(
        enum_column(CriticalScope), default=CriticalScope.report, server_default=CriticalScope.report.value
    )

    questionnaire: Mapped[Questionnaire] = relationship(back_populates="versions")
    sections: Mapped[list["Section"]] = relationship(
        back_populates="version", order_by="Section.position", cascade="all, delete-orphan"
    )
    # Read-only: questions are added through their section.
    questions: Mapped[list["Question"]] = relationship(viewonly=True, order_by="Question.position")

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class Section(db.Model):
    __tablename__ = "questionnaire_section"
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("questionnaire_version.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(200))
    # {language code: {"title": ...}}: the section in another language (app/i18n/languages.py).
    translations: Mapped[dict] = mapped_column(sa.JSON, default=dict, server_default=sa.text("'{}'"))

    version: Mapped[QuestionnaireVersion] = relationship(back_populates="sections")
    questions: Mapped[list["Question"]] = relationship(
        back_populates="section", order_by="Question.position", cascade="all, delete-orphan"
    )


class Question(db.Model):
    __tablename__ = "question"
    __table_args__ = (
        sa.UniqueConstraint("version_id", "key"),
        sa.CheckConstraint("weight >= 0", name="weight_not_negative"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("questionnaire_version.id", ondelete="CASCADE"), index=True
    )
    section_id: Mapped[int] = mapped_column(
        sa.ForeignKey("questionnaire_section.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    key: Mapped[str] = mapped_column(sa.String(60))
    text: Mapped[str] = mapped_column(sa.String(500))
    help_text: Mapped[str] = mapped_column(sa.String(1000), default="", server_default="")
    type: Mapped[QuestionType] = mapped_column(enum_column(QuestionType))
    weight: Mapped[float] = mapped_column(sa.Float, default=1.0, server_default="1")
    na_allowed: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    critical: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    required: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    standard_id: Mapped[int | None] = mapped_column(sa.ForeignKey("service_standard.id"))
    # Choices: [{"value": "...", "label": "...", "score": 0..1}]; scale: {"min": 1, "max": 5} in scale.
    options: Mapped[list | None] = mapped_column(sa.JSON)
    scale_min: Mapped[int | None]
    scale_max: Mapped[int | None]
    # {language code: {"text", "help_text", "options": {value: label}}}: the question in another language.
    # The key and the option values stay the same, so an interview in Welsh counts with those in English.
    translations: Mapped[dict] = mapped_column(sa.JSON, default=dict, server_default=sa.text("'{}'"))

    version: Mapped[QuestionnaireVersion] = relationship()
    section: Mapped[Section] = relationship(back_populates="questions")
    standard = relationship("ServiceStandard")
