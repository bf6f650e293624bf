"""The library's entry points: build(sources) → decks and problems; run(sources, config) → the
decks built and written (or checked), and a report of it. Packing and writing a deck is
package.py's; its names are re-exported here."""

from __future__ import annotations

import contextlib
import functools
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from flashgen import unchanged
from flashgen.config import Config
from flashgen.errors import FlashgenError
from flashgen.model import Changes, Deck, Note
from flashgen.package import Planned, deck_filename, output_lock, plan, state_path_for, write
from flashgen.posts import find_posts
from flashgen.settings import Settings
from flashgen.site import Site, find_site

if TYPE_CHECKING:
    from flashgen.store import PostRecord  # sqlite3: not for a rebuild answered from the last one

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


def of_severity(problems: Sequence[Problem], severity: Severity) -> tuple[Problem, ...]:
    return tuple(p for p in problems if p.severity == severity)


@dataclass(frozen=True, slots=True)
class DeckProblems:
    """The problems at the end of a build's list that come from comparing posts (a note in
    `ignore`, two notes with one id, two notes alike), and the posts (labels) they are about."""

    count: int = 0
    posts: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class BuildResult:
    decks: tuple[Deck, ...]
    posts_read: int
    problems: tuple[Problem, ...]
    failed_sources: frozenset[str] = frozenset()  # labels of the posts that failed to build
    cached: int = 0  # posts whose notes came from the cache, unread
    posts: tuple[PostRecord, ...] = ()  # what the build learnt of each post, in order (store.py)
    across: DeckProblems = DeckProblems()

    @property
    def notes(self) -> tuple[Note, ...]:
        return tuple(note for deck in self.decks for note in deck.notes)

    @property
    def errors(self) -> tuple[Problem, ...]:
        return of_severity(self.problems, "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return of_severity(self.problems, "warning")

    @property
    def notices(self) -> tuple[Problem, ...]:
        return of_severity(self.problems, "info")

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
    """Read every post under `sources` and make its notes (building.build, imported here when
    first needed: a rebuild that `run` answers from the last one never loads the rules)."""
    from flashgen import building

    return building.build(sources, deck_name=deck_name, settings=settings, config=config, progress=progress)


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
        return of_severity(self.problems, "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return of_severity(self.problems, "warning")

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
    allow_removal: bool = False,
    partial: bool = False,
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

    A deck that would lose all its notes, or more than `package.REMOVAL_SHARE` of them, is not
    written (its report says why) unless `allow_removal`. With `partial` (the sources are some
    post files of a blog, named without an output folder of their own), a deck that holds other
    posts' notes is not written at all: they are not this build's to remove.
    """
    events = events or Events()
    started_ns = time.time_ns()  # before any post is looked at (see incremental.py)
    key = None
    walked = None  # the posts under the sources, when looked for already
    if config.cache is not None and not verbose:
        name = deck_name or config.deck or default_deck_name(sources)
        posts = walked = posts_to_read(sources, config.site_url)
        record = unchanged.load(config.cache)
        key = unchanged.inputs_key(posts, config, name, extra_css, forget_removed, record)
        recalled = unchanged.recall(record, key.key) if key else None
        if recalled is not None and (report := _as_unchanged(recalled, config.output, check)) is not None:
            return report

    said: list[Problem] = []  # what the in-place build found wrong with its store, if anything
    if not check and not forget_removed and not partial and config.cache is not None:
        from flashgen import incremental  # the rules: only when a post must be read

        quick = incremental.run(
            sources,
            config,
            deck_name=deck_name,
            extra_css=extra_css,
            clock=clock,
            events=events,
            verbose=verbose,
            posts=walked,
            allow_removal=allow_removal,
            said=said,
        )
        if quick is not None:
            report, images, digests = quick
            if key is not None and _clean(report):
                written = [path for deck in report.decks for path in (deck.path, deck.state_path)]
                unchanged.remember(config.cache, key, images, written, report.to_json(), digests)
            return report

    result = build(sources, deck_name=deck_name, config=config, progress=progress)
    if said:
        result = replace(result, problems=(*said, *result.problems))
    events.built(result)
    built = frozenset(post.label for post in result.posts) if partial else None
    options = _DeckOptions(
        config, check, extra_css, forget_removed, clock(), result.failed_sources, allow_removal, built
    )
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
    if not check and config.cache is not None and len(decks) == 1:
        from flashgen import incremental

        incremental.remember(config, result, decks[0], extra_css, result.decks[0].name, started_ns)
    return report


@dataclass(frozen=True, slots=True)
class _DeckOptions:
    config: Config
    check: bool
    extra_css: str
    forget_removed: bool
    clock: int
    failed_sources: frozenset[str]
    allow_removal: bool
    posts_built: frozenset[str] | None  # only these posts' notes may be removed (a partial build)


def _make_deck(deck: Deck, options: _DeckOptions, events: Events) -> DeckReport:
    """Plan one deck and write it (or only check it); a deck that fails is reported, not raised,
    so the other decks are still written."""
    from flashgen import anki

    try:
        planned = plan(
            deck,
            options.config.output,
            clock=options.clock,
            failed_sources=options.failed_sources,
            extra_css=options.extra_css,
            forget_removed=options.forget_removed,
            media_cache=options.config.cache,
            rows=_rows(options.config, deck.name) if not options.check else None,
            allow_removal=options.allow_removal,
            posts_built=options.posts_built,
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
        notes=len(deck.notes) + planned.changes.kept,
        changes=planned.changes,
        up_to_date=planned.up_to_date,
        written=not options.check,
        size=len(planned.package),
        largest_media=anki.largest_media(planned.package),
    )


def _rows(config: Config, deck_name: str) -> Path | None:
    """Where the deck's rows are kept for the next build to update in place (store.py)."""
    from flashgen import store

    return store.path_for(config.cache, config.output / deck_filename(deck_name)) if config.cache else None


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
