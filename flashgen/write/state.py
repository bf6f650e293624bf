"""The state file kept beside each deck: what every note contained and the `mod` it was given.

Anki updates an existing note on import only when the package's note `mod` is newer than its own,
and never when it is equal. So a note's `mod` must be the time its content last changed: unchanged
notes keep their `mod` (a rebuild is byte-identical and an import updates nothing), changed ones
get the build's clock. The same holds for note types, whose template and CSS changes Anki takes only
with a newer `mod`. The state also keeps every note's fields, so that a note whose source is gone
can be shipped once more, tagged `flashgen::removed`, for the user to find and delete in Anki.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from pathlib import Path
from typing import get_args

from flashgen.errors import FlashgenError
from flashgen.model import MAX_MOD, REMOVED_TAG, Changes, Note, NoteKind, SourceRef
from flashgen.read import render

STATE_VERSION = 1


@dataclass(frozen=True, slots=True)
class NoteRecord:
    hash: str
    mod: int
    kind: str
    cloze: bool
    fields: tuple[str, str, str, str, str]  # front, back, context, source, extra
    tags: tuple[str, ...]
    source: str  # the post's path, relative to its source folder
    line: int
    removed: bool = False
    deck: str | None = None  # its deck, when not the package's own (a post's `deck:`, a split)
    # Clozes once in this note and gone from it now (their text and number): Anki keeps a card's
    # history on its number, so an item put back takes its number again, and no new item does.
    retired: tuple[tuple[str, int], ...] = ()
    reverse: tuple[str, str] | tuple[()] = ()  # its reverse card's question and answer, when it has one

    def note(self, guid: str) -> Note:
        """The note as last built, tagged as removed. Its fields come from the state file, which
        is the user's to edit (it is committed): they pass the sanitiser again, as every field a
        build makes did when it was rendered, before they go into a deck."""
        front, back, context, source, extra = (render.sanitise(field) for field in self.fields)
        return Note(
            guid=guid,
            kind=self.kind,  # type: ignore[arg-type]
            cloze=self.cloze,
            front=front,
            back=back,
            context=context,
            source=source,
            extra=extra,
            tags=(*self.tags, REMOVED_TAG),
            ref=SourceRef(Path(self.source), self.line),
            origin=self.source,
            deck=self.deck,
            reverse=(render.sanitise(self.reverse[0]), render.sanitise(self.reverse[1]))
            if self.reverse
            else (),
        )


@dataclass(frozen=True, slots=True)
class State:
    notes: Mapping[str, NoteRecord]
    note_types: Mapping[str, tuple[str, int]]  # note type id → (hash, mod)
    # (key, sha256) of the package written with this state: the key sums up everything the
    # package's bytes come from. Recorded only: a build never reuses a package on its word.
    package: tuple[str, str] | None = None
    deck: str | None = None  # the name of the deck this state belongs to (two names, one file: refused)
    # The deck's basic note type has the reverse card's fields (anki.REVERSE_FIELDS): once a note
    # had a reverse card, for good, so that no later build changes the note type back.
    reverse: bool = False


EMPTY = State({}, {})


@dataclass(frozen=True, slots=True)
class Stamped:
    """What to ship: the notes (removed ones included), their mods, and the next state."""

    notes: tuple[Note, ...]
    note_mods: Mapping[str, int]
    note_type_mods: Mapping[str, int]
    state: State
    changes: Changes


def content_hash(*parts: object) -> str:
    data = json.dumps(parts, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:32]


def _fields(note: Note) -> tuple[str, str, str, str, str]:
    return (note.front, note.back, note.context, note.source, note.extra)


def _digest(note: Note) -> str:
    # The reverse card only when there is one: every other note keeps the digest it had before
    # reverse cards were made.
    return content_hash(note.cloze, _fields(note), note.tags, *((note.reverse,) if note.reverse else ()))


def reversible(notes: Iterable[Note], previous: State) -> bool:
    """Whether the deck's basic note type has the reverse card's fields: it had them, or a note
    now has a reverse card."""
    return previous.reverse or any(note.reverse for note in notes)


def keep_list_parts(notes: Iterable[Note], previous: State) -> tuple[Note, ...]:
    """A long list is asked in parts, a note each; when it grows (or shrinks) the split moves
    items from one part to another, and Anki keeps a card's history in its note. So each item
    stays in the note (part) it was in last time, matched by its text; only new items go where
    the split puts them. A part that is gone from the split but still holds old items is kept."""
    notes = tuple(notes)
    if _as_before(notes, previous):
        return notes
    groups: dict[tuple[str, str, str], list[int]] = {}
    parsed: dict[int, tuple[str, list[str], str]] = {}
    for index, note in enumerate(notes):
        if note.cloze and (found := render.read_enumeration(note.front)) is not None:
            parsed[index] = found
            groups.setdefault((note.origin, note.context, found[0]), []).append(index)
    if not parsed or not previous.notes:
        return notes
    # group → item → the notes it was in, once for each time it was there (two lists alike under
    # one heading are two notes of one group, each holding the same items)
    old_parts: dict[tuple[str, str, str], dict[str, list[str]]] = {}
    for guid, record in previous.notes.items():
        if (
            record.cloze
            and not record.removed
            and (found := render.read_enumeration(record.fields[0])) is not None
        ):
            where = old_parts.setdefault((record.source, record.fields[2], found[0]), {})
            for item in found[1]:
                where.setdefault(item, []).append(guid)
    out = list(notes)
    extra: list[Note] = []
    for key, indexes in groups.items():
        if not old_parts.get(key):
            continue
        was = {item: list(holders) for item, holders in old_parts[key].items()}
        guids = [notes[i].guid for i in indexes]
        placed: dict[str, list[tuple[int, str]]] = {}  # note → (position in the list, item)
        position = 0
        for i in indexes:
            for item in parsed[i][1]:
                position += 1
                placed.setdefault(_holder(was.get(item), notes[i].guid), []).append((position, item))
        if all(
            [item for _, item in placed.get(guid, [])] == parsed[i][1]
            for guid, i in zip(guids, indexes, strict=True)
        ) and set(placed) <= set(guids):
            continue  # every item is where it was: nothing to move
        template = notes[indexes[0]]
        total = position
        for guid, items in placed.items():
            front = _list_front(parsed[indexes[0]][0], items, total, parsed[indexes[0]][2])
            if guid in guids:
                out[indexes[guids.index(guid)]] = replace(notes[indexes[guids.index(guid)]], front=front)
            else:  # a part the new split has no room for, still holding old items: kept
                extra.append(replace(template, guid=guid, front=front))
        for guid, i in zip(guids, indexes, strict=True):
            if guid not in placed:
                out[i] = replace(notes[i], front="")  # all its items stayed in their old parts
    return tuple(note for note in (*out, *extra) if note.front)


def _holder(holders: list[str] | None, current: str) -> str:
    """The note an item goes to: the one it is in now if it was there before, else the first
    other that held it (each time it was held is taken once), else the one it is in now."""
    if not holders:
        return current
    guid = current if current in holders else holders[0]
    holders.remove(guid)
    return guid


def _as_before(notes: tuple[Note, ...], previous: State) -> bool:
    """Every cloze note reads as it did last time and none of last time's is gone: no list item
    can have moved between parts (checked without parsing a list: most rebuilds change a post)."""
    current = {note.guid for note in notes}
    for note in notes:
        record = previous.notes.get(note.guid) if note.cloze else None
        if note.cloze and (record is None or record.fields[0] != note.front):
            return False
    return not any(
        record.cloze and not record.removed and guid not in current for guid, record in previous.notes.items()
    )


def _list_front(prompt: str, items: list[tuple[int, str]], total: int, after: str) -> str:
    """A part's front: its items (with their places in the whole list) in the list's order."""
    span = (items[0][0], items[-1][0], total) if len(items) < total else None
    return render.enumeration(prompt, [item for _, item in items], span) + after


_SIMILAR = 0.9  # share of the characters a small edit leaves as they were


def keep_identity(notes: Iterable[Note], previous: State) -> tuple[Note, ...]:
    """Notes whose id is new only because a small edit changed what the id comes from (a typo
    fixed in a `Q:` question, a heading, a term) take the id of the note they replace: a note of
    the last build, from the same post and of the same kind, that is gone from this one, and
    whose question and answer read at least 90 % the same. Then Anki updates that note in place,
    keeping its history, instead of a new note beside a retired one. Each old note is taken once."""
    notes = tuple(notes)
    current = {note.guid for note in notes}
    gone: dict[tuple[str, str], list[tuple[str, NoteRecord]]] = {}
    for guid, record in previous.notes.items():
        if guid not in current and not record.removed:
            gone.setdefault((record.source, record.kind), []).append((guid, record))
    if not gone:
        return notes
    out: list[Note] = []
    for note in notes:
        candidates = gone.get((note.origin, note.kind))
        if note.guid in previous.notes or not candidates:
            out.append(note)
            continue
        text = _comparable(note.front, note.back)
        scored = [
            (SequenceMatcher(None, text, _comparable(*r.fields[:2])).ratio(), i)
            for i, (_, r) in enumerate(candidates)
        ]
        best, index = max(scored)
        if best >= _SIMILAR:
            guid, _ = candidates.pop(index)
            note = replace(note, guid=guid)
        out.append(note)
    return tuple(out)


def _comparable(front: str, back: str) -> str:
    return f"{render.text(front)} {render.text(back)}"


_CLOZE = re.compile(r"\{\{c(\d+)::(.*?)\}\}", re.DOTALL)


def keep_cloze_numbers(note: Note, previous: NoteRecord | None) -> Note:
    """The note with each cloze numbered as it was last time: Anki keeps a cloze's review history
    on its number (card c3 is the third card), so an item that moves keeps its number, an item
    removed and put back later takes its old number again (`NoteRecord.retired`), and a new item
    takes a number never used in this note (Anki allows gaps). Matched by the cloze's text."""
    if not note.cloze or previous is None or not previous.cloze or previous.fields[0] == note.front:
        return note  # the same text: the same numbers (most notes of a rebuild)
    old: dict[str, list[int]] = {}
    for match in _CLOZE.finditer(previous.fields[0]):
        old.setdefault(match.group(2), []).append(int(match.group(1)))
    for text, number in previous.retired:  # after the ones shown last time: those are taken first
        old.setdefault(text, []).append(number)
    used = {number for numbers in old.values() for number in numbers}
    taken: set[int] = set()
    kept: dict[int, int] = {}  # the new note's own number → the number it keeps
    matches = list(_CLOZE.finditer(note.front))
    for match in matches:  # first the clozes seen before, so that none takes another's number
        numbers = [n for n in old.get(match.group(2), []) if n not in taken]
        if numbers and int(match.group(1)) not in kept:
            kept[int(match.group(1))] = numbers[0]
            taken.add(numbers[0])
    following = max(used | taken, default=0)
    for match in matches:
        if int(match.group(1)) not in kept:
            following += 1
            kept[int(match.group(1))] = following
    if all(old_number == new_number for old_number, new_number in kept.items()):
        return note
    front = _CLOZE.sub(lambda m: f"{{{{c{kept[int(m.group(1))]}::{m.group(2)}}}}}", note.front)
    return replace(note, front=front)


