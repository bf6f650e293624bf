"""The library's entry points: build(sources) → decks and problems; run(sources, config) → the
decks built and written (or checked), and a report of it. Packing and writing a deck is
package.py's; its names are re-exported here."""

from __future__ import annotations

import concurrent.futures
import contextlib
import functools
import importlib.metadata
import os
import re
import signal
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from flashgen import anki, render, unchanged
from flashgen.cache import Cache, Entry
from flashgen.config import Config
from flashgen.errors import FlashgenError
from flashgen.extract import Settings, notes_of, unique_questions, with_media
from flashgen.extract.common import stable_guid
from flashgen.model import Deck, Note, Post
from flashgen.package import Planned, deck_filename, output_lock, plan, state_path_for, write
from flashgen.posts import file_date, find_posts, label_for, post_name, read_bytes, read_post
from flashgen.sections import split_sections
from flashgen.site import Site, find_site
from flashgen.state import Changes
from flashgen.version import __version__

DEFAULT_DECK = "flashgen"
_SITE_FOLDERS = ("_posts", "content", "posts", "_drafts")


Severity = Literal["info", "warning", "error"]  # info: what was left out on purpose (--verbose)


@dataclass(frozen=True, slots=True)
class Problem:
    severity: Severity
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


@functools.cache
def _shaping_versions() -> str:
    """The versions of the libraries that shape a note's HTML (Markdown, highlighting,
    sanitising, YAML): a cache made with others is not used."""
    return " ".join(f"{name}={importlib.metadata.version(name)}" for name in _SHAPING)


_SHAPING = ("pyromark", "Pygments", "nh3", "PyYAML", "python-frontmatter")

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
    name = deck_text(deck_name or config.deck or default_deck_name(sources)) or DEFAULT_DECK
    cache = Cache.open(
        config.cache, salt=f"{__version__}\x1f{_shaping_versions()}\x1f{settings!r}\x1f{config.lang}"
    )
    notes: list[Note] = []
    problems: list[Problem] = []
    labels: set[str] = set()
    failed: set[str] = set()
    work = posts_to_read(sources, config.site_url)
    entries = _entries(work, settings, config.lang, cache, progress)
    renamed = _renamed(work, entries)
    for (path, root, _site), found in zip(work, entries, strict=True):
        if isinstance(found, Problem):
            problems.append(found)
            failed.add(label_for(path, root))
            continue
        post = found.post
        if post.label in labels:
            problems.append(
                Problem("error", path, 0, f"two posts share the path {post.label!r} in different sources")
            )
            failed.add(post.label)
            continue
        labels.add(post.label)
        extracted = with_media(post, found.extracted, settings.limits)
        post_notes = extracted.notes
        if path in renamed:
            post_notes = tuple(replace(n, guid=stable_guid(n.guid, post.label)) for n in post_notes)
            problems.append(Problem("warning", path, 0, _SAME_NAME.format(key=post.key, first=renamed[path])))
        target = _deck_of(post, name, config.split)
        notes.extend(_placed(note, target, config.tag_prefix) for note in post_notes)
        problems.extend(Problem("warning", path, line, message) for line, message in extracted.warnings)
        problems.extend(Problem("info", path, line, message) for line, message in extracted.notices)
    cache.save()
    if config.ignore:
        # Notes the user switched off by id: left out on every build, so a deleted card stays deleted.
        ignored = [note for note in notes if note.guid in config.ignore]
        problems.extend(
            Problem("info", n.ref.path, n.ref.line, f"note {n.guid} is in `ignore`; left out")
            for n in ignored
        )
        notes = [note for note in notes if note.guid not in config.ignore]
    notes = _one_note_per_guid(notes, problems)
    _warn_duplicates(notes, problems)
    files = dict(sorted({item for note in notes for item in note.media}))
    deck = Deck(name, unique_questions(notes), tuple(files.items()))
    return BuildResult((deck,), len(work), tuple(problems), frozenset(failed), cache.hits)


_SAME_NAME = (
    "an older post, {first}, is also named {key!r}, so the ids of this post's notes come from its "
    "path; give it an `id:` in its front matter to keep them stable if posts move"
)


