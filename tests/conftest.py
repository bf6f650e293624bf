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
    return col.import_anki_package(request)  # type: ignore[attr-defined]


@pytest.fixture
def private_tmpdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point Python's temp folder at an empty folder, so a test can see what is left in it."""
    folder = tmp_path / "system-tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder
