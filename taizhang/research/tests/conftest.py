"""Records of township A that the research tests start from, entered through the services by admin_a."""

from __future__ import annotations

import datetime

import pytest

from taizhang.research import services

DAY = datetime.date(2023, 10, 10)


@pytest.fixture
def topic(cast):
    return services.research_topic_create(
        actor=cast.admin_a, organisation=cast.township_a, title="乡村振兴调研", leader=cast.wang
    )


@pytest.fixture
def visit(cast, topic):
    return services.research_visit_create(
        actor=cast.admin_a,
        date=DAY,
        topic=topic,
        leader=cast.wang,
        place="甲一村",
        place_kind="村",
        findings="村道水毁\n  \n路灯损坏 ",
        participants=[cast.zhang, cast.li],
    )


@pytest.fixture
def enterprise(cast):
    return services.enterprise_create(
        actor=cast.admin_a, organisation=cast.township_a, name="甲乡禽蛋公司", liaison=cast.wang
    )


def item(cast, **data):
    data.setdefault("content", "修路")
    data.setdefault("organisation", cast.township_a)
    return services.action_item_create(actor=data.pop("actor", cast.admin_a), **data)
