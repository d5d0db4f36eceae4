from django.apps import apps


def test_home_shows_each_area_panel(cast, client_as, monkeypatch):
    config = apps.get_app_config("orgs")
    monkeypatch.setattr(config, "home_panel", "taizhang.core.tests.test_home.panel", raising=False)
    body = client_as(cast.sec_a1).get("/").content.decode()
    assert '<section class="card" id="test-panel">sec_a1</section>' in body
    assert "工作台：全部指标" in body


def panel(request):
    from django.utils.html import format_html

    return format_html('<section class="card" id="test-panel">{}</section>', request.user.username)
