"""Notes as an author reads them before importing: plain-text rows, a terminal table, or JSON."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

from flashgen.model import Note
from flashgen.read import render

_CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Row:
    path: str
    line: int
    kind: str
    deck: str
    question: str
    answer: str
    tags: tuple[str, ...]
    guid: str


def rows(notes: Iterable[Note], deck: str) -> list[Row]:
    out: list[Row] = []
    for note in notes:
        if note.cloze:
            question = render.text(_CLOZE.sub(lambda m: f"[{m.group(3) or '…'}]", note.front))
            answer = " · ".join(render.text(m.group(2)) for m in _CLOZE.finditer(note.front))
        else:
            question, answer = render.text(note.front), render.text(note.back)
        out.append(
            Row(
                str(note.ref.path),
                note.ref.line,
                note.kind,
                note.deck or deck,
                question,
                answer,
                note.tags,
                note.guid,
            )
        )
    return out


def as_dicts(table: Sequence[Row]) -> list[dict[str, object]]:
    return [{**asdict(row), "tags": list(row.tags)} for row in table]


def width(text: str) -> int:
    """Columns `text` takes in a terminal: Korean, Chinese and Japanese characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap(text: str, columns: int) -> list[str]:
    """`text` in lines of at most `columns` terminal columns, broken at spaces where possible."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if width(candidate) <= columns:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        for char in word:  # a word longer than the column (or CJK text without spaces)
            if width(line + char) > columns:
                lines.append(line)
                line = ""
            line += char
    return [*lines, line] if line or not lines else lines


def table(table_rows: Sequence[Row], columns: int) -> str:
    """A table of the notes, each question and answer wrapped in its column."""
    where = [f"{_short(r.path)}:{r.line}" for r in table_rows]
    fixed = [
        max([width("SOURCE"), *map(width, where)]),
        max([width("KIND"), *(width(r.kind) for r in table_rows)]),
    ]
    free = max(columns - sum(fixed) - 3 * 3, 30)
    q_cols = free * 2 // 5
    a_cols = free - q_cols
    header = ("SOURCE", "KIND", "QUESTION", "ANSWER")
    widths = (*fixed, q_cols, a_cols)
    out = [_line(header, widths), _line(tuple("─" * w for w in widths), widths)]
    for row, at in zip(table_rows, where, strict=True):
        question, answer = wrap(row.question, q_cols), wrap(row.answer, a_cols)
        tags = wrap("#" + " #".join(row.tags), q_cols) if row.tags else []
        height = max(len(question) + len(tags), len(answer))
        for i in range(height):
            q = (
                question[i]
                if i < len(question)
                else (tags[i - len(question)] if i - len(question) < len(tags) else "")
            )
            cells = (
                at if i == 0 else "",
                row.kind if i == 0 else "",
                q,
                answer[i] if i < len(answer) else "",
            )
            out.append(_line(cells, widths))
    return "\n".join(line.rstrip() for line in out)


def _line(cells: Sequence[str], widths: Sequence[int]) -> str:
    return " │ ".join(cell + " " * (w - width(cell)) for cell, w in zip(cells, widths, strict=True))


def _short(path: str) -> str:
    return path.rsplit("/", 1)[-1]
