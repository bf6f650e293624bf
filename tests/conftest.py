from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "_posts"
DATA = Path(__file__).resolve().parent / "data"
POSTS = DATA / "posts"


def extracted(path: Path, root: Path) -> object:
    """What the rules make of one post file: its notes, warnings and notices."""
    from flashgen.extract import extract_notes
    from flashgen.read.posts import read_post
    from flashgen.read.sections import split_sections

    post = read_post(path, root)
    return extract_notes(post, split_sections(post))


def notes_of_text(text: str, folder: Path, title: str = "Notes") -> tuple:
    """The notes of a post of `text` under front matter giving only `title`, written in `folder`."""
    path = folder / "2024-01-01-post.md"
    path.write_text(f'---\ntitle: "{title}"\n---\n{text}', encoding="utf-8")
    return extracted(path, folder).notes  # type: ignore[attr-defined, no-any-return]


@pytest.fixture
def collection(tmp_path: Path) -> Iterator[object]:
    """A fresh, real Anki collection (Anki's own engine, from the `anki` package)."""
    from anki.collection import Collection

    folder = tmp_path / "anki"
    folder.mkdir()
    col = Collection(str(folder / "collection.anki2"))
    try:
        yield col
    finally:
        col.close()


def import_package(col: object, package: Path) -> object:
    """Import an .apkg into `col` with Anki's default options; returns Anki's import log."""
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    request = ImportAnkiPackageRequest(
        package_path=os.fspath(package.resolve()), options=ImportAnkiPackageOptions()
    )
    log = col.import_anki_package(request)  # type: ignore[attr-defined]
    # The Python side caches note types; Anki's GUI reloads after an import, and so do we.
    col.models._clear_cache()  # type: ignore[attr-defined]
    return log


def review_everything(col, deck: str = "D") -> None:  # type: ignore[no-untyped-def]
    """Answer every card of `deck` Good, as a student would review it: each gets a review logged."""
    from anki.scheduler.v3 import CardAnswer

    col.decks.select(col.decks.id(deck))
    deck_config = col.decks.config_dict_for_deck_id(col.decks.id(deck))
    deck_config["new"]["perDay"] = 9999
    col.decks.update_config(deck_config)
    while queued := col.sched.get_queued_cards().cards:
        card = col.get_card(queued[0].card.id)
        card.start_timer()
        col.sched.answer_card(
            col.sched.build_answer(card=card, states=queued[0].states, rating=CardAnswer.GOOD)
        )


def package_notes(package: Path) -> list[tuple[str, str]]:
    """Each note's fields (joined by Anki's 0x1f) and tags in an .apkg, read from its collection
    with SQLite, without importing it (a test of what is shipped, byte for byte)."""
    with tempfile.TemporaryDirectory() as folder, zipfile.ZipFile(package) as archive:
        name = next(n for n in ("collection.anki21", "collection.anki2") if n in archive.namelist())
        database = Path(folder) / "collection.anki2"
        database.write_bytes(archive.read(name))
        connection = sqlite3.connect(database)
        try:
            return [(flds, tags) for flds, tags in connection.execute("SELECT flds, tags FROM notes")]
        finally:
            connection.close()


@pytest.fixture
def private_tmpdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point Python's temp folder at an empty folder, so a test can see what is left in it."""
    folder = tmp_path / "system-tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def write_deck(deck: object, folder: Path, clock: int = 1_700_000_000, **options: object) -> Path:
    """Plan and write a deck as `flashgen build` does; returns the .apkg's path."""
    from flashgen import api

    planned = api.plan(deck, folder, clock=clock, **options)  # type: ignore[arg-type]
    api.write(planned)
    return planned.path


@pytest.fixture(autouse=True)
def _in_a_fresh_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test runs in an empty folder: no flashgen.toml, cache or decks of this repository
    leak in (its pyproject.toml configures flashgen for its own example deck)."""
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)


@pytest.fixture(autouse=True)
def _own_cache_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test signs its caches with a key of its own, not the user's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def dump_dom(url: str, profile: Path, width: int | None = None) -> str:
    """The DOM of `url` after its scripts ran, from headless Chromium (with a fresh profile in
    `profile`, no background network, file URLs allowed to read files beside them)."""
    import subprocess

    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--allow-file-access-from-files",
        *([f"--window-size={width},900"] if width else []),
        "--virtual-time-budget=5000",
        "--dump-dom",
        url,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)  # type: ignore[arg-type]
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def result_json(dom: str, element_id: str) -> object:
    """The JSON a page's check script left in `<pre id=element_id>`, unescaped from the DOM."""
    import html
    import json

    start = dom.index(f'<pre id="{element_id}">') + len(f'<pre id="{element_id}">')
    return json.loads(html.unescape(dom[start : dom.index("</pre>", start)]))
