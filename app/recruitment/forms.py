"""Recruitment forms. Rules that need the database (a taken address) are checked by the services."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from app.accounts.forms import NewPassword
from app.i18n.languages import LANGUAGES
from app.phones import PhoneNumber
from app.recruitment.details import TIME_LABELS, TIMES
from app.recruitment.quiz import MAX_OPTIONS


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        offered = {choice.value for choice in self.iter_choices()} if self.choices else set()
        if any(value not in offered for value in self.data or ()):
            raise ValidationError(_l("Choose only from the times listed."))


class _AvailableTimes:
    """The buckets the assignment engine matches on; ticked by default, as a volunteer who never said is
    taken to be free any time."""

    available_times = CheckboxesField(
        _l("Times of the week you could usually help"),
        choices=[SelectChoice(t, TIME_LABELS[t]) for t in TIMES],
        default=list(TIMES),
        validators=[DataRequired(_l("Tick at least one time of the week."))],
    )


class _Details:
    """What a volunteer tells us about themselves: at sign-up, and later on “Edit my details”."""

    full_name = StringField(
        _l("Full name"),
        validators=[DataRequired(_l("Enter your name.")), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    phone = StringField(
        _l("Phone number (optional)"),
        validators=[Optional(), Length(max=40), PhoneNumber()],
        render_kw={"autocomplete": "tel", "type": "tel"},
    )
    neighbourhood = StringField(
        _l("Neighbourhood or town"),
        validators=[DataRequired(_l("Say where you live, roughly.")), Length(max=120)],
    )
    languages = StringField(
        _l("Languages you speak"),
        validators=[DataRequired(_l("Name at least one language.")), Length(max=200)],
    )
    availability = TextAreaField(
        _l("When you are usually available"),
        validators=[DataRequired(_l("Say when you could usually help.")), Length(max=500)],
    )
    accessibility_needs = TextAreaField(
        _l("Accessibility needs (optional)"), validators=[Optional(), Length(max=500)]
    )


class DetailsForm(_Details, FlaskForm):
    """Edit my details. The view removes all but the name for someone without an application."""


class AvailabilityForm(_AvailableTimes, FlaskForm):
    pass


class SignUpForm(NewPassword, _AvailableTimes, FlaskForm):
    full_name = _Details.full_name
    email = EmailField(
        _l("E-mail address"),
        validators=[
            DataRequired(_l("Enter your e-mail address.")),
            Length(max=254),
            Email(_l("Enter an e-mail address like name@example.com."), check_deliverability=False),
        ],
        render_kw={"autocomplete": "email"},
    )
    phone = _Details.phone
    programme_id = SelectField(
        _l("Programme"), coerce=int, validators=[InputRequired(_l("Choose a programme."))]
    )
    neighbourhood = _Details.neighbourhood
    languages = _Details.languages
    availability = _Details.availability
    accessibility_needs = _Details.accessibility_needs
    language = RadioField(
        _l("Language"),
        choices=[SelectChoice(code, name) for code, name in LANGUAGES.items()],
        validators=[Optional()],
    )
    consent = BooleanField(
        _l("I agree that my details are used as described above"),
        validators=[DataRequired(_l("Tick the box to agree to how your details are used."))],
    )


class ResendForm(FlaskForm):
    pass


class QuizQuestionForm(FlaskForm):
    text = TextAreaField("Question", validators=[DataRequired("Write the question."), Length(max=500)])
    option_1 = StringField("Answer 1", validators=[Optional(), Length(max=200)])
    option_2 = StringField("Answer 2", validators=[Optional(), Length(max=200)])
    option_3 = StringField("Answer 3 (optional)", validators=[Optional(), Length(max=200)])
    option_4 = StringField("Answer 4 (optional)", validators=[Optional(), Length(max=200)])
    option_5 = StringField("Answer 5 (optional)", validators=[Optional(), Length(max=200)])
    option_6 = StringField("Answer 6 (optional)", validators=[Optional(), Length(max=200)])
    correct = RadioField(
        "Which answer is correct?",
        coerce=int,
        choices=[SelectChoice(n, f"Answer {n}") for n in range(1, MAX_OPTIONS + 1)],
        validators=[InputRequired("Choose the correct answer.")],
    )
    explanation = TextAreaField(
        "Explanation shown after a wrong answer, once the applicant has passed (optional)",
        validators=[Optional(), Length(max=1000)],
    )

    OPTION_FIELDS = [f"option_{n}" for n in range(1, MAX_OPTIONS + 1)]

    def options(self) -> list[str]:
        return [self[name].data or "" for name in self.OPTION_FIELDS]

    def fill_from(self, question):
        self.text.data = question.text
        for name, option in zip(self.OPTION_FIELDS, question.options, strict=False):
            self[name].data = option
        self.correct.data = question.correct_option + 1
        self.explanation.data = question.explanation


class PassMarkForm(FlaskForm):
    pass_mark = IntegerField(
        "Pass mark (%)",
        validators=[
            InputRequired("Give the pass mark."),
            NumberRange(0, 100, "Give a percentage from 0 to 100."),
        ],
    )


class RemoveForm(FlaskForm):
    pass


class ApproveForm(FlaskForm):
    override_reason = TextAreaField(
        "Reason to approve without a passed quiz (only if needed)", validators=[Optional(), Length(max=500)]
    )


class DeclineForm(FlaskForm):
    reason = TextAreaField(
        "Reason (the applicant will read it)",
        validators=[DataRequired("Give the reason; the applicant will see it."), Length(max=500)],
    )


class InviteForm(FlaskForm):
    email = EmailField(
        "E-mail address of the member of staff",
        validators=[
            DataRequired("Enter their e-mail address."),
            Length(max=254),
            Email("Enter an e-mail address like name@example.com.", check_deliverability=False),
        ],
    )


class AcceptInviteForm(NewPassword, FlaskForm):
    display_name = StringField(
        "Your name",
        validators=[DataRequired("Enter your name."), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )


DELETE_PHRASE = "delete my data"


class DeleteAccountForm(FlaskForm):
    confirmation = StringField(
        _l("Type “%(phrase)s” to confirm", phrase=DELETE_PHRASE),
        validators=[DataRequired(_l("Type “%(phrase)s” to confirm.", phrase=DELETE_PHRASE))],
    )
    password = PasswordField(
        _l("Your password"),
        validators=[DataRequired(_l("Enter your password.")), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )

    def validate_confirmation(self, field):
        from wtforms.validators import ValidationError

        if (field.data or "").strip().lower() != DELETE_PHRASE:
            raise ValidationError(_l("Type “%(phrase)s” exactly.", phrase=DELETE_PHRASE))


def quiz_form_class(questions, orders: dict[int, list[int]]):
    """A form with one radio group per question, named ``q<id>``; its options in ``orders[id]`` (indexes
    into the question's options) and valued by their place on the page, which says nothing of which is
    right. ``answers`` gives back the chosen option's index."""

    class QuizForm(FlaskForm):
        def answers(self) -> dict[int, int]:
            return {q.id: orders[q.id][self[f"q{q.id}"].data] for q in questions}

    for question in questions:
        setattr(
            QuizForm,
            f"q{question.id}",
            RadioField(
                question.text,
                coerce=int,
                choices=[
                    SelectChoice(place, question.options[n]) for place, n in enumerate(orders[question.id])
                ],
                validators=[InputRequired("Choose an answer.")],
            ),
        )
    return QuizForm
