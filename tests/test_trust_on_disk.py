"""Nothing on disk is trusted because a stamp says so (issue 23): a committed deck edited together
with its digest in the state file, and a post edited with its modification time put back."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from flashgen.cli import main
from tests.conftest import package_notes

POST = """---
title: Attention
tags: [ml]
---
## Attention

- Query : what a token looks for
- Key : what a token offers
"""


def _shipped_fields(package: Path) -> list[str]:
    return [fields for fields, _ in package_notes(package)]


OLD_NS = 1_600_000_000_000_000_000  # long before any build: outside every "racy" window


def _build(*args: str) -> Result:
    return CliRunner().invoke(main, ["build", *args], catch_exceptions=False)


def _blog(root: Path) -> Path:
    (root / "_config.yml").write_text("title: Blog\n", encoding="utf-8")
    (root / "_posts").mkdir()
    post = root / "_posts" / "2024-01-01-attention.md"
    post.write_text(POST, encoding="utf-8")
    os.utime(post, ns=(OLD_NS, OLD_NS))
    return post


def _plant_script(package: Path) -> None:
    """Edit the deck as an attacker with commit rights would: a script in a field."""
    with zipfile.ZipFile(package) as archive:
        entries = [(info, archive.read(info)) for info in archive.infolist()]
    name = next(info.filename for info, _ in entries if info.filename.startswith("collection.anki2"))
    work = package.with_suffix(".edit.sqlite")
    work.write_bytes(next(data for info, data in entries if info.filename == name))
    with sqlite3.connect(work) as db:
        db.execute("UPDATE notes SET flds = flds || '<script>alert(1)</script>'")
    edited = work.read_bytes()
    work.unlink()
    with zipfile.ZipFile(package, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in entries:
            archive.writestr(info, edited if info.filename == name else data)


def test_a_deck_edited_with_its_digest_is_not_reused_nor_passes_the_check() -> None:
    root = Path.cwd()
    _blog(root)
    assert _build().exit_code == 0
    package = root / "decks" / "Blog.apkg"
    state_file = root / "decks" / "Blog.state.json"
    old_digest = hashlib.sha256(package.read_bytes()).hexdigest()
    _plant_script(package)
    new_digest = hashlib.sha256(package.read_bytes()).hexdigest()
    state_text = state_file.read_text(encoding="utf-8")
    assert old_digest in state_text
    state_file.write_text(state_text.replace(old_digest, new_digest), encoding="utf-8")
    assert any("<script>" in fields for fields in _shipped_fields(package))

    # In a fresh clone (no cache), --check compares the deck the posts make with the file.
    checked = _build("--check", "--no-cache")
    assert checked.exit_code == 1, checked.output

    # A rebuild writes the deck the posts make, whatever the state file says of the old one.
    assert _build("--no-cache").exit_code == 0
    assert not any("<script" in fields for fields in _shipped_fields(package))
    assert hashlib.sha256(package.read_bytes()).hexdigest() == old_digest
    assert _build("--check", "--no-cache").exit_code == 0


def test_a_same_size_edit_with_its_time_put_back_is_seen() -> None:
    """A post edited (same size) and its modification time set back, as `touch -d` or a copy
    that keeps times does: the change time, which no program can set back, gives it away."""
    root = Path.cwd()
    post = _blog(root)
    assert _build().exit_code == 0
    assert _build().exit_code == 0  # a second build, answered from the first one's record
    edited = POST.replace("looks for", "asks for!")
    assert len(edited) == len(POST)
    post.write_text(edited, encoding="utf-8")
    os.utime(post, ns=(OLD_NS, OLD_NS))

    checked = _build("--check")
    assert checked.exit_code == 1, checked.output
    assert _build().exit_code == 0
    assert any("asks for!" in fields for fields in _shipped_fields(root / "decks" / "Blog.apkg"))


def test_a_note_shipped_again_from_the_state_file_comes_out_as_it_went_in() -> None:
    """A failed post's notes are shipped from the state file, through the sanitiser again
    (state.NoteRecord.note): every field a build makes must be a fixed point of it, or the deck
    changes while no note did (a list's `fg-enum` class was dropped)."""
    from flashgen import api
    from flashgen.read import render
    from flashgen.read.config import Config
    from tests.conftest import EXAMPLES, POSTS

    notes = [
        note for source in (EXAMPLES, POSTS) for note in api.build([source], config=Config(cache=None)).notes
    ]
    assert any('class="fg-enum"' in note.front for note in notes)
    for note in notes:
        for field in (note.front, note.back, note.context, note.source, note.extra):
            assert render.sanitise(field) == field


EM = """---
title: EM
tags: [ml]
---
## The steps of EM

EM repeats these steps:

{items}"""
STEPS = ["Guess the parameters", "Compute the responsibilities", "Update the parameters", "Check convergence"]


def test_a_list_item_removed_and_put_back_finds_its_card_and_history_again(collection: object) -> None:
    """c3 reviewed, then its item removed (its card empties), a new item added, and the item put
    back: it is c3 again, with its history; the new item never took a number once used."""
    from anki.scheduler.v3 import CardAnswer

    from tests.conftest import import_package

    root = Path.cwd()
    post = root / "_posts" / "2024-01-01-em.md"
    post.parent.mkdir()
    deck = root / "decks" / "cwd.apkg"

    def build(steps: list[str]) -> None:
        post.write_text(EM.format(items="".join(f"- {s}\n" for s in steps)), encoding="utf-8")
        assert _build("--deck", "cwd").exit_code == 0
        import_package(collection, deck)

    def card_of(text: str) -> object:
        (note_id,) = collection.find_notes("")  # type: ignore[attr-defined]
        note = collection.get_note(note_id)  # type: ignore[attr-defined]
        number = int(note.fields[0].split(f"::{text}}}}}")[0].rsplit("{{c", 1)[1])
        return next(c for c in note.cards() if c.ord == number - 1)

    build(STEPS)
    third = card_of("Update the parameters")
    assert third.ord == 2  # type: ignore[attr-defined]
    col: Any = collection
    col.decks.select(col.decks.id("cwd"))
    while queued := col.sched.get_queued_cards().cards:  # each of the four cards reviewed once
        card = col.get_card(queued[0].card.id)
        card.start_timer()
        col.sched.answer_card(
            col.sched.build_answer(card=card, states=queued[0].states, rating=CardAnswer.EASY)
        )
    build([s for s in STEPS if s != "Update the parameters"])  # removed: c1, c2, c4
    build([*[s for s in STEPS if s != "Update the parameters"], "Repeat until it converges"])
    assert card_of("Repeat until it converges").ord == 4  # type: ignore[attr-defined]  # c5: c3 is not free
    build([*STEPS, "Repeat until it converges"])  # put back
    restored = card_of("Update the parameters")
    assert restored.ord == 2 and restored.id == third.id  # type: ignore[attr-defined]
    assert restored.reps == 1  # type: ignore[attr-defined]


def test_a_new_item_never_takes_the_number_of_the_last_item_removed() -> None:
    """The last item (c4) removed, a new one added: before, the new item took c4, and with it the
    removed item's card and review history."""
    root = Path.cwd()
    post = root / "_posts" / "2024-01-01-em.md"
    post.parent.mkdir()

    def front(steps: list[str]) -> str:
        post.write_text(EM.format(items="".join(f"- {s}\n" for s in steps)), encoding="utf-8")
        assert _build("--deck", "cwd").exit_code == 0
        (fields,) = _shipped_fields(root / "decks" / "cwd.apkg")
        return fields

    front(STEPS)
    front(STEPS[:3])
    assert "{{c5::Stop when it converges}}" in front([*STEPS[:3], "Stop when it converges"])
