"""Rectification's rows of the access matrix (core/tests/test_access_matrix.py): every page × every role.

The objects are township A's: a problem of branch A1 with an open and a closed measure, a special item of
the committee with a measure to claim, a deleted problem, a talk of the committee (a branch secretary's
scope does not reach it), a health check of A1 that graded it 软弱涣散 with its remedy under way, a plain
check of A1, and a weak check of A2 still without a remedy. admin_a's member record is 王五, of the leading
group (so admin_a may claim); root has none (so his claim is refused on the page: 200, nothing changes).

Codes: 200 page (or a form shown again with its errors), 302 done (anonymous: to the login page), 403 no
right to write, 404 out of scope, 405 GET on a POST-only view.
"""

from __future__ import annotations

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from taizhang.campaigns.models import Campaign, LeadingGroupMember
from taizhang.orgs.models import Organisation
from taizhang.rectify import services
from taizhang.rectify.choices import EntryKind, Grade, MeasureStatus, OwnerKind, RemedyStatus, TalkType
from taizhang.rectify.models import HealthCheck, Measure, Problem, Remedy, Talk

FOUND = datetime.date(2023, 9, 15)


def _png(name="佐证照片.png"):
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (30, 120, 200)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def setup(cast) -> None:
    campaign = Campaign.current()
    LeadingGroupMember.objects.create(
        campaign=campaign, organisation=cast.township_a, member=cast.wang, title="乡党委组织委员"
    )
    Organisation.objects.filter(pk=cast.township_a.pk).update(secretary=cast.wang)
    cast.township_a.refresh_from_db()
    cast.admin_a.member = cast.wang
    cast.admin_a.save(update_fields=["member"])
    admin = cast.admin_a

    def problem(org, kind=OwnerKind.ORGANISATION, **extra):
        return services.problem_create(
            actor=admin,
            owner_kind=kind,
            owner_org=org,
            content=extra.pop("content", "三会一课落实不到位"),
            category="工作作风",
            source="查摆",
            found_on=FOUND,
            **extra,
        )

    cast.problem_a1 = problem(cast.branch_a1)
    cast.measure_a1 = services.measure_create(
        actor=admin, problem=cast.problem_a1, content="按月召开支委会", deadline=datetime.date(2023, 12, 31)
    )
    done = services.measure_create(
        actor=admin, problem=cast.problem_a1, content="补齐会议记录", deadline=datetime.date(2023, 11, 30)
    )
    cast.done_measure = services.measure_sign_off(
        actor=admin,
        measure=done,
        completed_on=datetime.date(2023, 11, 20),
        completion_note="已补齐",
        evidence=[_png()],
    )
    special = problem(cast.township_a, OwnerKind.LEADERSHIP, content="项目推进慢", is_special=True)
    cast.special_measure = services.measure_create(
        actor=admin, problem=special, content="建立项目周调度", deadline=datetime.date(2023, 12, 31)
    )
    cast.deleted_problem = problem(cast.branch_a1, content="已删除的问题")
    services.problem_delete(actor=admin, problem=cast.deleted_problem)
    cast.talk_a = services.talk_create(
        actor=admin,
        organisation=cast.township_a,
        on=datetime.date(2023, 10, 10),
        kind=TalkType.REMINDER,
        talker=cast.wang,
        persons=[cast.zhang],
        content="提醒按时参加组织生活",
    )

    def check(org, grade):
        return services.check_create(
            actor=admin,
            organisation=org,
            checked_on=datetime.date(2023, 11, 1),
            grade=grade,
            findings="记录不全",
        )

    cast.check_a1 = check(cast.branch_a1, Grade.WEAK)
    cast.check_plain = check(cast.branch_a1, Grade.GOOD)
    cast.check_weak_a2 = check(cast.branch_a2, Grade.WEAK)
    cast.remedy_a1 = services.remedy_create(
        actor=admin,
        health_check=cast.check_a1,
        plan="一村一策",
        leader=cast.wang,
        started_on=datetime.date(2023, 11, 5),
        deadline=datetime.date(2024, 3, 31),
    )


