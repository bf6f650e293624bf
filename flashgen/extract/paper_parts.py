"""A post about one paper: each section (Abstract, Method, Results…) is a part of its summary."""

from __future__ import annotations

import re

from flashgen import phrasing, render
from flashgen.extract.common import Found, PostContext, fits, make_note, too_long
from flashgen.extract.papers import extra_field
from flashgen.model import ListBlock, Paragraph, Section

# The sections a paper (and a summary of one) is made of: "What is the method of “X”?" reads
# well for these; any other heading is asked about as a topic ("In “X”, what is Y?").
_PART = re.compile(
    r"^(?:abstract|introduction|motivation|background|problem(?:\s+statement)?|method(?:s|ology)?|approach|"
    r"proposed\s+method|model|architecture|experiments?|experimental\s+results?|results?|evaluation|"
    r"contributions?|limitations?|conclusions?|key\s+ideas?|main\s+ideas?|summary|tl;?dr|overview|"
    r"discussion|findings|ablations?(?:\s+stud(?:y|ies))?|dataset|datasets|related\s+work|future\s+work|"
    r"초록|요약|개요|서론|배경|문제|문제\s*정의|동기|방법|방법론|제안\s*방법|모델|구조|아키텍처|실험|결과|"
    r"실험\s*결과|평가|기여|한계|한계점|결론|핵심\s*아이디어|관련\s*연구|데이터셋)$",
    re.IGNORECASE,
)


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
    if _PART.match(section.title):
        part = section.title if lang == "ko" else section.title.lower()
        question = phrasing.question(lang, "paper-section", title=paper.title, part=part)
    else:
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
