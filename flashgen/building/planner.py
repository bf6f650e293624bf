"""The build's plan: which posts are outdated since the last build, and so how much is built.

Like Sphinx's environment, the deck's store (write/store.py) knows each post as the last build
left it: its size, time, digest and images, and what its notes are. The planner looks at every
post under the sources once (its size and time; its bytes only when those changed, or when it
changed within a clock tick of that build) and compares. The plan it makes is one of three sizes,
and the build (api.run) carries it out:

- **empty**: no post is outdated, none is gone, and the store still matches the deck's state file.
  When the deck and state files are also as the last clean build wrote them (its record,
  unchanged.py), that build's report answers and nothing is parsed or written.
- **some posts**: only they are read, and their notes are put into the deck in place
  (incremental.py).
- **every post** (`whole` says why): no store, a store made with other settings or not matching
  the state file, a post that failed last time, or more posts changed than an in-place update
  pays for. Every post is read (an unchanged one from the post cache) and the deck built whole.

The plan holds the store open; `close` it.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from flashgen.building.cache import Cache, cache_salt
from flashgen.building.unchanged import changed_ns, file_stamp, sha256_of, stat_of, store_as_recorded
from flashgen.errors import FlashgenError
from flashgen.read.config import Config
from flashgen.read.posts import read_bytes
from flashgen.read.site import Site
from flashgen.results import Problem
from flashgen.version import __version__
from flashgen.write import store
from flashgen.write.package import deck_filename, state_path_for
from flashgen.write.store import Stamp

Work = list[tuple[Path, Path, Site]]  # the posts under the sources, each with its folder and site

# A post whose time is this close to when the last build began to look at the posts is read again:
# it may have changed within the same tick of the file system's clock, after it was looked at.
_RACY_NS = 3_000_000_000

# What a whole build leaves in the store's `meta` (package.plan, then incremental.remember).
_REMEMBERED = {"salt", "state_sha256", "posts_for", "read_ns", "involved", "across", "note_types"}

_DAMAGED = (
    "the deck's store of rows (a cache for in-place builds) could not be used ({why}); it was "
    "deleted, and this build went the whole way"
)


@dataclass(frozen=True, slots=True)
class Changed:
    """An outdated post: where it is among the posts, its bytes, their digest, and its stat."""

    position: int
    raw: bytes
    digest: str
    stat: tuple[int, int]


@dataclass(slots=True)
class Plan:
    work: Work
    name: str  # the deck's
    started_ns: int  # when the planner began to look at the posts
    whole: str | None = None  # why every post is read; None when the store knows the deck
    changed: list[Changed] = field(default_factory=list)
    touched: dict[str, tuple[int, int]] = field(default_factory=dict)  # a new time, the same bytes
    deleted: list[str] = field(default_factory=list)  # the paths of posts gone since
    known: dict[str, Stamp] = field(default_factory=dict)  # the store's stamps of the posts, by path
    digests: list[str] = field(default_factory=list)  # every post's, in order (unless `whole`)
    values: dict[str, str] = field(default_factory=dict)  # the store's meta
    connection: sqlite3.Connection | None = None
    rows: Path | None = None  # the store's file

    @property
    def moved(self) -> bool:
        """A post added, gone or put elsewhere in the order: the order is kept again."""
        return [str(path) for path, _, _ in self.work] != list(self.known)

    @property
    def empty(self) -> bool:
        return self.whole is None and not self.changed and not self.deleted and not self.moved

    def describe(self) -> str:
        if self.whole is not None:
            return f"every post read: {self.whole}"
        if self.empty:
            return "no post changed since the last build"
        return (
            f"in place: {len(self.changed)} post(s) changed, {len(self.deleted)} gone, "
            f"{len(self.work) - len(self.changed)} as the last build left them"
        )

    def key(self, config: Config, extra_css: str, forget_removed: bool) -> str | None:
        """What the deck is built from, as one digest: the settings and every post's digest. The
        last clean build's record answers a build whose key is its own (unchanged.recall)."""
        if self.whole is not None or len(self.digests) != len(self.work):
            return None
        return inputs_key(
            [str(path) for path, _, _ in self.work],
            self.digests,
            config,
            self.name,
            extra_css,
            forget_removed,
        )

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def inputs_key(
    paths: list[str], digests: list[str], config: Config, name: str, extra_css: str, forget_removed: bool
) -> str:
    posts = "".join(f"{path}\x1f{post_digest}\x00" for path, post_digest in zip(paths, digests, strict=True))
    text = f"{salt(config, name, extra_css)}\x00{forget_removed}\x00{posts}"
    return hashlib.blake2b(text.encode(), digest_size=20).hexdigest()


def salt(config: Config, deck_name: str, extra_css: str) -> str:
    """Everything the store's rows depend on beside the posts: a store made with another salt is
    not used."""
    parts = (__version__, cache_salt(config.settings, config.lang), repr(replace(config, cache=None)))
    return hashlib.sha256("\x1f".join((*parts, deck_name, extra_css)).encode()).hexdigest()


