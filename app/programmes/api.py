"""/api/v1/organisations."""

from flask.views import MethodView

from app.accounts.models import Role
from app.accounts.permissions import roles_required
from app.api.blueprint import Blueprint
from app.programmes.access import get_organisation
from app.programmes.schemas import OrganisationSchema

blp = Blueprint("programmes_api", __name__, description="Partner organisations")


@blp.route("/organisations/<id:organisation_id>")
class OrganisationDetail(MethodView):
    @roles_required(Role.coordinator, Role.admin, Role.partner_manager)
    @blp.response(200, OrganisationSchema)
    def get(self, organisation_id):
        """An organisation and its contact points (a partner manager: their own only)."""
        return get_organisation(organisation_id)
