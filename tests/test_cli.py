from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from flashgen import api
from flashgen.cli import main
from flashgen.errors import OutputError
from flashgen.model import Deck
from tests.conftest import EXAMPLES, import_package, write_deck

GOOD = "---\ntitle: Good\ntags: [t]\n---\n## Types\n- alpha\n- beta\n"


def _run(*args: str, cwd: Path | None = None):
    runner = CliRunner()
    if cwd is None:
        return runner.invoke(main, list(args))
    old = Path.cwd()
    os.chdir(cwd)
    try:
        return runner.invoke(main, list(args))
    finally:
        os.chdir(old)


def test_build_example_posts(tmp_path: Path, private_tmpdir: Path) -> None:
    result = _run("build", str(EXAMPLES), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert (
        "1 post read, 19 notes (7 children, 5 definition, 1 list, 6 paper), 1 deck written " in result.stdout
    )
    assert "0 warnings, 0 errors" in result.stdout
    assert (tmp_path / "out" / "examples.apkg").is_file()
    # genanki's own writer leaves a SQLite file in the temp folder; ours leaves nothing.
    assert list(private_tmpdir.iterdir()) == []
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["examples.apkg", "examples.state.json"]


def test_default_source_is_posts_folder_and_deck_is_named_after_the_blog(tmp_path: Path) -> None:
    blog = tmp_path / "my-blog"
    (blog / "_posts").mkdir(parents=True)
    (blog / "_posts" / "2024-01-01-good.md").write_text(GOOD, encoding="utf-8")
    result = _run("build", cwd=blog)
    assert result.exit_code == 0, result.output
    assert (blog / "decks" / "my-blog.apkg").is_file()


def test_no_sources_and_no_posts_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = _run("build", cwd=tmp_path)
    assert result.exit_code == 2
    assert "no SOURCES given" in result.output


def test_bad_post_is_reported_and_the_others_still_build(tmp_path: Path, collection) -> None:
    posts = tmp_path / "posts"
    posts.mkdir()
    (posts / "good.md").write_text(GOOD, encoding="utf-8")
    (posts / "bad.md").write_text("---\ntitle: [oops\n---\n- a\n- b\n", encoding="utf-8")
    result = _run("build", str(posts), "-o", str(tmp_path / "out"), "--deck", "D")
    assert result.exit_code == 1
    assert f"error: {posts / 'bad.md'}:2: invalid YAML front matter" in result.stderr
    assert "Traceback" not in result.output
    assert "2 posts read, 1 note (1 list), 1 deck written" in result.stdout
    assert "1 error" in result.stdout
    log = import_package(collection, tmp_path / "out" / "D.apkg")
    assert len(log.log.new) == 1


def test_a_failed_write_leaves_the_previous_deck_untouched(tmp_path: Path, private_tmpdir: Path) -> None:
    out = tmp_path / "out"
    assert _run("build", str(EXAMPLES), "-o", str(out), "--deck", "D").exit_code == 0
    before = (out / "D.apkg").read_bytes()
    (deck,) = api.build([EXAMPLES], deck_name="D").decks
    broken = Deck(deck.name, deck.notes, media=(("fg-x.png", tmp_path / "missing.png"),))
    with pytest.raises(OutputError) as caught:
        write_deck(broken, out)
    assert "D.apkg" in str(caught.value) and "missing.png" in str(caught.value)
    assert (out / "D.apkg").read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["D.apkg", "D.state.json"]
    assert list(private_tmpdir.iterdir()) == []


def test_unwritable_output_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = _run("build", str(EXAMPLES), "-o", str(blocker / "decks"))
    assert result.exit_code == 1
    assert "cannot write the deck" in result.stderr
    assert "Traceback" not in result.output


def test_every_option_is_documented_with_an_example() -> None:
    for name, command in main.commands.items():  # type: ignore[attr-defined]
        assert command.help and "Example" in command.help, name
        for param in command.params:
            if isinstance(param, click.Option) and param.name != "help":
                assert param.help and "e.g." in param.help, (name, param.name)


def test_python_dash_m_and_help() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "flashgen", "build", "--help"], capture_output=True, text=True
    )
    assert done.returncode == 0
    assert "--output" in done.stdout and "--deck" in done.stdout


