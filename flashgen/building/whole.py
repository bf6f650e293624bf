"""Posts → notes → decks: every post under the sources read (on every core when many are new,
each from the cache when it has not changed) and its notes made, then put into decks.

`api.build` calls this module; `api.run` imports it only when a build cannot be answered from
the last one (see unchanged.py), so a rebuild where nothing changed never imports the parser,
the rules or genanki.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import os
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from flashgen.building.cache import Cache, Entry, cache_salt
from flashgen.building.unchanged import changed_ns, shadowing, stat_of
from flashgen.errors import FlashgenError
from flashgen.extract import Settings, notes_of, reverse, unique_questions, with_media
from flashgen.extract.common import stable_guid
from flashgen.extract.quality import question_text
from flashgen.model import Deck, Note, Post
from flashgen.read import render
from flashgen.read.config import Config
from flashgen.read.posts import file_date, label_for, post_name, read_bytes, read_post
from flashgen.read.reviews import REVIEWS_FILE, Reviewed, mended
from flashgen.read.sections import split_sections
from flashgen.read.site import Site
from flashgen.read.sources import DEFAULT_DECK, deck_text, default_deck_name, posts_to_read
from flashgen.results import BuildResult, DeckProblems, Problem
from flashgen.write.store import PostRecord

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
    cache = Cache.open(config.cache, salt=cache_salt(settings, config.lang))
    notes: list[Note] = []
    problems: list[Problem] = []
    labels: set[str] = set()
    failed: set[str] = set()
    work = posts_to_read(sources, config.site_url, config.obsidian)
    entries, stats = _entries(work, settings, config.lang, cache, progress)
    renamed = _renamed(work, entries)
    records: list[PostRecord] = []
    reviews = dict(config.reviews)
    for (path, root, _site), found in zip(work, entries, strict=True):
        if isinstance(found, Problem):
            problems.append(found)
            failed.add(label_for(path, root))
            records.append(PostRecord(str(path), label_for(path, root), failed=True))
            continue
        post = found.post
        if post.label in labels:
            problems.append(
                Problem("error", path, 0, f"two posts share the path {post.label!r} in different sources")
            )
            failed.add(post.label)
            records.append(PostRecord(str(path), post.label, failed=True))
            continue
        labels.add(post.label)
        before = len(problems)
        first = renamed.get(path)
        post_notes, warned = notes_of_post(
            path, post, found, settings, first, problems, config.cache, reviews, config.reverse
        )
        broken = any(p.severity == "error" for p in problems[before:])  # an image that cannot be packed
        if broken:
            failed.add(post.label)  # as a post that cannot be read: its notes in the last deck are kept
        target = deck_of(post, name, config.split)
        notes.extend(placed(note, target, config.tag_prefix) for note in post_notes)
        size, mtime_ns = stats[len(records)]
        post_problems: list[tuple[str, int, str]] = [
            (p.severity, p.line, p.message) for p in problems[before:]
        ]
        records.append(
            PostRecord(
                str(path), post.label, size, mtime_ns, found.digest, broken, warned, post.key, post_problems
            )
        )
    cache.save()
    first_deck_problem = len(problems)
    involved: set[str] = set()
    problems.extend(orphaned_reviews(config, {note.guid for note in notes}))
    if config.ignore:
        # Notes the user switched off by id: left out on every build, so a deleted card stays deleted.
        ignored = [note for note in notes if note.guid in config.ignore]
        problems.extend(
            Problem("info", n.ref.path, n.ref.line, f"note {n.guid} is in `ignore`; left out")
            for n in ignored
        )
        involved.update(note.origin for note in ignored)
        notes = [note for note in notes if note.guid not in config.ignore]
    notes = _one_note_per_guid(notes, problems, involved)
    twins = _warn_duplicates(notes, problems, involved)
    describe(records, notes, twins)
    files = dict(sorted({item for note in notes for item in note.media}))
    deck = Deck(name, unique_questions(notes), tuple(files.items()))
    return BuildResult(
        (deck,),
        len(work),
        tuple(problems),
        frozenset(failed),
        cache.hits,
        tuple(records),
        DeckProblems(len(problems) - first_deck_problem, frozenset(involved)),
    )


def notes_of_post(
    path: Path,
    post: Post,
    found: Entry,
    settings: Settings,
    first: str | None,
    problems: list[Problem],
    media_cache: Path | None = None,
    reviews: Mapping[str, Reviewed] | None = None,
    reverse_cards: bool = False,
) -> tuple[tuple[Note, ...], bool]:
    """A post's notes with their images packed (and their ids from its path, when an older post
    has its name: `first`), its problems added to `problems`; and whether packing its images
    warned (one may be missing, and appear without the post changing). An image that cannot be
    packed is an error, and the post has no notes. `reverse_cards`: definitions get reverse cards
    unless the post's front matter says otherwise (the configuration's `reverse`)."""
    extracted = with_media(post, found.extracted, settings.limits, media_cache)
    problems.extend(Problem("error", path, line, message) for line, message in extracted.errors)
    post_notes = extracted.notes
    if first is not None:
        post_notes = tuple(replace(n, guid=stable_guid(n.guid, post.label)) for n in post_notes)
        problems.append(Problem("warning", path, 0, _SAME_NAME.format(key=post.key, first=first)))
    problems.extend(Problem("warning", path, line, message) for line, message in extracted.warnings)
    problems.extend(Problem("info", path, line, message) for line, message in extracted.notices)
    if reviews:
        post_notes = _mended(path, post_notes, reviews, problems)
    if reverse.wanted(post, reverse_cards):  # after the rewrites: the reverse card asks what they say
        post_notes = reverse.with_reverse(post_notes, post)
    return () if extracted.errors else post_notes, len(extracted.warnings) != len(found.extracted.warnings)


def _mended(
    path: Path, notes: tuple[Note, ...], reviews: Mapping[str, Reviewed], problems: list[Problem]
) -> tuple[Note, ...]:
    """The notes with the author's rewrites (`flashgen review`) on them; a rewrite of a card the
    post now says something else in is kept, with a warning."""
    made = []
    for note in notes:
        note, stale = mended(note, reviews.get(note.guid))
        if stale:
            problems.append(Problem("warning", path, note.ref.line, _STALE.format(guid=note.guid)))
        made.append(note)
    return tuple(made)


_STALE = (
    "note {guid} has your rewrite from `flashgen review`, but its post says something else here "
    "since; the rewrite is still used: run `flashgen review` to keep it or let it go"
)


def orphaned_reviews(config: Config, guids: set[str]) -> list[Problem]:
    """A warning for each rewrite (`flashgen review`) whose note no post makes any more."""
    where = config.home / REVIEWS_FILE
    return [
        Problem(
            "warning", where, 0, f"your rewrite of note {guid} is kept, but no post makes that note any more"
        )
        for guid, _ in config.reviews
        if guid not in guids
    ]


def describe(records: Sequence[PostRecord], notes: Sequence[Note], twins: Sequence[str]) -> None:
    """Fill each post's record with what its notes in the deck are: their kinds, ids, the keys
    the checks across posts compare, their images and the images' sizes and times."""
    by_label = {record.label: record for record in records if not record.failed}
    for note, twin in zip(notes, twins, strict=True):
        record = by_label[note.origin]
        record.kinds[note.kind] = record.kinds.get(note.kind, 0) + 1
        record.guids.append(note.guid)
        record.twins.append(twin)
        if not note.cloze:
            record.questions.append(question_text(note))
        record.media.extend((name, str(file)) for name, file in note.media)
    for record in by_label.values():
        record.media = sorted(set(record.media))
        files = {Path(file) for _, file in record.media}
        # A file that would take an image's place if it appeared is noted as missing.
        record.images = [tuple(stat_of(file)) for file in sorted(files | shadowing(files))]  # type: ignore[misc]


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


