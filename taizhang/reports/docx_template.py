"""The work summary's Word template: its tags, their check, and rendering with sentences left out.

A template is a .docx with Jinja tags (docxtpl). An indicator is written as its code: `{{ study.seminars }}`
prints the figure ("57"). A figure that is zero, or that the campaign does not compute yet, is never printed:

- the clause holding it (the words between two of ，；。！？) is left out, and the sentence with it when no other
  figure remains in that sentence ("截至目前，党委班子查摆问题{{ rectify.leadership_problems }}条，各基层党组织查摆
  问题{{ rectify.grassroots_problems }}条，分类施策逐一整改。" keeps the clauses whose figures are not zero);
- for more control, `{% if study.seminars %}…{% endif %}` (inside a paragraph) or `{%p if study.seminars %}` …
  `{%p endif %}` (each in a paragraph of its own: whole paragraphs).

Example lists from the records work the same way: `{{ examples.research_topics }}` (or `|cn_list(3, quote=True)`)
and an empty list leaves its clause out. See taizhang/reports/README.md for the clerk's version.

Uploaded templates are checked before they are stored (every tag must name a declared indicator or one of the
names below) and rendered in Jinja's sandbox: a template is a township's file, not code we trust.
"""

from __future__ import annotations

import difflib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, nodes
from jinja2.meta import find_undeclared_variables
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from .docx_layout import STYLE_RUN_IN
from .examples import known_names
from .summary import SummaryData, declared_indicators

# Invisible marks the rendering puts around what it printed, read and removed by `finish`.
ZERO = "\ue000"  # a zero or missing figure, an empty example list: its clause is left out
DATA = "\ue001"  # a stated figure or a non-empty example list
CLAUSE_END = "，,；;"
SENTENCE_END = "。！？!?"
TAGGED = "{urn:taizhang:reports}tagged"  # set on each paragraph holding a tag, before rendering

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


# Reading a template --------------------------------------------------------------------------------


class _Template(DocxTemplate):
    """docxtpl, marking each paragraph that holds a tag before rendering (see `finish`)."""

    def build_xml(self, context, jinja_env=None):
        for paragraph in self.docx.element.body.iter(qn("w:p")):
            text = "".join(t.text or "" for t in paragraph.iter(qn("w:t")))
            if "{{" in text or "{%" in text:
                paragraph.set(TAGGED, "1")
        return super().build_xml(context, jinja_env)


def _open(template: bytes) -> _Template:
    try:
        tpl = _Template(io.BytesIO(template))
        tpl.init_docx()
    except Exception as exc:  # python-docx raises many kinds for a file that is no Word document
        raise ValidationError("文件不是有效的 Word（.docx）文件。") from exc
    return tpl


def template_source(tpl: _Template) -> str:
    """The Jinja source of a template: its body, headers and footers as docxtpl patches them, one paragraph per
    line (so that an error's line number finds its paragraph)."""
    from docx.oxml import parse_xml

    parts = [tpl.xml_to_string(tpl.docx.element.body)]
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        for _key, part in tpl.get_headers_footers(uri):
            parts.append(tpl.xml_to_string(parse_xml(part.blob)))
    return "".join(re.sub(r"<w:p([ >])", r"\n<w:p\1", tpl.patch_xml(xml)) for xml in parts)


def _line_text(source: str, lineno: int | None) -> str:
    if not lineno:
        return ""
    lines = source.splitlines()
    return re.sub(r"<[^>]+>", "", lines[lineno - 1]).strip()[:60] if 0 < lineno <= len(lines) else ""


@dataclass
class _Reference:
    dotted: str
    root: str


def _references(ast) -> tuple[list[_Reference], list[str]]:
    """(dotted names used: study.seminars, examples.partners, …; names used bare: study, foo)."""
    getattrs = list(ast.find_all(nodes.Getattr))
    inner = {id(g.node) for g in getattrs if isinstance(g.node, nodes.Getattr)}
    bases = set()
    dotted = []
    for g in getattrs:
        chain = [g.attr]
        node = g.node
        while isinstance(node, nodes.Getattr):
            chain.append(node.attr)
            node = node.node
        if isinstance(node, nodes.Name):
            bases.add(id(node))
            if id(g) not in inner:
                dotted.append(_Reference(".".join([node.name, *reversed(chain)]), node.name))
    bare = [n.name for n in ast.find_all(nodes.Name) if n.ctx == "load" and id(n) not in bases]
    return dotted, bare


