"""A user's role. In core because the scope (core.scoping) is derived from it; accounts stores it."""

from django.db import models


class Role(models.TextChoices):
    """A user's role; with his organisation it makes his scope (see core.scoping)."""

    TOWNSHIP_ADMIN = "township_admin", "乡党委管理员"
    BRANCH_SECRETARY = "branch_secretary", "党支部书记"
    COUNTY_VIEWER = "county_viewer", "县委查看"
    NONE = "none", "无角色"


# The kind of organisation each role is attached to.
ROLE_ORG_KIND = {
    Role.TOWNSHIP_ADMIN: "committee",
    Role.BRANCH_SECRETARY: "branch",
    Role.COUNTY_VIEWER: "county",
}
