"""`flask demo`'s releases (issue 18): the first wave released to every partner, so that
manager@demo.test sees results, a benchmark and a log; the open second wave is not released."""

import sqlalchemy as sa

from app.accounts.models import User
from app.extensions import db
from app.programmes.models import Organisation, Wave
from app.releases import services as releases
from tests.conftest import sign_in


def test_the_demo_manager_sees_the_first_wave(app, runner, client):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    first, second = db.session.scalars(sa.select(Wave).order_by(Wave.number)).all()
    for organisation in db.session.scalars(sa.select(Organisation)):
        assert releases.is_released(first.id, organisation.id)
        assert not releases.is_released(second.id, organisation.id)
    manager = db.session.scalar(sa.select(User).where(User.email == "manager@demo.test"))
    sign_in(client, manager)
    assert client.get("/").headers["Location"].endswith("/results")
    assert first.name in client.get("/results").get_data(as_text=True)
    for page in ("", "/benchmark", "/log", "/method"):
        response = client.get(f"/results/waves/{first.id}{page}")
        assert response.status_code == 200, page
    overview = client.get(f"/results/waves/{first.id}").get_data(as_text=True)
    assert "Kingsmere" in overview and "95% interval" in overview
    assert client.get(f"/results/waves/{second.id}").status_code == 404
