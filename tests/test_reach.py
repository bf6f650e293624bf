"""Where study notes live and which machines build them (issue 26): text as macOS writes it, a
number as an answer, the user cache folder and the output lock on every OS."""

from __future__ import annotations

import ast
import threading
import time
import unicodedata
from pathlib import Path

import pytest

from flashgen import api, keys
from flashgen.read.config import Config
from flashgen.write.package import output_lock

ROOT = Path(__file__).resolve().parent.parent


def _notes(tmp_path: Path, text: str) -> list[tuple[str, str]]:
    posts = tmp_path / "_posts"
    posts.mkdir(exist_ok=True)
    (posts / "2024-01-01-note.md").write_text(text, encoding="utf-8")
    result = api.build([posts], config=Config(cache=None))
    from flashgen.read import render

    return [(render.text(n.front), render.text(n.back)) for n in result.notes]


def test_korean_written_decomposed_reads_as_it_is_typed(tmp_path: Path) -> None:
    """macOS writes Hangul decomposed (NFD); read as it is, "체이닝" matched none of the rules."""
    post = "---\ntitle: 메서드\n---\n## 용어\n\n**체이닝**은 여러 메서드를 잇는 기법이다.\n"
    decomposed = unicodedata.normalize("NFD", post)
    assert decomposed != post
    assert _notes(tmp_path, decomposed) == _notes(tmp_path, post)
    front, _ = _notes(tmp_path, decomposed)[0]
    assert "체이닝" in front and "(는)" not in front and unicodedata.is_normalized("NFC", front)


@pytest.mark.parametrize(
    ("answer", "shown"), [("443.", "443."), ("1984)", "1984)"), ("# of users", "# of users")]
)
def test_an_answer_that_looks_like_a_list_or_heading_is_its_text(
    tmp_path: Path, answer: str, shown: str
) -> None:
    notes = _notes(
        tmp_path, f"---\ntitle: Ports\n---\n## Ports\n\nQ: Which port does HTTPS use?\nA: {answer}\n"
    )
    assert [back for _, back in notes] == [shown]


def test_the_user_cache_folder_is_the_platforms(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert keys.user_folder() == tmp_path / "xdg" / "flashgen"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")  # invalid by the XDG spec: not the project's
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert keys.user_folder() == tmp_path / "home" / ".cache" / "flashgen"


def test_no_module_imports_a_unix_only_library() -> None:
    """fcntl (and pwd, termios) do not exist on Windows: the lock is filelock's."""
    unix_only = {"fcntl", "pwd", "grp", "termios", "resource"}
    for path in (ROOT / "flashgen").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            assert not unix_only & {name.split(".")[0] for name in names}, path


def test_a_second_build_into_the_same_folder_waits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    order: list[str] = []
    waited = threading.Event()

    def second() -> None:
        with output_lock(tmp_path / "decks", waited.set):
            order.append("second")

    with output_lock(tmp_path / "decks"):
        thread = threading.Thread(target=second)
        thread.start()
        assert waited.wait(10)  # it was told to wait
        time.sleep(0.1)
        order.append("first")
    thread.join(10)
    assert order == ["first", "second"]
    assert not list((tmp_path / "decks").glob("*lock*"))  # nothing in the output folder to commit


def test_split_folder_makes_a_subdeck_per_folder(tmp_path: Path, collection) -> None:
    from tests.conftest import import_package, write_deck

    notes = tmp_path / "notes"
    for folder in ("ml/svm", "ml", ""):
        (notes / folder).mkdir(parents=True, exist_ok=True)
        (notes / folder / f"{folder.replace('/', '-') or 'top'}.md").write_text(
            f"---\ntitle: {folder or 'top'}\n---\n## Kinds of {folder or 'top'} things\n\n- one\n- two\n",
            encoding="utf-8",
        )
    result = api.build([notes], deck_name="Notes", config=Config(cache=None, split="folder"))
    assert sorted(str(note.deck) for note in result.notes) == ["None", "Notes::ml", "Notes::ml::svm"]
    import_package(collection, write_deck(result.decks[0], tmp_path / "decks"))
    names = {deck.name for deck in collection.decks.all_names_and_ids()}
    assert {"Notes", "Notes::ml", "Notes::ml::svm"} <= names
