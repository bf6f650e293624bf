"""A new user's smaller stumbles (issue 23): a UTF-16 post, a very long site title, and a summary
that counted fewer notes than the deck holds after a post broke."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from flashgen.cli import main
from tests.conftest import package_notes

GOOD = (
    "---\ntitle: Good\ntags: [ml]\n---\n## Terms\n\n"
    "- Stack : last in, first out\n- Queue : first in, first out\n"
)
OTHER = (
    "---\ntitle: Other\n---\n## Sorts\n\n- Merge sort : divide, sort, merge\n- Heap sort : a heap, emptied\n"
)


def _build(*args: str) -> Result:
    return CliRunner().invoke(main, ["build", *args], catch_exceptions=False)


def _blog(title: str = "Blog") -> Path:
    root = Path.cwd()
    (root / "_config.yml").write_text(f"title: {title}\n", encoding="utf-8")
    (root / "_posts").mkdir()
    (root / "_posts" / "2024-01-01-good.md").write_text(GOOD, encoding="utf-8")
    return root


def _shipped(package: Path) -> tuple[int, int]:
    """(notes, notes tagged removed) in a package."""
    notes = package_notes(package)
    return len(notes), sum("flashgen::removed" in tags for _, tags in notes)


def test_a_utf16_post_is_named_as_such_with_what_to_do() -> None:
    root = _blog()
    for name, encoding in (("2024-01-02-notepad.md", "utf-16"), ("2024-01-03-bare.md", "utf-16-le")):
        (root / "_posts" / name).write_bytes(OTHER.replace("Other", "메모").encode(encoding))
    result = _build()
    assert result.exit_code == 1
    assert (
        "2024-01-02-notepad.md: the file is UTF-16 (little-endian), not UTF-8: save it as UTF-8"
        in result.output
    )
    assert "2024-01-03-bare.md: the file is UTF-16 (little-endian)" in result.output
    assert "binary" not in result.output
    assert _shipped(root / "decks" / "Blog.apkg") == (2, 0)  # the good post still built


def test_a_site_title_too_long_for_a_file_name_still_builds_again_and_again() -> None:
    title = "가" * 78  # 234 bytes: the deck's name fit, its state file's did not
    root = _blog(title)
    for _ in range(3):
        result = _build()
        assert result.exit_code == 0, result.output
    decks = sorted(path.name for path in (root / "decks").iterdir())
    assert len(decks) == 2 and decks[0].endswith(".apkg") and decks[1].endswith(".state.json")
    # Each is written as `.NAME.XXXXXXXX.tmp` first: that name too must fit in 255 bytes.
    assert all(len(f".{name}.XXXXXXXX.tmp".encode()) <= 255 for name in decks)
    assert _shipped(root / "decks" / decks[0]) == (2, 0)
    # A name that always fit keeps its file name.
    assert _build("--deck", "가" * 70, "-o", "other").exit_code == 0
    assert (root / "other" / f"{'가' * 70}.apkg").is_file()


def test_after_a_post_breaks_the_summary_counts_what_the_deck_holds() -> None:
    root = _blog()
    (root / "_posts" / "2024-01-02-other.md").write_text(OTHER, encoding="utf-8")
    assert _build().exit_code == 0
    (root / "_posts" / "2024-01-02-other.md").write_text("---\ntitle: [broken\n---\n", encoding="utf-8")
    result = _build()
    assert result.exit_code == 1
    assert "2 notes (2 definition), and 2 notes kept from the posts that failed" in result.output
    report = json.loads(_build("--format", "json").stdout)
    assert report["decks"][0]["notes"] == 4
    assert _shipped(root / "decks" / "Blog.apkg") == (4, 0)
