"""What a build gives back: each post's problems, the notes and decks it made (BuildResult), what
it says while it works (Events), and its report (Report, DeckReport). Value types only, below the
build paths that make them and the commands that show them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from flashgen.errors import FlashgenError
from flashgen.model import Changes, Deck, Note

if TYPE_CHECKING:
    from flashgen.write.package import Planned
    from flashgen.write.store import PostRecord  # sqlite3: not for a rebuild answered from the last one

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


class _Problems:
    """Errors and warnings, picked out of a `problems` list."""

    __slots__ = ()
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        return of_severity(self.problems, "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return of_severity(self.problems, "warning")


@dataclass(frozen=True, slots=True)
class DeckProblems:
    """The problems at the end of a build's list that come from comparing posts (a note in
    `ignore`, two notes with one id, two notes alike), and the posts (labels) they are about."""

    count: int = 0
    posts: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class BuildResult(_Problems):
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
    def notices(self) -> tuple[Problem, ...]:
        return of_severity(self.problems, "info")

    def kinds(self) -> Counter[str]:
        return Counter(note.kind for note in self.notes)


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
class Report(_Problems):
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
    plan: str = ""  # which posts were read, and why (planner.Plan.describe)

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
            **({"left_out": problems("info"), "plan": self.plan} if self.verbose else {}),
        }


def shown_path(path: Path) -> str:
    """A path as the user would type it: relative to the current folder when it is inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


__all__ = [
    "NO_CHANGES",
    "BuildResult",
    "DeckProblems",
    "DeckReport",
    "Events",
    "Problem",
    "Report",
    "Severity",
    "of_severity",
    "shown_path",
]