def plan(
    work: Work,
    config: Config,
    name: str,
    extra_css: str,
    *,
    record: dict[str, Any] | None = None,
    said: list[Problem] | None = None,
) -> Plan:
    """Look at every post once against the deck's store, and say which are outdated. `record` is
    the last clean build's (unchanged.py): a store it vouches for is used without checking its
    rows' seals. A store that cannot be read is deleted, and a warning saying so goes to `said`."""
    started = Plan(work, name, time.time_ns())
    if config.cache is None:
        return replace(started, whole="no cache folder (`--no-cache`)")
    package_path = config.output / deck_filename(name)
    rows = store.path_for(config.cache, package_path)
    if rows is None or not rows.exists():
        return replace(started, whole="no record of the last build's rows")
    vouched = store_as_recorded(record, rows)  # before opening it, which may touch it
    try:
        connection = store.connect(rows, lambda why: _damaged(said, rows, why))
    except sqlite3.Error:
        return replace(started, whole="the store of the last build's rows is busy")
    if vouched:
        store.vouch(connection)
    started.connection, started.rows = connection, rows
    with opened(started, said), _without_collection():
        _compare(started, config, extra_css, state_path_for(package_path))
    return started


@contextlib.contextmanager
def _without_collection() -> Iterator[None]:
    """No cycle collection while the posts are compared: it makes tens of thousands of small
    objects and no cycles, and each collection would walk every object of the modules loaded
    (a sixth of a no-change rebuild of 10,000 posts)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@contextlib.contextmanager
def opened(plan: Plan, said: list[Problem] | None) -> Iterator[None]:
    """Work with the plan's store: one that turns out to be damaged (or to hold a row no build
    makes) is deleted and the plan made whole, with a warning in `said`; one that is locked or on
    a full disk only makes the plan whole."""
    try:
        yield
    except sqlite3.DatabaseError as exc:
        plan.close()
        if not isinstance(exc, sqlite3.OperationalError) and plan.rows is not None:
            store.discard(plan.rows)
            _damaged(said, plan.rows, str(exc))
        plan.whole = f"the store of the last build's rows could not be used ({exc})"
    except sqlite3.Error as exc:
        plan.close()
        plan.whole = f"the store of the last build's rows could not be used ({exc})"


def _damaged(said: list[Problem] | None, rows: Path, why: str) -> None:
    if said is not None:
        said.append(Problem("warning", rows, 0, _DAMAGED.format(why=why)))


def _compare(plan: Plan, config: Config, extra_css: str, state_file: Path) -> None:
    assert plan.connection is not None
    values = store.meta(plan.connection)
    plan.values = values
    if not values.keys() >= _REMEMBERED or values["salt"] != salt(config, plan.name, extra_css):
        plan.whole = "the settings (or flashgen) changed since the last build"
        return
    if not values["state_sha256"] or values.get("posts_for") != values["state_sha256"]:
        plan.whole = "the last build did not finish"
        return
    if not _as_written(state_file, values):
        plan.whole = f"{state_file.name} is not the one the last build wrote"
        return
    plan.known = store.stamps(plan.connection)
    if any(record.failed for record in plan.known.values()):
        plan.whole = "a post failed in the last build"
        return
    read_ns = int(values["read_ns"])  # when the last build began to look at the posts
    digest_of = Cache(None, cache_salt(config.settings, config.lang)).digest
    known, digests = plan.known, plan.digests
    settled = read_ns - _RACY_NS  # a post changed before this, with its stamp as known, is not read
    for position, (path, root, site) in enumerate(plan.work):
        text = str(path)
        old = known.get(text)
        try:
            info = os.stat(text)
        except OSError:
            plan.whole = f"{path} cannot be read"
            return
        stat = (info.st_size, changed_ns(info))
        steady = old is not None and not old.volatile and (not old.images or _images_as_before(old))
        if steady and stat[1] < settled and stat == (old.size, old.mtime_ns):  # type: ignore[union-attr]
            digests.append(old.digest)  # type: ignore[union-attr]
            continue
        try:
            raw = read_bytes(path)
        except FlashgenError:
            plan.whole = f"{path} cannot be read"
            return
        digest = digest_of(raw, text, str(root), repr(site))
        digests.append(digest)
        if steady and digest == old.digest:  # type: ignore[union-attr]
            plan.touched[text] = stat
            continue
        plan.changed.append(Changed(position, raw, digest, stat))
    present = {str(path) for path, _, _ in plan.work}
    plan.deleted = [path for path in plan.known if path not in present]
    if len(plan.changed) + len(plan.deleted) > max(8, len(plan.work) // 10):
        # The whole way is as fast, and checks the posts against each other once.
        plan.whole = f"{len(plan.changed)} posts changed and {len(plan.deleted)} gone"


def _as_written(path: Path, values: dict[str, str]) -> bool:
    """Whether the state file is the one the store matches: the file this build's predecessor
    wrote and looked at right after (its size, times and inode), else one with the same digest
    (a state file checked out again, or copied back)."""
    seen = file_stamp(path)
    if seen and seen == values.get("state_stat"):
        return True
    return sha256_of(path) == values["state_sha256"]


def _images_as_before(record: Stamp) -> bool:
    """Each image the post packs, and each file that would take one's place, is as it was."""
    return all(stat_of(Path(file)) == [file, size, mtime_ns] for file, size, mtime_ns in record.images)


def note_seen(plan: Plan, *, read_ns: bool) -> None:
    """Keep in the store the new times of posts whose bytes did not change, so that the next
    build does not read them again; with `read_ns` (an empty plan, every post looked at), that
    the posts were seen as they are now when this plan began."""
    if plan.connection is None:
        return
    plan.connection.executemany(
        "UPDATE posts SET size = ?, mtime_ns = ? WHERE path = ?",
        ((size, mtime_ns, path) for path, (size, mtime_ns) in plan.touched.items()),
    )
    if read_ns:
        store.set_meta(plan.connection, read_ns=str(plan.started_ns))


def remembered_problems(values: dict[str, str]) -> list[Problem]:
    """The problems the last build found across posts, as its store keeps them."""
    return [Problem(s, Path(p), line, message) for s, p, line, message in json.loads(values["across"])]
