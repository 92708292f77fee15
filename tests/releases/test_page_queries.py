"""The coordinator's wave release page makes as many SQL statements for 200 partners as for 10: each partner's
current release and approved reports are read in one query for all of them, not one per partner."""

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.programmes.models import Organisation, Tier
from app.releases.models import Release
from app.visits.models import SubmissionState
from tests.conftest import sign_in
from tests.factories import make_shopper
from tests.listing_kit import add_reports, counted_statements
from tests.results.helpers import coordinator_of


def _partners(world, first, n):
    """``n`` more partner organisations, each with a release of the wave."""
    for i in range(first, first + n):
        organisation = Organisation(
            partnership=world.partnership, name=f"Partner {i:03}", short_name=f"P{i}", tier=Tier.district
        )
        db.session.add(organisation)
        db.session.add(
            Release(
                programme_id=world.programme.id,
                wave_id=world.wave.id,
                organisation=organisation,
                reports=0,
                figures={},
            )
        )
    db.session.commit()


@pytest.mark.parametrize("page", ["wave", "withdraw"])
def test_the_wave_release_page_makes_as_many_queries_for_200_partners_as_for_10(client, world, page):
    add_reports(
        world, [make_shopper(world)], 12, states=(SubmissionState.approved, SubmissionState.submitted)
    )
    sign_in(client, coordinator_of(world))
    counts, first = [], 0
    for n in (10, 190):
        _partners(world, first, n)
        first += n
        made = db.session.scalars(sa.select(Release).order_by(Release.id)).first()
        releases = f"/programmes/{world.programme.id}/releases"
        path = f"{releases}/waves/{world.wave.id}" if page == "wave" else f"{releases}/{made.id}/withdraw"
        client.get(path)
        with counted_statements() as statements:
            response = client.get(path)
        assert response.status_code == 200
        counts.append(statements[0])
    assert "Partner 199" in response.get_data(as_text=True)
    assert counts[0] == counts[1], counts
