"""Navigation is not knowledge: tables of contents, reference and link lists give no notes."""

from __future__ import annotations

import re
from collections import Counter

from flashgen.extract.common import Found, PostContext, with_blocks
from flashgen.model import ListBlock, ListItem, Section

_NAVIGATION = re.compile(
    r"^(?:목차|차례|참고|참고\s*자료|참고\s*문헌|참조|레퍼런스|관련\s*(?:글|포스트|자료)|링크|더\s*읽을\s*거리|"
    r"table\s+of\s+contents|contents|toc|references?|bibliography|sources|resources|links|"
    r"see\s+also|related(?:\s+(?:posts?|articles?|reading))?|further\s+reading|reading\s+list|"
    # what a course or a series will cover: its syllabus, not what it teaches
    r"(?:강의\s*|다룰\s*|다루는\s*)?(?:주제|주제들|커리큘럼|강의\s*계획|강의\s*일정)|syllabus|curriculum|agenda|"
    r"course\s+outline|outline|topics(?:\s+covered)?)$",
    re.IGNORECASE,
)
_LEFTOVER = re.compile(r"[\s\-–—:|·,()\[\]]*")


def is_link_list(block: ListBlock) -> bool:
    """A list whose every item is only links ("- [Post](…)"): navigation."""
    return all(_only_links(item) for item in block.items)


def is_reading_list(block: ListBlock) -> bool:
    """A list most of whose items are only links (a bibliography with a stray line in it)."""
    return 3 * sum(map(_only_links, block.items)) >= 2 * len(block.items)


def _only_links(item: ListItem) -> bool:
    text = item.inline.text
    if not item.inline.links:
        return False
    for link in item.inline.links:
        text = text.replace(link.text, "", 1)
    return _LEFTOVER.fullmatch(text) is not None and all(_only_links(sub) for sub in item.subitems)


_NUMBERING = re.compile(r"^\s*(?:\d+(?:\.\d+)*[.)]?|\(\d+\)|[ivx]+\.)\s*", re.IGNORECASE)


def _lists_headings(block: ListBlock, titles: _Titles) -> bool:
    """A table of contents written as plain text: most items are the post's own headings."""
    items = [item for item in block.items]
    named = sum(titles.has(_NUMBERING.sub("", item.inline.text).strip().casefold()) for item in items)
    return len(items) >= 2 and named >= 0.6 * len(items)


class _Titles:
    """The casefolded titles of the post's sections but `section`'s own. The count of each title
    is made once per post (a set made for each section was quadratic: 20,000 headings took a
    minute); a title is another section's when it is counted more often than `section` has it."""

    def __init__(self, counts: Counter[str], own: str | None) -> None:
        self.counts, self.own = counts, own

    def has(self, title: str) -> bool:
        return self.counts[title] > (title == self.own)


# The post read last: its sections, the count of each title, and which objects its sections are
# (the rule reads the post's sections one after another).
_LAST: list[tuple[tuple[Section, ...], Counter[str], frozenset[int]]] = []


def _post_titles(context: PostContext) -> tuple[Counter[str], frozenset[int]]:
    last = _LAST[0] if _LAST else None  # read once: another thread may replace it
    if last is not None and last[0] is context.sections:
        return last[1], last[2]
    counts = Counter(s.title.casefold() for s in context.sections if s.title)
    ids = frozenset(map(id, context.sections))  # kept alive by _LAST, so the ids stay theirs
    _LAST[:] = [(context.sections, counts, ids)]
    return counts, ids


def rule(section: Section, context: PostContext) -> Found | None:
    if section.title and _NAVIGATION.match(section.title):
        return Found()
    counts, ids = _post_titles(context)
    # The section's own title is left out when it is one of the post's sections itself (what an
    # earlier rule left of a section is another object, whose title is the post's section's).
    own = section.title.casefold() if section.title and id(section) in ids else None
    titles = _Titles(counts, own)
    kept = [
        b
        for b in section.blocks
        if not (isinstance(b, ListBlock) and (is_link_list(b) or _lists_headings(b, titles)))
    ]
    if len(kept) == len(section.blocks):
        return None
    return Found(rest=with_blocks(section, kept))
