"""Explicit clozes: Anki's own `{{c1::answer}}` (and `{{c1::answer::hint}}`), and `==highlight==`.

A paragraph or list item holding one becomes a cloze note; each `==highlight==` is a deletion of
its own (a card each), numbered after the author's own `cN`.
"""

from __future__ import annotations

import re

from flashgen.extract.common import Found, PostContext, blocks_left, make_note, without_items
from flashgen.model import Block, ListBlock, Note, Paragraph, Section
from flashgen.read import render
from flashgen.read.kramdown import CODE_SPAN

_ANKI = re.compile(r"\{\{c(\d{1,3})::(.+?)(?:::([^{}]*?))?\}\}", re.DOTALL)
# Korean particles follow a highlight directly (==재해싱==으로), so no word boundary is asked for.
_HIGHLIGHT = re.compile(r"(?<![=\\])==(?=[^\s=])(.+?)(?<=[^\s=])==(?!=)")
_HOLE = "FGHOLE{}X"
_HOLE_MARK = re.compile(r"FGHOLE(\d+)X")
# A highlight's cloze number: after the author's own, up to this one (a paragraph of thousands of
# highlights is not a note to study; past it, the highlighted words stay as text, with a warning).
LAST_NUMBER = 9_999


def has_cloze(md: str) -> bool:
    if "{{c" not in md and "==" not in md:
        return False  # most text: no regular expression needed
    masked = CODE_SPAN.sub("", md)
    return bool(_ANKI.search(masked) or _HIGHLIGHT.search(masked))


def cloze_html(md: str) -> tuple[str | None, int]:
    """The card text of `md` with its clozes as Anki cloze deletions (None if it has none), and
    how many of its highlights were left as text, past the last cloze number."""
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
    numbers = iter(range(max((n for n, _, _ in holes), default=0) + 1, LAST_NUMBER + 1))
    left = 0

    def highlight(match: re.Match[str]) -> str:
        nonlocal left
        number = next(numbers, None)
        if number is None:  # past the last number: the highlighted words stay, as text
            left += 1
            return match.group(1)
        return hole(number, match.group(1), "")

    masked = _HIGHLIGHT.sub(highlight, masked)
    if not holes:
        return None, left
    answers = []
    for number, inside, hint in holes:
        answer = render.inline(inside)
        if not render.text(answer):
            return None, left
        answers.append(render.cloze(number, answer, render.escape(hint)))
    return _filled(render.inline(unmask(masked)), answers), left


def _filled(html: str, answers: list[str]) -> str:
    """`html` with each hole's first mark replaced by its deletion, in one pass (a `str.replace`
    for each went over the whole text once per deletion: quadratic in a paragraph of many)."""
    done: set[int] = set()

    def fill(mark: re.Match[str]) -> str:
        index = int(mark.group(1))
        if index >= len(answers) or index in done:  # the post's own text, not a hole
            return mark.group(0)
        done.add(index)
        return answers[index]

    return _HOLE_MARK.sub(fill, html)


def rule(section: Section, context: PostContext) -> Found | None:
    notes: list[Note] = []
    warnings: list[tuple[int, str]] = []
    used: dict[int, Block | None] = {}

    def add(md: str, line: int) -> None:
        made, said = _note(section, md, line)
        notes.extend(made)
        warnings.extend(said)

    for i, block in enumerate(section.blocks):
        if isinstance(block, Paragraph) and has_cloze(block.md):
            used[i] = None
            add(block.md, block.line)
        elif isinstance(block, ListBlock):
            taken = {k for k, item in enumerate(block.items) if has_cloze(item.inline.md)}
            for k in sorted(taken):
                add(block.items[k].inline.md, block.items[k].line)
            if taken:
                used[i] = without_items(block, taken)
    if not used:
        return None
    return Found(tuple(notes), rest=blocks_left(section, used), warnings=tuple(warnings))


def _note(section: Section, md: str, line: int) -> tuple[list[Note], list[tuple[int, str]]]:
    html, left = cloze_html(md)
    warnings = [(line, _past_the_last(left))] if left else []
    if html is None:
        return [], warnings
    # Its identity is the sentence around the deletions: editing an answer keeps the note.
    identity = ("cloze", " ".join(_HIGHLIGHT.sub("…", _ANKI.sub("…", md)).split()))
    note = make_note(section, kind="cloze", identity=identity, front=html, cloze=True, line=line)
    return [note], warnings


def _past_the_last(left: int) -> str:
    return (
        f"{left:,} highlight{'s' if left > 1 else ''} in this paragraph left as text, not clozes: "
        f"a note's cloze numbers stop at {LAST_NUMBER:,} (split the paragraph, or highlight less)"
    )
