"""The serve area's rows of the access matrix (core/tests/test_access_matrix.py).

Branch A1's records, entered by its secretary sec_a1 (who may write them; sec_a2 of the neighbouring
branch does not see them), and a deleted service project to restore."""

from __future__ import annotations

import datetime

from taizhang.serve import services
from taizhang.serve.models import JointActivity, Partnership, PublicityItem, ServiceProject, VanguardPost

DAY = datetime.date(2023, 10, 10)


def setup(cast) -> None:
    sec = cast.sec_a1
    cast.serve_project = services.service_project_create(
        actor=sec, name="村道路灯维修", organisation=cast.branch_a1, planned_on=datetime.date(2023, 11, 1)
    )
    cast.serve_project_deleted = services.service_project_create(
        actor=sec, name="已删除的项目", organisation=cast.branch_a1
    )
    services.service_project_delete(actor=sec, project=cast.serve_project_deleted)
    cast.serve_partnership = services.partnership_create(
        actor=sec, partner="市商务局", organisation=cast.branch_a1, signed_on=DAY
    )
    cast.serve_partnership_empty = services.partnership_create(
        actor=sec, partner="县供电公司", organisation=cast.branch_a1
    )
    cast.serve_activity = services.joint_activity_create(
        actor=sec, partnership=cast.serve_partnership, date=DAY, title="认领一片桔", participant_count=20
    )
    cast.serve_post = services.vanguard_post_create(
        actor=sec, kind="党员先锋岗", name="便民服务岗", organisation=cast.branch_a1, members=[cast.zhang]
    )
    cast.serve_publicity = services.publicity_item_create(
        actor=sec, date=DAY, organisation=cast.branch_a1, kind="横幅标语", quantity=2, content="村部门口"
    )


def _pk(name):
    return lambda cast: {"pk": getattr(cast, name).pk}


TARGETS = {
    "serve_project": _pk("serve_project"),
    "serve_partnership": _pk("serve_partnership"),
    "serve_partnership_empty": _pk("serve_partnership_empty"),
    "serve_activity": _pk("serve_activity"),
    "serve_post": _pk("serve_post"),
    "serve_publicity": _pk("serve_publicity"),
    "serve_deleted_project": lambda cast: {"kind": "project", "pk": cast.serve_project_deleted.pk},
    "deleted_project_anywhere": lambda cast: {"kind": "serve.project", "pk": cast.serve_project_deleted.pk},
}

LIST = (200, 200, 200, 200, 200, 200, 200, 200, 302)
CREATE = (200, 403, 200, 200, 200, 200, 200, 403, 302)
BRANCH_RECORD = (200, 200, 200, 200, 404, 404, 404, 404, 302)
BRANCH_WRITE = (200, 403, 200, 200, 404, 404, 404, 404, 302)
POST_ONLY = (405, 405, 405, 405, 405, 405, 405, 405, 302)

# fmt: off
GET_MATRIX = [
    # url name                     object                     root county adm_a sec_a1 sec_a2 adm_b sec_b1 nobody anon
    ("serve:project_list",         None,                      *LIST),
    ("serve:project_create",       None,                      *CREATE),
    ("serve:project_detail",       "serve_project",           *BRANCH_RECORD),
    ("serve:project_edit",         "serve_project",           *BRANCH_WRITE),
    ("serve:project_delete",       "serve_project",           *BRANCH_WRITE),
    ("serve:partnership_list",     None,                      *LIST),
    ("serve:partnership_create",   None,                      *CREATE),
    ("serve:partnership_detail",   "serve_partnership",       *BRANCH_RECORD),
    ("serve:partnership_edit",     "serve_partnership",       *BRANCH_WRITE),
    ("serve:partnership_delete",   "serve_partnership",       *BRANCH_WRITE),
    ("serve:activity_create",      "serve_partnership",       *BRANCH_WRITE),
    ("serve:activity_detail",      "serve_activity",          *BRANCH_RECORD),
    ("serve:activity_edit",        "serve_activity",          *BRANCH_WRITE),
    ("serve:activity_delete",      "serve_activity",          *BRANCH_WRITE),
    ("serve:post_list",            None,                      *LIST),
    ("serve:post_create",          None,                      *CREATE),
    ("serve:post_detail",          "serve_post",              *BRANCH_RECORD),
    ("serve:post_edit",            "serve_post",              *BRANCH_WRITE),
    ("serve:post_delete",          "serve_post",              *BRANCH_WRITE),
    ("serve:publicity_list",       None,                      *LIST),
    ("serve:publicity_create",     None,                      *CREATE),
    ("serve:publicity_detail",     "serve_publicity",         *BRANCH_RECORD),
    ("serve:publicity_edit",       "serve_publicity",         *BRANCH_WRITE),
    ("serve:publicity_delete",     "serve_publicity",         *BRANCH_WRITE),
    ("serve:trash",                None,                      200, 403,  200,  403,   403,   200,  403,   403,   302),
    ("serve:restore",              "serve_deleted_project",   *POST_ONLY),
    # The one trash page over every kind of record, and its restore (core.records).
    ("trash",                      None,                      200, 403,  200,  403,   403,   200,  403,   403,   302),
    ("restore",                    "deleted_project_anywhere", *POST_ONLY),
]
# fmt: on

