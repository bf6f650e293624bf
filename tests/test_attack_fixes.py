"""Issue 12: the holes an adversarial review found, each closed at its mechanism and tested
through `flashgen build` and a real Anki collection: a forged state file, deck names carrying
HTML, ids that clash with the reviewer's, two deck names that make one file name."""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from flashgen.cli import main
from flashgen.write import state
from tests.conftest import import_package
from tests.test_security import assert_inert

POST = "---\ntitle: P\n---\n## Kinds of storage\n\n- Lake\n- Warehouse\n"


def _blog(tmp_path: Path, posts: dict[str, str] | None = None) -> Path:
    blog = tmp_path / "blog"
    (blog / "_posts").mkdir(parents=True, exist_ok=True)
    (blog / "_config.yml").write_text("title: B\n", encoding="utf-8")
    for name, text in (posts or {"2024-01-01-p.md": POST}).items():
        (blog / "_posts" / name).write_text(text, encoding="utf-8")
    return blog


def _build(blog: Path, *args: str):
    old = Path.cwd()
    os.chdir(blog)
    try:
        return CliRunner().invoke(main, ["build", "--no-cache", *args])
    finally:
        os.chdir(old)


def test_a_forged_state_file_puts_no_live_html_into_the_deck(tmp_path: Path, collection) -> None:
    blog = _blog(tmp_path)
    assert _build(blog).exit_code == 0
    state_file = blog / "decks" / "B.state.json"
    data = json.loads(state_file.read_text(encoding="utf-8"))
    payload = '<img src=x onerror="alert(1)"><script>alert(2)</script><a href="javascript:alert(3)">x</a>'
    data["notes"]["forgedNote01"] = {
        "hash": "0" * 32,
        "mod": 1_700_000_000,
        "kind": "definition",
        "cloze": False,
        "fields": [payload, payload, payload, payload, payload],
        "tags": ["t"],
        "source": "gone.md",
        "line": 1,
    }
    state_file.write_text(json.dumps(data), encoding="utf-8")
    assert _build(blog).exit_code == 0  # the forged note is "removed" (its post is gone): shipped
    import_package(collection, blog / "decks" / "B.apkg")
    fields = [field for nid in collection.find_notes("") for field in collection.get_note(nid).fields]
    assert sum('<img src="x">' in field for field in fields) == 5  # the forged note, shipped cleaned
    for field in fields:
        assert_inert(field)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda r: r.update(mod=2**70), "a mod must be a whole number"),
        (lambda r: r.update(mod=True), "a mod must be a whole number"),
        (lambda r: r.update(cloze="yes"), "expected true or false"),
        (lambda r: r.update(kind="<script>"), "unknown note kind"),
        (lambda r: r.update(fields=["a", "b"]), "five fields"),
        (lambda r: r.update(tags=[1, 2]), "expected a tag"),
    ],
    ids=["huge-mod", "bool-mod", "string-flag", "kind", "fields", "tags"],
)
def test_a_state_file_with_wrong_types_or_ranges_is_an_error_naming_it(tmp_path: Path, change, words) -> None:
    blog = _blog(tmp_path)
    assert _build(blog).exit_code == 0
    state_file = blog / "decks" / "B.state.json"
    data = json.loads(state_file.read_text(encoding="utf-8"))
    change(next(iter(data["notes"].values())))
    state_file.write_text(json.dumps(data), encoding="utf-8")
    before = (blog / "decks" / "B.apkg").read_bytes()
    result = _build(blog)
    assert result.exit_code == 1
    where = Path("decks") / "B.state.json"
    assert f"{where}:1: the state file is damaged" in result.stderr and words in result.stderr  # its line
    assert (blog / "decks" / "B.apkg").read_bytes() == before  # nothing that existed is lost


def test_a_state_file_naming_one_note_twice_is_an_error(tmp_path: Path) -> None:
    blog = _blog(tmp_path)
    assert _build(blog).exit_code == 0
    state_file = blog / "decks" / "B.state.json"
    text = state_file.read_text(encoding="utf-8")
    guid, record = next(iter(json.loads(text)["notes"].items()))
    doubled = text.replace(f'"{guid}": ', f'"{guid}": {json.dumps(record)},\n  "{guid}": ', 1)
    state_file.write_text(doubled, encoding="utf-8")
    result = _build(blog)
    assert result.exit_code == 1 and "appears twice" in result.stderr
    with pytest.raises(Exception, match="appears twice"):
        state.load(state_file)


