"""Explicit clozes: Anki's own `{{c1::answer}}` (and `{{c1::answer::hint}}`), and `==highlight==`.

A paragraph or list item holding one becomes a cloze note; each `==highlight==` is a deletion of
its own (a card each), numbered after the author's own `cN`.
"""

from __future__ import annotations

import re

from flashgen import render
from flashgen.extract.common import Found, PostContext, blocks_left, make_note, without_items
from flashgen.kramdown import CODE_SPAN
from flashgen.model import Block, ListBlock, Note, Paragraph, Section

_ANKI = re.compile(r"\{\{c(\d{1,3})::(.+?)(?:::([^{}]*?))?\}\}", re.DOTALL)
# Korean particles follow a highlight directly (==재해싱==으로), so no word boundary is asked for.
_HIGHLIGHT = re.compile(r"(?<![=\\])==(?=[^\s=])(.+?)(?<=[^\s=])==(?!=)")
_HOLE = "FGHOLE{}X"


def has_cloze(md: str) -> bool:
    if "{{c" not in md and "==" not in md:
        return False  # most text: no regular expression needed
    masked = CODE_SPAN.sub("", md)
    return bool(_ANKI.search(masked) or _HIGHLIGHT.search(masked))


def cloze_html(md: str) -> str | None:
    """The card text of `md` with its clozes as Anki cloze deletions; None if it has none."""
    spans: list[str] = []

    def keep_code(match: re.Match[str]) -> str:
        spans.append(match.group(0))
        return f"FGCODE{len(spans) - 1}X"

    def unmask(text: str) -> str:
        return re.sub(r"FGCODE(\d+)X", lambda m: spans[int(m.group(1))], text)

    holes: list[tuple[int, str, str]] = []  # (number, Markdown inside, hint)

    def hole(number: int, inside: str, hint: str) -> str:
        holes.append((number, unmask(inside), hint))
        return _HOLE.format(len(holes) - 1)

    masked = CODE_SPAN.sub(keep_code, md)
    masked = _ANKI.sub(lambda m: hole(int(m.group(1)), m.group(2), m.group(3) or ""), masked)
    numbers = iter(range(max((n for n, _, _ in holes), default=0) + 1, 10_000))
    masked = _HIGHLIGHT.sub(lambda m: hole(next(numbers), m.group(1), ""), masked)
    if not holes:
        return None
    html = render.inline(unmask(masked))
    for index, (number, inside, hint) in enumerate(holes):
        answer = render.inline(inside)
        if not render.text(answer):
            return None
        html = html.replace(_HOLE.format(index), render.cloze(number, answer, render.escape(hint)), 1)
    return html


def rule(section: Section, context: PostContext) -> Found | None:
    notes: list[Note] = []
    used: dict[int, Block | None] = {}
    for i, block in enumerate(section.blocks):
        if isinstance(block, Paragraph) and has_cloze(block.md):
            used[i] = None
            notes.extend(_note(section, block.md, block.line))
        elif isinstance(block, ListBlock):
            taken = {k for k, item in enumerate(block.items) if has_cloze(item.inline.md)}
            for k in sorted(taken):
                notes.extend(_note(section, block.items[k].inline.md, block.items[k].line))
            if taken:
                used[i] = without_items(block, taken)
    if not used:
        return None
    return Found(tuple(notes), rest=blocks_left(section, used))


def _note(section: Section, md: str, line: int) -> list[Note]:
    html = cloze_html(md)
    if html is None:
        return []
    # Its identity is the sentence around the deletions: editing an answer keeps the note.
    identity = ("cloze", " ".join(_HIGHLIGHT.sub("…", _ANKI.sub("…", md)).split()))
    return [make_note(section, kind="cloze", identity=identity, front=html, cloze=True, line=line)]
