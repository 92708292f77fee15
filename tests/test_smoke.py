from tests.conftest import sign_in
from tests.factories import make_assignment, make_shopper


def test_shopper_sees_brief(client, world):
    shopper = make_shopper(world)
    assignment = make_assignment(world, shopper)
    sign_in(client, shopper)
    response = client.get("/api/v1/assignments")
    assert response.status_code == 200
    assert [item["id"] for item in response.get_json()["items"]] == [assignment.id]