def twin_key(note: Note) -> str:
    """What two notes that ask and answer the same share."""
    text = f"{note.cloze}\x1f{render.text(note.front)}\x1f{render.text(note.back)}"
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def _warn_duplicates(notes: Sequence[Note], problems: list[Problem], involved: set[str]) -> list[str]:
    """Two notes that ask and answer exactly the same (a copied post, a section pasted twice) are
    two cards to review for one fact: each later one is a warning naming the first. Returns each
    note's key; the posts of both notes go into `involved`."""
    first: dict[str, Note] = {}
    keys = [twin_key(note) for note in notes]
    for note, key in zip(notes, keys, strict=True):
        if key not in first:
            first[key] = note
            continue
        earlier = first[key]
        involved.update((note.origin, earlier.origin))
        problems.append(
            Problem(
                "warning",
                note.ref.path,
                note.ref.line,
                f"this note asks and answers the same as {earlier.ref.path}:{earlier.ref.line}; "
                "Anki will show both (delete one, or mark it `<!-- flashgen: skip -->`)",
            )
        )
    return keys


def _one_note_per_guid(notes: list[Note], problems: list[Problem], involved: set[str]) -> list[Note]:
    """A deck never holds two notes with one GUID (Anki would keep one and drop the other)."""
    seen: dict[str, str] = {}  # GUID → the post of its first note
    kept: list[Note] = []
    for note in notes:
        if note.guid in seen:
            twice = "a note with the same id as another; left out"
            problems.append(Problem("warning", note.ref.path, note.ref.line, twice))
            involved.update((note.origin, seen[note.guid]))
            continue
        seen[note.guid] = note.origin
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
) -> tuple[list[Entry | Problem], list[tuple[int, int]]]:
    """Each post's cache entry (its notes before images are packed), or the error it gave, in
    order. Posts found in the cache are not read; the others are, on every core when they are
    many (each post is independent of the others). With them, each post's size and time, from
    before it was read (-1 when unknown)."""
    found: list[Entry | Problem | None] = []
    stats: list[tuple[int, int]] = []
    jobs: list[Job] = []
    for path, root, site in work:
        try:
            info = os.stat(path)
            stats.append((info.st_size, changed_ns(info)))
        except OSError:
            stats.append((-1, -1))
        try:
            raw = read_bytes(path)
        except FlashgenError as exc:
            found.append(Problem("error", path, exc.line, exc.message))
            continue
        digest = cache.digest(raw, str(path), str(root), repr(site))
        entry = cache.get(path, digest)
        found.append(entry)
        if entry is None:
            jobs.append(Job(len(found) - 1, path, root, site, raw, digest, settings, lang))
        elif progress is not None:
            progress(path)
    workers = min(os.cpu_count() or 1, 8)
    if len(jobs) >= PARALLEL_FROM and workers > 1:
        # Ctrl-C reaches the workers too (one process group): they leave it to this process,
        # which cancels what is not started and lets the pool wind down, instead of a worker
        # dying mid-task and the pool waiting on it.
        with concurrent.futures.ProcessPoolExecutor(workers, initializer=_leave_interrupts) as pool:
            try:
                results = pool.map(read_one, jobs, chunksize=max(1, len(jobs) // (workers * 8)))
                _collect(jobs, results, found, cache, progress)
            except KeyboardInterrupt:
                pool.shutdown(wait=True, cancel_futures=True)
                raise
    else:
        _collect(jobs, map(read_one, jobs), found, cache, progress)
    return [entry for entry in found if entry is not None], stats


@dataclass(frozen=True, slots=True)
class Job:
    index: int
    path: Path
    root: Path
    site: Site
    raw: bytes
    digest: str
    settings: Settings
    lang: str | None


def read_one(job: Job) -> Entry | Problem:
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
    """A worker's start: Ctrl-C is the build's to handle, and the worker ends when the build is
    gone. A build killed outright (SIGKILL, the OOM killer, a CI job cancelled) never tells its
    workers; forked, each holds the pipe it waits on open itself, so it would wait forever."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_end_with, args=(os.getppid(),), daemon=True).start()


def _end_with(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)  # the build that started this worker is gone: nobody waits for its work


def _collect(
    jobs: list[Job],
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


def deck_of(post: Post, name: str, split: str) -> str | None:
    """The deck a post's notes go to: its own (front matter `deck:`), a subdeck of its first
    category, of its title or of each folder it is in under its source (config `split`: `a/b/x.md`
    goes to `Name::a::b`), else the package's deck (None)."""
    if post.deck:
        return deck_text(post.deck) or None
    if split == "category" and post.categories:
        return f"{name}::{deck_text(post.categories[0]) or DEFAULT_DECK}"
    if split == "post":
        return f"{name}::{deck_text(post.title.replace('::', ':')) or DEFAULT_DECK}"
    if split == "folder" and (folders := PurePosixPath(post.label).parent.parts):
        return "::".join((name, *(deck_text(part.replace("::", ":")) or DEFAULT_DECK for part in folders)))
    return None


def placed(note: Note, deck: str | None, tag_prefix: str) -> Note:
    tags = tuple(tag_prefix + tag for tag in note.tags) if tag_prefix else note.tags
    return replace(note, deck=deck, tags=tags) if (deck != note.deck or tags != note.tags) else note
