"""Post → Sections: one per heading, with the blocks up to the next heading, lists repaired."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import replace

from flashgen.model import Block, Inline, ListBlock, OtherBlock, Paragraph, Post, Section
from flashgen.read import markdown

# Numbering authors put before a heading's title: "1.", "3.1.", "(1)", "1)", "IV.", "①".
_NUMBERING = re.compile(
    r"^\s*(?:\(\s*\d+\s*\)|\d+(?:\.\d+)*[.)]?|[ivxlc]+[.)]|[①-⑳])(?=\s|$)\s*", re.IGNORECASE
)
_TRAILING_PUNCT = re.compile(r"[\s,;:|/·\-–—]+$")
# How a talk was presented, after a paper's title: "(Oral)", "[Spotlight]".
_PRESENTATION = re.compile(
    r"\s*[(\[](?:oral|spotlight|poster|highlight|best\s+paper[^)\]]*|award[^)\]]*)[)\]]\s*$", re.IGNORECASE
)
# Emoji and pictographs that decorate a heading ("📌 Key points", "✅ 정리").
_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d\u2190-\u21ff\u2300-\u23ff]+"
)
# `<!-- flashgen: skip -->` before a heading (or at the top of its section) skips that section.
_SKIP = re.compile(r"<!--\s*flashgen\s*:\s*skip\s*-->", re.IGNORECASE)


def split_sections(post: Post) -> tuple[Section, ...]:
    """The post's sections in document order, each knowing the titles of the sections above it."""
    pieces = markdown.parse(post.body, post.body_line)
    source = post.body.encode("utf-8")  # once: sections are byte ranges of it
    sections: list[Section] = []
    stack: list[tuple[int, str]] = []  # (level, title) of the open headings

    heading: markdown.Heading | None = None
    blocks: list[markdown.Located] = []

    def close() -> None:
        if heading is None and not blocks:
            return
        if heading is None:
            level, title, inline, anchor, line = 0, "", Inline("", ""), None, blocks[0].block.line
        else:
            level, inline, anchor, line = heading.level, heading.inline, heading.anchor, heading.line
            title = clean_title(inline)
        while stack and stack[-1][0] >= level and level > 0:
            stack.pop()
        if level > 0:
            stack.append((level, title))
        path = tuple(t for _, t in stack if t)
        md = ""
        if blocks:
            md = source[blocks[0].start : blocks[-1].end].decode("utf-8", "replace").strip("\n")
        skip = skip_next or bool(blocks and _is_skip_marker(blocks[0].block))
        kept = _without_skipped(repair_lists([b.block for b in blocks]))
        if "flashgen" in md and _SKIP.search(md):
            md = "\n\n".join(block.md for block in kept)  # what the marked items said is gone
        sections.append(
            Section(
                post=post,
                level=level,
                title=title,
                heading=inline,
                anchor=anchor,
                path=path,
                line=line,
                blocks=kept,
                md=md,
                skip=skip,
            )
        )

    skip_next = False
    for piece in map(_html_heading, pieces):
        if isinstance(piece, markdown.Heading):
            marker = bool(blocks) and _is_skip_marker(blocks[-1].block)
            close()
            skip_next = marker
            heading, blocks = piece, []
        else:
            blocks.append(piece)
    close()
    return _skip_subsections(sections)


_HTML_HEADING = re.compile(r"^\s*<h([1-6])\b[^>]*>(?P<text>[^<]{1,200})</h\1>\s*$", re.IGNORECASE)


def _html_heading(piece: markdown.Piece) -> markdown.Piece:
    """A heading written in HTML on a line of its own (`<h3 data-toc-skip> Voila </h3>`, which some
    Jekyll themes need to keep a heading out of the table of contents) is a heading like `### Voila`."""
    if not isinstance(piece, markdown.Located):
        return piece
    block = piece.block
    if not (isinstance(block, OtherBlock) and block.kind == "HtmlBlock"):
        return piece
    match = _HTML_HEADING.match(block.md)
    if match is None:
        return piece
    text = html.unescape(" ".join(match.group("text").split()))
    if not text:
        return piece
    return markdown.Heading(block.line, int(match.group(1)), Inline(text, text), None, piece.start, piece.end)


def _skip_subsections(sections: list[Section]) -> tuple[Section, ...]:
    """A skipped section takes its subsections with it."""
    out: list[Section] = []
    skipping_below: int | None = None
    for section in sections:
        if skipping_below is not None and section.level <= skipping_below:
            skipping_below = None
        if section.skip and skipping_below is None and section.level > 0:
            skipping_below = section.level
        out.append(replace(section, skip=True) if skipping_below is not None else section)
    return tuple(out)


