"""Extraction behaviour that golden files cannot show alone: the registry, settings, limits,
identities across edits, question uniqueness, `flashgen show`, and decks named by a post."""

from __future__ import annotations

import importlib
import json
import pkgutil
from pathlib import Path

from click.testing import CliRunner

from flashgen import api, extract
from flashgen.cli import main
from flashgen.extract import Limits, Settings, extract_notes
from flashgen.read import render
from flashgen.read.posts import read_post
from flashgen.read.sections import split_sections
from tests.conftest import POSTS, import_package, write_deck


def _notes(text: str, tmp_path: Path, settings: Settings | None = None, name: str = "post.md"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    post = read_post(path, tmp_path)
    return extract_notes(post, split_sections(post), settings)


def test_every_rule_module_is_in_the_registry_once_in_its_own_file() -> None:
    helpers = {"answers", "common", "quality", "reverse", "shapes", "subjects"}
    modules = {m.name for m in pkgutil.iter_modules(extract.__path__)} - helpers
    assert set(extract.RULE_NAMES) == modules
    assert len(extract.RULE_NAMES) == len(set(extract.RULE_NAMES))
    for name, rule in extract.RULES:
        assert rule is importlib.import_module(f"flashgen.extract.{name}").rule


def test_a_rule_switched_off_makes_no_notes_and_the_rest_still_run(tmp_path: Path) -> None:
    post = POSTS / "2024-07-01-explicit-cards.md"
    text = post.read_text(encoding="utf-8")
    every = {n.kind for n in _notes(text, tmp_path).notes}
    assert {"cloze", "qa", "term", "question", "list"} <= every
    without = {n.kind for n in _notes(text, tmp_path, Settings(disabled=frozenset({"clozes"}))).notes}
    assert without == every - {"cloze"}


def test_a_long_list_is_split_and_its_first_part_keeps_the_lists_identity(tmp_path: Path) -> None:
    items = "\n".join(f"- Point number {n}" for n in range(1, 16))
    seven = "\n".join(f"- Point number {n}" for n in range(1, 8))
    split = [n for n in _notes(f"## Design principles\n\n{items}\n", tmp_path).notes if n.kind == "list"]
    whole = [n for n in _notes(f"## Design principles\n\n{seven}\n", tmp_path).notes if n.kind == "list"]
    assert [n.front.count("{{c") for n in split] == [5, 5, 5]
    assert "(11–15 / 15)" in split[2].front and "{{c1::Point number 11}}" in split[2].front
    assert len(whole) == 1 and whole[0].front.count("{{c") == 7
    assert split[0].guid == whole[0].guid and len({n.guid for n in split}) == 3
    smaller = Settings(limits=Limits(max_enumeration=4))
    assert [
        n.front.count("{{c") for n in _notes(f"## Design principles\n\n{seven}\n", tmp_path, smaller).notes
    ] == [
        4,
        3,
    ]


def test_an_answer_over_the_limit_is_shortened_with_the_rest_in_extra_and_its_lists_still_count(
    tmp_path: Path,
) -> None:
    text = (
        "## Why is the sky blue?\n\n" + "Rayleigh scattering. " * 10 + "\n\n- Short waves\n- Scatter more\n"
    )
    found = _notes(text, tmp_path, Settings(limits=Limits(max_answer_chars=100)))
    assert [n.kind for n in found.notes] == ["question", "list"]
    question, listed = found.notes
    assert len(render.text(question.back)) <= 100 and "Rayleigh" in render.text(question.back)
    assert "Short waves" in render.text(question.extra)
    assert "Why is the sky blue?" in render.text(listed.front)
    ((line, message),) = found.notices
    assert line == 1 and "shortened" in message
    roomy = _notes(text, tmp_path)  # all of it fits the answer; its list is still asked point by point
    assert [n.kind for n in roomy.notes] == ["question", "list"]


def test_explicit_card_identity_survives_an_edited_answer(tmp_path: Path) -> None:
    before = _notes("## T\n\nQ: What is 2+2?\nA: 4\n\nThe {{c1::answer}} is here.\n", tmp_path).notes
    after = _notes("## T\n\nQ: What is 2+2?\nA: four\n\nThe {{c1::reply}} is here.\n", tmp_path).notes
    assert [n.guid for n in before] == [n.guid for n in after]
    assert after[0].back == "<p>four</p>"


def test_questions_in_a_deck_are_unique_and_say_which_one_is_meant(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# Networks\n\n## Layers\n\n- TCP : a protocol\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("# Music\n\n## Bands\n\n- TCP : a band\n", encoding="utf-8")
    (tmp_path / "c.md").write_text("# Other\n\n- UDP : a protocol\n", encoding="utf-8")
    notes = api.build([tmp_path], deck_name="D").notes
    questions = sorted(render.text(n.front) for n in notes)
    assert questions == ["What is TCP? (Bands)", "What is TCP? (Layers)", "What is UDP?"]


def test_show_prints_the_notes_as_a_table_and_as_json() -> None:
    runner = CliRunner()
    post = str(POSTS / "2024-07-02-자료구조-카드.md")
    as_json = runner.invoke(main, ["show", post, "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    data = json.loads(as_json.stdout)
    expected = api.build([Path(post)]).notes
    assert [(n["kind"], n["guid"]) for n in data["notes"]] == [(n.kind, n.guid) for n in expected]
    cloze = next(n for n in data["notes"] if n["kind"] == "cloze")
    assert (
        cloze["question"] == "로드 팩터가 커지면 […]으로 테이블 크기를 늘린다."
        and cloze["answer"] == "재해싱"
    )
    assert data["notes"][0]["line"] == 9 and data["notes"][0]["tags"] == ["자료구조", "알고리즘"]

    table = runner.invoke(main, ["show", post], env={"COLUMNS": "200"})
    assert table.exit_code == 0
    assert "해시 충돌을 해결하는 두 가지 방법은?" in table.stdout and "6 notes from 1 post" in table.stdout


def test_show_exits_1_when_a_post_fails(tmp_path: Path) -> None:
    (tmp_path / "bad.md").write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["show", str(tmp_path)])
    assert result.exit_code == 1 and "bad.md:2" in result.stderr


def test_a_post_can_name_its_deck_and_anki_files_its_cards_there(tmp_path: Path, collection) -> None:
    result = api.build(
        [POSTS / "2024-09-02-운영체제-덱.md", POSTS / "2024-07-02-자료구조-카드.md"], deck_name="Blog"
    )
    package = write_deck(result.decks[0], tmp_path / "decks")
    import_package(collection, package)
    by_deck = {
        name: len(collection.find_cards(f'"deck:{name}" -"deck:{name}::*"'))
        for name in ("Blog", "공부::운영체제")
    }
    assert by_deck == {"Blog": 7, "공부::운영체제": 4}  # 5 basic notes + a 2-item cloze; 4 items


def test_opted_out_posts_and_skipped_sections_make_no_notes(tmp_path: Path) -> None:
    assert _notes("---\nflashgen: false\n---\n## A\n\n- x\n- y\n", tmp_path).notes == ()
    found = _notes(
        "<!-- flashgen: skip -->\n## A\n\n- x\n- y\n\n### A.1\n\n- p\n- q\n\n## B types\n\n- u\n- v\n",
        tmp_path,
    )
    assert [render.text(n.context) for n in found.notes] == ["post › B types"]
