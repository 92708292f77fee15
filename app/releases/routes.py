"""The coordinator's release pages: a wave's releases per organisation, the preview, release, withdrawal."""

from flask import Blueprint

bp = Blueprint("releases", __name__, url_prefix="/programmes/<id:programme_id>/releases")