def _renamed(work: Sequence[tuple[Path, Path, Site]], entries: Sequence[Entry | Problem]) -> dict[Path, str]:
    """Posts that share a name (`2024-01-07-til.md`, `2024-01-14-til.md`) would give their notes
    the same ids. The oldest keeps the plain ids, so adding a newer one changes nothing of the
    older; each later one (here, with the older one's label) takes its path into its ids. A post
    that failed to read still counts, by its file name, so a broken post does not shift others."""
    by_name: dict[str, list[tuple[str, str, Path]]] = {}
    for (path, root, _site), entry in zip(work, entries, strict=True):
        if isinstance(entry, Entry):
            name, date, label = entry.post.key, str(entry.post.date or ""), entry.post.label
        else:
            name, date, label = post_name(path), file_date(path), label_for(path, root)
        by_name.setdefault(name, []).append((date or "9999", label, path))
    renamed: dict[Path, str] = {}
    for posts in by_name.values():
        if len(posts) > 1:
            first, *later = sorted(posts)
            renamed.update((path, first[1]) for _, _, path in later)
    return renamed


def posts_to_read(sources: Sequence[Path], site_url: str | None = None) -> list[tuple[Path, Path, Site]]:
    """Every post under `sources`, once, with its source folder and its site."""
    seen: set[Path] = set()
    work: list[tuple[Path, Path, Site]] = []
    for source in sources:
        root = source if source.is_dir() else source.parent
        site = find_site(root)
        if site_url:
            site = replace(site, url=site_url)
        for path in find_posts(source):
            # The same post through two sources is read once (resolving costs a stat per folder,
            # so it is done only when there are two sources).
            if len(sources) == 1:
                work.append((path, root, site))
            elif path.resolve() not in seen:
                seen.add(path.resolve())
                work.append((path, root, site))
    return work


def _warn_duplicates(notes: Sequence[Note], problems: list[Problem]) -> None:
    """Two notes that ask and answer exactly the same (a copied post, a section pasted twice) are
    two cards to review for one fact: each later one is a warning naming the first."""
    first: dict[tuple[bool, str, str], Note] = {}
    for note in notes:
        key = (note.cloze, render.text(note.front), render.text(note.back))
        if key not in first:
            first[key] = note
            continue
        earlier = first[key]
        problems.append(
            Problem(
                "warning",
                note.ref.path,
                note.ref.line,
                f"this note asks and answers the same as {earlier.ref.path}:{earlier.ref.line}; "
                "Anki will show both (delete one, or mark it `<!-- flashgen: skip -->`)",
            )
        )


def _one_note_per_guid(notes: list[Note], problems: list[Problem]) -> list[Note]:
    """A deck never holds two notes with one GUID (Anki would keep one and drop the other)."""
    seen: set[str] = set()
    kept: list[Note] = []
    for note in notes:
        if note.guid in seen:
            twice = "a note with the same id as another; left out"
            problems.append(Problem("warning", note.ref.path, note.ref.line, twice))
            continue
        seen.add(note.guid)
        kept.append(note)
    return kept


# Below this many posts to read, a second process costs more than it saves.
PARALLEL_FROM = 48


