"""Explicit question–answer pairs: `Q: …` then `A: …` (a paragraph, its next line, or list items)."""

from __future__ import annotations

import re

from flashgen.extract.common import Found, PostContext, blocks_left, fits, make_note, too_long, without_items
from flashgen.model import Block, ListBlock, ListItem, Note, Paragraph, Section
from flashgen.read import render

_B = r"(?:\*\*|__)?"
_Q = re.compile(rf"^\s*{_B}(?:Q|Question|질문)\s*\d*{_B}\s*[:.)：]{_B}\s*", re.IGNORECASE)
_A = re.compile(rf"^\s*{_B}(?:A|Answer|답|답변)\s*\d*{_B}\s*[:.)：]{_B}\s*", re.IGNORECASE)


def _after(marker: re.Pattern[str], md: str) -> str | None:
    match = marker.match(md)
    return md[match.end() :].strip() if match else None


def rule(section: Section, context: PostContext) -> Found | None:
    notes: list[Note] = []
    warnings: list[tuple[int, str]] = []
    used: dict[int, Block | None] = {}
    blocks = section.blocks
    for i, block in enumerate(blocks):
        if i in used:
            continue
        if isinstance(block, Paragraph) and (question := _after(_Q, block.md)) is not None:
            pair = _paragraph_pair(question, blocks, i)
            if pair is None:
                continue
            question_md, answer_md, taken = pair
            used.update(dict.fromkeys(taken))
            _add(section, question_md, answer_md, block.line, context, notes, warnings)
        elif isinstance(block, ListBlock):
            taken_items = _list_pairs(section, block, context, notes, warnings)
            if taken_items:
                used[i] = without_items(block, taken_items)
    if not used:
        return None
    return Found(tuple(notes), rest=blocks_left(section, used), warnings=tuple(warnings))


def _paragraph_pair(question: str, blocks: tuple[Block, ...], i: int) -> tuple[str, str, list[int]] | None:
    """(question, answer, indexes of the blocks they take) for the `Q:` paragraph at `i`."""
    lines = question.split("\n")
    for j, line in enumerate(lines[1:], start=1):
        if (answer := _after(_A, line)) is not None:
            # "Q: …\nA: …" in one paragraph; lists or code right after belong to the answer.
            more, taken = _following(blocks, i + 1)
            return "\n".join(lines[:j]), "\n\n".join([answer, *more]), [i, *taken]
    nxt = blocks[i + 1] if i + 1 < len(blocks) else None
    if isinstance(nxt, Paragraph) and (answer := _after(_A, nxt.md)) is not None:
        more, taken = _following(blocks, i + 2)
        return question, "\n\n".join([answer, *more]), [i, i + 1, *taken]
    more, taken = _following(blocks, i + 1)
    if more:  # "Q: …" with the answer as a list or code block under it
        return question, "\n\n".join(more), [i, *taken]
    return None


def _following(blocks: tuple[Block, ...], start: int) -> tuple[list[str], list[int]]:
    """The non-paragraph blocks (lists, code, math, tables) from `start` up to the next paragraph."""
    mds: list[str] = []
    taken: list[int] = []
    for k in range(start, len(blocks)):
        block = blocks[k]
        if isinstance(block, Paragraph) or (
            isinstance(block, ListBlock) and _Q.match(block.items[0].inline.md)
        ):
            break
        mds.append(blocks[k].md)
        taken.append(k)
    return mds, taken


def _list_pairs(
    section: Section,
    block: ListBlock,
    context: PostContext,
    notes: list[Note],
    warnings: list[tuple[int, str]],
) -> set[int]:
    """`- Q: …` items, answered by the next item (`- A: …`) or by what is nested under them."""
    taken: set[int] = set()
    items = block.items
    for k, item in enumerate(items):
        question = _after(_Q, item.inline.md)
        if question is None or k in taken:
            continue
        answer = _nested_answer(item)
        nxt = items[k + 1] if k + 1 < len(items) else None
        if answer is None and nxt is not None and (answer := _after(_A, nxt.inline.md)) is not None:
            taken.add(k + 1)
            answer = "\n\n".join([answer, *(child.md for child in nxt.children)])
        if answer is None:
            continue
        taken.add(k)
        _add(section, question, answer, item.line, context, notes, warnings)
    return taken


def _nested_answer(item: ListItem) -> str | None:
    if not item.children:
        return None
    first = item.subitems[0] if item.subitems else None
    if first is not None and (answer := _after(_A, first.inline.md)) is not None:
        return "\n\n".join([answer, *(child.md for child in first.children)])
    return "\n\n".join(child.md for child in item.children)


def _add(
    section: Section,
    question_md: str,
    answer_md: str,
    line: int,
    context: PostContext,
    notes: list[Note],
    warnings: list[tuple[int, str]],
) -> None:
    front, back = render.inline(question_md), render.block(render.as_text(answer_md))
    if not render.text(front) or not render.text(back):
        warnings.append((line, "a Q:/A: pair with an empty question or answer; no card made"))
    elif not fits(back, context.limits):
        warnings.append((line, too_long("the answer to this Q:", back, context.limits)))
    else:
        identity = ("qa", render.text(front))
        notes.append(make_note(section, kind="qa", identity=identity, front=front, back=back, line=line))
