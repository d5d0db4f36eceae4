from taizhang.core.choices import Vocabulary


class LeadingGroupRole(Vocabulary):
    LEADER = "组长"
    DEPUTY = "副组长"
    MEMBER = "成员"
