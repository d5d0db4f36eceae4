"""A form's target opened by address (GET) answers with a Chinese page, not a blank one."""


def test_a_form_target_opened_by_address_says_what_to_do(cast, client_as):
    client = client_as(cast.admin_a)
    response = client.get("/ledgers/import/")
    assert response.status_code == 405
    assert "POST" in response["Allow"]
    assert "不能直接打开" in response.content.decode()


def test_htmx_and_other_answers_are_left_alone(cast, client_as):
    client = client_as(cast.admin_a)
    response = client.get("/ledgers/import/", headers={"HX-Request": "true"})
    assert response.status_code == 405 and response.content == b""
