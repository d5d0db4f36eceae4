"""What the demo's rectification modules share: the reason its history gives, and bulk creation with or
without history (the demo township's records carry it, the scale county's do not)."""

from __future__ import annotations

import datetime

from simple_history.utils import bulk_create_with_history

REASON = "演示数据"
D = datetime.date


def create(model, objs, history: bool):
    if history:
        return bulk_create_with_history(objs, model, default_change_reason=REASON)
    return model.objects.bulk_create(objs)
