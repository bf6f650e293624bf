"""Checks every note passes, whichever rule made it: a question and an answer, and no two notes
in a deck that ask the same question."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from flashgen.extract.common import CONTEXT_SEPARATOR
from flashgen.model import Note
from flashgen.read import render

_CLOZE = re.compile(r"\{\{c\d+::(.+?)\}\}", re.DOTALL)


def well_formed(note: Note) -> bool:
    """A non-empty question and answer (for a cloze: text around at least one non-empty deletion)."""
    if note.cloze:
        deletions = [render.text(m.group(1)) for m in _CLOZE.finditer(note.front)]
        return any(deletions) and bool(render.text(_CLOZE.sub("", note.front)) or len(deletions) > 1)
    return bool(render.text(note.front)) and bool(render.text(note.back))


def question_text(note: Note) -> str:
    return render.text(note.front).casefold()


def unique_questions(notes: Sequence[Note]) -> tuple[Note, ...]:
    """Notes whose questions would read the same get their context added ("(Post › Section)"),
    so every question in a deck can be answered without guessing which one is meant."""
    groups: dict[str, list[int]] = defaultdict(list)
    for index, note in enumerate(notes):
        if not note.cloze:  # a cloze's text is its whole content: two alike are the same card
            groups[question_text(note)].append(index)
    out = list(notes)
    for indexes in groups.values():
        if len(indexes) < 2:
            continue
        cues = [render.text(notes[i].context).split(CONTEXT_SEPARATOR) for i in indexes]
        for i, cue in zip(indexes, _distinguishing(cues), strict=True):
            suffix = f' <span class="fg-cue">({render.escape(cue)})</span>'
            out[i] = replace(notes[i], front=notes[i].front + suffix)
    return tuple(out)


def _distinguishing(cues: list[list[str]]) -> list[str]:
    """For each context path, the shortest tail that tells it from the others (the whole path,
    and then its line, when that is all there is)."""
    for length in range(1, max(len(c) for c in cues) + 1):
        tails = [CONTEXT_SEPARATOR.join(c[-length:]) for c in cues]
        if len(set(tails)) == len(tails):
            return tails
    whole = [CONTEXT_SEPARATOR.join(c) for c in cues]
    return [f"{w} #{n}" for n, w in enumerate(whole, start=1)]