def test_deck_names_are_plain_text(tmp_path: Path, collection) -> None:
    posts = {
        "2024-01-01-p.md": POST,
        "2024-01-02-q.md": '---\ntitle: Q\ndeck: "<b onclick=alert(1)>Own</b>::<i>Sub</i>"\n---\n'
        "## Kinds of x\n\n- a\n- b\n",
    }
    blog = _blog(tmp_path, posts)
    result = _build(blog, "--deck", "<img src=x onerror=alert(1)>Study")
    assert result.exit_code == 0, result.output
    import_package(collection, blog / "decks" / "Study.apkg")
    names = {deck.name for deck in collection.decks.all_names_and_ids()}
    assert {"Study", "Own::Sub"} <= names
    assert not any("<" in name or ">" in name for name in names)


def test_a_cards_ids_cannot_clash_with_the_reviewers(tmp_path: Path) -> None:
    post = '---\ntitle: P\n---\n## Kinds of x\n\n- a <span id="qa">b</span>\n- c<sup id="answer">1</sup>\n'
    blog = _blog(tmp_path, {"2024-01-01-p.md": post})
    assert _build(blog).exit_code == 0
    data = json.loads((blog / "decks" / "B.state.json").read_text(encoding="utf-8"))
    html = " ".join(field for record in data["notes"].values() for field in record["fields"])
    assert 'id="answer"' not in html and 'id="qa"' not in html
    assert 'id="fg-answer"' in html


def test_two_deck_names_that_make_one_file_name_do_not_overwrite_each_other(tmp_path: Path) -> None:
    blog = _blog(tmp_path)
    assert _build(blog, "--deck", "Study ML").exit_code == 0
    package, state_file = blog / "decks" / "Study-ML.apkg", blog / "decks" / "Study-ML.state.json"
    before = (package.read_bytes(), state_file.read_bytes())
    result = _build(blog, "--deck", "Study/ML")
    assert result.exit_code == 1
    assert "holds the deck 'Study ML', and the deck 'Study/ML' has the same file name" in result.stderr
    assert (package.read_bytes(), state_file.read_bytes()) == before
    assert _build(blog, "--deck", "Study ML").exit_code == 0  # the deck itself still builds


def _build_list(tmp_path: Path, collection, items: list[str]) -> None:
    """Build a post whose one list holds `items`, and import its deck into `collection`."""
    body = "".join(f"- {item}\n" for item in items)
    blog = _blog(tmp_path, {"2024-01-01-p.md": f"---\ntitle: P\n---\n## Kinds of storage\n\n{body}"})
    assert _build(blog, "--deck", "D").exit_code == 0
    import_package(collection, blog / "decks" / "D.apkg")


def _cards_by_item(collection) -> dict[str, tuple[int, int, int]]:
    """Each cloze's text → (note id, reviews, interval) of the one card that asks for it."""
    out: dict[str, tuple[int, int, int]] = {}
    for card_id in collection.find_cards(""):
        card = collection.get_card(card_id)
        for number, text in re.findall(r"\{\{c(\d+)::(.*?)\}\}", collection.get_note(card.nid).fields[0]):
            if int(number) == card.ord + 1:
                assert text not in out, text  # one card per item
                out[text] = (card.nid, card.reps, card.ivl)
    return out


def _review_next(collection) -> None:
    """Answer the next card of deck D (Easy): it gets a review history."""
    from anki.scheduler.v3 import CardAnswer

    collection.decks.select(collection.decks.id("D"))
    config = collection.decks.config_dict_for_deck_id(collection.decks.id("D"))
    config["new"]["perDay"] = 100
    collection.decks.update_config(config)
    queued = collection.sched.get_queued_cards()
    card = collection.get_card(queued.cards[0].card.id)
    card.start_timer()
    answer = collection.sched.build_answer(card=card, states=queued.cards[0].states, rating=CardAnswer.EASY)
    collection.sched.answer_card(answer)


def test_reordering_a_lists_items_keeps_each_items_review_history(tmp_path: Path, collection) -> None:
    """Anki keeps a cloze's history on its number: after two items change places, each item's
    card must still be the one with its own history, and a new item gets a card of its own."""
    _build_list(tmp_path, collection, ["Lake", "Warehouse", "Lakehouse"])
    _review_next(collection)
    before = _cards_by_item(collection)
    (item,) = [text for text, (_, reps, _) in before.items() if reps]
    _build_list(tmp_path, collection, ["Lakehouse", "Warehouse", "Lake", "Mesh"])  # reordered, one more
    after = _cards_by_item(collection)
    assert after[item] == before[item]  # the reviewed item's card kept its history
    assert {text for text, (_, reps, _) in after.items() if reps} == {item}
    assert after["Mesh"][1:] == (0, 0) and len(after) == 4
    assert len(collection.find_notes("")) == 1