def retired_clozes(front: str, previous: NoteRecord | None) -> tuple[tuple[str, int], ...]:
    """The clozes this note has had and has not now, with their numbers: last time's retired
    ones and last time's shown ones, but for the numbers `front` uses (sorted, so that the state
    file says the same of the same history)."""
    if previous is None or not previous.cloze:
        return ()
    if previous.fields[0] == front:
        return previous.retired  # the same clozes shown: the same ones retired (most notes of a rebuild)
    shown = {int(number) for number, _ in _CLOZE.findall(front)}
    gone = {(text, int(number)) for number, text in _CLOZE.findall(previous.fields[0])}
    retired = {(text, number) for text, number in (*previous.retired, *gone) if number not in shown}
    return tuple(sorted(retired, key=lambda pair: (pair[1], pair[0])))


def _next_mod(clock: int, previous: int | None) -> int:
    # Strictly newer than what Anki has, or it would not take the change.
    return clock if previous is None else max(clock, previous + 1)


def stamp(
    notes: Iterable[Note],
    note_types: Mapping[str, str],
    previous: State,
    *,
    clock: int,
    failed_sources: frozenset[str] = frozenset(),
    forget_removed: bool = False,
    reverse: bool = False,
) -> Stamped:
    """Give each note and note type its `mod`, and work out the next state.

    Notes of a post that failed to build this time (`failed_sources`, by post label) are carried
    over as they were: a broken post must not turn its notes into removed ones. `reverse`: the
    note types (`note_types`) have the reverse card's fields (`reversible`).
    """
    records: dict[str, NoteRecord] = {}
    shipped: list[Note] = []
    new: list[Note] = []
    changed: list[Note] = []
    for note in notes:
        old = previous.notes.get(note.guid)
        note = keep_cloze_numbers(note, old)
        digest = _digest(note)
        if old is not None and old.hash == digest and not old.removed:
            mod = old.mod
        else:
            mod = _next_mod(clock, old.mod if old else None)
            (changed if old is not None else new).append(note)
        records[note.guid] = NoteRecord(
            digest,
            mod,
            note.kind,
            note.cloze,
            _fields(note),
            note.tags,
            note.origin,
            note.ref.line,
            deck=note.deck,
            retired=retired_clozes(note.front, old) if note.cloze else (),
            reverse=note.reverse,
        )
        shipped.append(note)

    removed: list[Note] = []
    still_removed = kept = 0
    for guid in sorted(set(previous.notes) - set(records)):
        old = previous.notes[guid]
        if old.source in failed_sources and not old.removed:
            records[guid] = old  # its post failed to build: ship it as it was
            shipped.append(replace(old.note(guid), tags=old.tags))
            kept += 1
            continue
        if old.removed and forget_removed:
            continue
        gone = old.note(guid)
        if old.removed:
            records[guid] = old
            still_removed += 1
        else:
            records[guid] = replace(old, mod=_next_mod(clock, old.mod), removed=True)
            removed.append(gone)
        shipped.append(gone)

    types: dict[str, tuple[str, int]] = {}
    types_changed: list[str] = []
    for type_id, digest in sorted(note_types.items()):
        old_type = previous.note_types.get(type_id)
        if old_type is not None and old_type[0] == digest:
            types[type_id] = old_type
        else:
            types[type_id] = (digest, _next_mod(clock, old_type[1] if old_type else None))
            types_changed.append(type_id)

    state = State(records, types, reverse=reverse)
    return Stamped(
        notes=tuple(shipped),
        note_mods={guid: record.mod for guid, record in records.items()},
        note_type_mods={type_id: mod for type_id, (_, mod) in types.items()},
        state=state,
        changes=Changes(
            tuple(new),
            tuple(changed),
            tuple(removed),
            still_removed,
            tuple(types_changed),
            kept=kept,
            reverse_fields_added=reverse and not previous.reverse and bool(previous.notes),
        ),
    )


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def record_line(guid: str, r: NoteRecord) -> str:
    """One note's line of the state file (without the comma that separates it from the last)."""
    record = {
        "hash": r.hash,
        "mod": r.mod,
        "kind": r.kind,
        "cloze": r.cloze,
        "fields": list(r.fields),
        "tags": list(r.tags),
        "source": r.source,
        "line": r.line,
        **({"removed": True} if r.removed else {}),
        **({"deck": r.deck} if r.deck else {}),
        **({"retired": [list(pair) for pair in r.retired]} if r.retired else {}),
        **({"reverse": list(r.reverse)} if r.reverse else {}),
    }
    return f"\n  {_json(guid)}: {_json(record)}"


