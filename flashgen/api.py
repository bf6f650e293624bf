"""The library's entry points: build(sources) → decks and problems; write(deck, folder) → .apkg."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from flashgen import anki, state
from flashgen.cache import Cache, Entry
from flashgen.config import Config
from flashgen.errors import FlashgenError, OutputError, PostError
from flashgen.extract import Extracted, Settings, notes_of, unique_questions, with_media
from flashgen.model import Deck, Note, Post
from flashgen.posts import find_posts, label_for, read_bytes, read_post
from flashgen.sections import split_sections
from flashgen.site import Site, find_site
from flashgen.state import Changes
from flashgen.version import __version__

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
    cached: int = 0  # posts whose notes came from the cache, unread

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
    """The site's title (_config.yml, hugo.toml), else its folder's name: `myblog` for
    `myblog/_posts` (or `myblog` itself)."""
    if not sources:
        return DEFAULT_DECK
    site = find_site(sources[0])
    if site.title:
        return site.title
    folder = sources[0].resolve()
    if folder.is_file():
        folder = folder.parent
    while folder.name in _SITE_FOLDERS and folder.parent != folder:
        folder = folder.parent
    return folder.name or DEFAULT_DECK


Progress = Callable[[Path], None]


def build(
    sources: Sequence[Path],
    *,
    deck_name: str | None = None,
    settings: Settings | None = None,
    config: Config | None = None,
    progress: Progress | None = None,
) -> BuildResult:
    """Read every post under `sources` and make its notes. Never raises for a bad post: each
    one becomes an error in the result, and the other posts still build.

    `config` brings the deck split, language, site URL, tag prefix and cache; `settings` (else
    the config's) the extraction rules and limits. `progress` is called after each post.
    """
    config = config or Config(cache=None)
    settings = settings or config.settings
    name = deck_name or config.deck or default_deck_name(sources)
    cache = Cache.open(config.cache, salt=f"{__version__}\x1f{settings!r}\x1f{config.lang}")
    notes: list[Note] = []
    problems: list[Problem] = []
    seen: set[Path] = set()
    labels: set[str] = set()
    failed: set[str] = set()
    work: list[tuple[Path, Path, Site]] = []
    for source in sources:
        root = source if source.is_dir() else source.parent
        site = find_site(root)
        if config.site_url:
            site = replace(site, url=config.site_url)
        for path in find_posts(source):
            if path.resolve() not in seen:
                seen.add(path.resolve())
                work.append((path, root, site))
    for path, root, site in work:
        try:
            post, extracted = _post_notes(path, root, site, settings, config, cache)
            if post.label in labels:
                raise PostError(f"two posts share the path {post.label!r} in different sources", path)
            labels.add(post.label)
        except FlashgenError as exc:
            problems.append(Problem("error", exc.path or path, exc.line, exc.message))
            failed.add(label_for(path, root))
        except RecursionError:
            problems.append(Problem("error", path, 0, "the Markdown is nested too deeply"))
            failed.add(label_for(path, root))
        else:
            target = _deck_of(post, name, config.split)
            notes.extend(_placed(note, target, config.tag_prefix) for note in extracted.notes)
            problems.extend(Problem("warning", path, line, message) for line, message in extracted.warnings)
            problems.extend(Problem("info", path, line, message) for line, message in extracted.notices)
        if progress is not None:
            progress(path)
    cache.save()
    files = dict(sorted({item for note in notes for item in note.media}))
    deck = Deck(name, unique_questions(notes), tuple(files.items()))
    return BuildResult((deck,), len(work), tuple(problems), frozenset(failed), cache.hits)


def _post_notes(
    path: Path, root: Path, site: Site, settings: Settings, config: Config, cache: Cache
) -> tuple[Post, Extracted]:
    """A post and its notes: from the cache when its bytes and context are unchanged."""
    raw = read_bytes(path)
    digest = cache.digest(raw, str(path.resolve()), str(root.resolve()), repr(site))
    entry = cache.get(path, digest)
    if entry is None:
        post = read_post(path, root, site, raw)
        if config.lang:
            post = replace(post, lang=config.lang)
        entry = Entry(digest, replace(post, body=""), notes_of(post, split_sections(post), settings))
        cache.put(path, entry)
    return entry.post, with_media(entry.post, entry.extracted)


def _deck_of(post: Post, name: str, split: str) -> str | None:
    """The deck a post's notes go to: its own (front matter `deck:`), a subdeck of its first
    category or of its title (config `split`), else the package's deck (None)."""
    if post.deck:
        return post.deck
    if split == "category" and post.categories:
        return f"{name}::{post.categories[0]}"
    if split == "post":
        return f"{name}::{post.title.replace('::', ':')}"
    return None


def _placed(note: Note, deck: str | None, tag_prefix: str) -> Note:
    tags = tuple(tag_prefix + tag for tag in note.tags) if tag_prefix else note.tags
    return replace(note, deck=deck, tags=tags) if (deck != note.deck or tags != note.tags) else note


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
