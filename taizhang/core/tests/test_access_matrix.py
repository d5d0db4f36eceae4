"""Who may open which page: one row per url pattern of the project, one column per role of the cast.

The objects are township A's (member 张三 of branch A1, branch A1 itself, sec_a1's account), so that users
outside township A get 404 (the object's existence is not revealed) and read-only users get 403 on write
pages. A new url pattern without a row here fails `test_every_url_pattern_is_in_the_matrix`.

Codes: 200 page, 302 redirect (for anonymous: to the login page), 403, 404, 405 (method not allowed).
"""

from __future__ import annotations

import datetime
import importlib
import io

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from PIL import Image

from taizhang.campaigns.models import Campaign
from taizhang.conftest import build_cast
from taizhang.core.attachments import attach
from taizhang.core.models import attachments_of
from taizhang.core.scoping import invalidate_scope
from taizhang.orgs.models import Member, Organisation

ROLES = ("root", "county_viewer", "admin_a", "sec_a1", "sec_a2", "admin_b", "sec_b1", "nobody", "anonymous")

# The object each pattern is requested with.
TARGETS = {
    None: lambda cast: {},
    "part": lambda cast: {"slug": "plan"},
    "campaign": lambda cast: {"code": "2023-second-batch"},
    "other_campaign": lambda cast: {"code": "2024-discipline"},
    "branch_a1": lambda cast: {"pk": cast.branch_a1.pk},
    "branch_a3": lambda cast: {"pk": cast.branch_a3.pk},
    "zhang": lambda cast: {"pk": cast.zhang.pk},
    "deleted_li": lambda cast: {"pk": cast.li.pk},
    "account_sec_a1": lambda cast: {"pk": cast.sec_a1.pk},
    "attachment": lambda cast: {"pk": cast.attachment.pk},
    "upload_to_zhang": lambda cast: {"app_label": "orgs", "model_name": "member", "object_id": cast.zhang.pk},
}

# fmt: off
GET_MATRIX = [
    # url name                          object             root county adm_a sec_a1 sec_a2 adm_b sec_b1 nobody anon
    ("home",                            None,               200, 200,  200,  200,   200,   200,  200,   200,   302),
    ("healthz",                         None,               200, 200,  200,  200,   200,   200,  200,   200,   200),
    ("part",                            "part",             200, 200,  200,  200,   200,   200,  200,   200,   302),
    ("login",                           None,               302, 302,  302,  302,   302,   302,  302,   302,   200),
    ("logout",                          None,               405, 405,  405,  405,   405,   405,  405,   405,   302),
    ("password_change",                 None,               200, 200,  200,  200,   200,   200,  200,   200,   302),
    ("accounts:user_list",              None,               200, 403,  200,  403,   403,   200,  403,   403,   302),
    ("accounts:user_create",            None,               200, 403,  200,  403,   403,   200,  403,   403,   302),
    ("accounts:user_edit",              "account_sec_a1",   200, 403,  200,  403,   403,   404,  403,   403,   302),
    ("accounts:user_password",          "account_sec_a1",   200, 403,  200,  403,   403,   404,  403,   403,   302),
    ("accounts:user_unlock",            "account_sec_a1",   405, 405,  405,  405,   405,   405,  405,   405,   302),
    ("campaigns:campaign_list",         None,               200, 200,  200,  200,   200,   200,  200,   200,   302),
    ("campaigns:campaign_detail",       "campaign",         200, 200,  200,  200,   200,   200,  200,   200,   302),
    ("campaigns:campaign_make_current", "campaign",         405, 405,  405,  405,   405,   405,  405,   405,   302),
    ("orgs:org_tree",                   None,               200, 200,  200,  200,   200,   200,  200,   200,   302),
    ("orgs:org_create",                 None,               200, 403,  200,  403,   403,   200,  403,   403,   302),
    ("orgs:org_detail",                 "branch_a1",        200, 200,  200,  200,   404,   404,  404,   404,   302),
    ("orgs:org_edit",                   "branch_a1",        200, 403,  200,  403,   404,   404,  404,   404,   302),
    ("orgs:org_retire",                 "branch_a1",        405, 405,  405,  405,   405,   405,  405,   405,   302),
    ("orgs:member_list",                None,               200, 200,  200,  200,   200,   200,  200,   200,   302),
    ("orgs:member_create",              None,               200, 403,  200,  200,   200,   200,  200,   403,   302),
    ("orgs:trash",                      None,               200, 403,  200,  403,   403,   200,  403,   403,   302),
    ("orgs:member_detail",              "zhang",            200, 200,  200,  200,   404,   404,  404,   404,   302),
    ("orgs:member_edit",                "zhang",            200, 403,  200,  200,   404,   404,  404,   404,   302),
    ("orgs:member_transfer",            "zhang",            200, 403,  200,  200,   404,   404,  404,   404,   302),
    ("orgs:member_delete",              "zhang",            200, 403,  200,  200,   404,   404,  404,   404,   302),
    ("orgs:member_restore",             "deleted_li",       405, 405,  405,  405,   405,   405,  405,   405,   302),
    ("attachment",                      "attachment",       200, 200,  200,  200,   404,   404,  404,   404,   302),
    ("attachment_thumbnail",            "attachment",       200, 200,  200,  200,   404,   404,  404,   404,   302),
    ("attachment_upload",               "upload_to_zhang",  405, 405,  405,  405,   405,   405,  405,   405,   302),
    ("attachment_delete",               "attachment",       405, 405,  405,  405,   405,   405,  405,   405,   302),
]
# fmt: on


