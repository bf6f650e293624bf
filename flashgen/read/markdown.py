"""Markdown text → a flat run of headings and block trees, with source line numbers.

The parser is pulldown-cmark (through pyromark): CommonMark-conformant, it reports the byte range
of every event, and it is some forty times faster than markdown-it-py on a blog-sized corpus.
This is the only module that reads the parser's events; everything after it sees our own values.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pyromark

from flashgen.model import Block, Inline, Link, ListBlock, ListItem, OtherBlock, Paragraph, Table

_O = pyromark.Options
OPTIONS = (
    _O.ENABLE_TABLES
    | _O.ENABLE_MATH
    | _O.ENABLE_FOOTNOTES
    | _O.ENABLE_STRIKETHROUGH
    | _O.ENABLE_TASKLISTS
    | _O.ENABLE_HEADING_ATTRIBUTES
    | _O.ENABLE_DEFINITION_LIST
)
PARSER = pyromark.Markdown(options=OPTIONS)

# Lists nested deeper than this are kept as one block of Markdown, not read item by item: no one
# studies the 30th level of a list, and reading 1,000 levels would exhaust Python's stack.
MAX_DEPTH = 24
_INLINE_CONTAINERS = {"Emphasis", "Strong", "Strikethrough", "Superscript", "Subscript", "Link", "Image"}
_SPACE = re.compile(r"\s+")
_HTML_LINK = re.compile(r"""<a\s[^>]*?href\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


_UNDERLINE = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")


def _math_underlines_kept(body: str) -> str:
    """`=` alone on a line inside `$$ … $$` ("\\end{bmatrix}" / "=" / "\\begin{bmatrix}") is part of
    the formula, but CommonMark reads display math as inline text and takes that line for a setext
    heading's underline, so the formula became a section of the post. Indented by four spaces it is
    a continuation line instead, the same to TeX; no line is added or removed, so lines keep their
    numbers."""
    lines = body.split("\n")
    inside = fenced = False
    for i, line in enumerate(lines):
        if _FENCE.match(line):
            fenced = not fenced  # "$$" in a code block opens no formula
        elif inside and _UNDERLINE.match(line):
            lines[i] = "    " + line.lstrip(" ")
        elif not fenced and _CODE_SPAN.sub("", line).count("$$") % 2:
            inside = not inside  # "$$" in `code` opens no formula either
    return "\n".join(lines)


_FENCE = re.compile(r"^ {0,3}(?:```|~~~)")
_CODE_SPAN = re.compile(r"`[^`]*`")


@dataclass(frozen=True, slots=True)
class Heading:
    line: int
    level: int
    inline: Inline
    anchor: str | None
    start: int  # byte offsets into the body
    end: int


@dataclass(frozen=True, slots=True)
class Located:
    """A top-level block and the byte range of its source."""

    block: Block
    start: int
    end: int


Piece = Heading | Located


def _name(payload: Any) -> str:
    return payload if isinstance(payload, str) else next(iter(payload))


