"""Bullet and numbered lists: enumerations as cloze, items with sub-points, `term : definition`."""

from __future__ import annotations

import re

from flashgen import phrasing, render
from flashgen.extract.common import PostContext, make_note
from flashgen.model import Block, ListBlock, ListItem, Note, NoteKind, Paragraph, Section

# Past this an item is prose, not something to recall as one point of a list.
MAX_ITEM_CHARS = 120
# `Term : definition` (spaces around the colon, as kramdown-minded authors write it), or
# `**Term**: definition`. The term is short; the definition is the rest of the line.
_DEFINITION = re.compile(
    r"^(?:\*\*(?P<bold>[^*]{1,60})\*\*\s*[:：]|(?P<term>[^:：\n]{1,40}?)\s+[:：])\s+(?P<definition>\S.*)$",
    re.DOTALL,
)


def rule(section: Section, context: PostContext) -> list[Note]:
    notes: list[Note] = []
    previous: Block | None = None
    lists_seen = 0
    for block in section.blocks:
        if isinstance(block, ListBlock):
            index, lists_seen = lists_seen, lists_seen + 1
            lead_in = _lead_in(previous)
            glossary = all(split_definition(item) for item in block.items)
            if lead_in or not glossary:
                # A glossary under a heading is a set of definitions, not a list to recite.
                header = lead_in or render.escape(section.title or section.post.title)
                notes.extend(_enumeration(section, block.items, header, ("list", str(index))))
            for item in block.items:
                notes.extend(_item_notes(section, item, ()))
        previous = block
    return notes


def _lead_in(block: Block | None) -> str | None:
    """A paragraph ending in a colon just before a list introduces it: "The three types are:"."""
    if isinstance(block, Paragraph) and block.inline.text.rstrip().endswith((":", "：")):
        return render.inline(block.inline.md)
    return None


def split_definition(item: ListItem) -> tuple[str, str] | None:
    """(term, definition as Markdown) when the item reads `term : definition`."""
    match = _DEFINITION.match(item.inline.md.strip())
    if not match:
        return None
    term_md = match.group("bold") or match.group("term")
    term = render.text(render.inline(term_md.strip()))
    if not term or len(term.split()) > 6:
        return None
    return term, match.group("definition").strip()


def _recallable(items: tuple[ListItem, ...]) -> bool:
    texts = [item.inline.text for item in items]
    return len(texts) >= 2 and all(0 < len(t) <= MAX_ITEM_CHARS for t in texts)


def _enumeration(
    section: Section,
    items: tuple[ListItem, ...],
    header: str,
    identity: tuple[str, ...],
    kind: NoteKind = "list",
) -> list[Note]:
    """One cloze note that asks for the items one at a time (a card per item)."""
    if not _recallable(items):
        return []
    definitions = [split_definition(item) for item in items]
    if all(definitions):
        # A list of definitions: the enumeration asks for the terms; each definition gets a note.
        shown = [render.escape(d[0]) for d in definitions if d]
    else:
        shown = [render.inline(item.inline.md) for item in items]
    shown = [html for html in shown if render.text(html)]  # what sanitising emptied is not a point
    if len(shown) < 2:
        return []
    body = "".join(f"<li>{render.cloze(n, html)}</li>" for n, html in enumerate(shown, start=1))
    text = f'<div class="fg-header">{header}</div><ul class="fg-enum">{body}</ul>'
    line = items[0].line
    return [make_note(section, kind=kind, identity=identity, front=text, cloze=True, line=line)]


def _item_notes(section: Section, item: ListItem, parents: tuple[str, ...]) -> list[Note]:
    notes: list[Note] = []
    path = (*parents, item.inline.text)
    lang = section.post.lang
    definition = split_definition(item)
    meaning = render.inline(definition[1]) if definition is not None else ""
    if definition is not None and render.text(meaning):
        notes.append(
            make_note(
                section,
                kind="definition",
                identity=("definition", *parents, definition[0]),
                front=render.escape(phrasing.question(lang, "definition", term=definition[0])),
                back=meaning,
                line=item.line,
            )
        )
    children = item.subitems
    if children and 0 < len(item.inline.text) <= MAX_ITEM_CHARS:
        answer = render.block(children[0].md) if len(children) == 1 else ""
        if render.text(answer):
            notes.append(
                make_note(
                    section,
                    kind="children",
                    identity=("children", *path),
                    front=phrasing.question(lang, "children", item=render.inline(item.inline.md)),
                    back=answer,
                    line=item.line,
                )
            )
        elif len(children) > 1:
            header = render.inline(item.inline.md)
            notes.extend(_enumeration(section, children, header, ("children", *path), "children"))
    for child in children:
        notes.extend(_item_notes(section, child, path))
    return notes
