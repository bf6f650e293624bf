"""Where study notes live and which machines build them (issue 26): text as macOS writes it, a
number as an answer, the user cache folder and the output lock on every OS."""

from __future__ import annotations

import ast
import re
import threading
import time
import unicodedata
from dataclasses import replace
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


QUARTZ = ROOT / "tests" / "data" / "quartz"


def _fields(collection) -> list[str]:  # type: ignore[no-untyped-def]
    return [field for nid in collection.find_notes("") for field in collection.get_note(nid).fields]


def test_a_real_quartz_site_reads_as_plain_markdown(tmp_path: Path, collection) -> None:
    """Four pages of Quartz's own documentation site (MIT): wikilinks with aliases and anchors,
    image embeds with a width, nested callouts."""
    from flashgen.read.posts import find_posts, read_post
    from tests.conftest import import_package, write_deck

    content = QUARTZ / "content"
    embeds = 0
    for path in find_posts(content):
        source = path.read_text(encoding="utf-8")
        post = read_post(path, content)
        embeds += source.count("![[")
        outside_code = re.sub(r"```.*?```|`[^`\n]*`", "", post.body, flags=re.DOTALL)
        assert "[[" not in outside_code and "[!" not in outside_code, path
        for image in re.findall(r"!\[[^\]]*\]\(<([^>]+)>\)", post.body):
            assert (path.parent / image).is_file(), image  # found by name in the site's content
        assert post.warnings == (), post.warnings
    assert embeds == 5
    comments = read_post(content / "features" / "comments.md", content)
    assert "the GitHub repository you are using" in comments.body  # `[[…|GitHub]]` reads as its alias
    assert "**There are two additional layout fields" in read_post(content / "layout.md", content).body

    result = api.build([content], deck_name="Quartz", config=Config(cache=None))
    assert [p for p in result.problems if p.severity != "info"] == [] and result.notes
    import_package(collection, write_deck(result.decks[0], tmp_path / "decks"))
    assert not [f for f in _fields(collection) if "[[" in f or "![[" in f or "%%" in f]


def test_an_obsidian_vault_with_every_kind_of_embed_in_anki(tmp_path: Path, collection) -> None:
    from tests.conftest import import_package, write_deck
    from tests.test_media import PNG

    vault = tmp_path / "Vault"
    (vault / ".obsidian").mkdir(parents=True)
    (vault / ".obsidian" / "app.json").write_text('{"attachmentFolderPath": "Files"}', encoding="utf-8")
    (vault / "Files").mkdir()
    (vault / "Files" / "in attachments.png").write_bytes(PNG)
    (vault / "ml" / "deep").mkdir(parents=True)
    (vault / "ml" / "deep" / "far away.png").write_bytes(PNG + b"far")
    (vault / "ml" / "beside.png").write_bytes(PNG + b"beside")
    (vault / "ml" / "SVM.md").write_text(
        "#ml #exam/week3\n\n"
        "## Kinds of kernels\n\n"
        "- [[Linear kernel]]: no mapping ![[beside.png]]\n"
        "- [[RBF kernel|Gaussian]] kernel: a bump ![[in attachments.png|300]]\n"
        "- [[Polynomial kernel#Degree]]: powers ![[far away.png]]\n\n"
        "%% a comment\nacross lines, left out %%\n\n"
        "> [!tip] Remember\n> The margin is what is maximised. #margin\n\n"
        "![[Lecture notes]]\n",
        encoding="utf-8",
    )
    result = api.build([vault], config=Config(cache=None))
    assert [p for p in result.problems if p.severity != "info"] == []
    assert result.notes and all({"ml", "margin"} <= set(note.tags) for note in result.notes)
    assert any(tag.startswith("exam") for tag in result.notes[0].tags)
    import_package(collection, write_deck(result.decks[0], tmp_path / "decks"))
    fields = _fields(collection)
    text = " ".join(fields)
    assert "Linear kernel" in text and "Gaussian" in text and "Polynomial kernel › Degree" in text
    assert not [f for f in fields if "[[" in f or "%%" in f or "across lines" in f]
    media = {p.name for p in Path(collection.media.dir()).iterdir()}
    images = re.findall(r'<img[^>]*src="([^"]+)"', text)
    assert len(set(images)) == 3 and set(images) <= media  # each found its own way, and packed
    deck_names = {d.name for d in collection.decks.all_names_and_ids()}
    assert "Vault" in deck_names  # the vault's name is the deck's


def test_flashgen_build_in_a_vault_reads_the_vault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from flashgen.cli import main

    vault = tmp_path / "Notes"
    (vault / ".obsidian").mkdir(parents=True)
    (vault / "topic").mkdir()
    (vault / "topic" / "a.md").write_text("## Kinds of [[things]]\n\n- one\n- two\n", encoding="utf-8")
    monkeypatch.chdir(vault)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 0, result.output
    assert (vault / "decks" / "Notes.apkg").is_file()


def test_a_vault_without_its_obsidian_folder_is_read_so_when_the_configuration_says(tmp_path: Path) -> None:
    from flashgen.read import config as config_module
    from tests.test_media import PNG

    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "img.png").write_bytes(PNG)
    (notes / "a.md").write_text("## Kinds of [[rocks]]\n\n- igneous ![[img.png]]\n- sedimentary\n", "utf-8")
    (tmp_path / "flashgen.toml").write_text('sources = ["notes"]\nobsidian = true\n', encoding="utf-8")
    plain = api.build([notes], config=Config(cache=None))
    assert "[[" in plain.notes[0].front  # without the setting: text as it is (`#x` may be a heading)
    config = config_module.load(tmp_path / "flashgen.toml")
    assert config.obsidian
    vault = api.build(list(config.sources), config=replace(config, cache=None))
    assert "[[" not in vault.notes[0].front and "rocks" in vault.notes[0].front
    assert vault.notes[0].media  # the embedded image, packed


def test_a_term_whose_answer_looks_like_a_list_is_its_text(tmp_path: Path) -> None:
    """`term :: answer` renders its answer as a line (render.inline), as `A:` does."""
    notes = _notes(
        tmp_path, "---\ntitle: Ports\n---\n## Ports\n\nHTTPS port :: 443.\n\nCount :: # of users\n"
    )
    assert sorted(back for _, back in notes) == ["# of users", "443."]


def test_a_numbered_bold_label_names_its_term(tmp_path: Path) -> None:
    """ "**1. `__init__`**: …": the label's number is not part of the term (it was dropped by
    accident when a label rendered as an ordered list)."""
    post = (
        "---\ntitle: Lightning\n---\n## 구조\n\n"
        "- **1. <code>__init__</code>**: 기본적으로 Model을 정의하는 부분이다. 기존의 PyTorch와 동일하다.\n"
        "- **2. <code>forward(self)</code>**: 기존의 PyTorch와 동일한 forward역할을 한다.\n"
    )
    fronts = [front for front, _ in _notes(tmp_path, post)]
    assert len(fronts) == 2 and not any("1." in f or "2." in f for f in fronts)