def read_line(line: str) -> tuple[str, NoteRecord]:
    """A note's line as `record_line` wrote it, read back (checked as `load` checks a file).
    Raises ValueError (or TypeError, KeyError) for a line that is not one."""
    try:
        data = json.loads("{" + line + "}", object_pairs_hook=_unique_keys)
    except RecursionError:
        raise ValueError("nested too deeply") from None
    if len(_mapping(data)) != 1:
        raise ValueError("a line of one note expected")
    guid, record = data.popitem()
    return _text(guid, "a note id", 64), _record(record)


def dumps_notes(state: State, lines: list[bytes]) -> list[bytes]:
    """The state file up to the end of its notes, in parts (`dumps_end` closes it with the
    package): stable JSON, one note to a line (a rebuild's diff shows the notes that changed),
    from each note's line already made (`record_line`, encoded, in GUID order, joined by commas
    in parts: store.lines), so that a state of 100,000 notes is not made again note by note."""
    types = {k: {"hash": h, "mod": m} for k, (h, m) in sorted(state.note_types.items())}
    deck = f'\n "deck": {_json(state.deck)},' if state.deck is not None else ""
    reverse = '\n "reverse": true,' if state.reverse else ""  # only once it is: older files stay as they were
    parts = [f'{{{deck}\n "note_types": {_json(types)},{reverse}\n "notes": {{'.encode()]
    for part in lines:
        if part:
            parts.extend((b",", part) if len(parts) > 1 else (part,))
    return parts


