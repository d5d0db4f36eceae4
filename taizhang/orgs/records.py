"""The kinds of record the orgs area keeps, declared for core.records: members' create, edit and delete pages,
and the trash.

Organisations keep pages of their own (views.py): they are retired (撤销), never deleted, so they have no place
in the trash; and only a township admin writes them, while a branch secretary still writes records *in* his
organisation, so the model cannot say `write_by = "admin"` for the kit to read."""

from taizhang.core.kinds import area_kind
from taizhang.core.records import register

from . import services
from .forms import MemberForm
from .models import Member

MEMBER = register(
    area_kind(
        services,
        "member",
        model=Member,
        label="党员",
        form=MemberForm,
        form_template="orgs/member_form.html",
        create_title="添加党员",
        created_message="已添加党员。",
        add_another=True,
        deleted_message="已删除党员{obj}。乡党委管理员可在“回收站”中恢复。",
        restored_message="已恢复党员{obj}。",
        restore_refused_message="无法恢复{obj}：",
        after_restore=lambda member: member.get_absolute_url(),
    )
)
