"""PUT /api/v1/session/language: the signed-in user's language, chosen in the shopper app's Account screen."""

import marshmallow as ma
from flask.views import MethodView
from flask_login import current_user
from marshmallow import validate

from app.api.blueprint import Blueprint
from app.api.problems import ApiProblem
from app.extensions import db
from app.i18n.languages import LANGUAGES
from app.i18n.services import set_language

blp = Blueprint("i18n_api", __name__, description="The user's language")


class LanguageArgs(ma.Schema):
    language = ma.fields.String(required=True, validate=validate.OneOf(list(LANGUAGES)))


@blp.route("/session/language")
class Language(MethodView):
    @blp.arguments(LanguageArgs)
    @blp.response(200, LanguageArgs)
    def put(self, args):
        """Keep the language for this user, on every phone and page (``en`` or ``cy``)."""
        if not current_user.is_authenticated:
            raise ApiProblem(401, "not_signed_in", "Sign in to continue.")
        set_language(current_user._get_current_object(), args["language"])
        db.session.commit()
        return args
