"""What every template can use."""

from app import labels, phones
from app.accounts.models import Role
from app.accounts.statement import statement_html


def register_template_helpers(app):
    app.jinja_env.globals["Role"] = Role
    app.jinja_env.globals["statement_blocks"] = statement_html
    app.jinja_env.filters["dict_without_none"] = lambda d: {k: v for k, v in d.items() if v is not None}
    labels.register(app)
    # A stored E.164 number as people write it: ``{{ number|phone(programme.country) }}``.
    app.jinja_env.filters["phone"] = phones.display
    app.jinja_env.filters["locator"] = phones.locator_text
