import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def test_figures_page_links_each_figure_to_its_records(cast, client_as):
    body = client_as(cast.admin_a).get("/indicators/").content.decode()
    assert "甲乡党委 · 指标" in body
    assert f"/indicators/org.branches/?org={cast.township_a.pk}" in body


def test_records_page_lists_what_makes_the_figure(cast, client_as):
    body = client_as(cast.admin_a).get(f"/indicators/org.branches/?org={cast.township_a.pk}").content.decode()
    assert "甲一村党支部" in body and "甲机关党支部" in body
    assert "乙一村党支部" not in body


def test_another_township_is_out_of_reach(cast, client_as):
    assert client_as(cast.admin_b).get(f"/indicators/?org={cast.township_a.pk}").status_code == 404
    assert client_as(cast.sec_a1).get(f"/indicators/?org={cast.township_a.pk}").status_code == 404


def test_the_county_reads_each_township(cast, client_as):
    assert client_as(cast.county_viewer).get(f"/indicators/?org={cast.township_b.pk}").status_code == 200


def test_unknown_indicator_is_404(cast, client_as):
    assert client_as(cast.admin_a).get("/indicators/nothing.here/").status_code == 404


def test_command_prints_json(cast):
    out = StringIO()
    call_command("indicators", "--org", "甲乡党委", "--campaign", "2023-second-batch", "--json", stdout=out)
    figures = json.loads(out.getvalue())
    assert figures["org.branches"] == 2 and figures["org.grassroots"] == 2


def test_command_prints_a_table_by_part(cast):
    out = StringIO()
    call_command("indicators", "--org", "甲乡党委", stdout=out)
    assert "【谋】" in out.getvalue() and "党支部：2个" in out.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--org", "丙乡党委"], "没有名为“丙乡党委”的组织"),
        (["--org", "甲乡党委", "--campaign", "nope"], "没有代码为“nope”"),
        (["--org", "甲乡党委", "--as-of", "2023/13/01"], "2023-12-20"),
    ],
)
def test_command_errors_are_chinese(cast, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("indicators", *args, stdout=StringIO())