TARGETS = {
    "problem_a1": lambda cast: {"pk": cast.problem_a1.pk},
    "measure_a1": lambda cast: {"pk": cast.measure_a1.pk},
    "done_measure": lambda cast: {"pk": cast.done_measure.pk},
    "special_measure": lambda cast: {"pk": cast.special_measure.pk},
    "talk_a": lambda cast: {"pk": cast.talk_a.pk},
    "check_a1": lambda cast: {"pk": cast.check_a1.pk},
    "check_plain": lambda cast: {"pk": cast.check_plain.pk},
    "check_weak_a2": lambda cast: {"pk": cast.check_weak_a2.pk},
    "remedy_a1": lambda cast: {"pk": cast.remedy_a1.pk},
    "deleted_problem": lambda cast: {"kind": "problem", "pk": cast.deleted_problem.pk},
}

# fmt: off
GET_MATRIX = [
    # url name                        object             root county adm_a sec_a1 sec_a2 adm_b sec_b1 nobody anon
    ("rectify:problem_list",          None,              200, 200,  200,  200,   200,   200,  200,   200,   302),
    ("rectify:problem_create",        None,              200, 403,  200,  200,   200,   200,  200,   403,   302),
    ("rectify:problem_detail",        "problem_a1",      200, 200,  200,  200,   404,   404,  404,   404,   302),
    ("rectify:problem_edit",          "problem_a1",      200, 403,  200,  200,   404,   404,  404,   404,   302),
    ("rectify:problem_delete",        "problem_a1",      200, 403,  200,  200,   404,   404,  404,   404,   302),
    ("rectify:measure_create",        "problem_a1",      200, 403,  200,  200,   404,   404,  404,   404,   302),
    ("rectify:measure_detail",        "measure_a1",      200, 200,  200,  200,   404,   404,  404,   404,   302),
    ("rectify:measure_edit",          "measure_a1",      200, 403,  200,  200,   404,   404,  404,   404,   302),
    ("rectify:measure_delete",        "measure_a1",      200, 403,  200,  200,   404,   404,  404,   404,   302),
    ("rectify:measure_progress",      "measure_a1",      200, 403,  200,  200,   404,   404,  404,   404,   302),
    ("rectify:measure_close",         "measure_a1",      200, 403,  200,  403,   404,   404,  404,   404,   302),
    ("rectify:measure_reopen",        "done_measure",    200, 403,  200,  403,   404,   404,  404,   404,   302),
    ("rectify:measure_claim",         "special_measure", 200, 403,  200,  404,   404,   404,  404,   404,   302),
    ("rectify:deadlines",             None,              200, 200,  200,  200,   200,   200,  200,   200,   302),
    ("rectify:mine",                  None,              200, 200,  200,  200,   200,   200,  200,   200,   302),
    ("rectify:talk_list",             None,              200, 200,  200,  200,   200,   200,  200,   200,   302),
    ("rectify:talk_create",           None,              200, 403,  200,  403,   403,   200,  403,   403,   302),
    ("rectify:talk_detail",           "talk_a",          200, 200,  200,  404,   404,   404,  404,   404,   302),
    ("rectify:talk_edit",             "talk_a",          200, 403,  200,  404,   404,   404,  404,   404,   302),
    ("rectify:talk_delete",           "talk_a",          200, 403,  200,  404,   404,   404,  404,   404,   302),
    ("rectify:check_list",            None,              200, 200,  200,  200,   200,   200,  200,   200,   302),
    ("rectify:check_create",          None,              200, 403,  200,  403,   403,   200,  403,   403,   302),
    ("rectify:check_detail",          "check_a1",        200, 200,  200,  200,   404,   404,  404,   404,   302),
    ("rectify:check_edit",            "check_plain",     200, 403,  200,  403,   404,   404,  404,   404,   302),
    ("rectify:check_delete",          "check_plain",     200, 403,  200,  403,   404,   404,  404,   404,   302),
    ("rectify:remedy_create",         "check_weak_a2",   200, 403,  200,  404,   403,   404,  404,   404,   302),
    ("rectify:remedy_list",           None,              200, 200,  200,  200,   200,   200,  200,   200,   302),
    ("rectify:remedy_detail",         "remedy_a1",       200, 200,  200,  200,   404,   404,  404,   404,   302),
    ("rectify:remedy_edit",           "remedy_a1",       200, 403,  200,  403,   404,   404,  404,   404,   302),
    ("rectify:remedy_progress",       "remedy_a1",       200, 403,  200,  200,   404,   404,  404,   404,   302),
    ("rectify:remedy_accept",         "remedy_a1",       200, 403,  200,  403,   404,   404,  404,   404,   302),
    ("rectify:trash",                 None,              200, 403,  200,  403,   403,   200,  403,   403,   302),
    ("rectify:restore",               "deleted_problem", 405, 405,  405,  405,   405,   405,  405,   405,   302),
]
# fmt: on


