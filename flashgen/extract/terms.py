"""Explicit one-line cards: `question :: answer` (spaces around `::`, so `std::vector` is safe)."""

from __future__ import annotations

import re

from flashgen import phrasing
from flashgen.extract.common import Found, PostContext, blocks_left, make_note, without_items
from flashgen.model import Block, ListBlock, Note, Paragraph, Section
from flashgen.read import render

_TERM = re.compile(r"^\s*(?P<q>[^\s:](?:.*?\S)?)\s+::\s+(?P<a>\S.*?)\s*$")


def rule(section: Section, context: PostContext) -> Found | None:
    notes: list[Note] = []
    used: dict[int, Block | None] = {}
    for i, block in enumerate(section.blocks):
        if isinstance(block, Paragraph) and "::" in block.md:
            found = [
                (m, block.line + n) for n, ln in enumerate(block.md.split("\n")) if (m := _TERM.match(ln))
            ]
            if found:
                used[i] = None
                notes.extend(note for m, line in found if (note := _note(section, m, line)))
        elif isinstance(block, ListBlock):
            matches = {
                k: m
                for k, item in enumerate(block.items)
                if "::" in item.inline.md and (m := _TERM.match(item.inline.md))
            }
            for k, match in matches.items():
                if note := _note(section, match, block.items[k].line):
                    notes.append(note)
            if matches:
                used[i] = without_items(block, matches)
    if not used:
        return None
    return Found(tuple(notes), rest=blocks_left(section, used))


def _note(section: Section, match: re.Match[str], line: int) -> Note | None:
    left, back = match.group("q"), render.inline(match.group("a"))
    term = render.text(render.inline(left))
    if not term or not render.text(back):
        return None
    asked = term.endswith(("?", "？")) or len(term.split()) > 6
    if asked:
        front = render.inline(left)  # already a question
    else:
        front = render.escape(phrasing.question(section.post.lang, "definition", term=term))
    return make_note(
        section,
        kind="term",
        identity=("term", term),
        front=front,
        back=back,
        line=line,
        term="" if asked else left.strip(),
    )
