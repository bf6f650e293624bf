"""A post about one paper: each section (Abstract, Method, Results…) is a part of its summary."""

from __future__ import annotations

from flashgen import phrasing, render
from flashgen.extract.common import Found, PostContext, fits, make_note, too_long
from flashgen.extract.papers import extra_field
from flashgen.model import ListBlock, Paragraph, Section


def _only_lists(section: Section) -> bool:
    """A section that is a list (after an optional lead-in): the lists rule makes better cards."""
    blocks = list(section.blocks)
    if blocks and isinstance(blocks[0], Paragraph) and len(blocks) > 1:
        blocks = blocks[1:]
    return bool(blocks) and all(isinstance(b, ListBlock) for b in blocks)


def rule(section: Section, context: PostContext) -> Found | None:
    paper = context.post_paper
    if paper is None or section.level == 0 or not section.title or _only_lists(section):
        return None
    answer = render.block(section.md)
    if not render.text(answer):
        return None
    if not fits(answer, context.limits):
        return Found(rest=section, notices=((section.line, too_long("the section", answer, context.limits)),))
    lang = section.post.lang
    question = phrasing.question(lang, "paper-part", title=paper.title, part=section.title)
    note = make_note(
        section,
        kind="paper-part",
        identity=(paper.pid,),
        front=render.escape(question),
        back=answer,
        extra=extra_field(paper),
    )
    return Found((note,))
