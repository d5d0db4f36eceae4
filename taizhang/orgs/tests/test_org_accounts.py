"""An organisation's kind and life must stay consistent with the accounts attached to it."""

import pytest
from django.core.exceptions import ValidationError

from taizhang.orgs import services
from taizhang.orgs.models import Member


def test_a_branch_with_a_secretary_account_cannot_become_a_general_branch(cast):
    with pytest.raises(ValidationError, match="sec_a1"):
        services.organisation_update(actor=cast.admin_a, org=cast.branch_a1, kind="general_branch")
    cast.branch_a1.refresh_from_db()
    assert cast.branch_a1.kind == "branch"


def test_an_organisation_with_active_accounts_cannot_be_retired(cast):
    Member.objects.filter(organisation=cast.branch_a1).delete()
    with pytest.raises(ValidationError, match="账号"):
        services.organisation_retire(actor=cast.admin_a, org=cast.branch_a1)
    cast.sec_a1.is_active = False
    cast.sec_a1.save()
    services.organisation_retire(actor=cast.admin_a, org=cast.branch_a1)
    cast.branch_a1.refresh_from_db()
    assert cast.branch_a1.is_retired
