"""Talks (whose content only township admins and the talker read), health checks, and the remedy of a weak
organisation from its plan to the acceptance that re-grades it."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from taizhang.rectify import selectors, services
from taizhang.rectify.choices import Grade, RemedyStatus, TalkType
from taizhang.rectify.models import HealthCheck, Remedy, Talk, TalkPerson

ON = datetime.date(2023, 10, 20)


def make_talk(actor, cast, *, persons=None, **extra):
    data = {
        "organisation": cast.township_a,
        "on": ON,
        "kind": TalkType.HEART_TO_HEART,
        "talker": cast.wang,
        "content": "谈工作作风，指出会议迟到问题",
        **extra,
    }
    return services.talk_create(
        actor=actor, persons=[cast.zhang, cast.li] if persons is None else persons, **data
    )


# Talks -------------------------------------------------------------------------------------------------


def test_a_talk_counts_each_person_talked_to(cast, campaign):
    talk = make_talk(cast.admin_a, cast)
    make_talk(cast.admin_a, cast, persons=[cast.zhang], kind=TalkType.REMINDER)
    assert set(talk.persons.all()) == {cast.zhang, cast.li}
    assert selectors.talk_person_times(cast.admin_a) == 3
    assert selectors.talk_person_times(cast.admin_a, kind=TalkType.REMINDER) == 1
    assert talk.history.first().history_user == cast.admin_a


def test_a_talk_with_nobody_talked_to_is_refused_and_nothing_saved(cast, campaign):
    with pytest.raises(ValidationError) as excinfo:
        make_talk(cast.admin_a, cast, persons=[])
    assert excinfo.value.message_dict["persons"] == ["请填写谈话对象，至少一人。"]
    assert not Talk.all_objects.exists() and not TalkPerson.objects.exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"persons": ["zhao"]}, "persons", "谈话对象“赵六”不是本乡党员。"),
        ({"persons": ["wang", "zhang"]}, "persons", "谈话人不能同时是谈话对象。"),
        ({"talker": "zhao"}, "talker", "谈话人“赵六”不是本乡党员。"),
        ({"organisation": "branch_a1"}, "organisation", "谈心谈话记在乡党委名下，请选择乡党委。"),
        ({"kind": ""}, "kind", "请选择谈话类型。"),
    ],
)
def test_bad_talks_are_refused_under_their_field(cast, campaign, change, field, message):
    extra = {}
    persons = None
    for key, value in change.items():
        if key == "persons":
            persons = [getattr(cast, name) for name in value]
        elif key == "kind":
            extra[key] = value
        else:
            extra[key] = getattr(cast, value)
    with pytest.raises(ValidationError) as excinfo:
        make_talk(cast.root, cast, persons=persons, **extra)
    assert message in excinfo.value.message_dict[field]
    assert not Talk.all_objects.exists()


@pytest.mark.parametrize("role", ["sec_a1", "county_viewer", "admin_b", "nobody"])
def test_only_township_admins_record_talks(cast, campaign, role):
    with pytest.raises(PermissionDenied):
        make_talk(getattr(cast, role), cast)
    assert not Talk.all_objects.exists()


def test_editing_a_talk_can_change_who_was_talked_to_but_not_empty_it(cast, campaign):
    talk = make_talk(cast.admin_a, cast)
    services.talk_update(actor=cast.admin_a, talk=talk, persons=[cast.li], kind=TalkType.CRITICISM)
    assert list(talk.persons.all()) == [cast.li]
    with pytest.raises(ValidationError):
        services.talk_update(actor=cast.admin_a, talk=talk, persons=[])
    assert list(Talk.objects.get(pk=talk.pk).persons.all()) == [cast.li]


def test_deleted_talks_do_not_count(cast, campaign):
    talk = make_talk(cast.admin_a, cast)
    services.talk_delete(actor=cast.admin_a, talk=talk)
    assert selectors.talk_person_times(cast.admin_a) == 0
    assert selectors.figures(cast.township_a).talks == 0
    services.talk_restore(actor=cast.admin_a, talk=Talk.all_objects.get(pk=talk.pk))
    assert selectors.figures(cast.township_a).talks == 2


@pytest.mark.parametrize(
    ("role", "sees", "reads"),
    [
        ("root", True, True),
        ("admin_a", True, True),
        ("county_viewer", True, False),
        ("sec_a1", False, False),
        ("sec_a2", False, False),
        ("admin_b", False, False),
        ("nobody", False, False),
    ],
)
def test_who_sees_a_talk_and_who_reads_its_content(cast, campaign, role, sees, reads):
    talk = make_talk(cast.admin_a, cast)
    user = getattr(cast, role)
    assert Talk.objects.visible_to(user).filter(pk=talk.pk).exists() is sees
    assert selectors.can_read_talk(user, talk) is reads


def test_the_talker_reads_his_own_talk(cast, campaign):
    talk = make_talk(cast.admin_a, cast)
    cast.county_viewer.member = cast.wang  # the talker, reading with a county account
    assert selectors.can_read_talk(cast.county_viewer, talk)
    cast.county_viewer.member = cast.zhang  # a person talked to is not the talker
    assert not selectors.can_read_talk(cast.county_viewer, talk)


# Health checks and remedies ----------------------------------------------------------------------------


def make_check(actor, org, grade=Grade.GOOD, on=datetime.date(2023, 11, 1), checkers=()):
    return services.check_create(
        actor=actor,
        organisation=org,
        checked_on=on,
        grade=grade,
        findings="三会一课记录不全",
        checkers=checkers,
    )


def make_remedy(actor, check, leader):
    return services.remedy_create(
        actor=actor,
        health_check=check,
        plan="一村一策：配强班子，规范三会一课",
        leader=leader,
        first_secretary="陈建华（县农业农村局）",
        started_on=datetime.date(2023, 11, 10),
        deadline=datetime.date(2024, 3, 31),
    )


def test_a_health_check_is_of_an_organisation_below_the_committee(cast, campaign):
    check = make_check(cast.admin_a, cast.branch_a1, checkers=[cast.wang])
    assert list(check.checkers.all()) == [cast.wang]
    with pytest.raises(ValidationError) as excinfo:
        make_check(cast.admin_a, cast.township_a)
    assert "党建工作体检的对象是乡党委以下的党组织" in excinfo.value.message_dict["organisation"][0]
    with pytest.raises(ValidationError) as excinfo:
        make_check(cast.admin_a, cast.branch_a2, checkers=[cast.zhao])
    assert excinfo.value.message_dict["checkers"] == ["检查人“赵六”不是本乡党员。"]
    assert HealthCheck.objects.count() == 1


@pytest.mark.parametrize("role", ["sec_a1", "county_viewer", "admin_b"])
def test_only_township_admins_check_organisations(cast, campaign, role):
    with pytest.raises(PermissionDenied):
        make_check(getattr(cast, role), cast.branch_a1)


def test_coverage_shows_which_grassroots_organisations_were_checked(cast, campaign, assert_queries):
    make_check(cast.admin_a, cast.branch_a1, Grade.AVERAGE, on=datetime.date(2023, 10, 1))
    make_check(cast.admin_a, cast.branch_a1, Grade.GOOD, on=datetime.date(2023, 11, 1))
    make_check(cast.admin_a, cast.branch_a2)  # inside the general branch: not itself grassroots
    with assert_queries(3):
        rows = selectors.health_coverage(cast.admin_a, campaign=campaign)
    by_name = {row.org.name: row for row in rows}
    assert set(by_name) == {"甲一村党支部", "甲乡机关党总支"}
    assert by_name["甲一村党支部"].latest.grade == Grade.GOOD
    assert by_name["甲乡机关党总支"].latest is None
    assert {row.org.name for row in selectors.health_coverage(cast.county_viewer)} == {
        "甲一村党支部",
        "甲乡机关党总支",
        "乙一村党支部",
    }


def test_a_remedy_needs_a_weak_grade(cast, leaders):
    check = make_check(cast.admin_a, cast.branch_a1, Grade.AVERAGE)
    with pytest.raises(ValidationError) as excinfo:
        make_remedy(cast.admin_a, check, cast.wang)
    assert "该次体检等次为“一般”" in excinfo.value.message_dict["health_check"][0]
    assert not Remedy.all_objects.exists()


def test_a_weak_organisation_is_remedied_and_acceptance_regrades_it(cast, leaders):
    weak = make_check(cast.admin_a, cast.branch_a1, Grade.WEAK)
    remedy = make_remedy(cast.admin_a, weak, cast.wang)
    assert remedy.status == RemedyStatus.ACTIVE
    with pytest.raises(ValidationError, match="已有正在进行的整顿"):
        make_remedy(cast.admin_a, weak, cast.wang)
    # The branch's own secretary records progress; acceptance is the township's.
    services.remedy_progress_add(
        actor=cast.sec_a1, remedy=remedy, on=datetime.date(2023, 12, 1), text="支委会换届"
    )
    with pytest.raises(PermissionDenied):
        services.remedy_accept(
            actor=cast.sec_a1,
            remedy=remedy,
            accepted_on=datetime.date(2024, 1, 10),
            grade=Grade.GOOD,
            acceptance_note="好",
        )
    with pytest.raises(ValidationError) as excinfo:
        services.remedy_accept(
            actor=cast.admin_a,
            remedy=remedy,
            accepted_on=datetime.date(2024, 1, 10),
            grade=Grade.WEAK,
            acceptance_note="仍不达标",
        )
    assert "不能仍为“软弱涣散”" in excinfo.value.message_dict["grade"][0]
    assert HealthCheck.objects.count() == 1
    services.remedy_accept(
        actor=cast.admin_a,
        remedy=remedy,
        accepted_on=datetime.date(2024, 1, 10),
        grade=Grade.FAIRLY_GOOD,
        acceptance_note="班子配齐，组织生活规范",
        checkers=[cast.wang],
    )
    remedy.refresh_from_db()
    assert remedy.status == RemedyStatus.ACCEPTED
    assert remedy.acceptance_check.grade == Grade.FAIRLY_GOOD
    assert remedy.acceptance_check.findings == "软弱涣散整顿验收：班子配齐，组织生活规范"
    row = next(r for r in selectors.health_coverage(cast.admin_a) if r.org == cast.branch_a1)
    assert row.latest.grade == Grade.FAIRLY_GOOD
    assert selectors.figures(cast.township_a).health_checked == 1  # one organisation, checked twice
    with pytest.raises(ValidationError, match="该整顿已验收"):
        services.remedy_progress_add(
            actor=cast.admin_a, remedy=remedy, on=datetime.date(2024, 1, 12), text="又一条"
        )
    with pytest.raises(ValidationError, match="不能删除"):
        services.check_delete(actor=cast.admin_a, check=weak)


def test_acceptance_needs_a_note_and_a_grade(cast, leaders):
    remedy = make_remedy(cast.admin_a, make_check(cast.admin_a, cast.branch_a1, Grade.WEAK), cast.wang)
    with pytest.raises(ValidationError) as excinfo:
        services.remedy_accept(
            actor=cast.admin_a,
            remedy=remedy,
            accepted_on=datetime.date(2024, 1, 10),
            grade="",
            acceptance_note="",
        )
    assert set(excinfo.value.message_dict) == {"grade", "acceptance_note"}
    assert Remedy.objects.get(pk=remedy.pk).status == RemedyStatus.ACTIVE


def test_a_remedy_s_time_limit_cannot_precede_its_start(cast, leaders):
    weak = make_check(cast.admin_a, cast.branch_a1, Grade.WEAK)
    with pytest.raises(ValidationError) as excinfo:
        services.remedy_create(
            actor=cast.admin_a,
            health_check=weak,
            plan="方案",
            leader=cast.wang,
            started_on=datetime.date(2023, 11, 10),
            deadline=datetime.date(2023, 11, 1),
        )
    assert excinfo.value.message_dict["deadline"] == ["整顿时限不能早于开始日期（2023年11月10日）。"]
