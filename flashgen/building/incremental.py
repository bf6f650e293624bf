"""A plan of a few outdated posts (planner.py), carried out in place: only those posts are read,
and only their notes are stamped and put into the deck's store (store.py), from which the package
and the state file are written again. The rest of the deck is taken as the last build left it,
without unpacking the cache, loading the state file or making the other posts' notes again.

It is never a second way to a different deck: it gives the bytes a whole build would, and where
it cannot (a changed post failed, or touches another post through the checks that compare posts:
a shared name, note id, question or note; a note in `ignore`), it answers None and the build
reads every post. Those checks are worked out over the whole deck.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from flashgen.building.planner import Plan, note_seen, opened, remembered_problems, salt
from flashgen.building.unchanged import file_stamp
from flashgen.errors import FlashgenError
from flashgen.model import Deck, Note
from flashgen.read.config import Config
from flashgen.results import BuildResult, DeckReport, Events, Problem, Report
from flashgen.write import store
from flashgen.write.package import (
    Planned,
    StateAhead,
    deck_filename,
    pack,
    removal_refused,
    state_path_for,
    write,
)
from flashgen.write.store import PostRecord


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


def apply(
    plan: Plan,
    config: Config,
    *,
    extra_css: str,
    clock: Callable[[], int],
    events: Events,
    verbose: bool = False,
    allow_removal: bool = False,
    said: list[Problem] | None = None,
) -> tuple[Report, dict[Path, str]] | None:
    """Carry out a plan of a few outdated posts (not `whole`) in the deck's store, and say the
    digests of the files written; None when the build must read
    every post (see the module's docstring). The caller holds the output folder's lock. A store
    found damaged on the way is deleted, with a warning in `said`."""
    if plan.whole is not None or plan.connection is None:
        return None
    with opened(plan, said):
        return _apply(plan, config, extra_css, clock, events, verbose, allow_removal)
    return None  # the store failed under it: `opened` made the plan whole


def _apply(
    plan: Plan,
    config: Config,
    extra_css: str,
    clock: Callable[[], int],
    events: Events,
    verbose: bool,
    allow_removal: bool,
) -> tuple[Report, dict[Path, str]] | None:
    from flashgen.building import whole
    from flashgen.extract import unique_questions
    from flashgen.write import anki, state

    connection, values, work, name = plan.connection, plan.values, plan.work, plan.name
    assert connection is not None
    settings = config.settings
    package_path = config.output / deck_filename(name)
    state_file = state_path_for(package_path)

    # The changed posts, read and checked against every other post (in the store, by its keys).
    changed_paths = {str(work[change.position][0]) for change in plan.changed}
    known = store.records(connection, [*plan.deleted, *sorted(changed_paths)])
    gone = [store.keys_of(connection, record) for record in known.values()]
    besides = {record.path for record in gone} | changed_paths
    involved = set(json.loads(values["involved"]))
    if (
        any(record.label in involved for record in gone)
        or any(store.named(connection, besides, key=record.key) for record in gone)
        or store.shared(connection, _probes(gone, ("questions", "twins")), besides)
    ):
        return _whole_way(plan, _REACHES)
    reviews = dict(config.reviews)
    keys: set[str] = set()  # the changed posts' names and labels, each checked before the next
    labels: set[str] = set()
    notes: list[Note] = []
    made: dict[str, PostRecord] = {}
    for change in plan.changed:
        path, root, site = work[change.position]
        size, mtime_ns = change.stat
        job = whole.Job(0, path, root, site, change.raw, change.digest, settings, config.lang)
        found = whole.read_one(job)
        if isinstance(found, Problem):
            return _whole_way(plan, f"{path} could not be read")
        post = found.post
        if (
            post.label in labels
            or post.key in keys
            or store.named(connection, besides, label=post.label, key=post.key)
        ):
            return _whole_way(plan, _REACHES)
        said: list[Problem] = []
        post_notes, warned = whole.notes_of_post(
            path, post, found, settings, None, said, config.cache, reviews, config.reverse
        )
        if any(p.severity == "error" for p in said):  # an image that cannot be packed
            return _whole_way(plan, f"{path} has an image that cannot be packed")
        target = whole.deck_of(post, name, config.split)
        placed = [whole.placed(note, target, config.tag_prefix) for note in post_notes]
        post_twins = [whole.twin_key(note) for note in placed]
        post_guids = [note.guid for note in placed]
        if (
            any(guid in config.ignore for guid in post_guids)
            or len(set(post_guids)) != len(post_guids)
            or len(set(post_twins)) != len(post_twins)
        ):
            return _whole_way(plan, _REACHES)
        record = PostRecord(
            str(path),
            post.label,
            size,
            mtime_ns,
            change.digest,
            False,
            warned,
            post.key,
            [_said(p) for p in said],
        )
        whole.describe([record], placed, post_twins)
        # Checked against the posts not changed, and against the changed ones checked before it.
        if _meets(record, made.values()) or store.shared(connection, _probes([record], store.KEYS), besides):
            return _whole_way(plan, _REACHES)
        keys.add(record.key)
        labels.add(record.label)
        made[record.path] = record
        notes.extend(placed)

    made_guids = {note.guid for note in notes}
    if any(guid in record.guids and guid not in made_guids for record in gone for guid in reviews):
        return _whole_way(plan, "a note you rewrote in `flashgen review` is no longer made")

    # Their notes stamped against their own last records, as a whole build would.
    affected = {record.label for record in gone} | {record.label for record in made.values()}
    note_types = {
        type_id: (digest, mod) for type_id, (digest, mod) in json.loads(values["note_types"]).items()
    }
    previous = state.State(
        store.records_of(connection, sorted(affected)), note_types, reverse=values.get("reverse") == "1"
    )
    kept = state.keep_identity(state.keep_list_parts(unique_questions(notes), previous), previous)
    reverse = state.reversible(kept, previous)
    stamped = state.stamp(
        kept, anki.note_type_hashes(extra_css, reverse), previous, clock=clock(), reverse=reverse
    )
    if stamped.changes.note_types_changed:
        return _whole_way(plan, "the note types changed")
    if not allow_removal and stamped.changes.removed:
        (live,) = connection.execute("SELECT count(*) FROM notes WHERE NOT removed").fetchone()
        after = live - len(stamped.changes.removed) + len(stamped.changes.new)
        if removal_refused(stamped.changes.removed, (live, after), package_path):
            return _whole_way(plan, "the change removes more notes than a build writes unasked")
    # The rows and the posts' records change first, and the store says it matches no state file
    # until the new one is written: a build stopped in between leaves a store the next build does
    # not use.
    order = [str(path) for path, _, _ in work]
    connection.execute("BEGIN")
    store.set_meta(connection, state_sha256="")
    store.drop_sources(connection, affected)
    store.put(connection, stamped.notes, stamped.state.notes, reverse)
    for gone_path in plan.deleted:
        store.drop_post(connection, gone_path)
    store.put_posts(connection, made.values())
    # Each post at its place in the order: all of them when one was added, gone or moved.
    places = (
        list(enumerate(order))
        if plan.moved
        else [(c.position, str(work[c.position][0])) for c in plan.changed]
    )
    connection.executemany("UPDATE posts SET position = ? WHERE path = ?", places)
    note_seen(plan, read_ns=False)
    (removed_now,) = connection.execute("SELECT count(*) FROM notes WHERE removed").fetchone()
    counts, media, said_before = store.summary(connection)
    connection.execute("COMMIT")

    files = dict(sorted({(name_in_deck, Path(file)) for name_in_deck, file in media}))
    deck = Deck(name, (), tuple(files.items()))
    header = state.State({}, stamped.state.note_types, None, name, reverse)
    reported = [_problem(path, p) for path, post_said in said_before for p in post_said]
    reported.extend(remembered_problems(values))
    kinds = Counter(counts)
    read = len(work) - len(plan.changed)
    rows = plan.rows
    assert rows is not None
    ahead = StateAhead(state_file)  # its notes are written while the package is made
    try:
        try:
            package, header, state_bytes = pack(
                connection, rows, header, deck, package_path, extra_css, config.cache, ahead.begin
            )
        except FlashgenError:
            return _whole_way(plan, "the deck could not be packed in place")  # the whole way says why
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
            report = Report(
                len(work),
                read,
                notes_count,
                shown,
                (failed,),
                tuple(reported),
                verbose=verbose,
                plan=plan.describe(),
            )
            return report, {}
    finally:
        ahead.discard()  # a temporary file begun, when the build stopped before the end
    assert header.package is not None
    state_sha = hashlib.sha256(state_bytes).hexdigest()
    store.set_meta(
        connection,
        state_sha256=state_sha,
        posts_for=state_sha,
        state_stat=file_stamp(state_file),
        read_ns=str(plan.started_ns),
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
        plan=plan.describe(),
    )
    return report, {state_file: state_sha, package_path: header.package[1]}


_REACHES = "a change reaches other posts (a shared name, note id, question or note, or `ignore`)"


def _whole_way(plan: Plan, why: str) -> tuple[Report, dict[Path, str]] | None:
    """Hand the plan to the whole build, saying why it cannot be carried out in place."""
    plan.whole = why
    return None


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