def _entries(
    work: Sequence[tuple[Path, Path, Site]],
    settings: Settings,
    lang: str | None,
    cache: Cache,
    progress: Progress | None,
) -> list[Entry | Problem]:
    """Each post's cache entry (its notes before images are packed), or the error it gave, in
    order. Posts found in the cache are not read; the others are, on every core when they are
    many (each post is independent of the others)."""
    found: list[Entry | Problem | None] = []
    jobs: list[_Job] = []
    for path, root, site in work:
        try:
            raw = read_bytes(path)
        except FlashgenError as exc:
            found.append(Problem("error", path, exc.line, exc.message))
            continue
        digest = cache.digest(raw, str(path), str(root), repr(site))
        entry = cache.get(path, digest)
        found.append(entry)
        if entry is None:
            jobs.append(_Job(len(found) - 1, path, root, site, raw, digest, settings, lang))
        elif progress is not None:
            progress(path)
    workers = min(os.cpu_count() or 1, 8)
    if len(jobs) >= PARALLEL_FROM and workers > 1:
        # Ctrl-C reaches the workers too (one process group): they leave it to this process,
        # which cancels what is not started and lets the pool wind down, instead of a worker
        # dying mid-task and the pool waiting on it.
        with concurrent.futures.ProcessPoolExecutor(workers, initializer=_leave_interrupts) as pool:
            try:
                results = pool.map(_read_one, jobs, chunksize=max(1, len(jobs) // (workers * 8)))
                _collect(jobs, results, found, cache, progress)
            except KeyboardInterrupt:
                pool.shutdown(wait=True, cancel_futures=True)
                raise
    else:
        _collect(jobs, map(_read_one, jobs), found, cache, progress)
    return [entry for entry in found if entry is not None]


@dataclass(frozen=True, slots=True)
class _Job:
    index: int
    path: Path
    root: Path
    site: Site
    raw: bytes
    digest: str
    settings: Settings
    lang: str | None


def _read_one(job: _Job) -> Entry | Problem:
    """Read one post and make its notes (in a worker process, possibly): errors come back as
    values, with their file and line, since exceptions lose their fields between processes."""
    try:
        post = read_post(job.path, job.root, job.site, job.raw)
        if job.lang:
            post = replace(post, lang=job.lang, lang_given=True)
        return Entry(job.digest, replace(post, body=""), notes_of(post, split_sections(post), job.settings))
    except FlashgenError as exc:
        return Problem("error", exc.path or job.path, exc.line, exc.message)
    except RecursionError:
        return Problem("error", job.path, 0, "the Markdown is nested too deeply")
    except Exception as exc:  # a bug of ours on this post: report it, and build the others
        where = traceback.extract_tb(exc.__traceback__)[-1]
        message = (
            f"internal error ({type(exc).__name__}: {exc} at {Path(where.filename).name}:{where.lineno}); "
            "this post made no notes, the others were built. Please report it with the post"
        )
        return Problem("error", job.path, 0, message)


def _leave_interrupts() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _collect(
    jobs: list[_Job],
    results: Iterable[Entry | Problem],
    found: list[Entry | Problem | None],
    cache: Cache,
    progress: Progress | None,
) -> None:
    for job, result in zip(jobs, results, strict=True):
        found[job.index] = result
        if isinstance(result, Entry):
            cache.put(job.path, result)
        if progress is not None:
            progress(job.path)


def _deck_of(post: Post, name: str, split: str) -> str | None:
    """The deck a post's notes go to: its own (front matter `deck:`), a subdeck of its first
    category or of its title (config `split`), else the package's deck (None)."""
    if post.deck:
        return deck_text(post.deck) or None
    if split == "category" and post.categories:
        return f"{name}::{deck_text(post.categories[0]) or DEFAULT_DECK}"
    if split == "post":
        return f"{name}::{deck_text(post.title.replace('::', ':')) or DEFAULT_DECK}"
    return None


_MARKUP = re.compile(r"<[^>]*>?|[\x00-\x1f\x7f]")


def deck_text(name: str) -> str:
    """A deck name as plain text: no HTML (`<img src=x onerror=…>Study` is `Study`), no control
    characters, no empty parts between `::`."""
    parts = (" ".join(_MARKUP.sub(" ", part).split()) for part in name.split("::"))
    return "::".join(part for part in parts if part)


def _placed(note: Note, deck: str | None, tag_prefix: str) -> Note:
    tags = tuple(tag_prefix + tag for tag in note.tags) if tag_prefix else note.tags
    return replace(note, deck=deck, tags=tags) if (deck != note.deck or tags != note.tags) else note


class Events:
    """What a run says while it works, for a caller to show as it happens (the CLI prints it);
    the report it returns holds all of it again. Override what you want to hear: each method
    here does nothing."""

    def built(self, result: BuildResult) -> None:
        """Every post is read and its notes made (its problems are known); no deck is planned yet."""

    def waiting(self, folder: Path) -> None:
        """Another build is writing into `folder`: this one waits until it is done."""

    def planned(self, planned: Planned) -> None:
        """A deck's changes are known; it is written next (unless the run only checks)."""

    def failed(self, deck: str, error: FlashgenError) -> None:
        """The deck named `deck` could not be planned or written; the run goes on to the next."""


NO_CHANGES = Changes((), (), (), 0, ())


@dataclass(frozen=True, slots=True)
class DeckReport:
    """One deck of a run: its files, what changed in it and its size, or why it failed."""

    name: str
    path: Path  # the .apkg
    state_path: Path
    notes: int = 0  # the deck's notes, not counting removed ones still shipped
    changes: Changes = NO_CHANGES
    up_to_date: bool = False  # the files on disk hold this run's bytes (once written, unless checking)
    written: bool = False  # False when the run only checked
    size: int | None = None  # the package's bytes; None in a report remembered by an older flashgen
    largest_media: tuple[str, int] | None = None  # the largest packed image's name and bytes
    error: str | None = None  # why the deck could not be planned or written; then nothing else is known

    def to_json(self) -> dict[str, object]:
        if self.error is not None:
            return {"name": self.name, "error": self.error}
        data: dict[str, object] = {
            "name": self.name,
            "path": shown_path(self.path),
            "state": shown_path(self.state_path),
            "notes": self.notes,
            "new": len(self.changes.new),
            "changed": len(self.changes.changed),
            "removed": len(self.changes.removed),
            "up_to_date": self.up_to_date,
            "written": self.written,
        }
        if self.size is not None:
            largest = self.largest_media
            data["bytes"] = self.size
            data["largest_media"] = {"name": largest[0], "bytes": largest[1]} if largest else None
        return data


@dataclass(frozen=True, slots=True)
class Report:
    """What a run did: the summary `flashgen build` prints, and (`to_json`) its `--format json`."""

    posts: int  # posts found under the sources: read, taken from the cache, or failed
    posts_unchanged: int  # posts not parsed again (all of them when `recalled`)
    notes: int
    kinds: tuple[tuple[str, int], ...]  # the number of notes of each kind, by kind
    decks: tuple[DeckReport, ...]
    problems: tuple[Problem, ...]
    check: bool = False  # the decks were compared with the files on disk, not written
    verbose: bool = False  # what was left out on purpose is in the JSON (`left_out`)
    recalled: bool = False  # answered from the last clean build's record: no post was read

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "warning")

    @property
    def write_errors(self) -> int:
        """Decks that could not be planned or written."""
        return sum(1 for deck in self.decks if deck.error is not None)

    @property
    def out_of_date(self) -> bool:
        """A checked deck (or its state file) differs from the one on disk."""
        return self.check and any(not deck.up_to_date for deck in self.decks if deck.error is None)

    @property
    def ok(self) -> bool:
        """No post or deck failed, and no checked deck is out of date: `flashgen build` exits 0."""
        return not (self.errors or self.write_errors or self.out_of_date)

    def to_json(self) -> dict[str, Any]:
        def problems(severity: str) -> list[dict[str, object]]:
            return [
                {"path": str(p.path), "line": p.line, "message": p.message}
                for p in self.problems
                if p.severity == severity
            ]

        return {
            "ok": self.ok,
            "posts": self.posts,
            "posts_unchanged": self.posts_unchanged,
            "notes": self.notes,
            "kinds": dict(self.kinds),
            "decks": [deck.to_json() for deck in self.decks],
            "errors": problems("error"),
            "write_errors": self.write_errors,
            "warnings": problems("warning"),
            **({"left_out": problems("info")} if self.verbose else {}),
        }


def shown_path(path: Path) -> str:
    """A path as the user would type it: relative to the current folder when it is inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _now() -> int:
    return int(time.time())


def run(
    sources: Sequence[Path],
    config: Config,
    *,
    deck_name: str | None = None,
    check: bool = False,
    forget_removed: bool = False,
    extra_css: str = "",
    verbose: bool = False,
    clock: Callable[[], int] = _now,
    progress: Progress | None = None,
    events: Events | None = None,
) -> Report:
    """Build the decks from the posts under `sources` and write each, with its state file, into
    `config.output`; with `check`, only compare them with the files there. This is all
    `flashgen build` does but print. Never raises for a bad post or a deck that cannot be
    written: the report says which, and the rest are built.

    When nothing changed since the last clean build (same posts, settings, images, and deck and
    state files on disk; see unchanged.py), its report answers and no post is parsed; `verbose`
    (keep what was left out, which that report lacks) and a config without a cache always build.
    `extra_css` is the text of `config.css`, read by the caller (whose error an unreadable file
    is); `clock` gives the build's time in seconds, asked for only when decks are planned;
    `progress` is called after each post is read, `events` as the run goes on.
    """
    events = events or Events()
    key = None
    if config.cache is not None and not verbose:
        name = deck_name or config.deck or default_deck_name(sources)
        posts = posts_to_read(sources, config.site_url)
        key = unchanged.inputs_key(posts, config, name, extra_css, forget_removed)
        recalled = unchanged.recall(config.cache, key) if key else None
        if recalled is not None and (report := _as_unchanged(recalled, config.output, check)) is not None:
            return report

    result = build(sources, deck_name=deck_name, config=config, progress=progress)
    events.built(result)
    options = _DeckOptions(config, check, extra_css, forget_removed, clock(), result.failed_sources)
    # One build at a time writes into an output folder; a second one waits for it.
    waiting = functools.partial(events.waiting, config.output)
    with contextlib.nullcontext() if check else output_lock(config.output, waiting):
        decks = tuple(_make_deck(deck, options, events) for deck in result.decks)
    report = Report(
        posts=result.posts_read,
        posts_unchanged=result.cached,
        notes=len(result.notes),
        kinds=tuple(sorted(result.kinds().items())),
        decks=decks,
        problems=result.problems,
        check=check,
        verbose=verbose,
    )
    if key is not None and config.cache is not None and _clean(report):
        images = [path for note in result.notes for _, path in note.media]  # every file, twins too
        written = [path for deck in decks for path in (deck.path, deck.state_path)]
        unchanged.remember(config.cache, key, images, written, report.to_json())
    return report


@dataclass(frozen=True, slots=True)
class _DeckOptions:
    config: Config
    check: bool
    extra_css: str
    forget_removed: bool
    clock: int
    failed_sources: frozenset[str]


def _make_deck(deck: Deck, options: _DeckOptions, events: Events) -> DeckReport:
    """Plan one deck and write it (or only check it); a deck that fails is reported, not raised,
    so the other decks are still written."""
    try:
        planned = plan(
            deck,
            options.config.output,
            clock=options.clock,
            failed_sources=options.failed_sources,
            extra_css=options.extra_css,
            forget_removed=options.forget_removed,
            media_cache=options.config.cache,
        )
        events.planned(planned)
        if not options.check:
            write(planned)
    except FlashgenError as exc:
        events.failed(deck.name, exc)
        path = options.config.output / deck_filename(deck.name)
        return DeckReport(deck.name, path, state_path_for(path), error=str(exc))
    return DeckReport(
        deck.name,
        planned.path,
        planned.state_path,
        notes=len(deck.notes),
        changes=planned.changes,
        up_to_date=planned.up_to_date,
        written=not options.check,
        size=len(planned.package),
        largest_media=anki.largest_media(planned.package),
    )


def _clean(report: Report) -> bool:
    """A build the next one may be answered from: written, nothing failed, nothing to warn of,
    and no removed note still shipped (whose reminder the next build must print again)."""
    removed = any(deck.changes.removed or deck.changes.still_removed for deck in report.decks)
    return report.ok and not (report.warnings or removed or report.check)


def _as_unchanged(record: dict[str, Any], folder: Path, check: bool) -> Report | None:
    """The last clean build's report (as its JSON), as this run's: every post unchanged, every
    deck up to date; None when it is not one this flashgen can read."""
    try:
        problems = tuple(
            Problem(severity, Path(p["path"]), int(p["line"]), str(p["message"]))
            for severity, key in _RECORDED
            for p in record[key]
        )
        return Report(
            posts=int(record["posts"]),
            posts_unchanged=int(record["posts"]),
            notes=int(record["notes"]),
            kinds=tuple((str(kind), int(count)) for kind, count in record["kinds"].items()),
            decks=tuple(_deck_as_unchanged(deck, folder, check) for deck in record["decks"]),
            problems=problems,
            check=check,
            recalled=True,
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


_RECORDED: tuple[tuple[Severity, str], ...] = (("error", "errors"), ("warning", "warnings"))


def _deck_as_unchanged(deck: dict[str, Any], folder: Path, check: bool) -> DeckReport:
    name = str(deck["name"])
    path = folder / deck_filename(name)
    largest = deck.get("largest_media")
    return DeckReport(
        name,
        path,
        state_path_for(path),
        notes=int(deck["notes"]),
        up_to_date=True,
        written=not check,
        size=int(deck["bytes"]) if "bytes" in deck else None,
        largest_media=(str(largest["name"]), int(largest["bytes"])) if largest else None,
    )


__all__ = [
    "BuildResult",
    "DeckReport",
    "Events",
    "Planned",
    "Problem",
    "Report",
    "build",
    "deck_filename",
    "default_deck_name",
    "output_lock",
    "plan",
    "run",
    "state_path_for",
    "write",
]
