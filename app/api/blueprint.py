"""The API's Blueprint: flask-smorest's, with an argument parser that takes JSON strictly and refuses text
that cannot be stored."""

import flask_smorest
import marshmallow as ma
from webargs import core
from webargs.flaskparser import FlaskParser

from app import json_provider
from app.api.problems import ApiProblem
from app.text import broken_text


class ApiParser(FlaskParser):
    """webargs' parser, with two checks before any schema sees a JSON body:

    - NaN and Infinity are not JSON, and nesting beyond ``json_provider.MAX_DEPTH`` is refused: 400
      ``malformed_json``, like any other body that is not JSON (``json_provider.loads``);
    - text that cannot be stored (``app.text``) is a 422 naming the fields, unless the schema sets
      ``CHECKS_TEXT_ITSELF`` and checks where it can name the item (``POST /sync``: one broken item must
      not hold up the rest of the batch).
    """

    def load_json(self, req, schema):
        if not core.is_json(req.mimetype):
            return core.missing
        try:
            data = json_provider.loads(req.get_data(cache=True))
        except ValueError:  # not JSON, not UTF-8, or nested too deeply
            raise ApiProblem(400, "malformed_json", "The request body is not valid JSON.") from None
        if not getattr(schema, "CHECKS_TEXT_ITSELF", False):
            errors = broken_text(data)
            if errors:
                raise ma.ValidationError(errors)
        return data


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = ApiParser()
