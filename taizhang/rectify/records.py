"""The kinds of record the rectify area keeps, declared for core.records (so far: the one trash page)."""

from taizhang.core.records import RecordType, register, restore_by

from . import services as s
from .models import HealthCheck, Measure, Problem, Talk

PROBLEM = register(
    RecordType("rectify.problem", Problem, "问题", restore=restore_by(s.problem_restore, "problem"))
)
MEASURE = register(
    RecordType("rectify.measure", Measure, "整改措施", restore=restore_by(s.measure_restore, "measure"))
)
TALK = register(RecordType("rectify.talk", Talk, "谈心谈话", restore=restore_by(s.talk_restore, "talk")))
CHECK = register(
    RecordType("rectify.check", HealthCheck, "党建工作体检", restore=restore_by(s.check_restore, "check"))
)
