"""Leaving out what a rendered summary must not print: the clause (or sentence) of a figure that is zero.

The rendering puts invisible marks around what it printed (template_context): ZERO for a zero or missing
figure or an empty example list, DATA for a stated one. `finish` reads the marks paragraph by paragraph,
leaves out the clauses and sentences they condemn, removes the marks and drops paragraphs left empty.
"""

from __future__ import annotations

from docx.oxml.ns import qn

from .docx_layout import STYLE_RUN_IN

# Invisible marks the rendering puts around what it printed, read and removed by `finish`.
ZERO = "\ue000"  # a zero or missing figure, an empty example list: its clause is left out
DATA = "\ue001"  # a stated figure or a non-empty example list
CLAUSE_END = "，,；;"
SENTENCE_END = "。！？!?"
TAGGED = "{urn:taizhang:reports}tagged"  # set on each paragraph holding a tag, before rendering


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
