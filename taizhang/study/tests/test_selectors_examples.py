import datetime

from taizhang.campaigns.models import Campaign
from taizhang.study.models import Meeting
from taizhang.study.selectors import notable_topics


def test_notable_topics_are_the_campaign_s_most_held(cast):
    campaign = Campaign.current()
    for i, (org, topic) in enumerate(
        [
            (cast.branch_a1, "学习党的二十大精神"),
            (cast.branch_a2, "学习党的二十大精神"),
            (cast.branch_a1, "乡村振兴"),
        ]
    ):
        Meeting.objects.create(
            organiser=org,
            campaign=campaign,
            type="专题研讨",
            date=datetime.date(2023, 10, 1 + i),
            topic=topic,
        )
    Meeting.objects.create(
        organiser=cast.branch_b1,
        campaign=campaign,
        type="专题研讨",
        date=datetime.date(2023, 10, 9),
        topic="乙乡的课",
    )
    assert notable_topics(campaign, cast.township_a) == ["学习党的二十大精神", "乡村振兴"]
    assert notable_topics(campaign, cast.township_a, datetime.date(2023, 10, 1)) == ["学习党的二十大精神"]
