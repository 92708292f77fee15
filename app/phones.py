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
INVALID = "Enter a telephone number, like 01632 960 001 or +44 1632 960 001."


class InvalidPhone(ValueError):
    """Not a telephone number that can be dialled; ``message`` says so in words for the form."""

    def __init__(self, message: str = INVALID):
        super().__init__(message)
        self.message = message


def to_e164(text: str, country: str | None = DEFAULT_COUNTRY) -> str:
    """``text`` as E.164, reading a national number in ``country``; ``InvalidPhone`` if it is none."""
    text = (text or "").strip()
    if not text:
        raise InvalidPhone("Enter a telephone number.")
    try:
        number = phonenumbers.parse(text, (country or DEFAULT_COUNTRY).upper())
    except phonenumbers.NumberParseException:
        raise InvalidPhone() from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone(
            "That is not a telephone number in use: check the digits"
            + (
                ""
                if text.startswith("+")
                else f", or start with + and the country code if it is not in {country_name(country)}"
            )
            + "."
        )
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
