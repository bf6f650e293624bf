"""A heading that asks a question ("## Why does attention scale by √d?"); its section answers it.

A "What is X?" heading ("## What is an inception module?", "## Dilated convolution이란?") is
answered by the sentence of the section that says what X is ("An inception module is …"), not by
whatever opens the section (a motivation, an epigraph, a history); any other question by the
section's first sentences. The rest is in Extra either way.
"""

from __future__ import annotations

import re

from flashgen.extract import shapes
from flashgen.extract.common import Found, PostContext, make_note, summary
from flashgen.extract.papers import paper_id
from flashgen.model import ListBlock, Paragraph, Section
from flashgen.read import render

_WHAT_IS = re.compile(
    r"^(?:what\s+(?:is|are)\s+(?:an?\s+|the\s+)?(?P<en>.+?)|(?P<ko>.+?)(?:이란|란|은|는|이|가)\s*(?:무엇|뭘까|뭔가)?"
    r"(?:인가요|인가|일까요|일까|입니까|이죠|요|예요|에요)?)\s*[?？]$",
    re.IGNORECASE,
)
_QUOTES = ("“", '"', "‘", "「")
_AUDIENCE_NOTICE = "a question from a talk's Q&A (the speaker's answer); no card"
_AUDIENCE = re.compile(r"\bq\s*&\s*a\b|\bqna\b|질의\s*응답|질문\s*(?:과|및)\s*답변|\bama\b", re.IGNORECASE)
_LOOKED_AT = 8  # sentences of the section searched for the one that says what X is


# A heading that is only a question word ("WHY?", "So?", "왜?"): a reviewer's part, not a question.
_BARE = re.compile(
    r"^(?:why|what|how|so|so\s+what|who|when|where|which|왜|무엇|어떻게|그래서)\s*[?？]+$", re.IGNORECASE
)


_RHETORICAL = re.compile(r"(?:면|라면|다면)\s*어떨까요?\s*[?？]$|어떨까\s*[?？]$|^what\s+if\b", re.IGNORECASE)


def rule(section: Section, context: PostContext) -> Found | None:
    title = section.title.strip()
    if title.count("**") % 2:  # "…방법?**": a bold left open in the heading
        title = re.sub(r"^\*\*|\*\*$", "", title, count=1).strip()
    if not title.endswith(("?", "？")) or _BARE.match(title):
        return None
    if _RHETORICAL.search(title):
        # "새로운 것을 빨리 배울 필요가 있으면 어떨까요?", "What if we had no labels?": a slide's hook,
        # answered by what follows, not a question to recall.
        return Found(
            rest=section, notices=((section.line, "a rhetorical question (a hook), not one to recall"),)
        )
    if any(_AUDIENCE.search(title) for title in section.path[:-1]):
        # "## 질의응답" / "#### Q5: 본받을만한 AI 연구자가 있을까요?": a talk's audience asking the
        # speaker; the answers are the speaker's views and advice, not the post's notes.
        return Found(notices=((section.line, _AUDIENCE_NOTICE),))
    # The answer is brief, the rest in Extra (a whole section under a question was judged too long
    # to answer from memory), and said in words: prose, points and formulas, not code or tables.
    blocks = [b for b in section.blocks if isinstance(b, Paragraph | ListBlock)]
    while blocks and isinstance(blocks[0], Paragraph) and blocks[0].inline.text.lstrip().startswith(_QUOTES):
        blocks.pop(0)  # an epigraph: "“I give you the desert chameleon …”"
    match = _WHAT_IS.match(title)
    if not match and _links_a_paper(blocks):
        return None  # "## Do Better ImageNet Models Transfer Better?" + its arXiv link: a paper's title
    said = _says_what(section, match) if match else ""
    if not said and not _direct(blocks):
        # A question answered by a derivation, a figure or a long discussion: no card of its own
        # (judged worth keeping about 1 time in 4); its lists and definitions are still read.
        return Found(rest=section, notices=((section.line, "a question the section answers only at length"),))
    if not said and _ASKS_WHAT_IT_IS.search(title):
        said = _first_point(blocks)  # "미분이 뭔가요?" over a list: the point that says what it is
    answer, rest = (said, render.block(section.md)) if said else summary(blocks, context.limits, brief=True)
    if not render.text(answer):
        return None  # the answer is in its subsections, which are judged on their own
    if not said and len(render.text(answer)) > _SAID_BACK_ROOM:
        # Even shortened, an answer of several sentences is a passage to reread, not one to recall
        # (judged worth keeping about 1 time in 12, against 1 in 2 for shorter ones).
        return Found(rest=section, notices=((section.line, "a question the section answers only at length"),))
    if _PLACEHOLDER.match(render.text(answer)):
        return Found(
            notices=((section.line, "the answer is a placeholder (소개 필요, TODO, TBD); no notes"),)
        )
    note = make_note(
        section,
        kind="question",
        identity=(),
        front=render.escape(shapes.without_outline_number(title)),
        back=answer,
        extra=rest,
    )
    shortened = bool(render.text(rest))  # not only figures, which go to Extra whatever the length
    notices = ((section.line, "the answer was shortened; the rest is in Extra"),) if shortened else ()
    # The section's lists are still asked one point at a time by the later rules, and so is what
    # did not fit the answer; a short answer in prose is the card.
    lists = any(isinstance(block, ListBlock) for block in section.blocks)
    return Found((note,), rest=section if lists or shortened else None, notices=notices)