def dumps_end(parts: list[bytes], written: tuple[str, str] | None) -> bytes:
    """The state file `dumps_notes` began, closed with the package's key and digest."""
    package = {"key": written[0], "sha256": written[1]} if written else None
    closing = "\n }" if len(parts) > 1 else "}"
    end = f'{closing},\n "package": {_json(package)},\n "version": {STATE_VERSION}\n}}\n'.encode()
    parts.append(end)
    whole = b"".join(parts)
    parts.clear()  # let go of the parts now that they are joined
    return whole


def load(path: Path, raw: bytes | None = None) -> State:
    """The state saved at `path` (its bytes `raw`, when already read); an empty state when there
    is none yet. The file is the user's (it is committed, and anyone may edit it): every value is
    checked for its type and range, and a note's fields pass the sanitiser again when it is shipped
    from here (`NoteRecord.note`)."""
    if raw is None:
        try:
            raw = path.read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            return EMPTY
        except OSError as exc:
            raise FlashgenError(f"cannot read the state file: {exc.strerror or exc}", path) from exc
    try:
        try:
            data = json.loads(raw, object_pairs_hook=_unique_keys)
        except RecursionError:  # `[[[[…` a hundred thousand deep: Python's parser recurses
            raise ValueError("its JSON is nested too deeply") from None
        if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
            raise ValueError(f"unknown version {data.get('version') if isinstance(data, dict) else data!r}")
        notes = {}
        for guid, r in _mapping(data["notes"]).items():
            try:
                notes[_text(guid, "a note id", 64)] = _record(r)
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                raise _Damaged(exc, _line_of(raw, guid)) from exc
        types = {
            _text(k, "a note type id", 64): (
                _text(_mapping(v)["hash"], "a hash", 128),
                _mod(_mapping(v)["mod"]),
            )
            for k, v in _mapping(data["note_types"]).items()
        }
        written = _mapping(data["package"]) if data.get("package") is not None else None
        package = (
            (_text(written["key"], "a key", 128), _text(written["sha256"], "a hash", 128))
            if written is not None
            else None
        )
        deck = data.get("deck")
        deck = _text(deck, "a deck name", 500) if deck is not None else None
        reverse = _flag(data.get("reverse", False))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        cause = exc.cause if isinstance(exc, _Damaged) else exc
        raise FlashgenError(
            f"the state file is damaged ({cause}); restore it from version control, or delete it "
            "to start afresh (Anki will then see every note as changed once)",
            path,
            _where(exc),
        ) from exc
    return State(notes, types, package, deck, reverse)


