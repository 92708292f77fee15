"""What every template can use."""

from app.accounts.models import Role
from app.accounts.statement import statement_html


def register_template_helpers(app):
    app.jinja_env.globals["Role"] = Role
    app.jinja_env.globals["statement_blocks"] = statement_html
    app.jinja_env.filters["dict_without_none"] = lambda d: {k: v for k, v in d.items() if v is not None}