def test_a_list_growing_past_the_limit_keeps_every_items_card(tmp_path: Path, collection) -> None:
    """Seven items fit one note; an eighth splits the list in two parts. The items that the split
    would move to part 2 stay in the note that holds their history; only the new item goes on."""
    items = ["Lake", "Warehouse", "Lakehouse", "Mart", "Cube", "Stream", "Mesh"]
    _build_list(tmp_path, collection, items)
    for _ in items:  # review every card once
        _review_next(collection)
    before = _cards_by_item(collection)
    assert set(before) == set(items) and all(reps == 1 for _, reps, _ in before.values())
    _build_list(tmp_path, collection, [*items, "Vault"])
    after = _cards_by_item(collection)
    assert {text: after[text] for text in items} == before  # same note, same history, every item
    assert after["Vault"][1] == 0 and len(after) == 8
    assert not collection.find_cards("tag:flashgen::removed")


def test_a_relative_xdg_cache_home_does_not_put_the_signing_key_in_the_blog(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blog = _blog(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", "relative-cache")
    old = Path.cwd()
    os.chdir(blog)
    try:
        assert CliRunner().invoke(main, ["build"]).exit_code == 0
    finally:
        os.chdir(old)
    assert not (blog / "relative-cache").exists()
    assert (tmp_path / "home" / ".cache" / "flashgen" / "cache-key").is_file()


def test_a_planted_no_change_record_cannot_pass_check_on_a_stale_deck(tmp_path: Path) -> None:
    """The record of the last clean build holds only public inputs; planted in the cache folder
    with the digests of a stale deck, it must not make `--check` (or a build's report) trust it."""
    blog = _blog(tmp_path)
    post = blog / "_posts" / "2024-01-01-p.md"

    def run(*args: str):
        old = Path.cwd()
        os.chdir(blog)
        try:
            return CliRunner().invoke(main, ["build", *args])
        finally:
            os.chdir(old)

    assert run().exit_code == 0
    record_file = blog / ".flashgen-cache" / "last-build.json"
    signed = json.loads(record_file.read_text(encoding="utf-8"))
    record_v1 = json.loads(signed["record"]) if "record" in signed else signed  # signed, or as it was
    post.write_text(POST.replace("- Warehouse", "- Warehouse\n- Lakehouse"), encoding="utf-8")
    assert run().exit_code == 0  # the deck now has three items
    post.write_text(POST, encoding="utf-8")  # the post is back to two: the deck is stale
    deck, state_file = blog / "decks" / "B.apkg", blog / "decks" / "B.state.json"
    digest = {str(Path("decks") / "B.apkg"): hashlib.sha256(deck.read_bytes()).hexdigest()}
    digest[str(Path("decks") / "B.state.json")] = hashlib.sha256(state_file.read_bytes()).hexdigest()
    forged = {**record_v1, "files": digest}
    for planted in ({"mac": signed.get("mac"), "record": json.dumps(forged)}, forged):  # old mac, or none
        record_file.write_text(json.dumps(planted), encoding="utf-8")
        result = run("--check")
        assert result.exit_code == 1, result.output  # out of date, found the long way


def test_fixing_a_typo_in_a_question_keeps_the_note_and_its_history(tmp_path: Path, collection) -> None:
    def build(question: str) -> None:
        answer = "A: Consistency, availability and partition tolerance.\n"
        post = f"---\ntitle: P\n---\n## Systems\n\nQ: {question}\n{answer}"
        blog = _blog(tmp_path, {"2024-01-01-p.md": post})
        result = _build(blog, "--deck", "D")
        assert result.exit_code == 0, result.output
        import_package(collection, blog / "decks" / "D.apkg")

    build("What does CAP stnad for?")
    _review_next(collection)
    (note_id,) = collection.find_notes("")
    (card_id,) = collection.find_cards("")
    build("What does CAP stand for?")  # the typo fixed
    assert collection.find_notes("") == [note_id]  # updated in place, no second note
    note = collection.get_note(note_id)
    assert note.fields[0].startswith("What does CAP stand for?") and "flashgen::removed" not in note.tags
    assert collection.get_card(card_id).reps == 1  # its history stayed
    build("Which three guarantees can a distributed store not all give at once?")  # a new question
    assert len(collection.find_notes("")) == 2


def test_a_copied_post_is_a_warning_naming_the_first(tmp_path: Path) -> None:
    blog = _blog(
        tmp_path, {"2024-01-01-p.md": POST, "2024-02-02-copy.md": POST.replace("title: P", "title: C")}
    )
    result = _build(blog, "--format", "json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    (warning,) = [w for w in report["warnings"] if "asks and answers the same" in w["message"]]
    assert warning["path"].endswith("2024-02-02-copy.md") and "2024-01-01-p.md:" in warning["message"]
