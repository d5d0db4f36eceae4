"""Figure check (核对): every figure a hand-drafted summary states, matched to the indicators.

A stated figure is a number with its unit ("专题研讨57次", "培训党员469余人次", "13名退休党员"); its label is the
text around it in its clause (between two of ，；。！？), up to the neighbouring figures. In a clause with several
figures the label is on the same side of each ("开展专题研讨57次" before, "13名退休党员、9名流动党员" after):
the side that matches better over the whole clause is taken.

A label is matched to an indicator by the two-character pieces it shares (at least two) with the indicator's
label or one of its synonyms (built in below for the 2023 campaign; a declaration may list its own under `synonyms:`), among
the indicators whose unit agrees (the same unit first; 个/家, 名/人, 次/场, 条/项/件 are taken as close). A
figure with 余 or 多 ("469余人次", "400余人") agrees when the records give that much and not a step more
(see `approx_range`).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from taizhang.indicators.engine import compute

from .summary import Declared, declared_indicators

UNITS = "人次|个|名|人|次|场|条|项|件|家|户|篇|期|处|块|幅|所|%"
FIGURE_RE = re.compile(rf"(?<![\d.第])(\d+)\s*(余|多)?\s*({UNITS})")
CLAUSE_RE = re.compile(r"[^，,；;。！？!?\n]+[，,；;。！？!?]?")
CLOSE_UNITS = [{"个", "家", "所", "处"}, {"名", "人"}, {"次", "场", "期"}, {"条", "项", "件"}]
FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９％", "0123456789%")

SYNONYMS: dict[str, list[str]] = {
    "org.branches": ["党支部"],
    "org.grassroots": ["基层党组织"],
    "deploy.branch_meetings": ["召开党员大会", "党员大会传达"],
    "study.central_group": ["中心组学习", "理论学习中心组"],
    "study.seminars": ["专题研讨"],
    "study.lectures": ["讲授专题党课", "专题党课"],
    "study.training_person_times": ["培训党员"],
    "study.retired_covered": ["退休党员"],
    "study.mobile_covered": ["流动党员"],
    "study.members": ["共有党员", "党员总数", "现有党员"],
    "study.members_covered": ["学习全覆盖"],
    "study.coverage_rate": ["学习覆盖率"],
    "rectify.leadership_problems": ["班子查摆问题", "班子检视问题"],
    "rectify.grassroots_problems": ["基层党组织查摆问题", "支部查摆问题"],
    "rectify.leadership_measures": ["班子制定整改措施"],
    "rectify.grassroots_measures": ["基层党组织制定整改措施"],
    "rectify.measures_done": ["完成整改措施", "整改措施已完成"],
    "rectify.measures_all": ["制定整改措施"],
    "rectify.measures_done_rate": ["整改完成率"],
    "rectify.talks": ["谈心谈话", "提醒谈话"],
    "rectify.health_checked": ["基层党建工作体检", "党建工作体检"],
    "research.visits": ["深入基层一线", "开展调研", "四下基层"],
    "research.action_items": ["收集干事创业清单", "干事创业清单"],
    "research.action_items_done": ["完成干事创业清单", "干事创业清单项目"],
    "serve.service_projects_done": ["为民办实事", "办实事"],
    "publicity.billboards": ["广告牌"],
    "publicity.banners": ["横幅标语", "横幅", "标语"],
}

MATCH, DIFFER, UNKNOWN = "match", "differ", "unknown"
STATUS_LABELS = {MATCH: "一致", DIFFER: "不一致", UNKNOWN: "未识别"}


@dataclass
class Stated:
    """A figure as the text states it, with the words around it."""

    clause: str
    start: int  # of the number in the clause
    end: int  # after the unit
    number: int
    unit: str
    approx: str  # 余 / 多 / ""
    label: str = ""  # the words taken as its label

    @property
    def text(self) -> str:
        return self.clause[self.start : self.end]

    @property
    def before(self) -> str:
        return self.clause[: self.start]

    @property
    def after(self) -> str:
        return self.clause[self.end :]


@dataclass
class Checked:
    stated: Stated
    status: str
    indicator: Declared | None = None
    value: int | None = None  # what the records give
    reason: str = ""

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _units_agree(stated: str, declared: str) -> int:
    """2 the same unit, 1 a close one, 0 none."""
    if stated == declared:
        return 2
    return 1 if any(stated in group and declared in group for group in CLOSE_UNITS) else 0


class Matcher:
    def __init__(self, indicators: list[Declared], synonyms: dict[str, list[str]]):
        self.entries = [
            (d, [(term, _bigrams(term)) for term in [d.label, *synonyms.get(d.code, [])] if len(term) >= 2])
            for d in indicators
        ]

    def best(self, label: str, unit: str) -> tuple[tuple, Declared | None]:
        """The indicator whose label or synonym shares most with the label: (score, indicator)."""
        pieces = _bigrams(label)
        best: tuple = (0, 0, 0.0)
        found = None
        for declared, terms in self.entries:
            agree = _units_agree(unit, declared.unit)
            if not agree:
                continue
            for _term, grams in terms:
                shared = len(grams & pieces)
                ratio = shared / len(grams)
                if shared >= 2:  # one shared piece ("党员") says too little
                    score = (shared, agree, ratio)
                    if score > best:
                        best, found = score, declared
        return best, found


def clauses(text: str) -> list[list[Stated]]:
    """The figures a text states, clause by clause (clauses without figures left out)."""
    text = text.translate(FULL_WIDTH_DIGITS)
    found = []
    for clause_match in CLAUSE_RE.finditer(text):
        clause = clause_match.group(0).strip()
        figures = [
            Stated(clause, m.start(), m.end(), int(m.group(1)), m.group(3), m.group(2) or "")
            for m in FIGURE_RE.finditer(clause)
        ]
        if figures:
            found.append(figures)
    return found


def stated_figures(text: str) -> list[Stated]:
    return [figure for figures in clauses(text) for figure in figures]


def _labels(figures: list[Stated], side: str) -> list[str]:
    labels = []
    for k, figure in enumerate(figures):
        if side == "before":
            start = figures[k - 1].end if k else 0
            labels.append(figure.clause[start : figure.start])
        else:
            end = figures[k + 1].start if k + 1 < len(figures) else len(figure.clause)
            labels.append(figure.clause[figure.end : end])
    return labels


def check_text(text: str, campaign, values: dict[str, int]) -> list[Checked]:
    """Every stated figure of the text, checked against the computed values (code → value; a declared
    indicator missing from it is not computed yet)."""
    declared = declared_indicators(campaign)
    synonyms = dict(SYNONYMS)
    for d in campaign.indicators:
        if isinstance(d, dict) and d.get("synonyms"):
            synonyms[d["code"]] = [*synonyms.get(d["code"], []), *d["synonyms"]]
    matcher = Matcher(declared, synonyms)
    results = []
    for figures in clauses(text):
        if len(figures) == 1:
            f = figures[0]
            sides = [[f.before + f.after]]
        else:
            sides = [_labels(figures, "before"), _labels(figures, "after")]
        best_side, best_total = None, None
        for labels in sides:
            matches = [matcher.best(label, f.unit) for label, f in zip(labels, figures, strict=True)]
            total = sum(score[0] for score, _found in matches)
            if best_total is None or total > best_total:
                best_total, best_side = total, (labels, matches)
        labels, matches = best_side
        for figure, label, (_score, indicator) in zip(figures, labels, matches, strict=True):
            figure.label = label.strip("，,；;。！？!?、 ")
            results.append(_judge(figure, indicator, values))
    return results


def check_against_records(text: str, campaign, org, *, as_of=None) -> list[Checked]:
    """Every stated figure of the text, checked against what org's records give (as of a date)."""
    return check_text(text, campaign, compute(campaign, org, as_of=as_of))


