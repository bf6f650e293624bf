"""The author's review of the cards (`flashgen review`): which they kept and which they rewrote.

It is one committed file beside the configuration, `flashgen-reviews.json`:

    {"version": 1,
     "notes": {"<note id>": {"card": "<digest>", "question": "…", "answer": "…"}}}

- a card only **kept** has `card` alone: the digest of the card as the rules made it when it
  was reviewed. A later review shows it again only when the card changed since.
- a card **edited** also has `question` and `answer`: Markdown, rendered as a post's is. Every
  build (CI's too) puts them on the note in place of what the rules made; the note keeps its id,
  so Anki keeps its history. When the rules make another card from the post since (its source
  changed), the build warns and the review shows both versions, and the edit stays until the
  author confirms it (its `card` becomes the new digest) or discards it.

Dropped cards are not here: they go into the configuration's `ignore`, which every build already
leaves out.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from flashgen.errors import ConfigError
from flashgen.model import Note

REVIEWS_FILE = "flashgen-reviews.json"
VERSION = 1


@dataclass(frozen=True, slots=True)
class Reviewed:
    card: str  # the digest of the card as the rules made it when it was reviewed (`card_digest`)
    question: str | None = None  # Markdown: the author's own question, when they edited the card
    answer: str | None = None

    @property
    def edited(self) -> bool:
        return self.question is not None


def card_digest(note: Note) -> str:
    """What a review is checked against: the card the rules made (its kind, sides and extra),
    before any edit. Another digest means the post's unit says something else now."""
    text = "\x1f".join((note.kind, str(note.cloze), note.front, note.back, note.extra))
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def load(path: Path) -> dict[str, Reviewed]:
    """The reviews in `path` (none when there is no such file); a file that is not one `flashgen
    review` writes is an error naming it."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the reviews: {exc}", path) from None
    try:
        data = json.loads(raw)
        if (
            not isinstance(data, dict)
            or data.get("version") != VERSION
            or not isinstance(data["notes"], dict)
        ):
            raise ValueError(f"not a version-{VERSION} reviews file")
        return {str(guid): _entry(value) for guid, value in data["notes"].items()}
    except (ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{path.name} is not a reviews file flashgen writes ({exc})", path) from None


def _entry(value: object) -> Reviewed:
    if not isinstance(value, dict) or not isinstance(value.get("card"), str):
        raise ValueError("an entry without the digest of its card")
    question, answer = value.get("question"), value.get("answer")
    if (question is None) != (answer is None):
        raise ValueError("an edit needs a question and an answer")
    if question is not None and not (isinstance(question, str) and isinstance(answer, str)):
        raise ValueError("an edit's question and answer are text")
    return Reviewed(value["card"], question, answer)


def dumps(reviews: Mapping[str, Reviewed]) -> str:
    """The file's text: sorted by note id, one entry a line group, so a commit's diff is small."""
    notes = {
        guid: {"card": r.card, **({"question": r.question, "answer": r.answer} if r.edited else {})}
        for guid, r in sorted(reviews.items())
    }
    return json.dumps({"version": VERSION, "notes": notes}, ensure_ascii=False, indent=1) + "\n"


def mended(note: Note, review: Reviewed | None) -> tuple[Note, bool]:
    """The note with the author's edit, if any, on it; and whether the edit is stale (the rules
    make another card from the post since it was written)."""
    if review is None or not review.edited:
        return note, False
    from flashgen.read import render  # the renderer: only when a card was edited

    assert review.question is not None and review.answer is not None
    stale = review.card != card_digest(note)
    question = review.question.strip()
    front = render.inline(question) if "\n" not in question else render.block(question)
    if note.cloze:  # a cloze card's text is its question; it has no answer of its own
        return replace(note, front=front), stale
    return replace(note, front=front, back=render.block(review.answer)), stale


def as_markdown(question: str, answer: str) -> str:
    """The mended card as a post's explicit card markup, to paste into the post."""
    asked = " ".join(question.split()) if "\n" not in question.strip() else question.strip()
    return f"Q: {asked}\nA: {answer.strip()}\n"
