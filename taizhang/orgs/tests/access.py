"""The orgs area's rows of the access matrix (core/tests/test_access_matrix.py) beyond those kept there: the
restore action of the area's trash (the record kit's), with 李四 soft-deleted by the matrix's world."""

from __future__ import annotations

from taizhang.orgs.models import Member

TARGETS = {"deleted_li_in_orgs_trash": lambda cast: {"kind": "member", "pk": cast.li.pk}}

# fmt: off
GET_MATRIX = [
    # url name        object                       root county adm_a sec_a1 sec_a2 adm_b sec_b1 nobody anon
    ("orgs:restore",  "deleted_li_in_orgs_trash",  405, 405,  405,  405,   405,   405,  405,   405,   302),
]
# fmt: on


def _member_restored(cast):
    return not Member.all_objects.get(pk=cast.li.pk).is_deleted


# fmt: off
POST_MATRIX = [
    # url name        object                       effect             root county adm_a sec_a1 sec_a2 adm_b sec_b1 nobody anon
    ("orgs:restore",  "deleted_li_in_orgs_trash",  _member_restored,  302, 403,  302,  403,   403,   404,  403,   403,   302),
]
# fmt: on
