from django.db import models

from taizhang.core.choices import Vocabulary


class OrgKind(models.TextChoices):
    COUNTY = "county", "县委"
    COMMITTEE = "committee", "党委"
    GENERAL_BRANCH = "general_branch", "党总支"
    BRANCH = "branch", "党支部"


# Which kinds an organisation of each kind may sit under (None: at the top of the tree).
ALLOWED_PARENTS: dict[str, tuple[str | None, ...]] = {
    OrgKind.COUNTY: (None,),
    OrgKind.COMMITTEE: (OrgKind.COUNTY, None),
    OrgKind.GENERAL_BRANCH: (OrgKind.COMMITTEE,),
    OrgKind.BRANCH: (OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH),
}


class Gender(Vocabulary):
    MALE = "男"
    FEMALE = "女"


class MemberCategory(Vocabulary):
    EMPLOYED = "在职"
    RURAL = "农村"
    RETIRED = "退休"
    MOBILE = "流动"
