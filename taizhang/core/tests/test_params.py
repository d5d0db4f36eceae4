"""One reading of ?campaign=, ?org= and ?as_of= for every page: an unknown value is refused in Chinese,
never silently replaced by a default."""

import pytest

PAGES = ["/indicators/", "/reports/", "/study/coverage/", "/ledgers/"]


@pytest.mark.parametrize("page", PAGES)
def test_an_unknown_campaign_is_refused_with_its_code(cast, client_as, page):
    response = client_as(cast.admin_a).get(page, {"campaign": "no-such-campaign"})
    assert response.status_code == 400
    assert "没有代码为“no-such-campaign”的主题教育" in response.content.decode()


@pytest.mark.parametrize("page", ["/indicators/", "/reports/"])
@pytest.mark.parametrize("value", ["2023-13-01", "yesterday", "2023/12/20"])
def test_a_malformed_as_of_date_is_refused_with_the_value(cast, client_as, page, value):
    response = client_as(cast.admin_a).get(page, {"as_of": value})
    assert response.status_code == 400
    body = response.content.decode()
    assert f"截至日期“{value}”不是有效的日期" in body
    assert "Traceback" not in body and "ValueError" not in body


@pytest.mark.parametrize("page", PAGES)
def test_a_malformed_organisation_is_refused(cast, client_as, page):
    response = client_as(cast.admin_a).get(page, {"org": "abc"})
    assert response.status_code == 400
    assert "组织编号“abc”无效" in response.content.decode()


@pytest.mark.parametrize("page", PAGES)
def test_an_organisation_out_of_scope_is_not_found(cast, client_as, page):
    assert client_as(cast.admin_b).get(page, {"org": cast.township_a.pk}).status_code == 404


def test_a_good_as_of_date_is_taken(cast, client_as):
    body = client_as(cast.admin_a).get("/indicators/", {"as_of": "2023-12-20"}).content.decode()
    assert "2023" in body
