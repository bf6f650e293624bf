"""Reverse cards (issue 26): a definition asked the other way, as the second card of its own note,
switched on and off in front matter or flashgen.toml, checked in a real Anki collection."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from flashgen.cli import main
from flashgen.extract.reverse import hide
from tests.conftest import import_package, review_everything

POST = """\
---
title: Deep learning terms
tags: [ml]
{options}---
## Terms

- **Transformer**: a network built only on attention, with no recurrence; Transformers power GPT.
- **Dropout**: a regulariser that zeroes random activations during training.
- **Batch normalization**: normalising each layer's inputs over the mini-batch to steady training.

## 용어

- **체이닝(chaining)**: 여러 메서드 호출을 한 줄로 잇는 기법. 체이닝은 가독성을 높인다.

## Steps of training

1. Forward pass
2. Loss
3. Backward pass
"""

DEFINITIONS = 4


def _blog(tmp_path: Path, options: str = "", config: str = "") -> Path:
    blog = tmp_path / "blog"
    (blog / "_posts").mkdir(parents=True, exist_ok=True)
    (blog / "flashgen.toml").write_text(f'sources = ["_posts"]\ndeck = "D"\ncache = false\n{config}')
    (blog / "_posts" / "2024-01-01-terms.md").write_text(POST.format(options=options), encoding="utf-8")
    return blog


_CLOCK = iter(range(1_700_000_000, 1_800_000_000, 3600))


def _build(blog: Path) -> str:
    """`flashgen build` in the blog, an hour after the last build (CI built it, some time before the
    user imports it: Anki's "Always" updates a note only when its time differs from the one it
    holds, which a merge of note types has just set to now)."""
    cwd = os.getcwd()
    os.chdir(blog)
    try:
        result = CliRunner().invoke(main, ["build"], env={"SOURCE_DATE_EPOCH": str(next(_CLOCK))})
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    return result.output


def _import(col, package: Path, merge: bool = False):  # type: ignore[no-untyped-def]
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    if not merge:
        return import_package(col, package)
    from anki.import_export_pb2 import IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_ALWAYS as ALWAYS

    # As the build says: "Merge note types" ticked, "Update notes" set to "Always".
    options = ImportAnkiPackageOptions(merge_notetypes=True, update_notes=ALWAYS)
    request = ImportAnkiPackageRequest(package_path=os.fspath(package.resolve()), options=options)
    log = col.import_anki_package(request)
    col.models._clear_cache()
    return log


def _cards(col) -> dict[int, tuple[int, int, int]]:  # type: ignore[no-untyped-def]
    """Each card's (note id, template number, reviews in Anki's log), by card id."""
    return {
        cid: (nid, ord_, col.db.scalar("select count() from revlog where cid = ?", cid))
        for cid, nid, ord_ in col.db.all("select id, nid, ord from cards")
    }


def _basic(col, cards: dict[int, tuple[int, int, int]], ord_: int) -> set[int]:  # type: ignore[no-untyped-def]
    """The cards of basic notes (the definitions) made by their note type's template `ord_`."""
    basic = col.models.by_name("flashgen basic")["id"]
    return {cid for cid, (nid, o, _) in cards.items() if o == ord_ and col.get_note(nid).mid == basic}


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def test_turned_on_then_off_keeps_every_note_and_its_history(tmp_path: Path, collection) -> None:
    col = collection
    blog = _blog(tmp_path)
    deck = blog / "decks" / "D.apkg"
    state = blog / "decks" / "D.state.json"
    out = _build(blog)
    assert "Merge note types" not in out
    assert "reverse" not in json.loads(state.read_text())  # a deck without reverse cards: as before
    _import(col, deck)
    review_everything(col)
    before = _cards(col)
    notes = set(col.find_notes(""))
    assert len(notes) == DEFINITIONS + 1  # and the list of steps, a cloze
    assert len(_basic(col, before, 0)) == DEFINITIONS and not _basic(col, before, 1)
    assert all(reviews > 0 for _, _, reviews in before.values())
    assert col.models.by_name("flashgen basic")["flds"][-1]["name"] == "Extra"

    # On, in the post's front matter: the note type gains its second card, once.
    _blog(tmp_path, options="flashgen: {reverse: true}\n")
    out = _build(blog)
    assert "4 changed" in out and "Merge note types" in out and "“Always”" in out
    assert json.loads(state.read_text())["reverse"] is True
    unmerged = tmp_path / "unmerged"  # what Anki's default import does with it, on a copy
    unmerged.mkdir()
    from anki.collection import Collection

    col.close(downgrade=False)
    shutil.copy(col.path, unmerged / "c.anki2")
    copy = Collection(str(unmerged / "c.anki2"))
    try:
        log = _import(copy, deck)
        assert len(log.log.conflicting) == DEFINITIONS  # why the build says to merge
    finally:
        copy.close()
    col.reopen()  # type: ignore[attr-defined]
    _import(col, deck, merge=True)
    after = _cards(col)
    assert set(col.find_notes("")) == notes  # no note added, none lost
    for cid, (nid, ord_, reviews) in before.items():
        assert after[cid] == (nid, ord_, reviews)  # every first card kept, with its history
    reverse = _basic(col, after, 1)
    assert len(reverse) == DEFINITIONS and len(after) == len(before) + DEFINITIONS
    fields = [f["name"] for f in col.models.by_name("flashgen basic")["flds"]]
    assert fields == ["Front", "Back", "Context", "Source", "Extra", "Reverse", "Term"]
    asked = {}
    for cid in reverse:
        card = col.get_card(cid)
        question, answer = _text(card.question()), _text(card.answer())
        term = card.note()["Term"]
        asked[term] = question
        assert "[…]" in question or term == "Dropout" or term == "Batch normalization"
        assert term.split("(")[0] not in question, question  # the term is not on the front
        assert term in answer
    assert "Which term is defined here?" in asked["Transformer"]
    assert "[…] power GPT" in asked["Transformer"]
    assert (
        "어떤 용어의 정의인가?" in asked["체이닝(chaining)"] and "[…]은 가독성을" in asked["체이닝(chaining)"]
    )
    assert "Deep learning terms › Terms" in asked["Dropout"]  # the context cue, as on the first card

    # Off again: the note type keeps its fields (no second merge); the reverse cards go blank.
    review_everything(col)
    reviewed = _cards(col)
    _blog(tmp_path, options="flashgen: {reverse: false}\n")
    out = _build(blog)
    assert "4 changed" in out and "Merge note types" not in out and "note types changed" not in out
    assert json.loads(state.read_text())["reverse"] is True
    log = _import(col, deck)
    assert not log.log.conflicting and len(log.log.updated) == DEFINITIONS
    assert set(col.find_notes("")) == notes
    assert _cards(col) == reviewed  # no card lost, each with its history
    empty = col.get_empty_cards()
    blank = {cid for report in empty.notes for cid in report.card_ids}
    assert blank == set(reverse)  # Anki's Check → Empty Cards deletes them, when the user wants

    # On again, from flashgen.toml this time: the same reverse cards ask again, with their history.
    _blog(tmp_path, config="reverse = true\n")
    out = _build(blog)
    assert "4 changed" in out and "Merge note types" not in out
    log = _import(col, deck)
    assert not log.log.conflicting and len(log.log.updated) == DEFINITIONS
    assert _cards(col) == reviewed
    assert not col.get_empty_cards().notes
    assert any("[…] power GPT" in _text(col.get_card(cid).question()) for cid in reverse)


