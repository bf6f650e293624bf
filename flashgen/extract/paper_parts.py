"""A post about one paper: each section (Abstract, Method, Results…) is a part of its summary."""

from __future__ import annotations

import re

from flashgen import phrasing
from flashgen.extract import shapes
from flashgen.extract.common import (
    Found,
    PaperRef,
    PostContext,
    asking_language,
    make_note,
    summary,
    with_blocks,
)
from flashgen.extract.navigation import is_reading_list
from flashgen.extract.papers import NUMBERED, extra_field, is_title_heading
from flashgen.model import ListBlock, NoteKind, Paragraph, Section
from flashgen.read import render
from flashgen.settings import Limits

# The parts of a paper a reader wants to recall on their own: its problem, idea, method,
# contributions, limits and conclusion. Experiments, results tables, ablations, datasets, related
# work and discussion were judged the weakest cards (a whole section, or its setup narration, for
# an answer); their lists and definitions are still read by the later rules.
_PART = re.compile(
    r"^(?:motivation|problem(?:\s+statement)?|method(?:s|ology)?|approach|proposed\s+(?:method|approach)|"
    r"contributions?|limitations?|conclusions?|key\s+ideas?|main\s+ideas?|results?|experimental\s+results?|"
    r"findings|문제|문제\s*정의|동기|방법|방법론|제안\s*(?:방법|기법)|기여|한계|한계점|결론|핵심\s*아이디어|"
    r"결과|실험\s*결과|why|what|so|so\s+what|critic|critique)$",
    re.IGNORECASE,
)
# A reviewer's template for a paper's parts: "WHY?", "WHAT?", "So?", "Critic".
_TEMPLATE_PART = {
    "why": ("동기", "motivation"),
    "what": ("방법", "method"),
    "so": ("결과", "results"),
    "so what": ("결과", "results"),
    "critic": ("한계", "limitations"),
    "critique": ("한계", "limitations"),
}
# An answer that opens on a figure, a table or the experiments' setup, not on what was found.
_SETUP_OPENING = re.compile(
    r"^(?:(?:the\s+)?(?:table|fig(?:ure)?\.?)\s*\d|(?:as\s+shown\s+in|see)\s+(?:table|fig)|we\s+(?:conduct|evaluate|"
    r"use|train|run|compare|test)\b|(?:위|아래)(?:의)?\s*(?:그림|표|그래프)|(?:그림|표|fig(?:ure)?\.?|table)\s*\d)",
    re.IGNORECASE,
)


# The sections that say what a paper is about: the first of these asks "What is the paper about?".
_OVERVIEW = re.compile(
    r"^(?:abstract|summary|tl;?dr|overview|introduction|intro|개요|요약|초록|서론|소개|핵심\s*요약|한\s*줄\s*요약)$",
    re.IGNORECASE,
)


def _enumerations_only(section: Section, limits: Limits) -> bool:
    """A section that is lists of short points (after an optional lead-in): the lists rule
    makes better cards of those. Lists of sentences are the paper's notes: a part's answer
    (under a bare heading the lists rule does not ask for sentences one at a time)."""
    blocks = list(section.blocks)
    if blocks and isinstance(blocks[0], Paragraph) and len(blocks) > 1:
        blocks = blocks[1:]
    if not blocks or not all(isinstance(b, ListBlock) for b in blocks):
        return False
    items = [item.inline.text for b in blocks if isinstance(b, ListBlock) for item in b.items]
    return len(items) >= 2 and all(
        shapes.is_point(text, limits.max_item_chars) and not shapes.is_sentence(text) for text in items
    )


def _named(pattern: re.Pattern[str], title: str) -> bool:
    """A heading names a part, numbered or with a translation: "1. 서론(Introduction)",
    "초록 (Abstract)", "2. Method"."""
    title = NUMBERED.sub("", title).strip().rstrip("?？").strip()
    inside = re.findall(r"\(([^()]{1,40})\)", title)
    outside = re.sub(r"\([^()]*\)", "", title).strip()
    return any(pattern.match(name.strip()) for name in (title, outside, *inside) if name.strip())


def _asks_overview(section: Section, context: PostContext) -> bool:
    """The post's first overview section (Abstract, Introduction, 요약…) with text gets the paper's
    card; with none, the first section with text does (the review opens with what it is about)."""
    return _overview_section(context) is section


# The overview section of the post read last: the rule asks for it once per section, and it takes
# rendering every section's summary to find (a post's sections are read one after another).
_LAST: list[tuple[tuple[Section, ...], Section | None]] = []


def _overview_section(context: PostContext) -> Section | None:
    last = _LAST[0] if _LAST else None  # read once: another thread may replace it
    if last is not None and last[0] is context.sections:
        return last[1]
    found = _find_overview(context)
    _LAST[:] = [(context.sections, found)]
    return found


