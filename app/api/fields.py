"""Schema fields that take JSON literally."""
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
