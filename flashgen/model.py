"""The values handed from one stage to the next: frozen, typed, and free of I/O.

path ──► Post ──► Section (with its Blocks) ──► Note ──► Deck ──► .apkg
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal, TypeVar

_T = TypeVar("_T")


def pickled_fast(cls: type[_T]) -> type[_T]:
    """Pickle a frozen, slotted dataclass as (class, field values). Python's own way for such
    classes looks their fields up on every object, which made loading the cache and taking
    notes back from worker processes several times slower than making them."""
    names = tuple(f.name for f in fields(cls))  # type: ignore[arg-type]

    def __reduce__(self: Any) -> tuple[type[_T], tuple[object, ...]]:
        return cls, tuple(getattr(self, name) for name in names)

    cls.__reduce__ = __reduce__  # type: ignore[method-assign]
    return cls


@pickled_fast
@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where something came from: a file and a 1-based line (0 when unknown)."""

    path: Path
    line: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else str(self.path)


@pickled_fast
@dataclass(frozen=True, slots=True)
class Post:
    """One Markdown file, its front matter read and checked."""

    path: Path
    key: str  # stable identity: front matter `id`, else the file name without date prefix
    title: str
    tags: tuple[str, ...]
    date: dt.date | None
    lang: str  # "ko", "en", … (front matter `lang`, else detected)
    body: str  # Markdown after the front matter, line endings normalised to "\n"
    body_line: int  # the 1-based line of the file where `body` starts
    label: str  # how the post is named on cards: path relative to the source root
    site_root: Path  # the blog's root folder: `/assets/x.png` is looked up there
    site_url: str | None  # the blog's URL (with its baseurl), when _config.yml gives it
    url: str | None  # the post's published URL, when it can be known
    warnings: tuple[tuple[int, str], ...] = ()  # (line, message): what reading it left out
    skip: bool = False  # front matter `flashgen: false`: the author wants no cards from it
    deck: str | None = None  # front matter `deck:`: the Anki deck for this post's notes
    paper: Link | None = None  # front matter `paper:` / `arxiv:`: the one paper the post is about
    categories: tuple[str, ...] = ()  # front matter `categories` / `category`, in order
    lang_given: bool = False  # `lang` came from front matter or the configuration, not detection
    reverse: bool | None = None  # front matter `flashgen: {reverse: …}`; None: as the configuration says


# ── Markdown structure ────────────────────────────────────────────────────────


@pickled_fast
@dataclass(frozen=True, slots=True)
class Link:
    url: str
    text: str


@pickled_fast
@dataclass(frozen=True, slots=True)
class Inline:
    """A run of inline Markdown: its source, its plain text and the links in it."""

    md: str
    text: str
    links: tuple[Link, ...] = ()


@dataclass(frozen=True, slots=True)
class Paragraph:
    line: int
    inline: Inline

    @property
    def md(self) -> str:
        return self.inline.md


@dataclass(frozen=True, slots=True)
class ListItem:
    line: int
    inline: Inline  # the item's own text (its first paragraph)
    children: tuple[Block, ...]  # what is nested under it: lists, further paragraphs, …
    md: str  # the item's whole source, marker included, de-indented

    @property
    def sublists(self) -> tuple[ListBlock, ...]:
        return tuple(b for b in self.children if isinstance(b, ListBlock))

    @property
    def subitems(self) -> tuple[ListItem, ...]:
        return tuple(item for block in self.sublists for item in block.items)


@dataclass(frozen=True, slots=True)
class ListBlock:
    line: int
    end_line: int  # the line its last item ends on
    ordered: bool
    start: int | None
    items: tuple[ListItem, ...]

    @property
    def md(self) -> str:
        return "\n".join(item.md for item in self.items)


@dataclass(frozen=True, slots=True)
class Table:
    line: int
    header: tuple[Inline, ...]
    rows: tuple[tuple[Inline, ...], ...]
    md: str


