"""The kinds of record the orgs area keeps, declared for core.records (so far: the one trash page)."""

from taizhang.core.records import RecordType, register

from . import services
from .models import Member

MEMBER = register(RecordType("orgs.member", Member, "党员", services=(services, "member", "member")))