class _Reader:
    def __init__(self, body: str, first_line: int) -> None:
        self.src = body.encode("utf-8")
        self.events: list[tuple[Any, Any]] = list(PARSER.events_with_range(body))
        self.i = 0
        self.newlines = [m.start() for m in re.finditer(b"\n", self.src)]
        self.first_line = first_line
        self.depth = 0  # lists open around the current event

    def line(self, offset: int) -> int:
        return bisect.bisect_left(self.newlines, offset) + self.first_line

    def text(self, start: int, end: int) -> str:
        return self.src[start:end].decode("utf-8", "replace")

    def dedented(self, start: int, end: int) -> str:
        """The source from `start`, with following lines shifted left as far as its first line."""
        line_start = self.src.rfind(b"\n", 0, start) + 1
        column = start - line_start
        lines = self.text(start, end).split("\n")
        if column:
            pad = " " * column
            lines[1:] = [ln[column:] if ln.startswith(pad) else ln.lstrip(" ") for ln in lines[1:]]
        return "\n".join(lines).strip("\n")

    # ── the event stream ──

    def pieces(self) -> Iterator[Piece]:
        while self.i < len(self.events):
            event, rng = self.events[self.i]
            if isinstance(event, dict) and "Start" in event:
                if _name(event["Start"]) == "Heading":
                    yield self.heading()
                else:
                    block = self.block()
                    yield Located(block, rng["start"], rng["end"])
            else:
                self.i += 1  # a thematic break or stray event between blocks

    def heading(self) -> Heading:
        event, rng = self.events[self.i]
        attrs = event["Start"]["Heading"]
        self.i += 1
        inline = self.inline()
        level = int(str(attrs.get("level", "H1"))[1:])
        anchor = attrs.get("id") or None
        return Heading(self.line(rng["start"]), level, inline, anchor, rng["start"], rng["end"])

    def block(self) -> Block:
        event, rng = self.events[self.i]
        name = _name(event["Start"])
        line = self.line(rng["start"])
        if name == "Paragraph":
            self.i += 1
            return Paragraph(line, self.inline())
        if name == "List" and self.depth < MAX_DEPTH:
            start = event["Start"]["List"]
            self.i += 1
            items: list[ListItem] = []
            self.depth += 1
            while not self.at_end():
                items.append(self.item())
            self.depth -= 1
            self.i += 1
            content = self.src[rng["start"] : rng["end"]].rstrip()
            end_line = self.line(rng["start"] + max(len(content) - 1, 0))
            return ListBlock(line, end_line, start is not None, start, tuple(items))
        if name == "Table":
            return self.table()
        self.skip()
        return OtherBlock(line, name, self.text(rng["start"], rng["end"]).strip("\n"))

    def at_end(self) -> bool:
        event, _ = self.events[self.i]
        return isinstance(event, dict) and "End" in event

    def skip(self) -> None:
        depth = 0
        while True:
            event, _ = self.events[self.i]
            self.i += 1
            if isinstance(event, dict):
                if "Start" in event:
                    depth += 1
                elif "End" in event:
                    depth -= 1
            if depth == 0:
                return

    def item(self) -> ListItem:
        _, rng = self.events[self.i]
        line = self.line(rng["start"])
        self.i += 1
        own: Inline | None = None
        loose_start = self.i
        children: list[Block] = []
        while not self.at_end():
            event, _ = self.events[self.i]
            start = isinstance(event, dict) and "Start" in event
            if start and _name(event["Start"]) in _INLINE_CONTAINERS:
                self.skip()  # emphasis, a link…: part of the item's own text
            elif start:
                if own is None and loose_start < self.i:
                    own = self.collect(loose_start, self.i)
                block = self.block()
                if own is None and isinstance(block, Paragraph):
                    own = block.inline
                else:
                    children.append(block)
                loose_start = self.i
            else:
                self.i += 1
        if own is None:
            own = self.collect(loose_start, self.i) if loose_start < self.i else Inline("", "")
        self.i += 1  # End Item
        md = self.dedented(rng["start"], rng["end"])
        return ListItem(line, own, tuple(children), md)

    def table(self) -> Table:
        self.i += 1  # Start Table
        header: tuple[Inline, ...] = ()
        rows: list[tuple[Inline, ...]] = []
        _, first = self.events[self.i - 1]
        while not self.at_end():
            event, _ = self.events[self.i]
            part = _name(event["Start"])
            self.i += 1
            cells: list[Inline] = []
            while not self.at_end():
                self.i += 1  # Start TableCell
                cells.append(self.inline())
            self.i += 1  # End TableHead / TableRow
            if part == "TableHead":
                header = tuple(cells)
            else:
                rows.append(tuple(cells))
        self.i += 1  # End Table
        md = self.text(first["start"], first["end"]).strip("\n")
        return Table(self.line(first["start"]), header, tuple(rows), md)

    # ── inline runs ──

    def inline(self) -> Inline:
        """Read inline events up to the End of the block they are in (which is consumed)."""
        begin = self.i
        depth = 0
        while True:
            event, _ = self.events[self.i]
            if isinstance(event, dict) and "Start" in event:
                depth += 1
            elif isinstance(event, dict) and "End" in event:
                if depth == 0:
                    break
                depth -= 1
            self.i += 1
        result = self.collect(begin, self.i)
        self.i += 1
        return result

    def collect(self, begin: int, end: int) -> Inline:
        parts: list[str] = []
        links: list[Link] = []
        link_url: str | None = None
        link_text: list[str] = []
        in_image = 0
        lo, hi = None, None
        for event, rng in self.events[begin:end]:
            lo = rng["start"] if lo is None else min(lo, rng["start"])
            hi = rng["end"] if hi is None else max(hi, rng["end"])
            piece = ""
            if isinstance(event, str):
                piece = " " if event in ("SoftBreak", "HardBreak") else ""
            elif "Start" in event:
                name = _name(event["Start"])
                if name == "Link":
                    link_url, link_text = event["Start"]["Link"]["dest_url"], []
                elif name == "Image":
                    in_image += 1
                continue
            elif "End" in event:
                name = _name(event["End"])
                if name == "Link" and link_url is not None:
                    links.append(Link(link_url, "".join(link_text).strip()))
                    link_url = None
                elif name == "Image":
                    in_image -= 1
                continue
            elif "Text" in event:
                piece = event["Text"]
            elif "Code" in event:
                piece = event["Code"]
            elif "InlineMath" in event:
                piece = "$" + event["InlineMath"] + "$"
            elif "DisplayMath" in event:
                piece = "$$" + event["DisplayMath"] + "$$"
            elif "InlineHtml" in event:
                tag = event["InlineHtml"]
                if (match := _HTML_LINK.match(tag)) and link_url is None:
                    link_url, link_text = html.unescape(match.group(1)), []  # <a href="…"> in a heading
                elif tag.lower().startswith("</a") and link_url is not None:
                    links.append(Link(link_url, "".join(link_text).strip()))
                    link_url = None
                elif tag.lower().startswith("<br"):
                    piece = " "
            if in_image:
                continue
            parts.append(piece)
            if link_url is not None:
                link_text.append(piece)
        md = self.text(lo, hi).strip() if lo is not None and hi is not None else ""
        text = _SPACE.sub(" ", "".join(parts)).strip()
        return Inline(md, text, tuple(links))


def parse(body: str, first_line: int = 1) -> list[Piece]:
    """Headings and top-level blocks of `body`, in order; lines count from `first_line`."""
    reader = _Reader(_math_underlines_kept(body) if "$$" in body else body, first_line)
    return list(reader.pieces())
