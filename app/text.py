"""Text that cannot be stored: the check every JSON body gets.

JSON's \\u escapes can carry half of a surrogate pair, and JavaScript strings can hold one (a text
cut at a length through an emoji, say), so a phone can send one. Python parses it into a str
that UTF-8 cannot encode: SQLite, PostgreSQL and the content hash would all fail on it. Such text
is refused as a field error instead, naming where it is.
"""

BROKEN_TEXT = (
    "Has a broken character (half of an emoji or other two-part character), which cannot be stored: "
    "type the text again."
)


NUL_TEXT = "Has a NUL character, which cannot be stored: type the text again."


class UnstorableText(ValueError):
    """Text that cannot be stored, with the field errors that say where (as ``broken_text`` gives them)."""

    def __init__(self, errors: dict | list):
        super().__init__("text that cannot be stored")
        self.errors = errors


def _broken(text: str) -> str | None:
    """Why ``text`` cannot be stored (PostgreSQL's text holds no NUL), or None."""
    if "\x00" in text:
        return NUL_TEXT
    try:
        text.encode()
        return None
    except UnicodeEncodeError:
        return BROKEN_TEXT


def broken_text(value):
    """Where parsed JSON ``value`` has text that cannot be stored: field errors nested as ``value`` is
    (list items by index), or None when it has none."""
    if isinstance(value, str):
        reason = _broken(value)
        return [reason] if reason else None
    if isinstance(value, dict):
        errors = {}
        for key, inner in value.items():
            if reason := _broken(key):  # named by its repr, which escapes the broken half
                errors[repr(key)] = [reason]
            elif found := broken_text(inner):
                errors[key] = found
        return errors or None
    if isinstance(value, list):
        errors = {index: found for index, inner in enumerate(value) if (found := broken_text(inner))}
        return errors or None
    return None
