"""Bullet and numbered lists: enumerations as cloze, items with sub-points, definitions.

Definitions are `Term : definition`, `**Term**: definition`, `Term - definition`, kramdown's
`Term` / `: definition`, and `Term: definition` when every item of the list has that shape.
"""

from __future__ import annotations

import math
import re

from flashgen import phrasing, render
from flashgen.extract.common import Found, Limits, PostContext, fits, make_note, too_long
from flashgen.model import Block, ListBlock, ListItem, Note, NoteKind, OtherBlock, Paragraph, Section

_DEFINITION = re.compile(
    r"^(?:\*\*(?P<bold>[^*]{1,60})\*\*\s*[:：]"  # **Term**: definition
    r"|(?P<term>[^:：\n]{1,40}?)\s+[:：]"  # Term : definition
    r"|(?P<dashed>[^\n]{1,40}?)\s+[-–—]"  # Term - definition
    r")\s+(?P<definition>\S.*)$",
    re.DOTALL,
)
_LOOSE = re.compile(r"^(?P<term>[^:：\n]{1,40}?)[:：]\s+(?P<definition>\S.*)$", re.DOTALL)  # Term: definition
_DEFINITION_LIST = re.compile(r"^(?P<term>[^:\n][^\n]*)\n(?P<defs>(?::[ \t]+[^\n]*(?:\n|$))+)", re.MULTILINE)


class _Notes:
    """The notes of one section and what was left out, gathered as the lists are read."""

    def __init__(self, section: Section, limits: Limits) -> None:
        self.section, self.limits = section, limits
        self.notes: list[Note] = []
        self.notices: list[tuple[int, str]] = []

    def basic(self, kind: NoteKind, identity: tuple[str, ...], front: str, back: str, line: int) -> None:
        if not render.text(back) or not render.text(front):
            return
        if not fits(back, self.limits):
            self.notices.append((line, too_long("the answer", back, self.limits)))
            return
        self.notes.append(
            make_note(self.section, kind=kind, identity=identity, front=front, back=back, line=line)
        )


def rule(section: Section, context: PostContext) -> Found:
    out = _Notes(section, context.limits)
    previous: Block | None = None
    lists_seen = 0
    for block in section.blocks:
        if isinstance(block, ListBlock):
            index, lists_seen = lists_seen, lists_seen + 1
            loose = all(_LOOSE.match(item.inline.md.strip()) for item in block.items) and len(block.items) > 1
            lead_in = _lead_in(previous)
            glossary = all(split_definition(item, loose) for item in block.items)
            if lead_in or not glossary:
                # A glossary under a heading is a set of definitions, not a list to recite.
                header = lead_in or render.escape(section.title or section.post.title)
                _enumeration(out, block.items, header, ("list", str(index)), "list", loose)
            for item in block.items:
                _item_notes(out, item, (), loose)
        elif isinstance(block, OtherBlock) and block.kind == "DefinitionList":
            _definition_list(out, block)
        previous = block
    return Found(tuple(out.notes), notices=tuple(out.notices))


def _lead_in(block: Block | None) -> str | None:
    """A paragraph ending in a colon just before a list introduces it: "The three types are:"."""
    if isinstance(block, Paragraph) and block.inline.text.rstrip().endswith((":", "：")):
        return render.inline(block.inline.md)
    return None


def split_definition(item: ListItem, loose: bool = False) -> tuple[str, str] | None:
    """(term, definition as Markdown) when the item reads as a definition."""
    md = item.inline.md.strip()
    match = _DEFINITION.match(md) or (_LOOSE.match(md) if loose else None)
    if not match:
        return None
    groups = match.groupdict()
    term_md = groups.get("bold") or groups.get("term") or groups.get("dashed") or ""
    term = render.text(render.inline(term_md.strip()))
    # A term has a letter (1NF, ETL) or is math; "2019 - 2020 …" is a date range, not a term.
    if not term or len(term.split()) > 6 or not (any(c.isalpha() for c in term) or term.startswith("\\(")):
        return None
    return term, match.group("definition").strip()


