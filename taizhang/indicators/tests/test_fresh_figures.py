"""Figures are never stale on PostgreSQL, where ids are taken at insert and transactions commit in any order:
two connections, the second taking its ids after the first and committing before it."""

import threading

import pytest
from django.db import connection, transaction
from django.db.models import Max

from taizhang.campaigns.models import Campaign
from taizhang.core.services import save_record
from taizhang.indicators.tests.test_cache import retired
from taizhang.orgs.choices import MemberCategory
from taizhang.orgs.models import Member

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions: PostgreSQL only"),
]


class Other(threading.Thread):
    """A transaction on its own connection (its own thread): writes a retired member of branch A1, says so,
    waits to be told to finish, then commits (or rolls back)."""

    def __init__(self, cast, *, then=None):
        super().__init__(daemon=True)
        self.cast, self.then = cast, then
        self.written, self.finish = threading.Event(), threading.Event()
        self.rollback, self.seen, self.error = False, None, None

    def run(self):
        try:
            with transaction.atomic():
                member = Member(name="甲", organisation=self.cast.branch_a1, category=MemberCategory.RETIRED)
                save_record(member, actor=self.cast.sec_a1)
                if self.then:
                    self.seen = self.then()
                self.written.set()
                assert self.finish.wait(30)
                transaction.set_rollback(self.rollback)
        except BaseException as exc:  # reported by the test's thread
            self.error = exc
            self.written.set()
        finally:
            connection.close()

    def end(self, *, rollback=False):
        self.rollback = rollback
        self.finish.set()
        self.join(30)
        assert not self.is_alive() and self.error is None, self.error


def last_history_id():
    return Member.history.aggregate(last=Max("history_id"))["last"]


@pytest.fixture
def campaign(cast):
    return Campaign.objects.get(code="2023-second-batch")


def test_a_transaction_that_commits_after_a_later_one_is_in_the_next_figures(cast, campaign):
    assert retired(campaign, cast.township_a) == 1  # 李四
    t1 = Other(cast)
    t1.start()
    assert t1.written.wait(30) and t1.error is None  # T1 took its ids and has not committed
    save_record(  # T2: later ids, committed first
        Member(name="乙", organisation=cast.branch_a1, category=MemberCategory.RETIRED), actor=cast.sec_a1
    )
    assert retired(campaign, cast.township_a) == 2  # computed and cached without T1's member
    last = last_history_id()
    t1.end()
    assert last_history_id() == last  # what the old fingerprint read did not move
    assert retired(campaign, cast.township_a) == 3


def test_figures_of_uncommitted_data_are_kept_to_their_transaction(cast, campaign):
    t1 = Other(cast, then=lambda: retired(campaign, cast.township_a))
    t1.start()
    assert t1.written.wait(30) and t1.error is None
    assert t1.seen == 2  # its own member counted, for itself
    assert retired(campaign, cast.township_a) == 1  # not served to anybody else
    t1.end(rollback=True)
    assert retired(campaign, cast.township_a) == 1
