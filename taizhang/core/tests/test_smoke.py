def test_home_for_township_admin(cast, client_as):
    response = client_as(cast.admin_a).get("/")
    assert response.status_code == 200
    assert "组织与党员" in response.content.decode()
