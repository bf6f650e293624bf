"""The library's entry points: build(sources) → decks and problems; run(sources, config) → the
decks built and written (or checked), and a report of it. Packing and writing a deck is
package.py's; its names are re-exported here."""

from __future__ import annotations

import contextlib
import functools
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from flashgen.building import planner, unchanged
from flashgen.errors import FlashgenError
from flashgen.model import Deck
from flashgen.read.config import Config
from flashgen.read.sources import DEFAULT_DECK, deck_text, default_deck_name, posts_to_read
from flashgen.results import (
    NO_CHANGES,
    BuildResult,
    DeckProblems,
    DeckReport,
    Events,
    Problem,
    Report,
    Severity,
    of_severity,
    shown_path,
)
from flashgen.settings import Settings
from flashgen.write.package import Planned, deck_filename, output_lock, plan, state_path_for, write

Progress = Callable[[Path], None]


def build(
    sources: Sequence[Path],
    *,
    deck_name: str | None = None,
    settings: Settings | None = None,
    config: Config | None = None,
    progress: Progress | None = None,
) -> BuildResult:
    """Read every post under `sources` and make its notes (whole.build, imported here when
    first needed: a rebuild that `run` answers from the last one never loads the rules)."""
    from flashgen.building import whole

    return whole.build(sources, deck_name=deck_name, settings=settings, config=config, progress=progress)


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
    name = deck_text(deck_name or config.deck or default_deck_name(sources)) or DEFAULT_DECK
    said: list[Problem] = []  # what the planner found wrong with the deck's store, if anything
    # One build at a time writes into an output folder; a second one waits for it.
    waiting = functools.partial(events.waiting, config.output)
    with contextlib.nullcontext() if check else output_lock(config.output, waiting):
        work = posts_to_read(sources, config.site_url, config.obsidian)
        record = unchanged.load(config.cache) if config.cache is not None else None
        planned = planner.plan(work, config, name, extra_css, record=record, said=said)
        try:
            key = planned.key(config, extra_css, forget_removed)
            if planned.empty and not verbose and key is not None:
                recalled = unchanged.recall(record, key)
                if recalled is not None and (report := _as_unchanged(recalled, config.output, check)):
                    if not check:
                        planner.note_seen(planned, read_ns=True)
                    return report
            if not (check or forget_removed or partial):
                from flashgen.building import incremental  # the rules: only when a post must be read

                quick = incremental.apply(
                    planned,
                    config,
                    extra_css=extra_css,
                    clock=clock,
                    events=events,
                    verbose=verbose,
                    allow_removal=allow_removal,
                    said=said,
                )
                if quick is not None:
                    report, digests = quick
                    planned.close()  # the store as this build leaves it, for the record to note
                    if key is not None and config.cache is not None and _clean(report):
                        written = [path for deck in report.decks for path in (deck.path, deck.state_path)]
                        rows = _rows(config, report.decks[0].name)
                        unchanged.remember(config.cache, key, written, report.to_json(), digests, rows)
                    return report
            elif planned.whole is None:
                planned.whole = "--check, --forget-removed and a build of some posts read every post"
        finally:
            planned.close()
        return _whole(
            sources,
            config,
            name,
            planned,
            said,
            check,
            forget_removed,
            allow_removal,
            partial,
            extra_css,
            verbose,
            clock,
            progress,
            events,
        )


def _whole(
    sources: Sequence[Path],
    config: Config,
    name: str,
    planned: planner.Plan,
    said: list[Problem],
    check: bool,
    forget_removed: bool,
    allow_removal: bool,
    partial: bool,
    extra_css: str,
    verbose: bool,
    clock: Callable[[], int],
    progress: Progress | None,
    events: Events,
) -> Report:
    """Every post read (unchanged ones from the post cache) and the deck built whole."""
    result = build(sources, deck_name=name, config=config, progress=progress)
    if said:
        result = replace(result, problems=(*said, *result.problems))
    events.built(result)
    built = frozenset(post.label for post in result.posts) if partial else None
    options = _DeckOptions(
        config, check, extra_css, forget_removed, clock(), result.failed_sources, allow_removal, built
    )
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
        plan=planned.describe(),
    )
    rows = None  # the deck's store, as this build leaves it (closed): the record notes its stamp
    if not check and config.cache is not None and len(decks) == 1:
        from flashgen.building import incremental

        incremental.remember(config, result, decks[0], extra_css, result.decks[0].name, planned.started_ns)
        rows = _rows(config, result.decks[0].name)
    if config.cache is not None and _clean(report):
        digests = [post.digest for post in result.posts]
        paths = [post.path for post in result.posts]
        key = planner.inputs_key(paths, digests, config, name, extra_css, forget_removed)
        written = [path for deck in decks for path in (deck.path, deck.state_path)]
        unchanged.remember(config.cache, key, written, report.to_json(), store=rows)
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
    from flashgen.write import anki

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
    from flashgen.write import store

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
    "DEFAULT_DECK",
    "NO_CHANGES",
    "BuildResult",
    "DeckProblems",
    "DeckReport",
    "Events",
    "Planned",
    "Problem",
    "Report",
    "Severity",
    "build",
    "deck_filename",
    "default_deck_name",
    "of_severity",
    "output_lock",
    "plan",
    "posts_to_read",
    "run",
    "shown_path",
    "state_path_for",
    "write",
]
