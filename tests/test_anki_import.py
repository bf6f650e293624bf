"""Decks imported into a real Anki collection with Anki's own engine."""

from __future__ import annotations

from pathlib import Path

from flashgen import api
from flashgen.write import anki as flashgen_anki
from tests.conftest import EXAMPLES, import_package, write_deck


def _build_example(folder: Path) -> Path:
    result = api.build([EXAMPLES], deck_name="Study::AIFFEL")
    assert result.errors == ()
    (deck,) = result.decks
    return write_deck(deck, folder)


def test_example_deck_imports_with_its_notes_cards_tags_and_deck(tmp_path: Path, collection) -> None:
    package = _build_example(tmp_path / "decks")
    assert package.name == "Study__AIFFEL.apkg"
    log = import_package(collection, package)
    assert len(log.log.new) == 19
    assert log.log.conflicting == [] and log.log.duplicate == []

    assert collection.note_count() == 19
    # 13 basic notes (one card each) + the clozes: 5 + 3 + 2 + 3 + 3 + 3.
    assert collection.card_count() == 13 + 19

    names = {m["name"]: [f["name"] for f in m["flds"]] for m in collection.models.all()}
    assert names["flashgen basic"] == ["Front", "Back", "Context", "Source", "Extra"]
    assert names["flashgen cloze"] == ["Text", "Context", "Source", "Extra"]

    assert collection.find_cards('"deck:Study::AIFFEL"')
    assert len(collection.find_cards('"deck:Study::AIFFEL"')) == 32
    assert sorted(collection.tags.all()) == ["MLOps", "anything"]
    for note_id in collection.find_notes(""):
        note = collection.get_note(note_id)
        assert sorted(note.tags) == ["MLOps", "anything"]

    # Every card renders a non-empty question and answer through Anki's own template engine.
    for card_id in collection.find_cards(""):
        card = collection.get_card(card_id)
        assert card.question().strip() and card.answer().strip()
    cloze_ids = collection.find_notes('"note:flashgen cloze"')
    assert len(cloze_ids) == 6


def test_importing_the_same_deck_again_adds_nothing(tmp_path: Path, collection) -> None:
    package = _build_example(tmp_path / "decks")
    import_package(collection, package)
    log = import_package(collection, package)
    assert len(log.log.new) == 0
    assert collection.note_count() == 19


def test_note_type_contract_never_changes() -> None:
    """Changing these makes Anki import a conflicting copy of the note type and stop updating
    users' notes. Add a new note type with a new id instead."""
    assert flashgen_anki.BASIC_MODEL_ID == 1_733_100_001
    assert flashgen_anki.CLOZE_MODEL_ID == 1_733_100_002
    assert flashgen_anki.BASIC_FIELDS == ("Front", "Back", "Context", "Source", "Extra")
    assert flashgen_anki.CLOZE_FIELDS == ("Text", "Context", "Source", "Extra")
    assert [f["name"] for f in flashgen_anki.BASIC_MODEL.fields] == list(flashgen_anki.BASIC_FIELDS)
    assert [f["name"] for f in flashgen_anki.CLOZE_MODEL.fields] == list(flashgen_anki.CLOZE_FIELDS)