# POST: the effect must have happened exactly when the answer is a success (302 for a signed-in user).


def _problem_created(cast):
    return Problem.objects.filter(content="村级活动场所管理不规范").exists()


def _problem_edited(cast):
    return Problem.objects.get(pk=cast.problem_a1.pk).content == "三会一课落实不到位（修改）"


def _problem_deleted(cast):
    return Problem.all_objects.get(pk=cast.problem_a1.pk).is_deleted


def _measure_created(cast):
    return Measure.objects.filter(content="建立会议台账").exists()


def _measure_edited(cast):
    return Measure.objects.get(pk=cast.measure_a1.pk).content == "按月召开支委会（修改）"


def _measure_deleted(cast):
    return Measure.all_objects.get(pk=cast.measure_a1.pk).is_deleted


def _progress_added(cast):
    return cast.measure_a1.entries.filter(kind=EntryKind.PROGRESS).exists()


def _measure_closed(cast):
    return Measure.objects.get(pk=cast.measure_a1.pk).is_signed_off


def _measure_reopened(cast):
    return Measure.objects.get(pk=cast.done_measure.pk).status == MeasureStatus.IN_PROGRESS


def _measure_claimed(cast):
    return Measure.objects.get(pk=cast.special_measure.pk).responsible_leader_id == cast.wang.pk


def _talk_created(cast):
    return Talk.objects.filter(content="谈心：工作方法").exists()


def _talk_edited(cast):
    return Talk.objects.get(pk=cast.talk_a.pk).content == "提醒按时参加组织生活（修改）"


def _talk_deleted(cast):
    return Talk.all_objects.get(pk=cast.talk_a.pk).is_deleted


def _check_created(cast):
    return HealthCheck.objects.filter(findings="新体检").exists()


def _check_edited(cast):
    return HealthCheck.objects.get(pk=cast.check_plain.pk).findings == "记录不全（修改）"


def _check_deleted(cast):
    return HealthCheck.all_objects.get(pk=cast.check_plain.pk).is_deleted


def _remedy_created(cast):
    return Remedy.objects.filter(health_check=cast.check_weak_a2).exists()


def _remedy_edited(cast):
    return Remedy.objects.get(pk=cast.remedy_a1.pk).plan == "一村一策（修改）"


def _remedy_progressed(cast):
    return cast.remedy_a1.entries.exists()


def _remedy_accepted(cast):
    return Remedy.objects.get(pk=cast.remedy_a1.pk).status == RemedyStatus.ACCEPTED


def _problem_restored(cast):
    return not Problem.all_objects.get(pk=cast.deleted_problem.pk).is_deleted


def _problem_form(cast, content):
    return {
        "owner": f"org:{cast.branch_a1.pk}",
        "content": content,
        "category": "工作作风",
        "source": "查摆",
        "found_on": "2023-09-20",
    }


def _measure_form(content):
    return {"content": content, "deadline": "2023-12-31", "status": MeasureStatus.NOT_STARTED}


POST_DATA = {
    "rectify:problem_create": lambda cast: _problem_form(cast, "村级活动场所管理不规范"),
    "rectify:problem_edit": lambda cast: _problem_form(cast, "三会一课落实不到位（修改）"),
    "rectify:measure_create": lambda cast: _measure_form("建立会议台账"),
    "rectify:measure_edit": lambda cast: _measure_form("按月召开支委会（修改）"),
    "rectify:measure_progress": lambda cast: {"on": "2023-10-15", "text": "已召开支委会"},
    "rectify:measure_close": lambda cast: {
        "completed_on": "2023-12-20",
        "status": MeasureStatus.DONE,
        "completion_note": "已按月召开",
        "evidence": [_png()],
    },
    "rectify:measure_reopen": lambda cast: {"reason": "佐证不足"},
    "rectify:talk_create": lambda cast: {
        "organisation": cast.township_a.pk,
        "on": "2023-10-12",
        "kind": TalkType.HEART_TO_HEART,
        "talker": "王五",
        "persons": "张三",
        "content": "谈心：工作方法",
    },
    "rectify:talk_edit": lambda cast: {
        "organisation": cast.township_a.pk,
        "on": "2023-10-10",
        "kind": TalkType.REMINDER,
        "talker": "王五",
        "persons": "张三",
        "content": "提醒按时参加组织生活（修改）",
    },
    "rectify:check_create": lambda cast: {
        "organisation": cast.branch_a1.pk,
        "checked_on": "2023-11-02",
        "grade": Grade.FAIRLY_GOOD,
        "findings": "新体检",
    },
    "rectify:check_edit": lambda cast: {
        "organisation": cast.branch_a1.pk,
        "checked_on": "2023-11-01",
        "grade": Grade.GOOD,
        "findings": "记录不全（修改）",
    },
    "rectify:remedy_create": lambda cast: {
        "plan": "配强班子",
        "leader": "王五",
        "started_on": "2023-11-05",
        "deadline": "2024-03-31",
    },
    "rectify:remedy_edit": lambda cast: {
        "plan": "一村一策（修改）",
        "leader": "王五",
        "started_on": "2023-11-05",
        "deadline": "2024-03-31",
    },
    "rectify:remedy_progress": lambda cast: {"on": "2023-12-01", "text": "完成支部换届"},
    "rectify:remedy_accept": lambda cast: {
        "accepted_on": "2024-01-10",
        "grade": Grade.FAIRLY_GOOD,
        "acceptance_note": "达到验收标准",
    },
}

