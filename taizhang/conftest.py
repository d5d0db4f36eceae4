"""The shared cast of the tests (as in healthchecks' hc/test.py).

XX县委 (county)
├── 甲乡党委 (township A)          admin_a: township admin
│   ├── 甲一村党支部 (branch A1)    sec_a1: branch secretary; members 张三, 李四 (retired)
│   └── 甲乡机关党总支 (general)
│       └── 甲机关党支部 (A2)       sec_a2; member 王五
└── 乙乡党委 (township B)          admin_b
    └── 乙一村党支部 (branch B1)    sec_b1; member 赵六
county_viewer reads the whole county; nobody has no role; root is a superuser.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from taizhang.accounts.models import User
from taizhang.core.roles import Role
from taizhang.orgs.choices import MemberCategory, OrgKind
from taizhang.orgs.models import Member, Organisation

pytest_plugins = ["taizhang.browser"]


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with no cached figures: a rolled-back test's history ids are reused by the next
    test, so its data could otherwise match a fingerprint cached for other data."""
    from django.core.cache import cache

    cache.clear()


@dataclass
class Cast:
    county: Organisation
    township_a: Organisation
    branch_a1: Organisation
    general_a: Organisation
    branch_a2: Organisation
    township_b: Organisation
    branch_b1: Organisation
    zhang: Member
    li: Member
    wang: Member
    zhao: Member
    root: User
    county_viewer: User
    admin_a: User
    sec_a1: User
    sec_a2: User
    admin_b: User
    sec_b1: User
    nobody: User

    def users(self) -> dict[str, User]:
        return {
            name: getattr(self, name)
            for name in (
                "root",
                "county_viewer",
                "admin_a",
                "sec_a1",
                "sec_a2",
                "admin_b",
                "sec_b1",
                "nobody",
            )
        }


def make_org(name, kind, parent=None, order=0):
    return Organisation.objects.create(name=name, short_name=name[:4], kind=kind, parent=parent, order=order)


def make_member(name, org, category=MemberCategory.RURAL, mobile="", **extra):
    return Member.objects.create(
        name=name,
        organisation=org,
        category=category,
        mobile=mobile,
        gender="男",
        joined_on=datetime.date(2000, 7, 1),
        **extra,
    )


def make_user(username, role=Role.NONE, organisation=None, **extra):
    user = User.objects.create_user(
        username=username, password="password-123", role=role, organisation=organisation, **extra
    )
    return user


@pytest.fixture
def cast(db) -> Cast:
    return build_cast()


def build_cast() -> Cast:
    county = make_org("XX县委", OrgKind.COUNTY)
    township_a = make_org("甲乡党委", OrgKind.COMMITTEE, county, 1)
    branch_a1 = make_org("甲一村党支部", OrgKind.BRANCH, township_a, 1)
    general_a = make_org("甲乡机关党总支", OrgKind.GENERAL_BRANCH, township_a, 2)
    branch_a2 = make_org("甲机关党支部", OrgKind.BRANCH, general_a, 1)
    township_b = make_org("乙乡党委", OrgKind.COMMITTEE, county, 2)
    branch_b1 = make_org("乙一村党支部", OrgKind.BRANCH, township_b, 1)
    zhang = make_member("张三", branch_a1, mobile="13800001111")
    li = make_member("李四", branch_a1, MemberCategory.RETIRED, mobile="13800002222")
    wang = make_member("王五", branch_a2, MemberCategory.EMPLOYED, mobile="13900003333")
    zhao = make_member("赵六", branch_b1, mobile="13700004444")
    return Cast(
        county=county,
        township_a=township_a,
        branch_a1=branch_a1,
        general_a=general_a,
        branch_a2=branch_a2,
        township_b=township_b,
        branch_b1=branch_b1,
        zhang=zhang,
        li=li,
        wang=wang,
        zhao=zhao,
        root=User.objects.create_superuser("root", password="password-123"),
        county_viewer=make_user("county", Role.COUNTY_VIEWER, county),
        admin_a=make_user("admin_a", Role.TOWNSHIP_ADMIN, township_a),
        sec_a1=make_user("sec_a1", Role.BRANCH_SECRETARY, branch_a1),
        sec_a2=make_user("sec_a2", Role.BRANCH_SECRETARY, branch_a2),
        admin_b=make_user("admin_b", Role.TOWNSHIP_ADMIN, township_b),
        sec_b1=make_user("sec_b1", Role.BRANCH_SECRETARY, branch_b1),
        nobody=make_user("nobody"),
    )


@pytest.fixture
def client_as(client):
    """client_as(user): the test client logged in as that user."""

    def login(user):
        client.force_login(user)
        return client

    return login


class QueryCounter:
    def __init__(self):
        self.context = CaptureQueriesContext(connection)

    def __enter__(self):
        self.context.__enter__()
        return self

    def __exit__(self, *exc):
        self.context.__exit__(*exc)

    def __len__(self):
        return len(self.context.captured_queries)

    def dump(self) -> str:
        return "\n".join(f"{i + 1}. {q['sql']}" for i, q in enumerate(self.context.captured_queries))


@pytest.fixture
def assert_queries():
    """with assert_queries(n): ... fails, printing every query, when the block runs other than n."""
    from contextlib import contextmanager

    @contextmanager
    def check(expected: int):
        counter = QueryCounter()
        with counter:
            yield counter
        assert len(counter) == expected, f"expected {expected} queries, ran {len(counter)}:\n{counter.dump()}"

    return check
