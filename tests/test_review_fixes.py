"""Bugs a review found, each pinned by the input that showed it."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from flashgen import api
from flashgen.cli import main
from flashgen.extract import Settings
from flashgen.read import config
from tests.conftest import import_package, write_deck
from tests.test_incremental import PNG
from tests.test_security import assert_inert


def _cli(cwd: Path, *args: str):
    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, list(args))
    finally:
        os.chdir(old)
    return result


def test_a_permalink_cannot_inject_html_into_the_source_field(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text("url: https://example.com\n", encoding="utf-8")
    posts = tmp_path / "_posts"
    posts.mkdir()
    (posts / "2024-01-01-x.md").write_text(
        '---\ntitle: X\npermalink: \'/x" onmouseover="alert(1)" data-x="\'\n---\n## Kinds of A\n\n- a\n- b\n',
        encoding="utf-8",
    )
    (note,) = api.build([posts]).notes
    assert_inert(note.source)
    assert note.source.startswith('<a href="https://example.com/x%22%20onmouseover=%22alert(1)%22')


class _Planted:
    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (os.system, ("touch PLANTED",))


def test_a_cache_file_that_came_with_the_blog_is_never_unpickled(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "_posts").mkdir()
    (tmp_path / "_posts" / "a.md").write_text("## Kinds of A\n\n- a\n- b\n", encoding="utf-8")
    (tmp_path / ".flashgen-cache").mkdir()
    planted = pickle.dumps(_Planted())
    (tmp_path / ".flashgen-cache" / "posts.pickle").write_bytes(bytes(32) + planted)
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "PLANTED").exists()
    # A cache this machine signed is used.
    again = CliRunner().invoke(main, ["build"])
    assert "(1 unchanged)" in again.stdout


def test_two_posts_with_one_name_keep_their_notes_apart(tmp_path: Path) -> None:
    for day in ("07", "14"):
        (tmp_path / f"2024-01-{day}-weekly-til.md").write_text("## What is a mutex?\n\nA lock.\n", "utf-8")
    result = api.build([tmp_path], deck_name="D")
    guids = [n.guid for n in result.notes]
    assert len(guids) == 2 and len(set(guids)) == 2
    (warning,) = [w for w in result.warnings if "also named 'weekly-til'" in w.message]
    assert warning.path.name == "2024-01-14-weekly-til.md" and "2024-01-07-weekly-til.md" in warning.message


def test_a_newer_post_with_the_same_name_does_not_change_the_older_ones_ids(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    older = tmp_path / "a" / "2024-01-07-til.md"
    older.write_text("## What is a mutex?\n\nA lock.\n", "utf-8")
    alone = {n.guid for n in api.build([tmp_path], deck_name="D").notes}
    newer = tmp_path / "b" / "2024-01-14-til.md"
    newer.write_text("## What is a semaphore?\n\nA counter.\n", "utf-8")
    both = api.build([tmp_path], deck_name="D").notes
    assert alone <= {n.guid for n in both} and len(both) == 2
    newer.write_text("---\ntitle: [broken\n---\n## What is a semaphore?\n\nA counter.\n", "utf-8")
    broken = api.build([tmp_path], deck_name="D")
    assert broken.errors and {n.guid for n in broken.notes} == alone  # the older keeps its ids


def test_changing_one_of_two_identical_images_is_seen(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "_config.yml").write_text("title: B\n", encoding="utf-8")
    (tmp_path / "assets").mkdir()
    for name in ("a", "b"):
        (tmp_path / "assets" / f"{name}.png").write_bytes(PNG)
    (tmp_path / "_posts").mkdir()
    (tmp_path / "_posts" / "p.md").write_text(
        "## Kinds of Pictures\n\n- One ![a](/assets/a.png)\n- Two ![b](/assets/b.png)\n", "utf-8"
    )
    assert CliRunner().invoke(main, ["build"]).exit_code == 0
    before = (tmp_path / "decks" / "B.apkg").read_bytes()
    (tmp_path / "assets" / "a.png").write_bytes(PNG[:-1] + b"\x00")  # same size, other content
    result = CliRunner().invoke(main, ["build"])
    assert "0 changed" not in result.stdout
    assert (tmp_path / "decks" / "B.apkg").read_bytes() != before


def test_an_image_that_appears_where_it_is_looked_for_first_is_seen(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "hugo.toml").write_text('title = "H"\n', encoding="utf-8")
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "img.png").write_bytes(PNG)
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "p.md").write_text(
        "## Kinds of Pictures\n\n- One ![d](/img.png)\n- Two\n", "utf-8"
    )
    for _ in range(2):
        assert CliRunner().invoke(main, ["build"]).exit_code == 0
    before = (tmp_path / "decks" / "H.apkg").read_bytes()
    (tmp_path / "img.png").write_bytes(PNG + b"at the root, looked for first")
    result = CliRunner().invoke(main, ["build"])
    assert "1 changed" in result.stdout and (tmp_path / "decks" / "H.apkg").read_bytes() != before


def test_a_build_without_a_home_folder_builds_without_a_cache(tmp_path: Path, monkeypatch) -> None:
    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    (tmp_path / "_posts").mkdir()
    (tmp_path / "_posts" / "a.md").write_text("## Kinds of A\n\n- a\n- b\n", encoding="utf-8")
    result = _cli(tmp_path, "build")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "decks").is_dir()


def test_a_failed_post_keeps_its_notes_in_their_subdeck(tmp_path: Path, collection) -> None:
    posts = tmp_path / "_posts"
    posts.mkdir()
    post = posts / "p.md"
    post.write_text("---\ncategories: [ML]\n---\n## Kinds of A\n\n- a\n- b\n", encoding="utf-8")
    cfg = config.Config(split="category", cache=None)
    write_deck(api.build([posts], deck_name="Blog", config=cfg).decks[0], tmp_path / "decks")
    post.write_text("---\ncategories: [ML\n---\n## Kinds of A\n\n- a\n- b\n", encoding="utf-8")
    result = api.build([posts], deck_name="Blog", config=cfg)
    assert result.errors
    # As `flashgen build` plans it: the failed post's notes are carried over, not removed.
    package = write_deck(
        result.decks[0], tmp_path / "decks", clock=1_800_000_000, failed_sources=result.failed_sources
    )
    import_package(collection, package)
    assert not collection.find_notes("tag:flashgen::removed")
    assert collection.find_cards('"deck:Blog::ML"') and not collection.find_cards(
        '"deck:Blog" -"deck:Blog::*"'
    )


def test_config_normalises_tag_prefix_and_language(tmp_path: Path) -> None:
    (tmp_path / "flashgen.toml").write_text('tag_prefix = "My Blog::"\nlang = "ko-KR"\n', "utf-8")
    (tmp_path / "_posts").mkdir()
    (tmp_path / "_posts" / "a.md").write_text("---\ntags: [ML]\n---\n## 용어\n\n- Stack : LIFO\n", "utf-8")
    result = _cli(tmp_path, "build", "--format", "json")
    assert result.exit_code == 0, result.output
    cfg = config.load(tmp_path / "flashgen.toml")
    (note,) = api.build([tmp_path / "_posts"], config=cfg).notes
    assert note.tags == ("My_Blog::ML",) and note.front == "Stack은(는) 무엇인가?"


def test_the_cache_key_does_not_depend_on_set_order() -> None:
    code = (
        "from flashgen.extract import Settings;"
        "print(repr(Settings(disabled=frozenset({'qa', 'terms', 'clozes', 'lists', 'papers'}))))"
    )
    seen = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2", "3", "4")
    }
    assert len(seen) == 1 and "['clozes', 'lists', 'papers', 'qa', 'terms']" in seen.pop()
    assert (
        repr(Settings())
        == "Settings(limits=Limits(max_answer_chars=600, max_enumeration=7, max_item_chars=120, "
        "max_image_px=1600, max_image_kb=200), disabled=[])"
    )


def test_the_removed_notes_reminder_is_printed_on_every_build(tmp_path: Path) -> None:
    (tmp_path / "_posts").mkdir()
    for name in ("a", "b"):
        (tmp_path / "_posts" / f"{name}.md").write_text(
            f"## Kinds of {name}\n\n- x{name}\n- y{name}\n", "utf-8"
        )
    assert _cli(tmp_path, "build").exit_code == 0
    (tmp_path / "_posts" / "b.md").unlink()
    assert "removed:" in _cli(tmp_path, "build").stdout
    for _ in range(2):
        assert "still tagged flashgen::removed" in _cli(tmp_path, "build").stdout


def test_init_with_a_broken_pyproject_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.x\n", encoding="utf-8")
    result = _cli(tmp_path, "init")
    assert result.exit_code == 2 and "pyproject.toml" in result.output and "Traceback" not in result.output
