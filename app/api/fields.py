"""Schema fields that take JSON literally, and marshmallow's messages as lines a person reads."""

import marshmallow as ma


class StrictBoolean(ma.fields.Boolean):
    """true or false only: not 1, "yes" or "true" (1 == True in a Python set, so truthy= is not enough)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


def not_blank(value: str) -> None:
    if not value.strip():
        raise ma.ValidationError("Must not be blank.")


def message_lines(messages, root: str, path: str = "") -> list[str]:
    """Marshmallow's nested messages as lines (``answers.greeted: Not a valid boolean.``). A message about
    the whole (under ``_schema``, or at the top) is named ``root``."""
    if isinstance(messages, dict):
        lines = []
        for name, inner in messages.items():
            part = "" if name == "_schema" else str(name)
            lines += message_lines(inner, root, f"{path}.{part}".strip(".") if part else path)
        return lines
    if isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        return [f"{path or root}: {m}" for m in messages]
    return [f"{path or root}: {messages}"]
