"""Writes of rectification: problems and measures to closing and back, special items, and each kind of bad
input refused with a Chinese message naming the field, leaving nothing behind."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from taizhang.core.deadlines import today
from taizhang.core.models import Attachment, attachments_of
from taizhang.rectify import services
from taizhang.rectify.choices import EntryKind, MeasureStatus, OwnerKind, ProblemState
from taizhang.rectify.models import Measure, Problem, ProgressEntry

from .conftest import FOUND, close, make_measure, make_problem, pdf, png


def messages_of(excinfo, field):
    return excinfo.value.message_dict[field]


# Problems ----------------------------------------------------------------------------------------------


def test_problems_are_numbered_within_their_township(cast, campaign):
    first = make_problem(cast.sec_a1, cast.branch_a1)
    second = make_problem(cast.admin_a, cast.township_a, kind=OwnerKind.LEADERSHIP)
    other = make_problem(cast.sec_b1, cast.branch_b1)
    assert (first.number, second.number, other.number) == (1, 2, 1)
    assert first.township == second.township == cast.township_a
    assert other.township == cast.township_b
    assert first.campaign == campaign
    assert first.history.get().history_user == cast.sec_a1


def test_a_problem_keeps_its_number_when_it_is_left_blank(cast, campaign):
    problem = make_problem(cast.sec_a1, cast.branch_a1, number=7)
    services.problem_update(actor=cast.sec_a1, problem=problem, number=None, content="改了内容")
    assert Problem.objects.get(pk=problem.pk).number == 7


def test_a_number_used_in_the_township_is_refused_under_its_field(cast, campaign):
    make_problem(cast.sec_a1, cast.branch_a1, number=5)
    with pytest.raises(ValidationError) as excinfo:
        make_problem(cast.sec_a2, cast.branch_a2, number=5)
    assert "序号5已被问题" in messages_of(excinfo, "number")[0]
    make_problem(cast.sec_b1, cast.branch_b1, number=5)  # another township's 5 is another problem
    assert Problem.objects.filter(number=5).count() == 2


@pytest.mark.parametrize(
    ("kind", "org", "member", "field", "message"),
    [
        (OwnerKind.LEADERSHIP, "branch_a1", None, "owner_org", "责任组织应为乡党委"),
        (OwnerKind.ORGANISATION, "township_a", None, "owner_org", "责任组织应为党总支或党支部"),
        (OwnerKind.LEADER, "township_a", None, "owner_member", "请指明是哪一位班子成员"),
        (OwnerKind.LEADER, "township_a", "zhao", "owner_member", "不是本乡党员"),
        (OwnerKind.ORGANISATION, "branch_a1", "zhang", "owner_member", "只有责任主体为班子成员时"),
    ],
)
def test_owner_must_fit_its_kind(cast, campaign, kind, org, member, field, message):
    with pytest.raises(ValidationError) as excinfo:
        make_problem(
            cast.admin_a, getattr(cast, org), kind=kind, member=getattr(cast, member) if member else None
        )
    assert message in messages_of(excinfo, field)[0]
    assert not Problem.all_objects.exists()


def test_a_date_found_in_the_future_is_refused(cast, campaign):
    with pytest.raises(ValidationError) as excinfo:
        make_problem(cast.sec_a1, cast.branch_a1, found_on=today() + datetime.timedelta(days=1))
    assert messages_of(excinfo, "found_on") == ["发现日期不能晚于今天。"]


def test_a_secretary_cannot_write_another_branch_s_problem(cast, campaign):
    with pytest.raises(PermissionDenied):
        make_problem(cast.sec_a1, cast.branch_a2)
    with pytest.raises(PermissionDenied):
        make_problem(cast.sec_a1, cast.township_a, kind=OwnerKind.LEADERSHIP)
    theirs = make_problem(cast.sec_a2, cast.branch_a2)
    with pytest.raises(PermissionDenied):
        services.problem_update(actor=cast.sec_a1, problem=theirs, content="改掉别人的问题")
    with pytest.raises(PermissionDenied):
        make_measure(cast.sec_a1, theirs)
    assert Problem.objects.get(pk=theirs.pk).content == "理论学习不够系统深入"
    assert not Measure.objects.exists()


def test_a_secretary_cannot_move_his_problem_out_of_his_branch(cast, campaign):
    mine = make_problem(cast.sec_a1, cast.branch_a1)
    with pytest.raises(PermissionDenied):
        services.problem_update(actor=cast.sec_a1, problem=mine, owner_org=cast.branch_a2)
    assert Problem.objects.get(pk=mine.pk).owner_org == cast.branch_a1


def test_a_county_viewer_writes_nothing(cast, campaign):
    with pytest.raises(PermissionDenied):
        make_problem(cast.county_viewer, cast.branch_a1)


def test_moving_the_date_found_past_a_measure_s_deadline_is_refused(cast, campaign):
    problem = make_problem(cast.sec_a1, cast.branch_a1)
    make_measure(cast.sec_a1, problem, deadline=datetime.date(2023, 10, 1))
    with pytest.raises(ValidationError) as excinfo:
        services.problem_update(actor=cast.sec_a1, problem=problem, found_on=datetime.date(2023, 10, 2))
    assert "2023年10月1日" in messages_of(excinfo, "found_on")[0]


def test_deleting_a_problem_takes_its_measures_and_restoring_brings_them_back(cast, campaign):
    problem = make_problem(cast.sec_a1, cast.branch_a1)
    kept = make_measure(cast.sec_a1, problem)
    earlier = make_measure(cast.sec_a1, problem, content="早已删除的措施")
    services.measure_delete(actor=cast.sec_a1, measure=earlier)
    services.problem_delete(actor=cast.sec_a1, problem=problem)
    assert not Problem.objects.exists() and not Measure.objects.exists()
    with pytest.raises(ValidationError, match="请先恢复问题"):
        services.measure_restore(actor=cast.admin_a, measure=Measure.all_objects.get(pk=kept.pk))
    with pytest.raises(PermissionDenied):
        services.problem_restore(actor=cast.sec_a1, problem=Problem.all_objects.get(pk=problem.pk))
    services.problem_restore(actor=cast.admin_a, problem=Problem.all_objects.get(pk=problem.pk))
    assert list(Measure.objects.all()) == [kept]  # the one deleted before stays deleted


# Measures ----------------------------------------------------------------------------------------------


def test_a_deadline_before_the_date_found_is_refused(cast, campaign):
    problem = make_problem(cast.sec_a1, cast.branch_a1)
    with pytest.raises(ValidationError) as excinfo:
        make_measure(cast.sec_a1, problem, deadline=FOUND - datetime.timedelta(days=1))
    assert messages_of(excinfo, "deadline") == ["整改时限不能早于问题的发现日期（2023年9月15日）。"]
    assert not Measure.all_objects.exists()


def test_the_owner_sets_a_measure_done_with_or_without_a_note_and_without_evidence(cast, campaign):
    """已完成/长期坚持 is the owner's to set (the figures count it); it waits for the admin's sign-off."""
    problem = make_problem(cast.sec_a1, cast.branch_a1)
    with pytest.raises(ValidationError) as excinfo:
        make_measure(cast.sec_a1, problem, status=MeasureStatus.DONE)
    assert messages_of(excinfo, "completed_on") == ["已完成、长期坚持的措施须填写完成时间。"]
    done = make_measure(
        cast.sec_a1, problem, status=MeasureStatus.DONE, completed_on=datetime.date(2023, 12, 1)
    )
    assert (done.status, done.completion_note, done.is_signed_off) == (MeasureStatus.DONE, "", False)
    assert done.status_label == "已完成、待销号" and done.status_badge == "warn"
    measure = make_measure(cast.sec_a1, problem, content="建立长效机制")
    services.measure_update(
        actor=cast.sec_a1,
        measure=measure,
        status=MeasureStatus.ONGOING,
        completed_on=datetime.date(2023, 12, 5),
        completion_note="纳入支部制度",
    )
    measure = Measure.objects.get(pk=measure.pk)
    assert (measure.status, measure.completed_on, measure.completion_note) == (
        MeasureStatus.ONGOING,
        datetime.date(2023, 12, 5),
        "纳入支部制度",
    )
    assert measure.status_label == "长期坚持、待销号"
    assert not ProgressEntry.objects.exists()  # no closing is made up
    # Not signed off, the owner may take it back to work; the completion date goes with it.
    services.measure_update(actor=cast.sec_a1, measure=measure, status=MeasureStatus.IN_PROGRESS)
    measure = Measure.objects.get(pk=measure.pk)
    assert (measure.status, measure.completed_on) == (MeasureStatus.IN_PROGRESS, None)


def test_a_signed_off_measure_s_status_is_the_admin_s_to_change(cast, campaign):
    measure = close(cast.admin_a, make_measure(cast.sec_a1, make_problem(cast.sec_a1, cast.branch_a1)))
    with pytest.raises(ValidationError) as excinfo:
        services.measure_update(actor=cast.sec_a1, measure=measure, status=MeasureStatus.IN_PROGRESS)
    assert messages_of(excinfo, "status") == [
        f"该措施已于{today().year}年{today().month}月{today().day}日销号（已完成）；如需重新整改，请乡党委管理员撤销销号。"
    ]
    assert Measure.objects.get(pk=measure.pk).is_signed_off
    services.measure_update(actor=cast.admin_a, measure=measure, status=MeasureStatus.IN_PROGRESS)
    measure = Measure.objects.get(pk=measure.pk)
    assert (measure.status, measure.is_signed_off, measure.signed_off_by) == (
        MeasureStatus.IN_PROGRESS,
        False,
        None,
    )
    assert measure.entries.get(kind=EntryKind.REOPEN).text == "整改状态改为“整改中”"


def test_responsible_people_must_be_of_the_township(cast, campaign):
    problem = make_problem(cast.sec_a1, cast.branch_a1)
    with pytest.raises(ValidationError) as excinfo:
        make_measure(cast.sec_a1, problem, responsible_person=cast.zhao)
    assert messages_of(excinfo, "responsible_person") == ["责任人“赵六”不是本乡党员。"]
    # A leader of the township outside the secretary's own branch may be named.
    measure = make_measure(cast.sec_a1, problem, responsible_leader=cast.wang, responsible_person=cast.zhang)
    assert measure.responsible_leader == cast.wang


def test_progress_starts_a_measure_and_keeps_its_photos(cast, campaign):
    measure = make_measure(cast.sec_a1, make_problem(cast.sec_a1, cast.branch_a1))
    entry = services.progress_add(
        actor=cast.sec_a1,
        measure=measure,
        on=datetime.date(2023, 10, 8),
        text="召开支委会部署",
        photos=[png()],
    )
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.IN_PROGRESS
    assert entry.author == cast.sec_a1 and entry.kind == EntryKind.PROGRESS
    assert [a.purpose for a in attachments_of(entry)] == ["进展照片"]


@pytest.mark.parametrize(
    ("on", "text", "upload", "field", "message"),
    [
        (datetime.date(2023, 9, 1), "太早", None, "on", "日期不能早于问题的发现日期（2023年9月15日）。"),
        (None, "", None, "text", "请填写内容。"),
        (None, "照片坏了", SimpleUploadedFile("坏.png", b"not a picture"), "photos", "不是照片"),
    ],
)
def test_bad_progress_is_refused_and_nothing_is_kept(cast, campaign, on, text, upload, field, message):
    measure = make_measure(cast.sec_a1, make_problem(cast.sec_a1, cast.branch_a1))
    with pytest.raises(ValidationError) as excinfo:
        services.progress_add(
            actor=cast.sec_a1,
            measure=measure,
            on=on or datetime.date(2023, 10, 8),
            text=text,
            photos=[upload] if upload else [],
        )
    assert message in messages_of(excinfo, field)[0]
    assert not ProgressEntry.all_objects.exists() and not Attachment.all_objects.exists()
    assert Measure.objects.get(pk=measure.pk).status == MeasureStatus.NOT_STARTED


def test_only_a_township_admin_signs_off(cast, campaign):
    measure = make_measure(cast.sec_a1, make_problem(cast.sec_a1, cast.branch_a1))
    with pytest.raises(PermissionDenied):
        close(cast.sec_a1, measure)
    with pytest.raises(PermissionDenied):
        close(cast.admin_b, measure)
    assert not Measure.objects.get(pk=measure.pk).is_signed_off


def test_signing_off_without_evidence_or_note_is_refused_and_nothing_changes(cast, campaign):
    measure = make_measure(cast.sec_a1, make_problem(cast.sec_a1, cast.branch_a1))
    with pytest.raises(ValidationError) as excinfo:
        close(cast.admin_a, measure, evidence=[], note="")
    assert excinfo.value.message_dict == {
        "evidence": ["销号须上传至少一份佐证材料（照片、PDF或Word文件）。"],
        "completion_note": ["销号须填写完成情况。"],
    }
    measure = Measure.objects.get(pk=measure.pk)
    assert measure.status == MeasureStatus.NOT_STARTED and measure.completed_on is None
    assert not measure.is_signed_off and not ProgressEntry.objects.exists()


def test_a_measure_done_by_its_owner_is_signed_off_with_its_own_note_or_one_written_then(cast, campaign):
    problem = make_problem(cast.sec_a1, cast.branch_a1)
    kwargs = {"status": MeasureStatus.ONGOING, "completed_on": datetime.date(2023, 12, 2)}
    noted = make_measure(cast.sec_a1, problem, completion_note="纳入支部制度", **kwargs)
    bare = make_measure(cast.sec_a1, problem, content="建立台账", **kwargs)
    services.measure_sign_off(actor=cast.admin_a, measure=noted, evidence=[png()])
    noted = Measure.objects.get(pk=noted.pk)
    assert (noted.status, noted.completed_on, noted.completion_note) == (
        MeasureStatus.ONGOING,
        datetime.date(2023, 12, 2),
        "纳入支部制度",
    )
    assert noted.is_signed_off and noted.signed_off_by == cast.admin_a and noted.status_label == "长期坚持"
    with pytest.raises(ValidationError) as excinfo:
        services.measure_sign_off(actor=cast.admin_a, measure=bare, evidence=[png()])
    assert messages_of(excinfo, "completion_note") == ["销号须填写完成情况。"]
    services.measure_sign_off(
        actor=cast.admin_a, measure=bare, evidence=[png()], completion_note="台账已建立"
    )
    assert Measure.objects.get(pk=bare.pk).completion_note == "台账已建立"


def test_a_broken_evidence_file_is_refused_before_anything_is_stored(cast, campaign, media):
    measure = make_measure(cast.sec_a1, make_problem(cast.sec_a1, cast.branch_a1))
    with pytest.raises(ValidationError) as excinfo:
        close(cast.admin_a, measure, evidence=[png(), SimpleUploadedFile("证明.pdf", b"plain text")])
    assert "不是照片" in messages_of(excinfo, "evidence")[0]
    assert not Attachment.all_objects.exists()
    assert not any(media.rglob("*.*"))  # no file written either
    assert Measure.objects.get(pk=measure.pk).status == MeasureStatus.NOT_STARTED


def test_closing_with_evidence_signs_the_measure_off(cast, campaign):
    measure = make_measure(cast.sec_a1, make_problem(cast.sec_a1, cast.branch_a1))
    close(cast.admin_a, measure, evidence=[png(), pdf()])
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.DONE
    assert measure.completed_on == datetime.date(2023, 12, 20)
    assert measure.completion_note == "已按计划完成学习"
    assert sorted(a.purpose for a in attachments_of(measure)) == ["佐证材料", "佐证材料"]
    entry = measure.entries.get(kind=EntryKind.CLOSE)
    assert entry.text == "销号（已完成）：已按计划完成学习"
    assert measure.history.first().history_change_reason == "销号（已完成）"
    assert measure.signed_off_by == cast.admin_a and measure.signed_off_at is not None


def test_evidence_uploaded_before_is_enough(cast, campaign):
    from taizhang.core.attachments import attach

    measure = make_measure(cast.sec_a1, make_problem(cast.sec_a1, cast.branch_a1))
    attach(actor=cast.sec_a1, owner=measure, upload=png(), purpose="佐证材料")
    close(cast.admin_a, measure, evidence=[])
    assert Measure.objects.get(pk=measure.pk).status == MeasureStatus.DONE


def test_a_completion_date_before_the_date_found_is_refused(cast, campaign):
    measure = make_measure(cast.sec_a1, make_problem(cast.sec_a1, cast.branch_a1))
    with pytest.raises(ValidationError) as excinfo:
        close(cast.admin_a, measure, on=datetime.date(2023, 9, 1))
    assert "不能早于问题的发现日期" in messages_of(excinfo, "completed_on")[0]
    assert not Attachment.all_objects.exists()


def test_a_problem_is_closed_when_all_its_measures_are_done_or_ongoing(cast, campaign):
    problem = make_problem(cast.sec_a1, cast.branch_a1)
    assert problem.state == ProblemState.NO_MEASURES
    first = make_measure(cast.sec_a1, problem)
    second = make_measure(cast.sec_a1, problem, content="建立长效机制")
    assert Problem.objects.with_state().get().state == ProblemState.OPEN
    close(cast.admin_a, first)
    assert Problem.objects.with_state().get().state == ProblemState.OPEN
    services.measure_sign_off(
        actor=cast.admin_a,
        measure=second,
        completed_on=datetime.date(2023, 12, 28),
        completion_note="纳入支部长效制度",
        status=MeasureStatus.ONGOING,
        evidence=[png()],
    )
    assert Problem.objects.with_state().get().state == ProblemState.CLOSED
    assert list(Problem.objects.in_state(ProblemState.CLOSED)) == [problem]


def test_progress_may_go_on_for_an_ongoing_measure_but_not_a_done_one(cast, campaign):
    problem = make_problem(cast.sec_a1, cast.branch_a1)
    ongoing = make_measure(cast.sec_a1, problem)
    services.measure_sign_off(
        actor=cast.admin_a,
        measure=ongoing,
        completed_on=datetime.date(2023, 12, 1),
        completion_note="长期坚持",
        status=MeasureStatus.ONGOING,
        evidence=[png()],
    )
    services.progress_add(actor=cast.sec_a1, measure=ongoing, on=datetime.date(2023, 12, 15), text="继续坚持")
    done = close(cast.admin_a, make_measure(cast.sec_a1, problem))
    with pytest.raises(ValidationError, match="已销号"):
        services.progress_add(actor=cast.sec_a1, measure=done, on=datetime.date(2023, 12, 28), text="又做了")


def test_closing_twice_is_refused(cast, campaign):
    measure = close(cast.admin_a, make_measure(cast.sec_a1, make_problem(cast.sec_a1, cast.branch_a1)))
    with pytest.raises(ValidationError, match=f"已于{today().year}年{today().month}月{today().day}日销号"):
        close(cast.admin_a, measure)


def test_only_a_township_admin_undoes_a_closing_and_the_reason_is_kept(cast, campaign):
    problem = make_problem(cast.sec_a1, cast.branch_a1)
    measure = close(cast.admin_a, make_measure(cast.sec_a1, problem))
    assert measure.is_signed_off
    with pytest.raises(PermissionDenied):
        services.measure_reopen(actor=cast.sec_a1, measure=measure, reason="佐证不足")
    with pytest.raises(PermissionDenied):
        services.measure_reopen(actor=cast.admin_b, measure=measure, reason="佐证不足")
    with pytest.raises(ValidationError) as excinfo:
        services.measure_reopen(actor=cast.admin_a, measure=measure, reason="  ")
    assert messages_of(excinfo, "reason") == ["撤销销号须说明原因。"]
    services.measure_reopen(actor=cast.admin_a, measure=measure, reason="佐证材料不能证明已完成")
    measure.refresh_from_db()
    assert (measure.status, measure.completed_on, measure.completion_note, measure.is_signed_off) == (
        MeasureStatus.IN_PROGRESS,
        None,
        "",
        False,
    )
    entry = measure.entries.get(kind=EntryKind.REOPEN)
    assert (entry.text, entry.author) == ("佐证材料不能证明已完成", cast.admin_a)
    assert measure.history.first().history_change_reason == "撤销销号：佐证材料不能证明已完成"
    assert Problem.objects.with_state().get().state == ProblemState.OPEN
    with pytest.raises(ValidationError, match="尚未销号"):
        services.measure_reopen(actor=cast.admin_a, measure=measure, reason="再撤一次")


# Special items -----------------------------------------------------------------------------------------


def test_a_special_item_is_led_by_the_committee_secretary_and_its_measures_claimed(cast, leaders):
    problem = make_problem(cast.admin_a, cast.township_a, kind=OwnerKind.LEADERSHIP, is_special=True)
    assert problem.lead == cast.wang
    measure = make_measure(cast.admin_a, problem)
    assert measure.is_claimable
    services.measure_claim(actor=cast.admin_a, measure=measure)
    measure.refresh_from_db()
    assert measure.responsible_leader == cast.wang and not measure.is_claimable
    assert measure.history.first().history_change_reason == "王五认领"


def test_claims_are_refused_where_they_do_not_fit(cast, leaders):
    ordinary = make_problem(cast.admin_a, cast.township_a, kind=OwnerKind.LEADERSHIP)
    with pytest.raises(ValidationError, match="只有专项整改问题"):
        services.measure_claim(actor=cast.admin_a, measure=make_measure(cast.admin_a, ordinary))
    special = make_problem(cast.admin_a, cast.township_a, kind=OwnerKind.LEADERSHIP, is_special=True)
    taken = make_measure(cast.admin_a, special, responsible_leader=cast.zhang)
    with pytest.raises(ValidationError, match="已由张三认领"):
        services.measure_claim(actor=cast.admin_a, measure=taken)
    free = make_measure(cast.admin_a, special)
    with pytest.raises(ValidationError, match="没有关联党员"):
        services.measure_claim(actor=cast.root, measure=free)
    cast.root.member = cast.li  # not of the leading group
    with pytest.raises(ValidationError, match="李四不是本乡主题教育领导小组成员"):
        services.measure_claim(actor=cast.root, measure=free)
    assert Measure.objects.get(pk=free.pk).responsible_leader is None


def test_only_the_leadership_s_problems_can_be_special(cast, leaders):
    with pytest.raises(ValidationError) as excinfo:
        make_problem(cast.sec_a1, cast.branch_a1, is_special=True)
    assert "须由乡党委班子负责" in messages_of(excinfo, "is_special")[0]


def test_a_special_item_needs_a_committee_secretary(cast, campaign):
    with pytest.raises(ValidationError) as excinfo:
        make_problem(cast.admin_a, cast.township_a, kind=OwnerKind.LEADERSHIP, is_special=True)
    assert "请先在组织中指定乡党委书记" in messages_of(excinfo, "is_special")[0]


def test_the_migration_signs_off_measures_closed_with_evidence_before_sign_off_was_a_step(cast, campaign):
    import importlib

    from django.apps import apps

    from taizhang.core.attachments import attach

    migration = importlib.import_module("taizhang.rectify.migrations.0003_measure_sign_off")
    problem = make_problem(cast.sec_a1, cast.branch_a1)
    on = datetime.date(2023, 12, 1)
    closed = make_measure(cast.sec_a1, problem, status=MeasureStatus.DONE, completed_on=on)
    imported = make_measure(
        cast.sec_a1, problem, content="导入的", status=MeasureStatus.ONGOING, completed_on=on
    )
    open_ = make_measure(cast.sec_a1, problem, content="在办的")
    for measure in (closed, open_):
        attach(actor=cast.sec_a1, owner=measure, upload=png(), purpose="佐证材料")
    entry = ProgressEntry.objects.create(
        measure=closed, kind=EntryKind.CLOSE, on=on, text="销号（已完成）：完成", author=cast.sec_a1
    )
    migration.sign_off_closed_with_evidence(apps, None)
    closed, imported, open_ = (Measure.objects.get(pk=m.pk) for m in (closed, imported, open_))
    assert (closed.signed_off_at, closed.signed_off_by) == (entry.created_at, cast.sec_a1)
    assert not imported.is_signed_off and not open_.is_signed_off  # no evidence; not done
