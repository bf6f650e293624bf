"""A heading that asks a question ("## Why does attention scale by √d?"); its section answers it."""

from __future__ import annotations

from flashgen import render
from flashgen.extract.common import Found, PostContext, make_note, summary
from flashgen.model import Section


def rule(section: Section, context: PostContext) -> Found | None:
    if not section.title.endswith(("?", "？")):
        return None
    # The answer is brief: the section's first sentences or points, the rest in Extra (a whole
    # section under a question was judged too long to answer from memory).
    answer, rest = summary(section.blocks, context.limits, brief=True)
    if not render.text(answer):
        return None  # the answer is in its subsections, which are judged on their own
    note = make_note(
        section, kind="question", identity=(), front=render.escape(section.title), back=answer, extra=rest
    )
    notices = ((section.line, "the answer was shortened; the rest is in Extra"),) if rest else ()
    # Lists in a long answer may still be asked one point at a time by the later rules.
    return Found((note,), rest=section if rest else None, notices=notices)