_KINDS = frozenset(get_args(NoteKind))


class _Damaged(ValueError):
    """A note's record that is not one, with the line of the state file it is on (0: unknown)."""

    def __init__(self, cause: Exception, line: int) -> None:
        super().__init__(str(cause))
        self.cause = cause
        self.line = line


def _where(exc: Exception) -> int:
    """The line of the state file an error is on, where it is known (0 otherwise)."""
    if isinstance(exc, _Damaged):
        return exc.line
    if isinstance(exc, json.JSONDecodeError):
        return exc.lineno
    return 0


def _line_of(raw: bytes, guid: object) -> int:
    """The line that holds the note `guid` (one note to a line, as `record_line` writes it); 0
    when it cannot be found (a file written by hand, all on one line or spelled otherwise)."""
    if not isinstance(guid, str):
        return 0
    for spelling in (json.dumps(guid, ensure_ascii=False), json.dumps(guid)):
        found = raw.find(spelling.encode() + b":")
        if found >= 0:
            return raw.count(b"\n", 0, found) + 1
    return 0


def _unique_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        twice = next(key for key in keys if keys.count(key) > 1)
        raise ValueError(f"{twice!r} appears twice")
    return dict(pairs)


def _mapping(value: object) -> dict[str, object]:
    if not isinstance(value, dict):
        raise TypeError(f"expected a mapping, not {type(value).__name__}")
    return value