def test_a_deck_without_reverse_cards_is_built_as_before(tmp_path: Path) -> None:
    """Reverse cards off (the default) or asked for by no note: the note types, the notes and the
    state file are what they were before reverse cards were made (the example deck, committed,
    is checked byte for byte by `flashgen build --check` too)."""
    from flashgen.write import anki

    blog = _blog(tmp_path, options="flashgen: {reverse: false}\n", config="reverse = true\n")
    _build(blog)
    state = json.loads((blog / "decks" / "D.state.json").read_text())
    assert "reverse" not in state
    assert (
        state["note_types"][str(anki.BASIC_MODEL_ID)]["hash"]
        == anki.note_type_hashes()[str(anki.BASIC_MODEL_ID)]
    )
    assert all(len(r["fields"]) == 5 and "reverse" not in r for r in state["notes"].values())


@pytest.mark.parametrize(
    ("fragment", "names", "expected"),
    [
        ("A <b>Transformer</b> is built on attention", ["Transformer"], "A <b>[…]</b> is built on attention"),
        ("MapReduce splits a job; Map runs first", ["Map"], "MapReduce splits a job; […] runs first"),
        ("Transformers power GPT", ["Transformer"], "[…] power GPT"),
        ('<a href="/transformer">see</a> transformer', ["transformer"], '<a href="/transformer">see</a> […]'),
        (r"\(Transformer(x)\) and Transformer", ["Transformer"], r"\(Transformer(x)\) and […]"),
        ("체이닝은 가독성을 높인다", ["체이닝"], "[…]은 가독성을 높인다"),
        ("R&amp;D costs", ["R&D"], "[…] costs"),
    ],
)
def test_the_term_is_hidden_in_text_only(fragment: str, names: list[str], expected: str) -> None:
    assert hide(fragment, names) == expected


def test_a_definition_too_short_to_name_one_term_gets_no_reverse_card(tmp_path: Path) -> None:
    from flashgen import api
    from flashgen.read.config import load

    blog = _blog(tmp_path, config="reverse = true\n")
    post = blog / "_posts" / "2024-01-01-terms.md"
    post.write_text(
        post.read_text(encoding="utf-8").replace(
            "- **Dropout**: a regulariser that zeroes random activations during training.",
            "- **Dropout**: a regulariser.\n- **Pandas**: Pandas itself, again: Pandas.",
        ),
        encoding="utf-8",
    )
    config = load(blog / "flashgen.toml")
    assert config.reverse
    notes = {n.term: n for n in api.build(list(config.sources), config=config).notes}
    assert notes["Dropout"].reverse == () and notes["Transformer"].reverse
    assert notes["Pandas"].reverse == ()  # "[…] itself, again: […].": nothing left to ask by


def test_front_matter_reverse_must_be_true_or_false(tmp_path: Path) -> None:
    blog = _blog(tmp_path, options="flashgen: {reverse: sometimes}\n")
    out = _build(blog)
    assert "should be true or false" in out and "2024-01-01-terms.md" in out
    assert "reverse" not in json.loads((blog / "decks" / "D.state.json").read_text())


def test_turning_reverse_cards_on_reads_no_post_again(tmp_path: Path) -> None:
    """Reverse cards are made from the notes the cache keeps: turning them on is not a change of
    the extraction settings that would make every post be read again."""
    from dataclasses import replace

    from flashgen import api
    from flashgen.read.config import Config

    blog = _blog(tmp_path)
    config = Config(cache=tmp_path / "cache")
    first = api.build([blog / "_posts"], config=config)
    assert first.cached == 0 and not any(n.reverse for n in first.notes)
    again = api.build([blog / "_posts"], config=replace(config, reverse=True))
    assert again.cached == 1
    assert sum(bool(n.reverse) for n in again.notes) == DEFINITIONS
