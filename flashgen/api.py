"""The library's entry points: build(sources) → decks and problems; write(deck, folder) → .apkg."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from flashgen import anki, state
from flashgen.errors import FlashgenError, OutputError, PostError
from flashgen.extract import Settings, extract_notes, unique_questions
from flashgen.model import Deck, Note
from flashgen.posts import find_posts, label_for, read_post
from flashgen.sections import split_sections
from flashgen.site import find_site
from flashgen.state import Changes

DEFAULT_DECK = "flashgen"
_SITE_FOLDERS = ("_posts", "content", "posts", "_drafts")


@dataclass(frozen=True, slots=True)
class Problem:
    severity: Literal["info", "warning", "error"]  # info: what was left out on purpose (--verbose)
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{self.severity}: {where}: {self.message}"


@dataclass(frozen=True, slots=True)
class BuildResult:
    decks: tuple[Deck, ...]
    posts_read: int
    problems: tuple[Problem, ...]
    failed_sources: frozenset[str] = frozenset()  # labels of the posts that failed to build

    @property
    def notes(self) -> tuple[Note, ...]:
        return tuple(note for deck in self.decks for note in deck.notes)

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "warning")

    @property
    def notices(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "info")

    def kinds(self) -> Counter[str]:
        return Counter(note.kind for note in self.notes)


def default_deck_name(sources: Sequence[Path]) -> str:
    """The site's folder name: `myblog` for `myblog/_posts` (or `myblog` itself)."""
    if not sources:
        return DEFAULT_DECK
    folder = sources[0].resolve()
    if folder.is_file():
        folder = folder.parent
    while folder.name in _SITE_FOLDERS and folder.parent != folder:
        folder = folder.parent
    return folder.name or DEFAULT_DECK


def build(
    sources: Sequence[Path], *, deck_name: str | None = None, settings: Settings | None = None
) -> BuildResult:
    """Read every post under `sources` and make its notes. Never raises for a bad post: each
    one becomes an error in the result, and the other posts still build."""
    name = deck_name or default_deck_name(sources)
    notes: list[Note] = []
    problems: list[Problem] = []
    posts_read = 0
    seen: set[Path] = set()
    labels: set[str] = set()
    failed: set[str] = set()
    for source in sources:
        root = source if source.is_dir() else source.parent
        site = find_site(root)
        for path in find_posts(source):
            if path.resolve() in seen:
                continue
            seen.add(path.resolve())
            posts_read += 1
            try:
                post = read_post(path, root, site)
                if post.label in labels:
                    raise PostError(f"two posts share the path {post.label!r} in different sources", path)
                labels.add(post.label)
                extracted = extract_notes(post, split_sections(post), settings)
            except FlashgenError as exc:
                problems.append(Problem("error", exc.path or path, exc.line, exc.message))
                failed.add(label_for(path, root))
                continue
            except RecursionError:
                problems.append(Problem("error", path, 0, "the Markdown is nested too deeply"))
                failed.add(label_for(path, root))
                continue
            notes.extend(extracted.notes)
            problems.extend(Problem("warning", path, line, message) for line, message in extracted.warnings)
            problems.extend(Problem("info", path, line, message) for line, message in extracted.notices)
    files = dict(sorted({item for note in notes for item in note.media}))
    deck = Deck(name, unique_questions(notes), tuple(files.items()))
    return BuildResult((deck,), posts_read, tuple(problems), frozenset(failed))


def deck_filename(name: str) -> str:
    """A file name for a deck: `Study::ML` → `Study__ML.apkg`. Never `collection.apkg`, which
    Anki would import as a whole collection."""
    stem = re.sub(r"[^\w\-.]+", "-", name.replace("::", "__"), flags=re.UNICODE).strip("-.")
    stem = stem or "deck"
    if stem.lower() == "collection":
        stem += "-deck"
    return stem + ".apkg"


@dataclass(frozen=True, slots=True)
class Planned:
    """A deck ready to write: its file's bytes, its state file's bytes, and what changed."""

    path: Path
    state_path: Path
    package: bytes
    state: bytes
    changes: Changes

    @property
    def up_to_date(self) -> bool:
        """True when the files on disk already hold exactly these bytes."""
        return _same(self.path, self.package) and _same(self.state_path, self.state)


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() == data
    except OSError:
        return False


def state_path_for(package: Path) -> Path:
    return package.with_name(package.name.removesuffix(".apkg") + ".state.json")


def plan(
    deck: Deck,
    folder: Path,
    *,
    clock: int,
    failed_sources: frozenset[str] = frozenset(),
    extra_css: str = "",
    forget_removed: bool = False,
) -> Planned:
    """Work out the deck's package and state against the state already in `folder`; write nothing."""
    path = folder / deck_filename(deck.name)
    state_file = state_path_for(path)
    stamped = state.stamp(
        deck.notes,
        anki.note_type_hashes(extra_css),
        state.load(state_file),
        clock=clock,
        failed_sources=failed_sources,
        forget_removed=forget_removed,
    )
    shipped = Deck(deck.name, stamped.notes, deck.media)
    try:
        package = anki.package_bytes(
            shipped,
            note_mods=stamped.note_mods,
            note_type_mods=stamped.note_type_mods,
            extra_css=extra_css,
        )
    except OSError as exc:
        raise OutputError(f"cannot build the deck: {exc.strerror or exc}: {exc.filename}", path) from exc
    return Planned(path, state_file, package, state.dumps(stamped.state), stamped.changes)


def write(planned: Planned) -> None:
    """Write a planned deck and its state; each file is replaced only by a complete new one."""
    for path, data in ((planned.path, planned.package), (planned.state_path, planned.state)):
        if _same(path, data):
            continue
        try:
            anki.write_atomically(path, data)
        except OSError as exc:
            raise OutputError(f"cannot write the deck: {exc.strerror or exc}", path) from exc


__all__ = [
    "BuildResult",
    "Planned",
    "Problem",
    "build",
    "deck_filename",
    "default_deck_name",
    "plan",
    "write",
]
