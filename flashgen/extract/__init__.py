"""Sections → notes, by an ordered list of rules: the first rule that claims a section settles it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from flashgen import media
from flashgen.extract import lists, papers, reflections
from flashgen.extract.common import PostContext, Rule, stable_guid
from flashgen.model import Note, Post, Section, Table

# In order. To add a rule, write a module with `rule(section, context)` and list it here.
RULES: tuple[tuple[str, Rule], ...] = (
    ("reflections", reflections.rule),
    ("papers", papers.rule),
    ("lists", lists.rule),
)

__all__ = ["RULES", "extract_notes"]


def extract_notes(post: Post, sections: Sequence[Section]) -> tuple[tuple[Note, ...], list[tuple[int, str]]]:
    """The notes of one post, and warnings (line, message) about what was adjusted."""
    tables = [b for s in sections for b in s.blocks if isinstance(b, Table)]
    context = PostContext(post, tuple(sections), papers.paper_rows(tables))
    notes: list[Note] = []
    for section in sections:
        for _name, rule in RULES:
            found = rule(section, context)
            if found is not None:
                notes.extend(found)
                break
    unique, warnings = _unique_guids(notes)
    packed = [media.attach(note, post) for note in unique]
    warnings = [*post.warnings, *warnings, *(w for p in packed for w in p.warnings)]
    return tuple(replace(p.note, media=p.media) for p in packed), warnings


def _unique_guids(notes: list[Note]) -> tuple[tuple[Note, ...], list[tuple[int, str]]]:
    """Two notes with one identity (the same heading twice, say) keep apart, in document order."""
    seen: dict[str, int] = {}
    unique: list[Note] = []
    warnings: list[tuple[int, str]] = []
    for note in notes:
        count = seen.get(note.guid, 0)
        seen[note.guid] = count + 1
        if count:
            warnings.append(
                (
                    note.ref.line,
                    f"a second {note.kind} note with the same identity as an earlier one; "
                    "pin its heading with a {#id} attribute to keep it stable",
                )
            )
            note = replace(note, guid=stable_guid(note.guid, str(count)))
        unique.append(note)
    return tuple(unique), warnings