def _find_overview(context: PostContext) -> Section | None:
    """The section that says what the paper is about: the first one named so (Overview, Summary,
    Abstract, or "What" in a WHY/WHAT/SO review) that has text, else none when the text before
    any heading says it, else the first section with text. A section's text is rendered only
    when it is the candidate asked about (rendering every section twice was most of this rule)."""
    candidates = [s for s in context.sections if s.level > 0 and not is_title_heading(s)]
    has_text: dict[int, bool] = {}

    def with_text(section: Section) -> bool:
        if id(section) not in has_text:
            has_text[id(section)] = bool(
                render.text(render.block(section.md))
                and render.text(summary(section.blocks, context.limits)[0])  # not only links and a byline
            )
        return has_text[id(section)]

    def what(section: Section) -> bool:
        # In a "WHY? / WHAT? / So?" review, WHAT? says what the paper does; WHY? is its motivation.
        return section.title.strip().rstrip("?？").strip().casefold() == "what"

    for named in (lambda s: _named(_OVERVIEW, s.title), what):
        if found := next((s for s in candidates if named(s) and with_text(s)), None):
            return found
    if _preamble_summarises(context):
        return None  # the text before any heading said what the paper is about: asked once
    return next((s for s in candidates if with_text(s)), None)


def _preamble_summarises(context: PostContext) -> bool:
    """The text before the first heading is the paper's summary (as `_overview` reads it)."""
    preamble = next((s for s in context.sections if s.level == 0), None)
    if preamble is None:
        return False
    blocks = [b for b in preamble.blocks if not (isinstance(b, ListBlock) and is_reading_list(b))]
    text = render.text(summary(blocks, context.limits, idea=True)[0])
    return len(text.split()) >= _OVERVIEW_WORDS and shapes.wordy(text)


def rule(section: Section, context: PostContext) -> Found | None:
    paper = context.post_paper
    if paper is None:
        return None
    if section.level == 0 or not section.title:
        # The text before any heading summarises the paper when no Abstract/Introduction does.
        if section.level != 0 or any(_named(_OVERVIEW, s.title) for s in context.sections if s.level > 0):
            return None
        return _overview(section, context, paper)
    if section.title.casefold() in (section.post.title.casefold(), paper.title.casefold()):
        return None  # the post's own title heading: what is under it is the preamble (authors, links)
    if _enumerations_only(section, context.limits):
        return None
    overview = _asks_overview(section, context)
    if not (overview or _named(_PART, section.title)):
        # "In “X”, what is <any heading>?" was the weakest card judged (a section's title for a
        # question, its opening narration for an answer). A section named for a concept is read
        # by the later rules instead: its lists, and the definition its first sentence gives.
        # So is a part that is not asked about (Experiments, Related work…).
        return None
    # A part's answer is brief (its first sentences; the rest in Extra); the overview is the summary.
    answer, rest = summary(section.blocks, context.limits, brief=not overview, idea=overview)
    if not render.text(answer) or (not overview and _SETUP_OPENING.match(render.text(answer))):
        return None
    lang = asking_language(section.post, answer)
    kind: NoteKind = "paper-part"
    if overview:
        kind, question = "paper", phrasing.question(lang, "paper", title=paper.title)
    else:
        name = NUMBERED.sub("", section.title).strip().rstrip("?？").strip()
        if name.casefold() in _TEMPLATE_PART:  # "WHY?" is the paper's motivation
            name = _TEMPLATE_PART[name.casefold()][0 if lang == "ko" else 1]
        name = re.sub(r"\s*\([^()]*\)", "", name).strip() or name  # "서론(Introduction)": 서론
        part = name if lang == "ko" else name.lower()
        plural = lang != "ko" and part.endswith("s") and not part.endswith(("ss", "sis"))
        template = "paper-sections" if plural else "paper-section"
        question = phrasing.question(lang, template, title=paper.title, part=part)
    note = make_note(
        section,
        kind=kind,
        identity=(paper.pid,),
        front=render.escape(question),
        back=answer,
        extra=extra_field(paper, rest),
    )
    notices = (
        ((section.line, "the section was shortened; the rest is in Extra"),) if render.text(rest) else ()
    )
    # Short-point lists in it still get their own cloze: they are asked for one at a time.
    lists = [b for b in section.blocks if isinstance(b, ListBlock)]
    return Found((note,), rest=with_blocks(section, lists) if lists else None, notices=notices)


_OVERVIEW_WORDS = 8  # fewer words are a citation and a formula: nothing a reader could say back


def _overview(section: Section, context: PostContext, paper: PaperRef) -> Found | None:
    # A list of links before any heading is a reading list (a bibliography), not the paper's summary.
    blocks = [b for b in section.blocks if not (isinstance(b, ListBlock) and is_reading_list(b))]
    answer, rest = summary(blocks, context.limits, idea=True)
    text = render.text(answer)
    if len(text.split()) < _OVERVIEW_WORDS or not shapes.wordy(text):
        return None  # a citation and a formula: nothing a reader could say back
    question = phrasing.question(asking_language(section.post, answer), "paper", title=paper.title)
    note = make_note(
        section,
        kind="paper",
        identity=(paper.pid,),
        front=render.escape(question),
        back=answer,
        extra=extra_field(paper, rest),
    )
    return Found((note,))
