"""Reverse cards: a definition asked the other way, the definition shown and the term recalled.

A reverse card is the second card of the definition's own note (its note type's "Card 2", made by
Anki when the note's `Reverse` field is filled), so switching it on or off keeps the note, its id
and the history of its first card. The term is hidden wherever the definition or the cue above it
names it ("A *Transformer* is …" asks "A […] is …"). A definition too short to point at one term
("a library") gets no reverse card: it would have many right answers.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import replace

from flashgen import phrasing
from flashgen.model import Note, Post
from flashgen.read import render

_KINDS = ("definition", "term")
HIDDEN = "[…]"
# The least a definition says to name one term, in letters and digits (a Hangul syllable counts
# two): "a library" names many.
_MIN_SAID = 14
_MAX_TERM = 80  # a longer "term" is a phrase or a sentence, not a name to recall
# The pieces of a fragment no word is hidden in: tags, and formulas (MathJax reads their source).
_UNTOUCHED = re.compile(r"(<[^>]*>|\\\(.*?\\\)|\\\[.*?\\\])", re.DOTALL)
_GLOSSED = re.compile(r"^(?P<name>.+?)\s*[(（](?P<gloss>[^()（）]+)[)）]$")  # "체이닝(chaining)"


def wanted(post: Post, default: bool) -> bool:
    """Whether the post's definitions get reverse cards: its front matter, else the configuration."""
    return post.reverse if post.reverse is not None else default


def with_reverse(notes: Iterable[Note], post: Post) -> tuple[Note, ...]:
    """The notes, each definition with its reverse card."""
    return tuple(_reversed(note, post) for note in notes)


def _reversed(note: Note, post: Post) -> Note:
    if note.cloze or note.kind not in _KINDS or not note.term:
        return note
    term = render.inline(note.term)
    names = _names(render.text(term))
    said = render.text(note.back)
    if not names or len(names[0]) > _MAX_TERM:
        return note
    hidden = hide(note.back, names)
    if _letters(render.text(hidden)) < _MIN_SAID:
        return note  # "a library", or "Transformer (트랜스포머)": the definition was the term again
    lang = phrasing.language_of(post.lang, post.lang_given, said)
    question = (
        f'<div class="fg-context">{hide(note.context, names)}</div>\n'
        f'<div class="fg-question">{render.escape(phrasing.question(lang, "reverse"))}</div>\n'
        f'<div class="fg-answer">{hidden}</div>'
    )
    return replace(note, reverse=(question, term))


def _letters(text: str) -> int:
    return sum(2 if "가" <= char <= "힣" else 1 for char in text if char.isalnum())


def _names(term: str) -> list[str]:
    """What the term is written as, longest first: "체이닝(chaining)" is also "체이닝" and "chaining"."""
    term = " ".join(term.split())
    names = {term}
    if glossed := _GLOSSED.match(term):
        names.update(part.strip() for part in glossed.groups())
    return sorted((name for name in names if len(name) >= 2), key=lambda name: (-len(name), name))


def hide(fragment: str, names: list[str]) -> str:
    """The HTML fragment with every word that names the term replaced by "[…]", in its text only
    (not in tags, attributes or formulas), as a word of its own: "Map" is not hidden in
    "MapReduce", and "Transformers" is hidden as a plural."""
    if not names:
        return fragment
    alternatives = "|".join(re.escape(html.escape(name, quote=False)) for name in names)
    word = re.compile(rf"(?<![0-9A-Za-z_])(?:{alternatives})(?:e?s)?(?![0-9A-Za-z_])", re.IGNORECASE)
    parts = _UNTOUCHED.split(fragment)
    return "".join(part if i % 2 else word.sub(HIDDEN, part) for i, part in enumerate(parts))
