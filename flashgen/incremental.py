"""A rebuild after a few posts changed, done in place: only those posts are read, and only their
notes are stamped and put into the deck's store (store.py), from which the package and the state
file are written again. The rest of the deck is taken as the last build left it, without
unpacking the cache, loading the state file or making the other posts' notes again.

It is a shortcut, never a second way to a different deck: it is taken only when it gives the
bytes a whole build would, and otherwise it answers None and the build goes the whole way.
That is when the store does not match the state file on disk or was made with other settings,
when a post failed or changed too many posts, and whenever a changed post touches another post
through the checks that compare posts (a shared name, note id, question or note; a note in
`ignore`): those are worked out over the whole deck.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from flashgen.errors import FlashgenError
from flashgen.model import Deck, Note
from flashgen.read.config import Config
from flashgen.read.site import Site
from flashgen.read.sources import DEFAULT_DECK, default_deck_name, posts_to_read
from flashgen.results import BuildResult, DeckReport, Events, Problem, Report
from flashgen.unchanged import changed_ns, file_stamp, sha256_of, stat_of, store_as_recorded
from flashgen.version import __version__
from flashgen.write import store
from flashgen.write.package import (
    Planned,
    StateAhead,
    deck_filename,
    output_lock,
    pack,
    removal_refused,
    state_path_for,
    write,
)
from flashgen.write.store import PostRecord

# A post whose time is this close to when the last build began to look at the posts is read again:
# it may have changed within the same tick of the file system's clock, after it was looked at.
_RACY_NS = 3_000_000_000


def salt(config: Config, deck_name: str, extra_css: str) -> str:
    """Everything the store's rows depend on beside the posts: a store made with another salt is
    not used."""
    from flashgen import building

    parts = (
        __version__,
        building.cache_salt(config.settings, config.lang),
        repr(replace(config, cache=None)),
    )
    return hashlib.sha256("\x1f".join((*parts, deck_name, extra_css)).encode()).hexdigest()


def deck_of(sources: Sequence[Path], config: Config, deck_name: str | None) -> str:
    from flashgen import building

    return building.deck_text(deck_name or config.deck or default_deck_name(sources)) or DEFAULT_DECK


def remember(
    config: Config, result: BuildResult, deck: DeckReport, extra_css: str, deck_name: str, started_ns: int
) -> None:
    """After a whole build has written its deck, keep what the next build needs to go in place:
    each post's record, the problems found across posts, the settings, and the note types.
    `started_ns` is when the build began, before it looked at any post."""
    if config.cache is None or result.failed_sources or deck.error is not None or not deck.written:
        return
    rows = store.path_for(config.cache, deck.path)
    if rows is None or not rows.exists():  # the whole build made it, unless it had nowhere to
        return
    store.prune(rows)
    try:
        connection = store.connect(rows)
    except (sqlite3.Error, OSError):
        return
    try:
        across = result.problems[len(result.problems) - result.across.count :] if result.across.count else ()
        connection.execute("BEGIN")
        connection.execute("DELETE FROM posts")
        connection.execute("DELETE FROM keys")
        store.put_posts(connection, result.posts)
        values = store.meta(connection)
        store.set_meta(
            connection,
            salt=salt(config, deck_name, extra_css),
            posts_for=values.get("state_sha256", ""),
            across=json.dumps([[p.severity, str(p.path), p.line, p.message] for p in across]),
            involved=json.dumps(sorted(result.across.posts)),
            state_stat=file_stamp(deck.state_path),
            read_ns=str(started_ns),
        )
        connection.execute("COMMIT")
    except sqlite3.Error:
        return
    finally:
        connection.close()


def run(
    sources: Sequence[Path],
    config: Config,
    *,
    deck_name: str | None,
    extra_css: str,
    clock: Callable[[], int],
    events: Events,
    verbose: bool = False,
    posts: list[tuple[Path, Path, Site]] | None = None,
    allow_removal: bool = False,
    said: list[Problem] | None = None,
    record: dict[str, Any] | None = None,
) -> tuple[Report, list[Path], dict[Path, str]] | None:
    """Rebuild the deck in place when only a few posts changed since the last build, and say
    which images it packs and the digests of the files it wrote; None when the build must go the
    whole way (see the module's docstring). `posts` are the posts under `sources`, when the
    caller has them already. A store that cannot be read is deleted, and a warning saying so
    goes to `said` (the whole build's report carries it). `record` is the last clean build's
    (unchanged.py): a store it vouches for is used without checking its rows' seals."""

    def damaged(why: str) -> None:
        if said is not None:
            said.append(Problem("warning", rows or Path(), 0, _DAMAGED.format(why=why)))

    if config.cache is None:
        return None
    name = deck_of(sources, config, deck_name)
    package_path = config.output / deck_filename(name)
    rows = store.path_for(config.cache, package_path)
    if rows is None or not rows.exists():
        return None
    with output_lock(config.output, lambda: events.waiting(config.output)):
        vouched = store_as_recorded(record, rows)  # before opening it, which may touch it
        try:
            connection = store.connect(rows, damaged)
        except sqlite3.Error:
            return None
        if vouched:
            store.vouch(connection)
        try:
            work = posts if posts is not None else posts_to_read(sources, config.site_url)
            return _run(
                work, config, name, extra_css, clock, events, verbose, connection, rows, allow_removal
            )
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError):
                return None  # a locked store, a full disk: not the file's fault
            connection.close()  # damaged, or holding a row no build makes (store.Unusable)
            store.discard(rows)
            damaged(str(exc))
            return None
        except sqlite3.Error:
            return None
        finally:
            connection.close()


_DAMAGED = (
    "the deck's store of rows (a cache for in-place builds) could not be used ({why}); it was "
    "deleted, and this build went the whole way"
)


# What a whole build leaves in the store's `meta` (package.plan, then `remember`).
_REMEMBERED = {"salt", "state_sha256", "posts_for", "read_ns", "involved", "across", "note_types"}


def _as_written(path: Path, values: dict[str, str]) -> bool:
    """Whether the state file is the one the store matches: the file this build's predecessor
    wrote and looked at right after (its size, times and inode), else one with the same digest
    (a state file checked out again, or copied back)."""
    seen = file_stamp(path)
    if seen and seen == values.get("state_stat"):
        return True
    return sha256_of(path) == values["state_sha256"]


def _images_as_before(record: PostRecord) -> bool:
    """Each image the post packs, and each file that would take one's place, is as it was."""
    return all(stat_of(Path(file)) == [file, size, mtime_ns] for file, size, mtime_ns in record.images)


def _run(
    work: list[tuple[Path, Path, Site]],
    config: Config,
    name: str,
    extra_css: str,
    clock: Callable[[], int],
    events: Events,
    verbose: bool,
    connection: sqlite3.Connection,
    rows: Path,
    allow_removal: bool,
) -> tuple[Report, list[Path], dict[Path, str]] | None:
    from flashgen import building
    from flashgen.cache import Cache
    from flashgen.extract import unique_questions
    from flashgen.read.posts import read_bytes
    from flashgen.write import anki, state

    values = store.meta(connection)
    package_path = config.output / deck_filename(name)
    state_file = state_path_for(package_path)
    if (
        not values.keys() >= _REMEMBERED
        or values["salt"] != salt(config, name, extra_css)
        or not values["state_sha256"]
        or values.get("posts_for") != values["state_sha256"]
        or not _as_written(state_file, values)
    ):
        return None
    known = {record.path: record for record in store.posts(connection)}
    if any(record.failed for record in known.values()):
        return None
    read_ns = int(values["read_ns"])  # when the last build began to look at the posts
    started_ns = time.time_ns()
    settings = config.settings
    digest_of = Cache(None, building.cache_salt(settings, config.lang)).digest
    changed: list[tuple[int, bytes, str, tuple[int, int]]] = []  # position, bytes, digest, stat
    touched: dict[str, tuple[int, int]] = {}  # posts whose time changed but not their bytes
    for position, (path, root, site) in enumerate(work):
        old = known.get(str(path))
        try:
            info = os.stat(path)
        except OSError:
            return None
        stat = (info.st_size, changed_ns(info))
        steady = old is not None and not old.volatile and _images_as_before(old)
        if steady and old is not None and stat == (old.size, old.mtime_ns) and read_ns - stat[1] > _RACY_NS:
            continue
        try:
            raw = read_bytes(path)
        except FlashgenError:
            return None
        digest = digest_of(raw, str(path), str(root), repr(site))
        if steady and old is not None and digest == old.digest:
            touched[str(path)] = stat
            continue
        changed.append((position, raw, digest, stat))
    present = {str(path) for path, _, _ in work}
    deleted = [record for path, record in known.items() if path not in present]
    if len(changed) + len(deleted) > max(8, len(work) // 10):
        return None  # the whole way is as fast, and checks the posts against each other once

    # The changed posts, read and checked against every other post.
    changed_paths = {str(work[position][0]) for position, _, _, _ in changed}
    gone = [store.keys_of(connection, record) for record in deleted]
    gone += [store.keys_of(connection, known[path]) for path in changed_paths if path in known]
    besides = {record.path for record in gone} | changed_paths
    others = [record for path, record in known.items() if path in present and path not in besides]
    keys = {record.key for record in others}
    labels = {record.label for record in others}
    involved = set(json.loads(values["involved"]))
    if any(record.label in involved or record.key in keys for record in gone) or store.shared(
        connection, _probes(gone, ("questions", "twins")), besides
    ):
        return None
    notes: list[Note] = []
    problems: dict[str, list[Problem]] = {}
    made: dict[str, PostRecord] = {}
    for position, raw, digest, (size, mtime_ns) in changed:
        path, root, site = work[position]
        found = building.read_one(building.Job(0, path, root, site, raw, digest, settings, config.lang))
        if isinstance(found, Problem):
            return None
        post = found.post
        if post.label in labels or post.key in keys:
            return None
        said: list[Problem] = []
        post_notes, warned = building.notes_of_post(path, post, found, settings, None, said, config.cache)
        if any(p.severity == "error" for p in said):
            return None  # an image that cannot be packed: the whole way marks the post failed
        target = building.deck_of(post, name, config.split)
        placed = [building.placed(note, target, config.tag_prefix) for note in post_notes]
        post_twins = [building.twin_key(note) for note in placed]
        post_guids = [note.guid for note in placed]
        if (
            any(guid in config.ignore for guid in post_guids)
            or len(set(post_guids)) != len(post_guids)
            or len(set(post_twins)) != len(post_twins)
        ):
            return None
        record = PostRecord(
            str(path), post.label, size, mtime_ns, digest, False, warned, post.key, [_said(p) for p in said]
        )
        building.describe([record], placed, post_twins)
        # Checked against the posts not changed, and against the changed ones checked before it.
        if _meets(record, made.values()) or store.shared(connection, _probes([record], store.KEYS), besides):
            return None
        keys.add(record.key)
        labels.add(record.label)
        made[record.path] = record
        problems[record.path] = said
        notes.extend(placed)

    # Their notes stamped against their own last records, as a whole build would.
    affected = {record.label for record in gone} | {record.label for record in made.values()}
    note_types = {
        type_id: (digest, mod) for type_id, (digest, mod) in json.loads(values["note_types"]).items()
    }
    previous = state.State(store.records_of(connection, sorted(affected)), note_types)
    stamped = state.stamp(
        state.keep_identity(state.keep_list_parts(unique_questions(notes), previous), previous),
        anki.note_type_hashes(extra_css),
        previous,
        clock=clock(),
    )
    if stamped.changes.note_types_changed:
        return None  # the note types changed under the same settings: not ours to patch
    if not allow_removal and stamped.changes.removed:
        (live,) = connection.execute("SELECT count(*) FROM notes WHERE NOT removed").fetchone()
        after = live - len(stamped.changes.removed) + len(stamped.changes.new)
        if removal_refused(stamped.changes.removed, (live, after), package_path):
            return None  # the whole way refuses it, and says why
    # The rows and the posts' records change first, and the store says it matches no state file
    # until the new one is written: a build stopped in between leaves a store the next build does
    # not use.
    order = [str(path) for path, _, _ in work]
    connection.execute("BEGIN")
    store.set_meta(connection, state_sha256="")
    store.drop_sources(connection, affected)
    store.put(connection, stamped.notes, stamped.state.notes)
    for record in deleted:
        store.drop_post(connection, record.path)
    store.put_posts(connection, made.values())
    if order != list(known):  # a post added, gone or moved: the posts' order is kept again
        connection.executemany("UPDATE posts SET position = ? WHERE path = ?", list(enumerate(order)))
    connection.executemany(
        "UPDATE posts SET size = ?, mtime_ns = ? WHERE path = ?",
        ((size, mtime_ns, path_text) for path_text, (size, mtime_ns) in touched.items()),
    )
    (removed_now,) = connection.execute("SELECT count(*) FROM notes WHERE removed").fetchone()
    connection.execute("COMMIT")

    final = [made.get(path) or known[path] for path in order]
    files = dict(sorted({(media, Path(file)) for record in final for media, file in record.media}))
    deck = Deck(name, (), tuple(files.items()))
    header = state.State({}, stamped.state.note_types, None, name)
    reported = [
        problem
        for record in final
        for problem in problems.get(record.path) or [_problem(record.path, p) for p in record.problems]
    ]
    reported.extend(
        Problem(s, Path(p), line, message) for s, p, line, message in json.loads(values["across"])
    )
    kinds: Counter[str] = Counter()
    for record in final:
        kinds.update(record.kinds)
    read = len(work) - len(changed)
    ahead = StateAhead(state_file)  # its notes are written while the package is made
    try:
        try:
            package, header, state_bytes = pack(
                connection, rows, header, deck, package_path, extra_css, config.cache, ahead.begin
            )
        except FlashgenError:
            return None  # nothing said yet: the whole way says why (the store is not used again)
        changes = replace(stamped.changes, still_removed=removed_now - len(stamped.changes.removed))
        planned = Planned(package_path, state_file, package, state_bytes, changes)
        events.built(BuildResult((), len(work), tuple(reported), frozenset(), read))
        events.planned(planned)
        try:
            write(planned, ahead)
        except FlashgenError as exc:  # as a whole build reports a deck it cannot write
            events.failed(name, exc)
            failed = DeckReport(name, package_path, state_file, error=str(exc))
            shown = tuple(sorted(kinds.items()))
            notes_count = sum(kinds.values())
            report = Report(len(work), read, notes_count, shown, (failed,), tuple(reported), verbose=verbose)
            return report, [], {}
    finally:
        ahead.discard()  # a temporary file begun, when the build stopped before the end
    assert header.package is not None
    state_sha = hashlib.sha256(state_bytes).hexdigest()
    store.set_meta(
        connection,
        state_sha256=state_sha,
        posts_for=state_sha,
        state_stat=file_stamp(state_file),
        read_ns=str(started_ns),
    )

    count = sum(kinds.values())
    report_deck = DeckReport(
        name,
        package_path,
        state_file,
        notes=count,
        changes=changes,
        up_to_date=True,  # written just now
        written=True,
        size=len(package),
        largest_media=anki.largest_media(package),
    )
    report = Report(
        posts=len(work),
        posts_unchanged=read,
        notes=count,
        kinds=tuple(sorted(kinds.items())),
        decks=(report_deck,),
        problems=tuple(reported),
        verbose=verbose,
    )
    images = [Path(file) for record in final for _, file in record.media]
    return report, images, {state_file: state_sha, package_path: header.package[1]}


def _probes(records: Iterable[PostRecord], kinds: Iterable[str]) -> list[tuple[str, str]]:
    return [(kind, key) for record in records for kind in kinds for key in getattr(record, kind)]


def _meets(record: PostRecord, others: Iterable[PostRecord]) -> bool:
    """Whether the record shares a note id, a question or a note with one of `others`."""
    return any(
        not set(getattr(record, kind)).isdisjoint(getattr(other, kind))
        for other in others
        for kind in store.KEYS
    )


def _said(problem: Problem) -> tuple[str, int, str]:
    return (problem.severity, problem.line, problem.message)


def _problem(path: str, said: tuple[str, int, str]) -> Problem:
    severity, line, message = said
    return Problem(severity, Path(path), line, message)  # type: ignore[arg-type]
