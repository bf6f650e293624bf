from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "_posts"
DATA = Path(__file__).resolve().parent / "data"
POSTS = DATA / "posts"


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