@dataclass(frozen=True, slots=True)
class OtherBlock:
    """A block no rule reads by structure (code, quote, HTML, math…); kept for rendering."""

    line: int
    kind: str
    md: str


Block = Paragraph | ListBlock | Table | OtherBlock


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and the blocks up to the next heading (of any level).

    The text before the first heading is a section of level 0 with an empty title.
    """

    post: Post
    level: int
    title: str  # cleaned: numbering and link labels removed
    heading: Inline
    anchor: str | None  # an explicit `{#id}` on the heading: pins the section's identity
    path: tuple[str, ...]  # the titles of the enclosing sections, outermost first, then this one
    line: int
    blocks: tuple[Block, ...]
    md: str  # the Markdown source of the blocks
    skip: bool = False  # an HTML comment `<!-- flashgen: skip -->` before it or at its top


# ── Notes and decks ───────────────────────────────────────────────────────────

NoteKind = Literal[
    "paper",  # a section summarising a paper: "What is the paper X about?"
    "paper-part",  # a part of a post about one paper: "What does X say about its method?"
    "list",  # an enumeration, as cloze
    "children",  # a list item and what is nested under it
    "definition",  # `Term : definition`, `**Term**: definition`, `Term - definition`
    "question",  # a heading ending in "?" and its section
    "qa",  # an explicit `Q:` / `A:` pair
    "cloze",  # an explicit `{{c1::…}}` or `==highlight==`
    "term",  # an explicit `question :: answer` line
]


@pickled_fast
@dataclass(frozen=True, slots=True)
class Note:
    """One Anki note. HTML fields; `guid` comes from where the note is, not what it says."""

    guid: str
    kind: NoteKind
    cloze: bool
    front: str  # question (basic) or cloze text (cloze)
    back: str  # answer (basic); empty for cloze
    context: str  # the cue shown above the question: post title › section
    source: str  # where the note came from, shown on the back
    extra: str  # further details (paper id, time slot…); may be empty
    tags: tuple[str, ...]
    ref: SourceRef
    origin: str  # the post's label (path relative to its source folder): the state file's key
    media: tuple[tuple[str, Path], ...] = ()  # images it shows: (name in the deck, file)
    deck: str | None = None  # the Anki deck it goes to, when not the package's own deck
    term: str = ""  # a definition's term (Markdown), which its reverse card asks for
    # A definition's reverse card, when its post asks for one: (question, answer) HTML, the
    # definition with the term hidden and the term. It is a second card of the same note.
    reverse: tuple[str, str] | tuple[()] = ()


@dataclass(frozen=True, slots=True)
class Deck:
    name: str
    notes: tuple[Note, ...]
    media: tuple[tuple[str, Path], ...] = field(default=())  # (name in the deck, file)


@dataclass(frozen=True, slots=True)
class Changes:
    """What a build changes in a deck against its state file (state.py works it out)."""

    new: tuple[Note, ...]
    changed: tuple[Note, ...]
    removed: tuple[Note, ...]  # removed by this build
    still_removed: int  # removed earlier, still shipped tagged
    note_types_changed: tuple[str, ...]
    kept: int = 0  # notes of posts that failed to build, shipped as they were last time
    # The deck's basic note type gained the reverse card's fields with this build: Anki updates
    # the notes already imported only when this deck is imported with "Merge note types" ticked
    # and "Update notes" set to "Always" (merging marks them modified at the time of the import).
    reverse_fields_added: bool = False

    @property
    def any(self) -> bool:
        return bool(self.new or self.changed or self.removed or self.note_types_changed)


# The tag a note removed from its post ships with, until the user deletes it in Anki (state.py).
REMOVED_TAG = "flashgen::removed"
# The last second of the year 9999. Anki keeps `mod` in a 64-bit integer, and a package's note
# ids are mods in milliseconds (anki.write_collection): a larger mod would overflow them, and a
# note a year 9999 clock stamped is no real note's.
MAX_MOD = 253_402_300_799
