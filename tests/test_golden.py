"""Behaviour pinned by data: every golden file's post must give exactly its expected notes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.golden import POSTS, ROOT, expected_data, golden_files, render_cases, rendered


@pytest.mark.parametrize("golden", golden_files(), ids=lambda p: p.stem)
def test_post_gives_expected_notes(golden: Path) -> None:
    expected = json.loads(golden.read_text(encoding="utf-8"))
    assert {"source": expected["source"], **expected_data(ROOT / expected["source"])} == expected


def test_every_fixture_post_has_its_golden_file() -> None:
    posts = sorted(p.stem for p in POSTS.glob("*.md"))
    assert len(posts) >= 12
    assert posts == sorted(p.stem for p in POSTS.glob("*.json"))


@pytest.mark.parametrize("case", render_cases(), ids=lambda p: p.stem)
def test_construct_renders_as_expected(case: Path) -> None:
    assert rendered(case) == case.with_suffix(".html").read_text(encoding="utf-8")


def test_there_are_render_cases() -> None:
    assert len(render_cases()) >= 7
