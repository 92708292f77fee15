"""The exports' query string (``ExportArgs``)."""

import marshmallow as ma
from marshmallow import validate

from app.routing import MAX_ID

_id = dict(validate=validate.Range(min=1, max=MAX_ID))


class ExportArgs(ma.Schema):
    wave = ma.fields.Integer(metadata={"description": "a wave's id: only its reports"}, **_id)
    organisation = ma.fields.Integer(
        metadata={"description": "an organisation's id: only the reports on its contact points"}, **_id
    )
