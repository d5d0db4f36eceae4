"""What a summary template sees: its names, the figures and example lists as values, and the sandbox it runs in."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from .summary import SummaryData
from .template_pruning import DATA, ZERO

# Names a template may use besides the indicator codes: name → what it gives (shown on the template page).
TEXT_NAMES = {
    "place": "地名，如“甲乡”",
    "org_name": "组织全称，如“甲乡党委”",
    "signature": "落款单位，如“中共甲乡委员会”",
    "date": "成文日期，如“2023年12月20日”（截至日期，未指定时为当天）",
    "year": "主题教育开始的年份，如 2023",
    "title": "标题，如“2023年甲乡第二批主题教育工作开展情况的工作总结”",
    "campaign_name": "主题教育全称",
    "campaign_short": "主题教育简称，如“第二批主题教育”",
    "motto": "总要求，如“学思想、强党性、重实践、建新功”",
    "parts": "工作板块列表，用于 {%p for part in parts %}：part.heading（一、……）、part.name、part.short、"
    "part.figures（本板块不为0的指标：f.label、f.value、f.unit）",
    "examples": "记录中的实例，如 examples.research_topics",
}


# Values ----------------------------------------------------------------------------------------------


class Figure(int):
    """An indicator's value in a template: an int that prints marked, so that a zero is never printed."""

    missing: bool

    def __new__(cls, value: int | None):
        figure = int.__new__(cls, value or 0)
        figure.missing = value is None
        return figure

    def __str__(self) -> str:
        return f"{DATA}{int(self)}" if self else ZERO

    def __html__(self) -> str:
        return str(self)


def cn_list(items, limit: int | None = 3, quote: bool = False, sep: str = "、") -> str:
    """The first `limit` items joined by 、 (quoted “…” items are not separated, as in “甲”“乙”); an empty list
    prints as nothing and leaves its clause out."""
    items = [str(item) for item in items or []]
    if limit:
        items = items[:limit]
    if not items:
        return ZERO
    if quote:
        return DATA + "".join(f"“{item}”" for item in items)
    return DATA + sep.join(items)


class Examples(list):
    def __str__(self) -> str:
        return cn_list(self)

    def __html__(self) -> str:
        return str(self)


class Names:
    """A namespace of a template: study.seminars, examples.research_topics."""

    def __init__(self, items: dict):
        self.__dict__["_items"] = items

    def __getattr__(self, name):
        try:
            return self.__dict__["_items"][name]
        except KeyError:
            raise AttributeError(name) from None

    def __str__(self) -> str:  # a namespace printed whole is a mistake the check reports; print nothing
        return ZERO


class _Sandbox(SandboxedEnvironment):
    """Jinja's sandbox (no attribute starting with _, no unsafe callables), and no huge strings or powers."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context, operator, left, right):
        if operator == "**" and isinstance(right, int) and abs(right) > 64:
            raise SecurityError("模板中的乘方过大。")
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and isinstance(n, int) and len(seq) * n > 10_000:
                    raise SecurityError("模板中的重复次数过大。")
        return super().call_binop(context, operator, left, right)


def environment() -> SandboxedEnvironment:
    env = _Sandbox(undefined=StrictUndefined, autoescape=True)
    env.globals.clear()  # no range(), lipsum(), …: a template only formats the figures it is given
    env.filters["cn_list"] = cn_list
    return env


def context_for(data: SummaryData) -> dict:
    """The names a template sees: the text names, parts, examples, and one namespace per indicator prefix."""
    context = {
        "place": data.place,
        "org_name": data.org.name,
        "signature": data.signature,
        "date": data.date_text,
        "year": data.year,
        "title": data.title,
        "campaign_name": data.campaign.name,
        "campaign_short": data.campaign_short,
        "motto": data.campaign.motto,
        "parts": data.parts,
        "examples": Names({name: Examples(items) for name, items in data.examples.items()}),
    }
    tree: dict = {}
    for code, figure in data.figures.items():
        *path, leaf = code.split(".")
        node = tree
        for step in path:
            node = node.setdefault(step, {})
            if not isinstance(node, dict):
                raise ValidationError(f"指标代码“{code}”与另一指标代码冲突。")
        node[leaf] = Figure(figure.value)
    for root, value in tree.items():
        if root in context:
            raise ValidationError(
                f"指标代码“{root}…”与模板的保留名称“{root}”冲突，请在主题教育数据文件中改名。"
            )
        context[root] = _names(value)
    return context


def _names(value):
    return Names({k: _names(v) for k, v in value.items()}) if isinstance(value, dict) else value
