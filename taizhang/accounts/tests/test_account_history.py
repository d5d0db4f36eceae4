from taizhang.accounts import services
from taizhang.core.roles import Role


def test_account_changes_are_in_history_but_logins_are_not(cast, client):
    user = services.user_create(
        actor=cast.admin_a,
        username="branch99",
        password="a-long-pass-99",
        role=Role.BRANCH_SECRETARY,
        organisation=cast.branch_a1,
        display_name="新书记",
    )
    services.user_update(actor=cast.admin_a, user=user, display_name="张新书记")
    response = client.post("/accounts/login/", {"username": "branch99", "password": "a-long-pass-99"})
    assert response.status_code == 302
    records = list(user.history.order_by("history_id"))
    assert [r.history_type for r in records] == ["+", "~"]
    assert {r.history_user for r in records} == {cast.admin_a}
    assert records[-1].display_name == "张新书记"
    assert not hasattr(records[-1], "password")
