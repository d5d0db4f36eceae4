import datetime
from types import SimpleNamespace

from taizhang.core.deadlines import deadline_state


class Thing(SimpleNamespace):
    DONE_STATUSES = ("已完成",)


def test_deadline_state():
    on = datetime.date(2023, 10, 1)
    assert deadline_state(Thing(status="已完成", deadline=datetime.date(2023, 9, 1)), on) == "done"
    assert deadline_state(Thing(status="未开始", deadline=datetime.date(2023, 9, 30)), on) == "overdue"
    assert deadline_state(Thing(status="未开始", deadline=datetime.date(2023, 10, 8)), on) == "due"
    assert deadline_state(Thing(status="未开始", deadline=datetime.date(2023, 10, 9)), on) == "open"
    assert deadline_state(Thing(status="未开始", deadline=None), on) == ""
