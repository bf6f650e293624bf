"""A heading that asks a question ("## Why does attention scale by √d?"); its section answers it."""

from __future__ import annotations

from flashgen import render
from flashgen.extract.common import Found, PostContext, fits, make_note, too_long
from flashgen.model import Section


def rule(section: Section, context: PostContext) -> Found | None:
    if not section.title.endswith(("?", "？")):
        return None
    answer = render.block(section.md)
    if not render.text(answer):
        return None  # the answer is in its subsections, which are judged on their own
    if not fits(answer, context.limits):
        # Too long for one card: the later rules may still find lists in it.
        return Found(rest=section, notices=((section.line, too_long("the answer", answer, context.limits)),))
    note = make_note(section, kind="question", identity=(), front=render.escape(section.title), back=answer)
    return Found((note,))