def approx_range(number: int) -> int:
    """How much more than N "N余" may be: the place of its last non-zero digit (400余: up to 499; 20余: up to
    29), at least 10 and at most half of N (1000余: up to 1499; 469余: up to 478)."""
    text = str(number)
    place = 10 ** (len(text) - len(text.rstrip("0")))
    return max(10, min(place, number // 2))


def _judge(figure: Stated, indicator: Declared | None, values: dict[str, int]) -> Checked:
    if indicator is None:
        return Checked(figure, UNKNOWN, reason="没有对应的指标")
    value = values.get(indicator.code)
    if value is None:
        return Checked(figure, UNKNOWN, indicator, reason=f"“{indicator.label}”尚不能由记录计算")
    if figure.approx:
        agrees = figure.number <= value < figure.number + approx_range(figure.number)
    else:
        agrees = value == figure.number
    return Checked(figure, MATCH if agrees else DIFFER, indicator, value)


# Reading what was uploaded ---------------------------------------------------------------------------

MAX_DOCUMENT_XML = 20 * 1024 * 1024


def text_of_upload(name: str, content: bytes) -> str:
    """The text of an uploaded summary: a Word .docx (paragraphs and table cells) or plain text (UTF-8 or
    GB18030, as Notepad on a Chinese Windows saves it)."""
    if content.startswith(b"PK\x03\x04"):
        return _docx_text(name, content)
    if name.lower().endswith((".doc", ".wps", ".pdf")):
        raise ValidationError(f"“{name}”不是 .docx 或纯文本文件：请在 Word 或 WPS 中另存为 .docx 后再上传。")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(f"无法读取“{name}”：请上传 .docx 文件或 UTF-8 编码的纯文本。")


def _docx_text(name: str, content: bytes) -> str:
    from docx import Document

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            info = archive.getinfo("word/document.xml")
            if info.file_size > MAX_DOCUMENT_XML:
                raise ValidationError(f"“{name}”的正文过大，无法核对。")
        document = Document(io.BytesIO(content))
    except ValidationError:
        raise
    except Exception as exc:  # a broken zip, a file that is no Word document
        raise ValidationError(f"“{name}”不是有效的 Word（.docx）文件。") from exc
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return "\n".join(lines)
