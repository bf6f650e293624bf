"""Navigation is not knowledge: tables of contents, reference and link lists give no notes."""

from __future__ import annotations

import re

from flashgen.extract.common import Found, PostContext, with_blocks
from flashgen.model import ListBlock, ListItem, Section

_NAVIGATION = re.compile(
    r"^(?:목차|차례|참고|참고\s*자료|참고\s*문헌|참조|레퍼런스|관련\s*(?:글|포스트|자료)|링크|더\s*읽을\s*거리|"
    r"table\s+of\s+contents|contents|toc|references?|bibliography|sources|resources|links|"
    r"see\s+also|related(?:\s+(?:posts?|articles?|reading))?|further\s+reading|reading\s+list)$",
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


def _lists_headings(block: ListBlock, titles: set[str]) -> bool:
    """A table of contents written as plain text: most items are the post's own headings."""
    items = [item for item in block.items]
    named = sum(_NUMBERING.sub("", item.inline.text).strip().casefold() in titles for item in items)
    return len(items) >= 2 and named >= 0.6 * len(items)


def rule(section: Section, context: PostContext) -> Found | None:
    if section.title and _NAVIGATION.match(section.title):
        return Found()
    titles = {s.title.casefold() for s in context.sections if s.title and s is not section}
    kept = [
        b
        for b in section.blocks
        if not (isinstance(b, ListBlock) and (is_link_list(b) or _lists_headings(b, titles)))
    ]
    if len(kept) == len(section.blocks):
        return None
    return Found(rest=with_blocks(section, kept))
