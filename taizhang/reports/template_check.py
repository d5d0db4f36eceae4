"""Reading a summary template and checking it before it is stored: every tag must name a declared indicator of
the campaign or one of the template's names (TEXT_NAMES), and the template must parse in the sandbox."""

from __future__ import annotations

import difflib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from jinja2 import TemplateSyntaxError, nodes
from jinja2.meta import find_undeclared_variables

from .examples import known_names
from .summary import declared_indicators
from .template_context import TEXT_NAMES, environment
from .template_pruning import TAGGED

# Reading a template --------------------------------------------------------------------------------


class MarkedTemplate(DocxTemplate):
    """docxtpl, marking each paragraph that holds a tag before rendering (see `finish`)."""

    def build_xml(self, context, jinja_env=None):
        for paragraph in self.docx.element.body.iter(qn("w:p")):
            text = "".join(t.text or "" for t in paragraph.iter(qn("w:t")))
            if "{{" in text or "{%" in text:
                paragraph.set(TAGGED, "1")
        return super().build_xml(context, jinja_env)


def open_template(template: bytes) -> MarkedTemplate:
    try:
        tpl = MarkedTemplate(io.BytesIO(template))
        tpl.init_docx()
    except Exception as exc:  # python-docx raises many kinds for a file that is no Word document
        raise ValidationError("文件不是有效的 Word（.docx）文件。") from exc
    return tpl


def template_source(tpl: MarkedTemplate) -> str:
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
    tpl = open_template(template)
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