def _definition_list(out: _Notes, block: OtherBlock) -> None:
    """kramdown's definition lists: `Term` on one line, `: definition` on the next."""
    for match in _DEFINITION_LIST.finditer(block.md):
        term = render.text(render.inline(match.group("term")))
        definitions = [ln[1:].strip() for ln in match.group("defs").splitlines() if ln.strip()]
        back = render.block("\n".join(f"- {d}" for d in definitions)) if len(definitions) > 1 else ""
        back = back or render.inline(definitions[0])
        front = render.escape(phrasing.question(out.section.post.lang, "definition", term=term))
        line = block.line + block.md[: match.start()].count("\n")
        out.basic("definition", ("definition", term), front, back, line)


def _recallable(items: tuple[ListItem, ...], limits: Limits) -> bool:
    texts = [item.inline.text for item in items]
    return len(texts) >= 2 and all(0 < len(t) <= limits.max_item_chars for t in texts)


def _enumeration(
    out: _Notes,
    items: tuple[ListItem, ...],
    header: str,
    identity: tuple[str, ...],
    kind: NoteKind,
    loose: bool = False,
) -> None:
    """Cloze notes that ask for the items one at a time (a card per item); a long list is split
    into even parts of at most `max_enumeration` items, so no card shows a wall of text."""
    if not _recallable(items, out.limits):
        return
    definitions = [split_definition(item, loose) for item in items]
    if all(definitions):
        # A list of definitions: the enumeration asks for the terms; each definition gets a note.
        shown = [render.escape(d[0]) for d in definitions if d]
    else:
        shown = [render.inline(item.inline.md) for item in items]
    kept = [(item, html) for item, html in zip(items, shown, strict=True) if render.text(html)]
    if len(kept) < 2:
        return
    parts = math.ceil(len(kept) / out.limits.max_enumeration)
    size = math.ceil(len(kept) / parts)
    for part in range(parts):
        chunk = kept[part * size : (part + 1) * size]
        start = part * size + 1
        body = "".join(f"<li>{render.cloze(n, html)}</li>" for n, (_, html) in enumerate(chunk, start=1))
        title = header
        if parts > 1:
            title += f" ({start}–{start + len(chunk) - 1} / {len(kept)})"
        list_tag = f'<ol class="fg-enum" start="{start}">' if parts > 1 else '<ul class="fg-enum">'
        close = "</ol>" if parts > 1 else "</ul>"
        text = f'<div class="fg-header">{title}</div>{list_tag}{body}{close}'
        # The first part keeps the list's identity: a list that grows past the limit keeps its note.
        part_identity = identity if part == 0 else (*identity, f"part {part + 1}")
        line = chunk[0][0].line
        out.notes.append(
            make_note(out.section, kind=kind, identity=part_identity, front=text, cloze=True, line=line)
        )


def _item_notes(out: _Notes, item: ListItem, parents: tuple[str, ...], loose: bool) -> None:
    path = (*parents, item.inline.text)
    lang = out.section.post.lang
    definition = split_definition(item, loose)
    if definition is not None:
        front = render.escape(phrasing.question(lang, "definition", term=definition[0]))
        out.basic(
            "definition",
            ("definition", *parents, definition[0]),
            front,
            render.inline(definition[1]),
            item.line,
        )
    children = item.subitems
    if children and 0 < len(item.inline.text) <= out.limits.max_item_chars:
        if len(children) == 1:
            front = phrasing.question(lang, "children", item=render.inline(item.inline.md))
            only = children[0]
            # One fact a card: what is nested deeper gets cards of its own.
            back = render.inline(only.inline.md) if only.subitems else render.block(only.md)
            out.basic("children", ("children", *path), front, back, item.line)
        else:
            header = render.inline(item.inline.md)
            _enumeration(out, children, header, ("children", *path), "children")
    for child in children:
        _item_notes(out, child, path, False)
