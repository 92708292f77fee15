"""Imports every model so that Alembic and ``db.create_all`` see the whole schema."""

from app.accounts.models import *  # noqa: F401,F403
from app.assignments.models import *  # noqa: F401,F403
from app.audit.models import *  # noqa: F401,F403
from app.plans.models import *  # noqa: F401,F403
from app.programmes.models import *  # noqa: F401,F403
from app.questionnaires.models import *  # noqa: F401,F403
from app.recruitment.models import *  # noqa: F401,F403
from app.releases.models import *  # noqa: F401,F403
from app.results.models import *  # noqa: F401,F403
from app.visits.models import *  # noqa: F401,F403
