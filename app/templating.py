"""What every template can use."""

from app import labels
from app.accounts.models import Role


def register_template_helpers(app):
    app.jinja_env.globals["Role"] = Role
    app.jinja_env.filters["dict_without_none"] = lambda d: {k: v for k, v in d.items() if v is not None}
    labels.register(app)
