from django.urls import resolve

from taizhang.core.routes import Routes


def view_a(request, token=None): ...


def view_b(request): ...


def test_fixed_words_win_over_a_converter_declared_before_them():
    route = Routes()
    route("signin/<str:token>/")(view_a)
    route("signin/today/", name="today")(view_b)
    assert [p.pattern._route for p in route.urls] == ["signin/today/", "signin/<str:token>/"]
    assert [p.name for p in route.urls] == ["today", "view_a"]


def test_keyword_arguments_reach_the_view():
    route = Routes()
    route("x/", area="study")(view_b)
    assert route.urls[0].default_args == {"area": "study"}


def test_an_areas_routes_resolve_by_their_names():
    assert resolve("/indicators/dashboard/").url_name == "dashboard"
    assert resolve("/indicators/zt-xx/").url_name == "records"