def template_problems(template: bytes, campaign) -> list[str]:
    """What is wrong with a template for a campaign, in Chinese, each naming the tag; [] when it is usable."""
    tpl = _open(template)
    source = template_source(tpl)
    text = re.sub(r"<[^>]+>", "", source)
    problems = []
    if re.search(r"｛｛|｝｝|｛[%％]|[%％]｝|\{％|％\}", text):
        problems.append("模板中有全角的“｛”“｝”或“％”：标签须用半角符号写成 {{ … }} 或 {% … %}。")
    env = environment()
    try:
        ast = env.parse(source)
        env.compile(ast)
    except TemplateSyntaxError as exc:
        where = _line_text(source, exc.lineno)
        problems.append(f"模板标签写法有误：{exc.message}" + (f"（在“{where}”一段）" if where else "") + "。")
        return problems
    codes = {d.code for d in declared_indicators(campaign)}
    roots = {code.split(".")[0] for code in codes}
    examples = known_names()
    undeclared = find_undeclared_variables(ast)
    dotted, bare = _references(ast)
    reported = set()

    def report(tag: str, message: str) -> None:
        if tag not in reported:
            reported.add(tag)
            problems.append(message)

    for tag, message in _dotted_problems(dotted, undeclared, codes, roots, examples):
        report(tag, message)
    for tag, message in _bare_problems(bare, undeclared, codes, roots):
        report(tag, message)
    return problems


def _dotted_problems(
    dotted: list[_Reference], undeclared, codes, roots, examples
) -> Iterator[tuple[str, str]]:
    """(tag, message) for each dotted name that is not allowed, not a usable example or not an indicator of
    the campaign, in the template's order; loop variables (not undeclared) are let through."""
    for ref in dotted:
        if any(step.startswith("_") for step in ref.dotted.split(".")):
            yield ref.dotted, f"模板中的标签“{ref.dotted}”含有不允许的写法（以 _ 开头的名称）。"
            continue
        if ref.root not in undeclared:
            continue  # a loop variable: {% for part in parts %}{{ part.heading }}
        if ref.root == "examples":
            name = ref.dotted.split(".", 1)[1]
            if name not in examples:
                hint = _hint(name, examples)
                yield ref.dotted, f"模板中的标签“{ref.dotted}”不是可用的实例名称{hint}。"
        elif ref.root in roots and ref.root not in TEXT_NAMES:
            if ref.dotted not in codes:
                hint = _hint(ref.dotted, codes)
                yield ref.dotted, f"模板中的标签“{ref.dotted}”不是本主题教育的指标{hint}。"
        elif ref.root not in TEXT_NAMES:
            hint = _hint(ref.dotted, codes)
            yield ref.dotted, f"模板中的标签“{ref.dotted}”不是本主题教育的指标，也不是可用的名称{hint}。"


def _bare_problems(bare: list[str], undeclared, codes, roots) -> Iterator[tuple[str, str]]:
    """(tag, message) for each name used bare that is an incomplete indicator or example tag, or neither an
    indicator nor one of TEXT_NAMES, in the template's order."""
    for name in bare:
        if name not in undeclared:
            continue
        if name in roots or name == "examples":
            yield name, f"模板中的标签“{name}”不完整：应写成“{name}.…”，如“{_first(codes, name)}”。"
        elif name not in TEXT_NAMES:
            hint = _hint(name, set(TEXT_NAMES) | codes)
            yield name, f"模板中的标签“{name}”不是本主题教育的指标，也不是可用的名称{hint}。"


def _hint(name: str, choices) -> str:
    close = difflib.get_close_matches(name, sorted(choices), n=1, cutoff=0.6)
    return f"（是不是“{close[0]}”？）" if close else ""


def _first(codes, root: str) -> str:
    return next((c for c in sorted(codes) if c.startswith(root + ".")), root + ".…")


def check_template(template: bytes, campaign) -> None:
    problems = template_problems(template, campaign)
    if problems:
        raise ValidationError(problems)


# Rendering -----------------------------------------------------------------------------------------