# fmt: off
POST_MATRIX = [
    # url name                      object             effect               root county adm_a sec_a1 sec_a2 adm_b sec_b1 nobody anon
    # Another township's or branch's secretary is not offered branch A1 as owner: the form says so (200).
    ("rectify:problem_create",      None,              _problem_created,    302, 403,  302,  302,   200,   200,  200,   403,   302),
    ("rectify:problem_edit",        "problem_a1",      _problem_edited,     302, 403,  302,  302,   404,   404,  404,   404,   302),
    ("rectify:problem_delete",      "problem_a1",      _problem_deleted,    302, 403,  302,  302,   404,   404,  404,   404,   302),
    ("rectify:measure_create",      "problem_a1",      _measure_created,    302, 403,  302,  302,   404,   404,  404,   404,   302),
    ("rectify:measure_edit",        "measure_a1",      _measure_edited,     302, 403,  302,  302,   404,   404,  404,   404,   302),
    ("rectify:measure_delete",      "measure_a1",      _measure_deleted,    302, 403,  302,  302,   404,   404,  404,   404,   302),
    ("rectify:measure_progress",    "measure_a1",      _progress_added,     302, 403,  302,  302,   404,   404,  404,   404,   302),
    ("rectify:measure_close",       "measure_a1",      _measure_closed,     302, 403,  302,  403,   404,   404,  404,   404,   302),
    ("rectify:measure_reopen",      "done_measure",    _measure_reopened,   302, 403,  302,  403,   404,   404,  404,   404,   302),
    # root has no member record, so there is nobody to claim for: the page says so (200).
    ("rectify:measure_claim",       "special_measure", _measure_claimed,    200, 403,  302,  404,   404,   404,  404,   404,   302),
    # admin_b may record talks, but not for township A: the committee is not offered (200).
    ("rectify:talk_create",         None,              _talk_created,       302, 403,  302,  403,   403,   200,  403,   403,   302),
    ("rectify:talk_edit",           "talk_a",          _talk_edited,        302, 403,  302,  404,   404,   404,  404,   404,   302),
    ("rectify:talk_delete",         "talk_a",          _talk_deleted,       302, 403,  302,  404,   404,   404,  404,   404,   302),
    ("rectify:check_create",        None,              _check_created,      302, 403,  302,  403,   403,   200,  403,   403,   302),
    ("rectify:check_edit",          "check_plain",     _check_edited,       302, 403,  302,  403,   404,   404,  404,   404,   302),
    ("rectify:check_delete",        "check_plain",     _check_deleted,      302, 403,  302,  403,   404,   404,  404,   404,   302),
    ("rectify:remedy_create",       "check_weak_a2",   _remedy_created,     302, 403,  302,  404,   403,   404,  404,   404,   302),
    ("rectify:remedy_edit",         "remedy_a1",       _remedy_edited,      302, 403,  302,  403,   404,   404,  404,   404,   302),
    ("rectify:remedy_progress",     "remedy_a1",       _remedy_progressed,  302, 403,  302,  302,   404,   404,  404,   404,   302),
    ("rectify:remedy_accept",       "remedy_a1",       _remedy_accepted,    302, 403,  302,  403,   404,   404,  404,   404,   302),
    ("rectify:restore",             "deleted_problem", _problem_restored,   302, 403,  302,  403,   403,   404,  403,   403,   302),
]
# fmt: on
