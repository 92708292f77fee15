"""Telephone numbers as a person types them, checked and stored in E.164 (``+441632960001``).

A number without a leading ``+`` is read in the programme's country (``Programme.country``), so a
coordinator in Leeds types ``0113 496 0000`` and a volunteer in Dublin ``01 555 0100``. Parsing and
validity are the ``phonenumbers`` library's (Google's libphonenumber data); country names are CLDR's
through Babel.
"""

import functools

import phonenumbers
from babel import Locale

DEFAULT_COUNTRY = "GB"


class InvalidPhone(ValueError):
    """Not a telephone number that can be dialled; ``message`` says so in words for the form."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _example(country: str) -> str:
    number = phonenumbers.example_number(country)
    if number is None:
        return "like +44 113 496 0000"
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    international = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return f"like {national} or {international}"


def to_e164(text: str, country: str | None = DEFAULT_COUNTRY) -> str:
    """``text`` as E.164, reading a national number in ``country``; ``InvalidPhone`` if it is none."""
    country = (country or DEFAULT_COUNTRY).upper()
    text = (text or "").strip()
    if not text:
        raise InvalidPhone(f"Enter a telephone number, {_example(country)}.")
    try:
        number = phonenumbers.parse(text, country)
    except phonenumbers.NumberParseException:
        raise InvalidPhone(f"Enter a telephone number in digits, {_example(country)}.") from None
    if not phonenumbers.is_valid_number(number):
        elsewhere = (
            "" if text.startswith("+") else "; a number from another country starts with + and its code"
        )
        raise InvalidPhone(f"This is not a telephone number in use: check the digits{elsewhere}.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display(e164: str, country: str | None = DEFAULT_COUNTRY) -> str:
    """A stored number as people write it: nationally within ``country``, internationally otherwise.

    Text that is not E.164 (stored before numbers were checked) is shown as it is.
    """
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    home = phonenumbers.region_code_for_number(number) == (country or DEFAULT_COUNTRY).upper()
    style = phonenumbers.PhoneNumberFormat.NATIONAL if home else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(number, style)


def locator_text(point, country: str | None = DEFAULT_COUNTRY) -> str:
    """A contact point's address, number, e-mail address or URL as a person reads it (a number as ``display``)."""
    return display(point.locator, country) if point.channel.value == "telephone" else point.locator


@functools.cache
def _territories() -> dict[str, str]:
    return Locale("en", "GB").territories


def country_name(code: str | None) -> str:
    code = (code or DEFAULT_COUNTRY).upper()
    return _territories().get(code, code)


@functools.cache
def country_choices() -> list[tuple[str, str]]:
    """(code, name) of every country whose numbers can be checked, by name."""
    regions = phonenumbers.SUPPORTED_REGIONS
    return sorted(((code, country_name(code)) for code in regions), key=lambda pair: pair[1])


class PhoneNumber:
    """WTForms validator: the field's text read as a telephone number (in the form's ``phone_country``,
    which the view sets to the programme's), replaced by its E.164 form; a field error otherwise. An
    empty field is left to ``Optional`` or ``DataRequired``."""

    def __call__(self, form, field):
        from wtforms.validators import ValidationError

        if not (field.data or "").strip():
            return
        try:
            field.data = to_e164(field.data, getattr(form, "phone_country", None))
        except InvalidPhone as error:
            raise ValidationError(error.message) from None
