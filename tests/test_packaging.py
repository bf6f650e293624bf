"""The package as it ships: a wheel built from this checkout carries its licence."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_wheel_carries_the_mit_licence_it_declares(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), str(ROOT)]
    subprocess.run(command, check=True, capture_output=True, timeout=600)
    (wheel,) = tmp_path.glob("flashgen-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        assert "flashgen/code.css" in names  # the note type's code styles, shipped as data
        metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
        licence = next(n for n in names if n.endswith("/licenses/LICENSE"))
        assert archive.read(licence).decode().startswith("MIT License")
    assert "License-Expression: MIT" in metadata.splitlines()


def test_the_deck_does_not_change_with_the_installed_pygments(tmp_path: Path) -> None:
    """Another Pygments (here, its style sheets replaced at start-up, as a newer release might
    change them) must make the same deck: the note type's code styles ship as data."""
    import hashlib

    patch = tmp_path / "patch"
    patch.mkdir()
    (patch / "sitecustomize.py").write_text(
        "from pygments.formatters.html import HtmlFormatter\n"
        "HtmlFormatter.get_style_defs = lambda self, arg=None: '.x { color: #123456; }'\n",
        encoding="utf-8",
    )
    posts = ROOT / "examples" / "_posts"
    digests = []
    for extra in ({}, {"PYTHONPATH": str(patch)}):
        out = tmp_path / f"out{len(digests)}"
        env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", **extra}
        command = [sys.executable, "-m", "flashgen", "build", str(posts), "-o", str(out), "--no-cache", "-q"]
        subprocess.run(command, check=True, env=env, cwd=tmp_path)
        digests.append(hashlib.sha256((out / "examples.apkg").read_bytes()).hexdigest())
    assert digests[0] == digests[1]


def test_a_cache_made_with_other_library_versions_is_not_used(tmp_path: Path, monkeypatch) -> None:
    from flashgen import api
    from flashgen.config import Config

    config = Config(cache=tmp_path / "cache")
    posts = ROOT / "examples" / "_posts"
    api.build([posts], config=config)
    assert api.build([posts], config=config).cached == 1
    api._shaping_versions.cache_clear()
    monkeypatch.setattr(api, "_SHAPING", ("pip",))  # as if another library version were installed
    try:
        assert api.build([posts], config=config).cached == 0
    finally:
        api._shaping_versions.cache_clear()