POST_DATA = {
    "serve:project_create": lambda cast: {
        "name": "新建村道",
        "organisation": cast.branch_a1.pk,
        "status": "未开始",
    },
    "serve:project_edit": lambda cast: {
        "name": "村道路灯维修",
        "organisation": cast.branch_a1.pk,
        "status": "推进中",
        "serial": cast.serve_project.serial,
        "leader": "张三",
    },
    "serve:partnership_create": lambda cast: {"partner": "市文旅局", "organisation": cast.branch_a1.pk},
    "serve:partnership_edit": lambda cast: {
        "partner": "市商务局",
        "organisation": cast.branch_a1.pk,
        "content": "认领一片桔",
    },
    "serve:activity_create": lambda cast: {"date": "2023-11-01", "title": "柑橘采摘"},
    "serve:activity_edit": lambda cast: {
        "date": "2023-10-10",
        "title": "认领一片桔",
        "participant_count": "35",
    },
    "serve:post_create": lambda cast: {
        "kind": "党员责任区",
        "name": "村部责任区",
        "organisation": cast.branch_a1.pk,
        "members": "张三",
    },
    "serve:post_edit": lambda cast: {
        "kind": "党员先锋岗",
        "name": "便民服务岗",
        "organisation": cast.branch_a1.pk,
        "members": "",
        "duty": "帮办代办",
    },
    "serve:publicity_create": lambda cast: {
        "date": "2023-10-11",
        "organisation": cast.branch_a1.pk,
        "kind": "广告牌",
        "quantity": "1",
        "content": "村口",
    },
    "serve:publicity_edit": lambda cast: {
        "date": "2023-10-10",
        "organisation": cast.branch_a1.pk,
        "kind": "横幅标语",
        "quantity": "3",
        "content": "村部门口",
    },
}


def _project_created(cast):
    return ServiceProject.objects.filter(name="新建村道").exists()


def _project_edited(cast):
    return ServiceProject.objects.get(pk=cast.serve_project.pk).status == "推进中"


def _project_deleted(cast):
    return ServiceProject.all_objects.get(pk=cast.serve_project.pk).is_deleted


def _project_restored(cast):
    return not ServiceProject.all_objects.get(pk=cast.serve_project_deleted.pk).is_deleted


def _partnership_created(cast):
    return Partnership.objects.filter(partner="市文旅局").exists()


def _partnership_edited(cast):
    return Partnership.objects.get(pk=cast.serve_partnership.pk).content == "认领一片桔"


def _partnership_deleted(cast):
    return Partnership.all_objects.get(pk=cast.serve_partnership_empty.pk).is_deleted


def _activity_created(cast):
    return JointActivity.objects.filter(title="柑橘采摘").exists()


def _activity_edited(cast):
    return JointActivity.objects.get(pk=cast.serve_activity.pk).participant_count == 35


def _activity_deleted(cast):
    return JointActivity.all_objects.get(pk=cast.serve_activity.pk).is_deleted


def _post_created(cast):
    return VanguardPost.objects.filter(name="村部责任区").exists()


def _post_edited(cast):
    return VanguardPost.objects.get(pk=cast.serve_post.pk).duty == "帮办代办"


def _post_deleted(cast):
    return VanguardPost.all_objects.get(pk=cast.serve_post.pk).is_deleted


def _publicity_created(cast):
    return PublicityItem.objects.filter(content="村口").exists()


def _publicity_edited(cast):
    return PublicityItem.objects.get(pk=cast.serve_publicity.pk).quantity == 3


def _publicity_deleted(cast):
    return PublicityItem.all_objects.get(pk=cast.serve_publicity.pk).is_deleted


# fmt: off
POST_MATRIX = [
    # url name                    object                     effect                 root county adm_a sec_a1 sec_a2 adm_b sec_b1 nobody anon
    # Those who may write elsewhere may create, but not in branch A1: the form refuses the organisation (200).
    ("serve:project_create",      None,                      _project_created,      302, 403,  302,  302,   200,   200,  200,   403,   302),
    ("serve:project_edit",        "serve_project",           _project_edited,       302, 403,  302,  302,   404,   404,  404,   404,   302),
    ("serve:project_delete",      "serve_project",           _project_deleted,      302, 403,  302,  302,   404,   404,  404,   404,   302),
    ("serve:restore",             "serve_deleted_project",   _project_restored,     302, 403,  302,  403,   403,   404,  403,   403,   302),
    ("restore",                   "deleted_project_anywhere", _project_restored,    302, 403,  302,  403,   403,   404,  403,   403,   302),
    ("serve:partnership_create",  None,                      _partnership_created,  302, 403,  302,  302,   200,   200,  200,   403,   302),
    ("serve:partnership_edit",    "serve_partnership",       _partnership_edited,   302, 403,  302,  302,   404,   404,  404,   404,   302),
    ("serve:partnership_delete",  "serve_partnership_empty", _partnership_deleted,  302, 403,  302,  302,   404,   404,  404,   404,   302),
    ("serve:activity_create",     "serve_partnership",       _activity_created,     302, 403,  302,  302,   404,   404,  404,   404,   302),
    ("serve:activity_edit",       "serve_activity",          _activity_edited,      302, 403,  302,  302,   404,   404,  404,   404,   302),
    ("serve:activity_delete",     "serve_activity",          _activity_deleted,     302, 403,  302,  302,   404,   404,  404,   404,   302),
    ("serve:post_create",         None,                      _post_created,         302, 403,  302,  302,   200,   200,  200,   403,   302),
    ("serve:post_edit",           "serve_post",              _post_edited,          302, 403,  302,  302,   404,   404,  404,   404,   302),
    ("serve:post_delete",         "serve_post",              _post_deleted,         302, 403,  302,  302,   404,   404,  404,   404,   302),
    ("serve:publicity_create",    None,                      _publicity_created,    302, 403,  302,  302,   200,   200,  200,   403,   302),
    ("serve:publicity_edit",      "serve_publicity",         _publicity_edited,     302, 403,  302,  302,   404,   404,  404,   404,   302),
    ("serve:publicity_delete",    "serve_publicity",         _publicity_deleted,    302, 403,  302,  302,   404,   404,  404,   404,   302),
]
# fmt: on
