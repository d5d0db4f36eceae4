"""Running the seed: refuse a database that holds data (unless forced), wipe, build area by area."""

from __future__ import annotations

import random

from django.core.management.base import CommandError
from django.db import transaction

from taizhang.core.db import refresh_statistics

from . import AREAS
from .context import SeedContext


def database_has_data() -> bool:
    from taizhang.accounts.models import User
    from taizhang.orgs.models import Member, Organisation

    return (
        Organisation.objects.exists()
        or Member.all_objects.exists()
        or User.objects.filter(is_superuser=False).exists()
    )


def wipe() -> None:
    """Empty what the seed writes (campaigns stay: they come from their data files). Each area's module
    may define `wipe()` for its own records (and their history); they run last area first."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from taizhang.accounts.models import User
    from taizhang.campaigns.models import Campaign, LeadingGroupMember
    from taizhang.core.models import Attachment
    from taizhang.orgs.models import Member, Organisation

    for area in reversed(AREAS):
        if hasattr(area, "wipe"):
            area.wipe()
    Attachment.all_objects.all().delete()
    Attachment.history.all().delete()
    User.objects.filter(is_superuser=True).update(organisation=None, member=None)
    User.objects.filter(is_superuser=False).delete()
    LeadingGroupMember.objects.all().delete()
    LeadingGroupMember.history.all().delete()
    Campaign.organisations.through.objects.all().delete()
    Organisation.objects.update(secretary=None)
    Member.all_objects.all().delete()
    Member.history.all().delete()
    # Leaves first: an organisation's parent is protected.
    for org in Organisation.objects.with_tree_fields().order_by("-tree_depth"):
        org.delete()
    Organisation.history.all().delete()
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.all().delete()


def run(*, scale_townships: int | None, force: bool, out=None) -> SeedContext:
    if database_has_data() and not force:
        raise CommandError("数据库中已有数据，未写入任何内容。如确要清空现有数据并重新生成，请加 --force。")
    ctx = SeedContext(rng=random.Random(20230901), scale=scale_townships is not None, out=out)
    with transaction.atomic():
        wipe()
        for area in AREAS:
            if scale_townships is None:
                area.demo(ctx)
            else:
                area.scale(ctx, scale_townships)
    refresh_statistics()
    return ctx