def _links_a_paper(blocks: list[Paragraph | ListBlock]) -> bool:
    """The section opens with a link to a paper (arXiv, DOI, OpenReview…)."""
    first = blocks[0] if blocks else None
    return isinstance(first, Paragraph) and any(paper_id(link.url) for link in first.inline.links)


# An answer not written yet: "소개 필요", "TODO", "TBD", "(작성 중)".
_PLACEHOLDER = re.compile(
    r"^\W*(?:[가-힣]{1,4}\s*(?:필요|예정|중)|todo|tbd|tba|wip|coming\s+soon|to\s+be\s+(?:added|written|continued))\W*$",
    re.IGNORECASE,
)
_DIRECT_ROOM = 280  # characters: an answer a reader can say back
_SAID_BACK_ROOM = 250  # characters of the answer itself, once shortened to its first sentences


def _direct(blocks: list[Paragraph | ListBlock]) -> bool:
    """The section answers its question at once: its first block is a short paragraph or list of
    statements, not a formula, a lead-in to one, or the opening of a long discussion."""
    if not blocks:
        return False
    block = blocks[0]
    # The Markdown's text (no rendering: most question headings are answered at length).
    first = (
        block.inline.text
        if isinstance(block, Paragraph)
        else " ".join(item.inline.text for item in block.items)
    )
    return (
        0 < len(first) <= _DIRECT_ROOM
        and not first.rstrip().endswith((":", "：", "?", "？"))
        and not first.lstrip().startswith(("\\[", "\\("))
    )


# "미분이 뭔가요?", "CPU란?", "What is a kernel?": a question asking what a term is, not why or how.
_ASKS_WHAT_IT_IS = re.compile(
    r"(?:이란|란)\s*(?:무엇인가요|무엇인가|뭔가요)?\s*[?？]$|(?:은|는|이|가)\s*(?:무엇|뭔가|뭘까|뭐)(?:인가요|인가|일까요|일까|요|예요)?"
    r"\s*[?？]$|^what\s+(?:is|are)\b",
    re.IGNORECASE,
)
_ANNOUNCES = re.compile(r"(?:다음|아래)(?:과|와)\s*같|[:：]\s*$|(?:필요|중요)(?:하다|함|합니다)\s*[.。]?$")


def _first_point(blocks: list[Paragraph | ListBlock]) -> str:
    """ "## 미분이 뭔가요?" over "- 변수의 움직임에 따른 함수값의 변화를 측정하는 도구이다. - 미분은 …
    - sympy로 …": what the term is is the first point, when it says so as a sentence; the others
    (uses, code, caveats) go to Extra. Judged: the whole list as the answer was too much to recall."""
    if not blocks or not isinstance(blocks[0], ListBlock):
        return ""
    first = blocks[0].items[0]
    text = first.inline.text.strip()
    if (
        len(blocks[0].items) < 2
        or first.children
        or not shapes.is_sentence(text)
        or shapes.width(text) > 200
        or _ANNOUNCES.search(text)
    ):
        return ""
    return render.inline(first.inline.md)


def _says_what(section: Section, match: re.Match[str]) -> str:
    """The first sentence of the section's prose that opens with the term asked about ("Evolution
    strategies (ES) belong to …", "Dilated convolution이란 …"), as HTML; "" when none does."""
    term = (match.group("en") or match.group("ko") or "").strip().casefold()
    if len(term) < 2:
        return ""
    seen = 0
    for block in section.blocks:
        if not isinstance(block, Paragraph):
            continue
        md = block.inline.md.strip()
        for sentence in shapes.split_sentences(md):
            seen += 1
            plain = render.plain(sentence)
            text = re.sub(r"^(?:an?|the)\s+", "", plain.casefold())
            if text.startswith((term, term.removesuffix("s"))) and shapes.is_sentence(plain):
                return render.inline(sentence)
            if seen >= _LOOKED_AT:
                return ""
    return ""