def _text(value: object, what: str, longest: int | None = None) -> str:
    if not isinstance(value, str) or (longest is not None and len(value) > longest):
        raise TypeError(f"expected {what}, not {value!r:.60}")
    return value


def _mod(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_MOD:
        raise ValueError(f"a mod must be a whole number from 0 to {MAX_MOD}, not {value!r:.60}")
    return value


def _tag(value: object) -> str:
    """A tag as a build makes it (posts.normalise_tag): Anki splits tags at white space, and a
    note type that shows {{Tags}} inserts quotes and angle brackets as HTML."""
    tag = _text(value, "a tag", 200)
    if not tag or any(ch.isspace() or ch in '"<>' or unicodedata.category(ch)[0] == "C" for ch in tag):
        raise ValueError(f"a tag must be one word, without quotes or angle brackets, not {tag!r:.60}")
    return tag


def _flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"expected true or false, not {value!r:.60}")
    return value


def _record(value: object) -> NoteRecord:
    r = _mapping(value)
    fields = r["fields"]
    if not isinstance(fields, list) or len(fields) != 5:
        raise ValueError("a note without its five fields")
    tags = r["tags"]
    if not isinstance(tags, list):
        raise TypeError("tags must be a list")
    kind = _text(r["kind"], "a note kind")
    if kind not in _KINDS:
        raise ValueError(f"unknown note kind {kind!r:.60}")
    line = r.get("line", 0)
    if not isinstance(line, int) or isinstance(line, bool) or line < 0:
        raise ValueError(f"a line must be a whole number, not {line!r:.60}")
    deck = r.get("deck")
    return NoteRecord(
        hash=_text(r["hash"], "a hash", 128),
        mod=_mod(r["mod"]),
        kind=kind,
        cloze=_flag(r["cloze"]),
        fields=tuple(_text(f, "a field") for f in fields),  # type: ignore[arg-type]
        tags=tuple(_tag(t) for t in tags),
        source=_text(r["source"], "a source path", 4096),
        line=line,
        removed=_flag(r.get("removed", False)),
        deck=_text(deck, "a deck name", 500) if deck else None,
        retired=_retired(r.get("retired", [])),
        reverse=_reverse(r.get("reverse", [])),
    )


def _reverse(value: object) -> tuple[str, str] | tuple[()]:
    if not isinstance(value, list) or len(value) not in (0, 2):
        raise ValueError("a reverse card is its question and its answer")
    if not value:
        return ()
    return (_text(value[0], "a field"), _text(value[1], "a field"))


def _retired(value: object) -> tuple[tuple[str, int], ...]:
    """A note's retired clozes: [text, number] pairs, each number a cloze's (1 to 9,999)."""
    if not isinstance(value, list):
        raise TypeError("retired clozes must be a list")
    pairs = []
    for pair in value:
        if not (isinstance(pair, list) and len(pair) == 2):
            raise ValueError(f"a retired cloze must be [text, number], not {pair!r:.60}")
        text, number = pair
        if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= 9_999:
            raise ValueError(f"a cloze number must be from 1 to 9999, not {number!r:.60}")
        pairs.append((_text(text, "a cloze's text"), number))
    return tuple(pairs)