def _area_modules():
    """Each area app may keep its rows in `<app>/tests/access.py`: TARGETS, GET_MATRIX, POST_DATA,
    POST_MATRIX, PREPARE (same shapes as here) and `setup(cast)` to add its objects to the world (e.g.
    `cast.meeting_a1 = ...`, an object of branch A1)."""
    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("taizhang."):
            continue
        name = f"{config.name}.tests.access"
        try:
            modules.append(importlib.import_module(name))
        except ModuleNotFoundError as exc:
            if exc.name not in (name, f"{config.name}.tests"):
                raise
    return modules


AREAS = _area_modules()
for _area in AREAS:
    TARGETS.update(getattr(_area, "TARGETS", {}))
    GET_MATRIX += getattr(_area, "GET_MATRIX", [])


def _cases(matrix):
    for name, target, *codes in matrix:
        assert len(codes) == len(ROLES), f"row {name} has {len(codes)} codes for {len(ROLES)} roles"
        for role, code in zip(ROLES, codes, strict=True):
            yield pytest.param(name, target, role, code, id=f"{name}-{role}")


def _url_names(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace) if part)
            yield from _url_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"url pattern {pattern.pattern} has no name"
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_url_pattern_is_in_the_matrix():
    patterns = set(_url_names())
    in_matrix = [row[0] for row in GET_MATRIX]
    assert len(in_matrix) == len(set(in_matrix)), "a url name appears twice in GET_MATRIX"
    assert patterns - set(in_matrix) == set(), "url patterns without a row in GET_MATRIX"
    assert set(in_matrix) - patterns == set(), "rows in GET_MATRIX for url patterns that do not exist"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The cast, with 李四 soft-deleted (for restore), a second campaign (for make-current), a photo
    attached to 张三 (members stand in for any record that takes attachments), and what each area's
    `tests/access.py` adds with its `setup(cast)`.

    Built once for the module inside a transaction that is rolled back at its end; each test runs in a
    savepoint of its own (pytest-django's `db`), so a POST's change is undone before the next test. Building
    the world per test made this file take minutes.
    """
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=tmp_path_factory.mktemp("media"),
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
        pytest.MonkeyPatch.context() as patch,
        transaction.atomic(),
    ):
        patch.setattr(Member, "accepts_attachments", True, raising=False)
        cast = build_cast()
        cast.attachment = attach(actor=cast.sec_a1, owner=cast.zhang, upload=_png())
        Member.objects.filter(pk=cast.li.pk).update(deleted_at=timezone.now())
        Campaign.objects.create(
            code="2024-discipline",
            name="党纪学习教育",
            start_date=datetime.date(2024, 4, 1),
            end_date=datetime.date(2024, 7, 31),
        )
        for area in AREAS:
            if hasattr(area, "setup"):
                area.setup(cast)
        yield cast
        transaction.set_rollback(True)


@pytest.fixture
def fresh(world, db):
    """The world for one test: users reloaded (a previous test may have changed them in memory) and their
    cached scopes dropped."""
    for user in world.users().values():
        user.refresh_from_db()
        invalidate_scope(user)
    return world


def _png():
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, "PNG")
    return SimpleUploadedFile("照片.png", out.getvalue())


def _client_for(client, cast, role):
    if role != "anonymous":
        client.force_login(getattr(cast, role))
    return client


def _check_status(response, code, url, role):
    assert response.status_code == code, f"{url} as {role}: expected {code}, got {response.status_code}"
    if code == 302 and role == "anonymous":
        assert response.url.startswith(reverse("login") + "?next="), response.url


@pytest.mark.parametrize(("name", "target", "role", "code"), list(_cases(GET_MATRIX)))
def test_get(client, fresh, name, target, role, code):
    world = fresh
    url = reverse(name, kwargs=TARGETS[target](world))
    response = _client_for(client, world, role).get(url)
    _check_status(response, code, url, role)


# POST to the views that change something. `effect(cast)` tells whether the change happened; it must have
# happened exactly when the answer is a success (302 for a signed-in user).


def _member_deleted(cast):
    return Member.all_objects.get(pk=cast.zhang.pk).is_deleted


def _member_restored(cast):
    return not Member.all_objects.get(pk=cast.li.pk).is_deleted


def _org_retired(cast):
    return Organisation.objects.get(pk=cast.branch_a3.pk).is_retired


def _org_renamed(cast):
    return Organisation.objects.get(pk=cast.branch_a1.pk).name == "甲一村第一党支部"


def _org_created(cast):
    return Organisation.objects.filter(name="甲二村党支部").exists()


def _member_created(cast):
    return Member.objects.filter(name="孙七").exists()


def _member_edited(cast):
    return Member.objects.get(pk=cast.zhang.pk).post == "村委委员"


def _member_transferred(cast):
    return Member.objects.get(pk=cast.zhang.pk).organisation_id == cast.branch_a2.pk


def _campaign_switched(cast):
    return Campaign.current().code == "2024-discipline"


def _password_reset(cast):
    cast.sec_a1.refresh_from_db()
    return cast.sec_a1.check_password("new-password-456")


def _unlocked(cast):
    return not AccessAttempt.objects.filter(username="sec_a1").exists()


def _attachment_added(cast):
    return attachments_of(cast.zhang).count() == 2


def _attachment_gone(cast):
    return not attachments_of(cast.zhang).filter(pk=cast.attachment.pk).exists()


def _logged_out(cast):
    return None  # checked on the session in the test


def _prepare_retire(cast):
    # Only an organisation without members and accounts can be retired: a new, empty branch of township A.
    cast.branch_a3 = Organisation.objects.create(
        name="甲三村党支部", kind="branch", parent=cast.township_a, order=3
    )


def _prepare_unlock(cast):
    AccessAttempt.objects.create(
        username="sec_a1", ip_address="127.0.0.1", user_agent="test", failures_since_start=5
    )


def _member_form(cast):
    return {"name": "张三", "gender": "男", "category": "农村", "mobile": "13800001111", "post": "村委委员"}


POST_DATA = {
    "orgs:member_create": lambda cast: {
        "name": "孙七",
        "gender": "女",
        "organisation": cast.branch_a1.pk,
        "category": "农村",
        "mobile": "",
    },
    "orgs:member_edit": _member_form,
    "orgs:member_transfer": lambda cast: {"organisation": cast.branch_a2.pk},
    "orgs:org_create": lambda cast: {
        "name": "甲二村党支部",
        "kind": "branch",
        "parent": cast.township_a.pk,
        "order": 3,
    },
    "orgs:org_edit": lambda cast: {
        "name": "甲一村第一党支部",
        "kind": "branch",
        "parent": cast.township_a.pk,
        "order": 1,
    },
    "accounts:user_password": lambda cast: {"password": "new-password-456"},
    "attachment_upload": lambda cast: {"files": [SimpleUploadedFile("记录.pdf", b"%PDF-1.4 minutes")]},
}

# fmt: off
POST_MATRIX = [
    # url name                          object             effect               root county adm_a sec_a1 sec_a2 adm_b sec_b1 nobody anon
    ("orgs:member_delete",              "zhang",           _member_deleted,     302, 403,  302,  302,   404,   404,  404,   404,   302),
    ("orgs:member_restore",             "deleted_li",      _member_restored,    302, 403,  302,  403,   403,   404,  403,   403,   302),
    ("orgs:member_create",              None,              _member_created,     302, 403,  302,  302,   200,   200,  200,   403,   302),
    ("orgs:member_edit",                "zhang",           _member_edited,      302, 403,  302,  302,   404,   404,  404,   404,   302),
    # sec_a1 may not write in branch A2: the choice is not offered, the form says so (200) and nothing moves.
    ("orgs:member_transfer",            "zhang",           _member_transferred, 302, 403,  302,  200,   404,   404,  404,   404,   302),
    ("orgs:org_retire",                 "branch_a3",       _org_retired,        302, 403,  302,  404,   404,   404,  404,   404,   302),
    # admin_b may create organisations, but not under township A: the form refuses the parent (200).
    ("orgs:org_create",                 None,              _org_created,        302, 403,  302,  403,   403,   200,  403,   403,   302),
    ("orgs:org_edit",                   "branch_a1",       _org_renamed,        302, 403,  302,  403,   404,   404,  404,   404,   302),
    ("campaigns:campaign_make_current", "other_campaign",  _campaign_switched,  302, 403,  403,  403,   403,   403,  403,   403,   302),
    ("accounts:user_password",          "account_sec_a1",  _password_reset,     302, 403,  302,  403,   403,   404,  403,   403,   302),
    ("accounts:user_unlock",            "account_sec_a1",  _unlocked,           302, 403,  302,  403,   403,   404,  403,   403,   302),
    ("logout",                          None,              _logged_out,         302, 302,  302,  302,   302,   302,  302,   302,   302),
    ("attachment_upload",               "upload_to_zhang", _attachment_added,   302, 403,  302,  302,   404,   404,  404,   404,   302),
    ("attachment_delete",               "attachment",      _attachment_gone,    302, 403,  302,  302,   404,   404,  404,   404,   302),
]
# fmt: on

PREPARE = {"orgs:org_retire": _prepare_retire, "accounts:user_unlock": _prepare_unlock}


for _area in AREAS:
    POST_DATA.update(getattr(_area, "POST_DATA", {}))
    POST_MATRIX += getattr(_area, "POST_MATRIX", [])
    PREPARE.update(getattr(_area, "PREPARE", {}))


def _post_cases():
    for name, target, effect, *codes in POST_MATRIX:
        assert len(codes) == len(ROLES)
        for role, code in zip(ROLES, codes, strict=True):
            yield pytest.param(name, target, effect, role, code, id=f"{name}-{role}")


@pytest.mark.parametrize(("name", "target", "effect", "role", "code"), list(_post_cases()))
def test_post(client, fresh, name, target, effect, role, code):
    world = fresh
    if name in PREPARE:
        PREPARE[name](world)
    url = reverse(name, kwargs=TARGETS[target](world))
    data = POST_DATA.get(name, lambda cast: {})(world)
    client = _client_for(client, world, role)
    response = client.post(url, data)
    _check_status(response, code, url, role)
    if name == "logout":
        assert "_auth_user_id" not in client.session
        return
    succeeded = code == 302 and role != "anonymous"
    assert effect(world) is succeeded, f"{name} by {role}: change made = {not succeeded}"
