"""The partner's results list and a wave's overview make as many SQL statements for 200 released waves as for
10: each release comes with its wave, not a query per release."""

from datetime import timedelta

import pytest

from app.extensions import db
from app.programmes.models import Wave, WaveStatus
from app.releases import services as releases
from app.releases.models import Release
from tests.conftest import sign_in
from tests.listing_kit import counted_statements
from tests.releases.helpers import partner_manager, released


def _earlier_waves(world, first, n):
    """``n`` earlier waves, numbered before the world's, each released to the district as the world's wave
    was (the same figures, as that wave's)."""
    figures = releases.current_release(world.wave.id, world.district.id).figures
    for number in range(first, first + n):
        wave = Wave(
            programme=world.programme,
            number=-number,
            name=f"Earlier wave {number}",
            starts_on=world.wave.starts_on - timedelta(days=30 * number),
            ends_on=world.wave.starts_on - timedelta(days=30 * number - 20),
            status=WaveStatus.published,
        )
        db.session.add(wave)
        db.session.add(
            Release(
                programme_id=world.programme.id,
                wave=wave,
                organisation_id=world.district.id,
                reports=0,
                figures={**figures, "wave": {"id": None, "number": -number, "name": wave.name}},
            )
        )
    db.session.commit()


@pytest.mark.parametrize("page", ["list", "overview"])
def test_a_partner_page_makes_as_many_queries_for_200_released_waves_as_for_10(client, world, page):
    released(world)
    sign_in(client, partner_manager(world))
    path = "/results" if page == "list" else f"/results/waves/{world.wave.id}"
    counts, first = [], 1
    for n in (10, 190):
        _earlier_waves(world, first, n)
        first += n
        client.get(path)
        with counted_statements() as statements:
            response = client.get(path)
        assert response.status_code == 200
        counts.append(statements[0])
    if page == "list":
        assert "Earlier wave 200" in response.get_data(as_text=True)
    assert counts[0] == counts[1], counts