def render_summary(data: SummaryData, template: bytes) -> bytes:
    """The summary as a .docx: the template rendered with the data, zero figures' sentences left out."""
    tpl = _open(template)
    try:
        tpl.render(context_for(data), jinja_env=environment(), autoescape=True)
    except SecurityError as exc:
        raise ValidationError(f"模板含有不允许的写法：{exc}") from exc
    except TemplateError as exc:
        raise ValidationError(f"模板无法生成总结：{exc}") from exc
    finish(tpl.docx)
    tpl.docx.core_properties.title = data.title
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def finish(document) -> None:
    """Leave out what the marks say, remove the marks, and drop paragraphs left empty by a tag."""
    run_in = _style_id(document, STYLE_RUN_IN)
    for paragraph in list(document.element.body.iter(qn("w:p"))):
        tagged = paragraph.attrib.pop(TAGGED, None) is not None
        pruned = prune_paragraph(paragraph, run_in_style=run_in)
        if (tagged or pruned) and _removable(paragraph):
            paragraph.getparent().remove(paragraph)
    for section in document.sections:
        for part in (
            section.header,
            section.even_page_header,
            section.first_page_header,
            section.footer,
            section.even_page_footer,
            section.first_page_footer,
        ):
            if part.is_linked_to_previous:
                continue
            for paragraph in part._element.iter(qn("w:p")):
                prune_paragraph(paragraph)


def _style_id(document, name: str) -> str | None:
    for style in document.styles:
        if style.name == name:
            return style.style_id
    return None


def _own_texts(paragraph) -> list:
    """The paragraph's w:t elements, in order, not those of paragraphs nested in text boxes."""
    return [t for t in paragraph.iter(qn("w:t")) if next(t.iterancestors(qn("w:p")), None) is paragraph]


def _removable(paragraph) -> bool:
    if "".join(t.text or "" for t in _own_texts(paragraph)).strip():
        return False
    if any(paragraph.iter(qn("w:drawing"), qn("w:pict"), qn("w:object"), qn("w:sectPr"))):
        return False
    parent = paragraph.getparent()
    return not (parent.tag == qn("w:tc") and len(parent.findall(qn("w:p"))) == 1)


def plan(text: str) -> list[str]:
    """What each character of a paragraph's text becomes ("" = left out): clauses holding a ZERO mark go, a
    sentence goes whole when none of its remaining clauses holds a DATA mark, a sentence whose last clause
    went ends at its last remaining clause; the marks themselves go."""
    out = list(text)
    segments, start = [], 0
    for i, ch in enumerate(text):
        if ch in CLAUSE_END or ch in SENTENCE_END:
            segments.append((start, i + 1))
            start = i + 1
    if start < len(text):
        segments.append((start, len(text)))
    sentences, current = [], []
    for segment in segments:
        current.append(segment)
        if text[segment[1] - 1] in SENTENCE_END:
            sentences.append(current)
            current = []
    if current:
        sentences.append(current)
    for sentence in sentences:
        dropped = [ZERO in text[a:b] for a, b in sentence]
        if not any(dropped):
            continue
        kept = [s for s, gone in zip(sentence, dropped, strict=True) if not gone]
        if not any(DATA in text[a:b] for a, b in kept):
            kept = []
        for a, b in sentence:
            if (a, b) not in kept:
                out[a:b] = [""] * (b - a)
        if kept and kept[-1] != sentence[-1]:
            end = text[sentence[-1][1] - 1]
            last = kept[-1][1] - 1
            if text[last] in CLAUSE_END:
                out[last] = end if end in SENTENCE_END else ""
    return ["" if ch in (ZERO, DATA) else ch for ch in out]


def prune_text(text: str) -> str:
    return "".join(plan(text))


def prune_paragraph(paragraph, *, run_in_style: str | None = None) -> bool:
    """Apply `plan` to a paragraph's runs in place; True when something was left out (not just a mark).
    A paragraph that lost sentences and keeps only its run-in heading (段首小标题) is emptied too."""
    texts = _own_texts(paragraph)
    whole = "".join(t.text or "" for t in texts)
    if ZERO not in whole and DATA not in whole:
        return False
    result = plan(whole)
    pruned = any(new == "" and old not in (ZERO, DATA) for old, new in zip(whole, result, strict=True))
    position = 0
    remaining_outside_heading = False
    for t in texts:
        length = len(t.text or "")
        new = "".join(result[position : position + length])
        position += length
        t.text = new
        t.set(qn("xml:space"), "preserve")
        if new.strip() and not _in_run_style(t, run_in_style):
            remaining_outside_heading = True
    if pruned and run_in_style and not remaining_outside_heading:
        for t in texts:
            t.text = ""
    return pruned


def _in_run_style(t, style_id: str | None) -> bool:
    if not style_id:
        return False
    run = t.getparent()
    rpr = run.find(qn("w:rPr"))
    style = rpr.find(qn("w:rStyle")) if rpr is not None else None
    return style is not None and style.get(qn("w:val")) == style_id
