from __future__ import annotations

import datetime
import re

from django import forms
from django.urls import reverse
from django.utils import timezone

from taizhang.campaigns.models import Campaign
from taizhang.core.dates import cn_month
from taizhang.core.forms import CleanInput, DateInput
from taizhang.core.listing import choice_filter
from taizhang.orgs.choices import OrgKind
from taizhang.orgs.forms import tree_field
from taizhang.orgs.models import Member

from . import selectors
from .choices import LEAVE_REASONS, AttendanceStatus, MakeUpMethod, MeetingType
from .models import MakeUp, Meeting, PlannedMeeting, cn
from .services import SIGNIN_MINUTES, speaker_text


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the service judges each by its content."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,.pdf,.docx"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files if f]


class Mode:
    NAMES = "names"
    LATER = "later"
    COUNT = "count"
    CHOICES = [
        (NAMES, "现场勾选出席名单"),
        (LATER, "稍后扫码或输入签到码签到"),
        (COUNT, "只有人数，没有名单（旧记录）"),
    ]


class MeetingForm(CleanInput, forms.ModelForm):
    """The meeting's own fields. Its attendance comes from a RosterForm beside it."""

    speaker = forms.CharField(
        label="主讲人",
        required=False,
        max_length=160,
        help_text="本乡党员写姓名；外来主讲人写 姓名（单位），如：陈明（省委党校）",
        widget=forms.TextInput(attrs={"list": "speaker-names", "autocomplete": "off"}),
    )
    mode = forms.ChoiceField(
        label="出勤登记", choices=Mode.CHOICES, initial=Mode.NAMES, widget=forms.RadioSelect
    )
    photos = MultipleFileField(
        label="照片或会议记录", required=False, help_text="可多选；JPG、PNG、PDF或Word文件"
    )

    field_order = ["organiser", "type", "date", "topic", "mode", "speaker", "place"]

    class Meta:
        model = Meeting
        fields = ["organiser", "type", "date", "topic", "place", "campaign", "minutes", "head_count"]
        widgets = {
            "type": forms.RadioSelect,
            "date": DateInput(),
            "minutes": forms.Textarea(attrs={"rows": 4}),
            "head_count": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
            "place": forms.TextInput(attrs={"list": "recent-places", "autocomplete": "off"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"] = field = tree_field(user, label="组织单位")
        # Another organiser, another list of members: htmx fetches it (the select's value goes along).
        field.widget.attrs.update({"hx-get": reverse("study:meeting_roster"), "hx-target": "#roster"})
        self.single_organiser = field.nodes[0] if len(field.nodes) == 1 else None
        if self.single_organiser is not None:
            field.initial = self.single_organiser.pk
            field.widget = forms.HiddenInput()
        self.fields["type"].choices = MeetingType.choices
        self.fields["campaign"].empty_label = "按日期自动归入"
        self.fields["campaign"].queryset = Campaign.objects.order_by("-start_date")
        self.fields["topic"].widget.attrs.update(
            {"autocomplete": "off", "placeholder": "如：学习《习近平著作选读》第一卷"}
        )
        if self.instance.pk:
            self.initial["speaker"] = speaker_text(self.instance)
            self.initial.setdefault("mode", self._recorded_mode())
            del self.fields["photos"]
        else:
            self.initial.setdefault("date", timezone.localdate())

    def organiser_choice(self):
        """The organiser the roster is drawn for: the posted one, else the initial one."""
        field = self.fields["organiser"]
        raw = self.data.get("organiser") if self.is_bound else self.initial.get("organiser", field.initial)
        if raw in (None, "") and self.instance.organiser_id:
            return self.instance.organiser
        return next((n for n in field.nodes if str(n.pk) == str(raw)), None)

    def _recorded_mode(self) -> str:
        """How the attendance of the meeting edited was recorded: names, a head count, or not yet."""
        if self.instance.attendances.exists():
            return Mode.NAMES
        return Mode.COUNT if self.instance.head_count is not None else Mode.LATER

    def clean(self):
        data = super().clean()
        if data.get("mode") == Mode.COUNT and data.get("head_count") is None:
            self.add_error("head_count", "只有人数、没有名单时，请填写参加人数。")
        if data.get("mode") != Mode.COUNT:
            data["head_count"] = None
        return data

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("mode", None)
        data.pop("photos", None)
        return data

    def attendance(self, roster: RosterForm) -> dict | None:
        """The attendance the services save: the roster's ticks, none (a head count only), or None to leave
        it to the sign-in."""
        mode = self.cleaned_data["mode"]
        if mode == Mode.NAMES:
            return roster.entries()
        return {} if mode == Mode.COUNT else None


ABSENT = "absent"
NOT_LISTED = ""


def reason_choices(*, listed_by_default: bool, extra: str = "") -> list[tuple[str, str]]:
    choices = [] if listed_by_default else [(NOT_LISTED, "未参加（不记录）")]
    choices.append((ABSENT, "缺席"))
    reasons = list(LEAVE_REASONS) + ([extra] if extra and extra not in LEAVE_REASONS else [])
    choices += [(f"leave:{r}", f"请假：{r}") for r in reasons]
    return choices


class RosterForm(CleanInput, forms.Form):
    """A meeting's attendance as ticks: a ticked member is present; an unticked one is absent, on leave for
    the reason picked, or (on a list drawn above a branch) not recorded at all.

    Unbound, it lists the organiser's roster; bound, the members the page listed (hidden `m` inputs), so that
    what is saved is what the person saw. A new meeting of a branch starts with every member ticked."""

    def __init__(self, data=None, *, user, organiser, meeting=None):
        super().__init__(data)
        self.listed_by_default = organiser is not None and organiser.kind == OrgKind.BRANCH
        pretick = self.listed_by_default and meeting is None
        existing = {}
        if meeting is not None and meeting.pk:
            existing = {a.member_id: a for a in meeting.attendances.all()}
        if data is not None:
            posted = [int(v) for v in data.getlist("m") if str(v).isdigit()]
            members = Member.objects.visible_to(user).filter(pk__in=posted).select_related("organisation")
            members = sorted(members, key=lambda m: posted.index(m.pk))
            self.unknown = len(set(posted)) != len(members)
            groups = _regroup(members)
        else:
            self.unknown = False
            groups = selectors.roster(organiser, meeting) if organiser is not None else []
        self.groups = []
        for group in groups:
            rows = []
            for member in group.members:
                row = existing.get(member.pk)
                present_field = forms.BooleanField(label=member.name, required=False)
                reason_field = forms.ChoiceField(
                    label=f"{member.name}未出席的原因",
                    required=False,
                    choices=reason_choices(
                        listed_by_default=self.listed_by_default,
                        extra=row.reason if row is not None else "",
                    ),
                )
                reason_field.widget.attrs["aria-label"] = f"{member.name}未出席的原因"
                if row is not None:
                    present_field.initial = row.status == AttendanceStatus.PRESENT
                    reason_field.initial = (
                        f"leave:{row.reason}" if row.status == AttendanceStatus.LEAVE else ABSENT
                    )
                else:
                    present_field.initial = pretick
                    reason_field.initial = ABSENT if self.listed_by_default else NOT_LISTED
                self.fields[f"present_{member.pk}"] = present_field
                self.fields[f"reason_{member.pk}"] = reason_field
                rows.append((member, self[f"present_{member.pk}"], self[f"reason_{member.pk}"]))
            self.groups.append((group.org, rows))

    @property
    def size(self) -> int:
        return sum(len(rows) for _, rows in self.groups)

    def clean(self):
        if self.unknown:
            raise forms.ValidationError("名单中有已删除或您无权查看的党员，请刷新页面后重新登记。")
        return super().clean()

    def entries(self) -> dict[int, tuple[str, str]]:
        entries = {}
        for _org, rows in self.groups:
            for member, _, _ in rows:
                if self.cleaned_data.get(f"present_{member.pk}"):
                    entries[member.pk] = (AttendanceStatus.PRESENT, "")
                    continue
                reason = self.cleaned_data.get(f"reason_{member.pk}") or NOT_LISTED
                if reason == ABSENT:
                    entries[member.pk] = (AttendanceStatus.ABSENT, "")
                elif reason.startswith("leave:"):
                    entries[member.pk] = (AttendanceStatus.LEAVE, reason.removeprefix("leave:"))
        return entries


def _regroup(members):
    groups: dict[int, selectors.RosterGroup] = {}
    for member in members:
        groups.setdefault(
            member.organisation_id, selectors.RosterGroup(member.organisation, [])
        ).members.append(member)
    return list(groups.values())


MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")


def parse_month(value: str) -> datetime.date | None:
    match = MONTH_RE.match(value or "")
    if not match or not 1 <= int(match[2]) <= 12:
        return None
    return datetime.date(int(match[1]), int(match[2]), 1)


class MeetingFilterForm(CleanInput, forms.Form):
    org = forms.Field(required=False)
    type = choice_filter("类型", "全部类型", MeetingType.choices)
    month = forms.CharField(
        label="月份", required=False, widget=forms.TextInput(attrs={"type": "month", "aria-label": "月份"})
    )
    campaign = forms.ModelChoiceField(
        Campaign.objects.order_by("-start_date"),
        label="主题教育",
        required=False,
        to_field_name="code",
        empty_label="全部（含日常组织生活）",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"] = tree_field(
            user, label="组织", required=False, writable=False, empty_label="全部组织"
        )
        for name in ("org", "type", "campaign"):
            self.fields[name].widget.attrs["aria-label"] = self.fields[name].label

    def clean_month(self):
        value = self.cleaned_data["month"]
        if value and parse_month(value) is None:
            raise forms.ValidationError("月份格式应为 2023-09。")
        return parse_month(value)


class OrgPickForm(CleanInput, forms.Form):
    """Which organisation a page shows (coverage, plans, deployment)."""

    def __init__(self, *args, user, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"] = tree_field(user, label="组织", writable=False, kinds=kinds)
        self.fields["org"].widget.attrs["aria-label"] = "组织"


class MakeUpForm(CleanInput, forms.ModelForm):
    """A make-up of one member, for one of `meetings` (the required ones he missed); the page shows both."""

    class Meta:
        model = MakeUp
        fields = ["member", "meeting", "date", "method", "note"]
        widgets = {"date": DateInput(), "method": forms.RadioSelect, "meeting": forms.RadioSelect}

    def __init__(self, *args, member, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.member, self.meetings = member, meetings
        self.fields["member"].queryset = Member.objects.filter(pk=member.pk)
        self.fields["member"].initial = member.pk
        self.fields["member"].widget = forms.HiddenInput()
        self.fields["meeting"].queryset = Meeting.objects.filter(pk__in=[m.pk for m in meetings])
        self.fields["meeting"].label = "补学哪次会议"
        self.fields["meeting"].empty_label = None
        by_pk = {m.pk: m for m in meetings}
        self.fields["meeting"].choices = [(m.pk, f"{cn(m.date)} {m.type}：{m.topic}") for m in by_pk.values()]
        self.fields["method"].choices = MakeUpMethod.choices
        if not self.instance.pk:
            self.initial.setdefault("date", timezone.localdate())
            if len(meetings) == 1:
                self.initial.setdefault("meeting", meetings[0].pk)


class PlannedMeetingForm(CleanInput, forms.ModelForm):
    month = forms.ChoiceField(label="月份")

    class Meta:
        model = PlannedMeeting
        fields = ["month", "type", "topic"]

    def __init__(self, *args, months, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [(m.isoformat(), cn_month(m)) for m in months]
        self.fields["type"].choices = MeetingType.choices
        self.fields["topic"].widget.attrs["placeholder"] = "可不填"

    def clean_month(self):
        return datetime.date.fromisoformat(self.cleaned_data["month"])


class SignInOpenForm(CleanInput, forms.Form):
    minutes = forms.TypedChoiceField(
        label="签到时长",
        coerce=int,
        initial=60,
        choices=[(m, f"{m}分钟" if m < 60 else f"{m // 60}小时") for m in SIGNIN_MINUTES],
    )


def digits_input(placeholder: str) -> forms.TextInput:
    """An input of a few digits typed on a phone: the numeric keypad, nothing remembered."""
    attrs = {"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]*", "placeholder": placeholder}
    return forms.TextInput(attrs=attrs)


class SignInCodeForm(CleanInput, forms.Form):
    code = forms.CharField(label="签到码", max_length=10, widget=digits_input("6位数字"))


class SignInForm(CleanInput, forms.Form):
    member = forms.TypedChoiceField(label="您的姓名", coerce=int, widget=forms.RadioSelect)
    digits = forms.CharField(
        label="手机号码后4位", max_length=4, min_length=4, widget=digits_input("如 1234")
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        names = [m.name for m in candidates]
        self.fields["member"].choices = [
            (
                m.pk,
                f"{m.name}（{m.organisation.short_name or m.organisation.name}）"
                if names.count(m.name) > 1
                else m.name,
            )
            for m in candidates
        ]
        self.fields["member"].error_messages.update(
            required="请在名单中点选您的姓名。", invalid_choice="请在名单中点选您的姓名。"
        )
        self.fields["digits"].error_messages.update(
            required="请输入您手机号码的后4位数字。",
            min_length="请输入4位数字。",
            max_length="请输入4位数字。",
        )
