"""core.areas: the AppConfig of the record areas."""

from django.apps import apps

from taizhang.core.areas import AreaConfig

AREAS = ("study", "rectify", "research", "serve", "reports")


def test_each_area_runs_with_its_own_config_despite_importing_the_base():
    # apps.py imports AreaConfig beside the area's class; Django must still pick the area's.
    for label in AREAS:
        config = apps.get_app_config(label)
        assert isinstance(config, AreaConfig) and type(config) is not AreaConfig
        assert type(config).__module__ == f"taizhang.{label}.apps" and config.label == label
    assert AreaConfig.default is False


def test_an_area_offers_only_what_it_names():
    research, reports = apps.get_app_config("research"), apps.get_app_config("reports")
    assert research.home_panel == "" and "research" in research.part_links
    assert reports.part_links == {} and reports.report_examples == {}
    assert reports.home_panel == "taizhang.reports.views.home_panel"