def _without_skipped(blocks: Sequence[Block]) -> tuple[Block, ...]:
    """Blocks without the list items and paragraphs marked `<!-- flashgen: skip -->` (one card's
    worth of opt-out, where a whole section would be too much)."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Paragraph) and _SKIP.search(block.inline.md):
            continue
        if isinstance(block, ListBlock) and any(_SKIP.search(item.inline.md) for item in block.items):
            items = tuple(item for item in block.items if not _SKIP.search(item.inline.md))
            if not items:
                continue
            block = replace(block, items=items)
        out.append(block)
    return tuple(out)


def _is_skip_marker(block: Block) -> bool:
    return isinstance(block, OtherBlock) and block.kind == "HtmlBlock" and bool(_SKIP.search(block.md))


def clean_title(heading: Inline) -> str:
    """A heading's title without its numbering and without link labels such as "[논문보기](…)"."""
    text = heading.text
    for link in heading.links:
        # A link that is only part of the heading is a label ("paper", "논문보기"): drop it.
        if link.text and link.text != text.strip():
            text = text.replace(link.text, " ")
    text = _EMOJI.sub(" ", text).strip()
    text = _NUMBERING.sub("", text, count=1)
    text = _PRESENTATION.sub("", text)
    text = _TRAILING_PUNCT.sub("", text)
    return re.sub(r"\s+", " ", text).strip()


def repair_lists(blocks: Sequence[Block]) -> tuple[Block, ...]:
    """Undo what CommonMark does to lists written the way many bloggers write them.

    A bullet list on the line right after an ordered-list item, not indented, ends that ordered
    list in CommonMark; the author meant the bullets to belong to the item. And "2." after those bullets
    starts a new ordered list; the author meant one list, 1 to n.
    """
    attached: list[Block] = []
    for block in _formulas_attached(_glosses_attached(blocks)):
        previous = attached[-1] if attached else None
        if (
            isinstance(block, ListBlock)
            and not block.ordered
            and isinstance(previous, ListBlock)
            and previous.ordered
            and previous.items
            and block.line == previous.end_line + 1  # no blank line between them
        ):
            last = previous.items[-1]
            last = replace(last, children=(*last.children, block), md=last.md + "\n" + _indent(block))
            items = (*previous.items[:-1], last)
            attached[-1] = replace(previous, items=items, end_line=block.end_line)
        else:
            attached.append(block)

    merged: list[Block] = []
    for block in attached:
        previous = merged[-1] if merged else None
        if (
            isinstance(block, ListBlock)
            and block.ordered
            and isinstance(previous, ListBlock)
            and previous.ordered
            and previous.start is not None
            and block.start == previous.start + len(previous.items)
        ):
            items = previous.items + block.items
            merged[-1] = replace(previous, items=items, end_line=block.end_line)
        else:
            merged.append(block)
    return tuple(merged)


def _glosses_attached(blocks: Sequence[Block]) -> list[Block]:
    """A bullet followed by an unindented `> gloss` line (a translation, a comment): CommonMark
    ends the list at the quote, so every bullet becomes a list of its own. Put them back together,
    each quote under the bullet it glosses."""
    out: list[Block] = []
    for block in blocks:
        previous = out[-1] if out else None
        if (
            isinstance(block, OtherBlock)
            and block.kind == "BlockQuote"
            and isinstance(previous, ListBlock)
            and block.line == previous.end_line + 1
        ):
            last = previous.items[-1]
            quote_md = "\n".join("    " + ln for ln in block.md.split("\n"))
            last = replace(last, children=(*last.children, block), md=last.md + "\n" + quote_md)
            end = block.line + block.md.count("\n")
            out[-1] = replace(previous, items=(*previous.items[:-1], last), end_line=end)
        elif (
            isinstance(block, ListBlock)
            and isinstance(previous, ListBlock)
            and block.ordered == previous.ordered
            and block.line == previous.end_line + 1
            and previous.items
            and any(isinstance(c, OtherBlock) and c.kind == "BlockQuote" for c in previous.items[-1].children)
        ):
            out[-1] = replace(previous, items=previous.items + block.items, end_line=block.end_line)
        else:
            out.append(block)
    return out


_DISPLAY_MATH = re.compile(r"^\s*(?:\$\$.*\$\$|\\\[.*\\\])\s*$", re.DOTALL)


def _formulas_attached(blocks: Sequence[Block]) -> list[Block]:
    """A display formula written between two items at the margin (`$$ … $$` with no indent) ends
    the list in CommonMark, and the items after it became a list nobody introduced. Put the
    formula under the item before it and the two lists back together."""
    out: list[Block] = []
    for block in blocks:
        formula = out[-1] if out else None
        before = out[-2] if len(out) > 1 else None
        if (
            isinstance(block, ListBlock)
            and isinstance(formula, Paragraph)
            and _DISPLAY_MATH.match(formula.md)
            and isinstance(before, ListBlock)
            and before.items
            and block.ordered == before.ordered
        ):
            last = before.items[-1]
            indented = "\n".join(("    " + ln) if ln.strip() else "" for ln in formula.md.split("\n"))
            last = replace(last, children=(*last.children, formula), md=last.md + "\n\n" + indented)
            out[-2:] = [
                replace(before, items=(*before.items[:-1], last, *block.items), end_line=block.end_line)
            ]
        else:
            out.append(block)
    return out


def _indent(block: ListBlock) -> str:
    """The bullets' source, indented to sit under the ordered item they belong to."""
    lines = "\n".join(item.md for item in block.items).split("\n")
    return "\n".join(("    " + ln) if ln.strip() else "" for ln in lines)