def test_a_configured_source_that_does_not_exist_is_a_usage_error(tmp_path: Path) -> None:
    """`sources = ["_post"]` (a typo for `_posts`) must not build an empty deck and exit 0."""
    blog = tmp_path / "blog"
    (blog / "_posts").mkdir(parents=True)
    (blog / "_posts" / "2024-01-01-good.md").write_text(GOOD, encoding="utf-8")
    (blog / "flashgen.toml").write_text('sources = ["_post"]\n', encoding="utf-8")
    result = _run("build", cwd=blog)
    assert result.exit_code == 2
    assert "no such source folder or file:" in result.output and "_post" in result.output
    assert not (blog / "decks").exists()


def test_quiet_and_verbose_together_are_refused(tmp_path: Path) -> None:
    result = _run("build", str(EXAMPLES), "-o", str(tmp_path / "out"), "-q", "-v")
    assert result.exit_code == 2 and "-q/--quiet and -v/--verbose" in result.output


@pytest.mark.parametrize("cron", ["not a cron", "61 * * * *", "0 0 * * 8", "* * * *", "0 0 */0 * *"])
def test_init_refuses_a_schedule_github_would_not_run(tmp_path: Path, cron: str) -> None:
    (tmp_path / "_posts").mkdir()
    result = _run("init", "--cron", cron, cwd=tmp_path)
    assert result.exit_code == 2 and "--cron" in result.output
    assert not (tmp_path / ".github").exists()
    assert _run("init", "--cron", "0 6 * * mon-fri", cwd=tmp_path).exit_code == 0


def test_build_from_inside_the_posts_folder_uses_the_blogs_configuration(tmp_path: Path) -> None:
    blog = tmp_path / "blog"
    (blog / ".git").mkdir(parents=True)
    (blog / "_posts" / "2024").mkdir(parents=True)
    (blog / "_posts" / "2024" / "2024-01-01-good.md").write_text(GOOD, encoding="utf-8")
    (blog / "flashgen.toml").write_text('deck = "Mine"\n', encoding="utf-8")
    result = _run("build", cwd=blog / "_posts" / "2024")
    assert result.exit_code == 0, result.output
    assert (blog / "decks" / "Mine.apkg").is_file() and not (blog / "_posts" / "2024" / "decks").exists()
    # Above the repository's root, a configuration is not this blog's.
    (blog / "flashgen.toml").unlink()
    (tmp_path / "flashgen.toml").write_text('deck = "Other"\n', encoding="utf-8")
    result = _run("build", cwd=blog)
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "decks").exists() and (blog / "decks" / "blog.apkg").is_file()


def test_show_without_paths_reads_the_builds_sources(tmp_path: Path) -> None:
    blog = tmp_path / "blog"
    (blog / "notes").mkdir(parents=True)
    (blog / "notes" / "2024-01-01-good.md").write_text(GOOD, encoding="utf-8")
    (blog / "flashgen.toml").write_text('sources = ["notes"]\n', encoding="utf-8")
    result = _run("show", cwd=blog)
    assert result.exit_code == 0, result.output
    assert "1 note from 1 post" in result.output


def test_check_lists_the_notes_a_build_would_change(tmp_path: Path) -> None:
    blog = tmp_path / "blog"
    (blog / "_posts").mkdir(parents=True)
    post = blog / "_posts" / "2024-01-01-good.md"
    post.write_text(GOOD + "\nQ: What is a lake?\nA: A raw store.\n", encoding="utf-8")
    assert _run("build", cwd=blog).exit_code == 0
    post.write_text(GOOD.replace("beta", "gamma") + "\nQ: What is a mart?\nA: A small warehouse.\n", "utf-8")
    result = _run("build", "--check", "--no-cache", cwd=blog)
    assert result.exit_code == 1  # out of date
    lines = result.output.splitlines()
    assert any(re.match(r"  changed: \S{12} Types .*gamma.* \(2024-01-01-good\.md:\d+\)", ln) for ln in lines)
    assert any(re.match(r"  new: \S{12} What is a mart\? \(2024-01-01-good\.md:\d+\)", ln) for ln in lines)
    assert any(re.match(r"  removed: \S{12} What is a lake\?", ln) for ln in lines)
