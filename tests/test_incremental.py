"""The per-post cache: a no-change rebuild parses no Markdown, a one-post edit re-reads that post
alone, and every build gives the same bytes as a clean one."""

from __future__ import annotations

import base64
import json
import os
import pty
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from benchmarks.generate import generate
from flashgen import api
from flashgen.building import incremental
from flashgen.cli import main
from flashgen.extract import Limits, Settings
from flashgen.read import config, markdown
from tests.conftest import POSTS, write_deck

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAAABJRU5ErkJggg=="
)


@pytest.fixture
def blog(tmp_path: Path) -> Path:
    blog = tmp_path / "blog"
    shutil.copytree(POSTS, blog / "_posts", ignore=shutil.ignore_patterns("*.json"))
    (blog / "_config.yml").write_text("title: Blog\n", encoding="utf-8")
    (blog / "assets").mkdir()
    (blog / "assets" / "fig.png").write_bytes(PNG)
    (blog / "_posts" / "2024-12-01-figure.md").write_text(
        "---\ntitle: Figure\n---\n## Kinds of Figure\n\n- One ![f](/assets/fig.png)\n- Two\n",
        encoding="utf-8",
    )
    return blog


class ParseCounter:
    """Counts the Markdown parses a build does (the real parser still runs)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        real = markdown.parse

        def counting(body: str, first_line: int = 1):  # type: ignore[no-untyped-def]
            self.count += 1
            return real(body, first_line)

        monkeypatch.setattr(markdown, "parse", counting)


def _bytes(result: api.BuildResult, folder: Path) -> bytes:
    return write_deck(result.decks[0], folder, clock=1_700_000_000).read_bytes()


def test_rebuilds_read_only_what_changed_and_match_a_clean_build(blog, tmp_path, monkeypatch) -> None:
    cached = config.Config(cache=tmp_path / "cache")
    clean = config.Config(cache=None)
    posts = len(list((blog / "_posts").glob("*.md")))
    parses = ParseCounter(monkeypatch)

    first = api.build([blog / "_posts"], config=cached)
    assert (first.cached, parses.count) == (0, posts)
    again = api.build([blog / "_posts"], config=cached)
    assert (again.cached, parses.count) == (posts, posts)  # nothing parsed the second time
    assert _bytes(again, tmp_path / "a") == _bytes(api.build([blog / "_posts"], config=clean), tmp_path / "b")

    edited = blog / "_posts" / "2024-04-10-os-lecture-3.md"
    edited.write_text(edited.read_text(encoding="utf-8").replace("Ready", "Ready to run"), encoding="utf-8")
    before = parses.count
    third = api.build([blog / "_posts"], config=cached)
    assert (third.cached, parses.count - before) == (posts - 1, 1)
    clean_third = api.build([blog / "_posts"], config=clean)
    assert _bytes(third, tmp_path / "c") == _bytes(clean_third, tmp_path / "d")
    assert third.problems == clean_third.problems


def test_an_image_changed_under_an_unchanged_post_is_picked_up(blog, tmp_path) -> None:
    cached = config.Config(cache=tmp_path / "cache")
    first = dict(api.build([blog / "_posts"], config=cached).decks[0].media)
    assert len(first) == 1
    (blog / "assets" / "fig.png").write_bytes(PNG + b"new")
    second = api.build([blog / "_posts"], config=cached)
    assert second.cached == len(list((blog / "_posts").glob("*.md")))
    assert set(dict(second.decks[0].media)) != set(first)


def test_settings_a_deleted_post_and_a_broken_cache_are_handled(blog, tmp_path, monkeypatch) -> None:
    folder = tmp_path / "cache"
    posts = len(list((blog / "_posts").glob("*.md")))
    api.build([blog / "_posts"], config=config.Config(cache=folder))
    stricter = config.Config(cache=folder, settings=Settings(limits=Limits(max_enumeration=3)))
    assert api.build([blog / "_posts"], config=stricter).cached == 0  # settings are part of the key

    (blog / "_posts" / "2024-12-01-figure.md").unlink()
    assert api.build([blog / "_posts"], config=stricter).cached == posts - 1
    (folder / "posts.pickle").write_bytes(b"not a pickle")
    parses = ParseCounter(monkeypatch)
    rebuilt = api.build([blog / "_posts"], config=stricter)
    assert rebuilt.cached == 0 and parses.count == posts - 1 and rebuilt.errors == ()


def test_the_cli_uses_the_cache_and_reports_it(blog, monkeypatch) -> None:
    monkeypatch.chdir(blog)
    runner = CliRunner()
    first = json.loads(runner.invoke(main, ["build", "--format", "json"]).stdout)
    second = json.loads(runner.invoke(main, ["build", "--format", "json"]).stdout)
    assert first["posts_unchanged"] == 0 and second["posts_unchanged"] == second["posts"] > 10
    assert (blog / ".flashgen-cache" / "posts.pickle").is_file()
    assert second["decks"][0]["up_to_date"] and second["ok"]
    uncached = json.loads(runner.invoke(main, ["build", "--format", "json", "--no-cache"]).stdout)
    assert uncached["posts_unchanged"] == 0 and uncached["decks"][0]["up_to_date"]


def _cli(*args: str):
    result = CliRunner().invoke(main, ["build", *args, "--format", "json"])
    return result.exit_code, json.loads(result.stdout)


def test_a_no_change_rebuild_answers_from_the_last_clean_build(blog, monkeypatch) -> None:
    monkeypatch.chdir(blog)
    code, first = _cli()
    assert code == 0 and first["warnings"] == [] and (blog / ".flashgen-cache" / "last-build.json").is_file()
    deck = blog / first["decks"][0]["path"]
    before = deck.read_bytes()

    parses = ParseCounter(monkeypatch)
    builds: list[int] = []  # builds not answered from the record (in place, or the whole way)
    real_build = incremental.apply
    monkeypatch.setattr(incremental, "apply", lambda *a, **k: builds.append(1) or real_build(*a, **k))
    code, again = _cli()
    assert code == 0 and (parses.count, builds) == (0, [])  # nothing read, nothing built
    assert again["notes"] == first["notes"] and again["posts_unchanged"] == again["posts"]
    assert again["decks"][0]["up_to_date"] and deck.read_bytes() == before
    code, checked = _cli("--check")
    assert code == 0 and builds == [] and checked["decks"][0]["written"] is False

    (blog / "assets" / "fig.png").write_bytes(PNG + b"changed")  # an image: the long way
    code, _ = _cli()
    assert code == 0 and builds == [1] and parses.count == 1  # its post read again, deck rebuilt
    assert deck.read_bytes() != before

    deck.write_bytes(b"damaged")  # the deck on disk is not what the record says: rebuilt
    code, _ = _cli()
    assert code == 0 and builds == [1, 1] and zipfile.is_zipfile(deck)

    # The output files are compared by size and time first, by digest only when those differ:
    # a deck touched (checked out again, copied back) but the same bytes still answers.
    code, _ = _cli()
    assert code == 0 and builds == [1, 1]  # answered from the record the last build left
    os.utime(deck, ns=(1, 1))
    code, _ = _cli()
    assert code == 0 and builds == [1, 1]
    data = bytearray(deck.read_bytes())
    data[-1] ^= 1  # the same size, other bytes, a new time: the long way
    deck.write_bytes(bytes(data))
    code, _ = _cli()
    assert code == 0 and builds == [1, 1, 1] and zipfile.is_zipfile(deck)


def test_a_build_with_warnings_is_not_recorded(blog, monkeypatch) -> None:
    monkeypatch.chdir(blog)
    (blog / "_posts" / "2024-12-02-missing.md").write_text(
        "## Kinds of M\n\n- a ![x](/assets/gone.png)\n- b\n", "utf-8"
    )
    code, report = _cli()
    assert code == 0 and report["warnings"]  # the missing image
    assert not (blog / ".flashgen-cache" / "last-build.json").exists()


def test_a_progress_bar_shows_on_a_terminal_and_not_in_a_log(tmp_path: Path) -> None:
    generate(tmp_path / "corpus", 60, seed=3)
    command = [sys.executable, "-m", "flashgen", "build", str(tmp_path / "corpus" / "_posts"), "--no-cache"]
    leader, follower = pty.openpty()  # a real terminal for stderr, as in an interactive shell
    done = subprocess.run(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=follower, check=True)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert b"Reading posts" in shown and b"100%" in shown
    assert b"Reading posts" not in done.stdout
    logged = subprocess.run(command, cwd=tmp_path, capture_output=True, check=True)
    assert b"Reading posts" not in logged.stderr  # not a terminal: no bar


def test_a_rebuild_where_nothing_changed_imports_no_parser_rules_or_genanki(tmp_path: Path) -> None:
    """Most of a no-change rebuild's time was Python importing what it then did not use: the
    parser, the rules, genanki, Pygments. Answered from the last build's record, it imports none."""
    blog = tmp_path / "blog"
    (blog / "_posts").mkdir(parents=True)
    (blog / "_posts" / "2024-01-01-a.md").write_text("## Kinds of x\n\n- alpha\n- beta\n", encoding="utf-8")
    (blog / "flashgen.toml").write_text('sources = ["_posts"]\n', encoding="utf-8")
    code = (
        "import sys\nfrom flashgen.cli import main\n"
        "try:\n    main(['build', '-q'])\nexcept SystemExit:\n    pass\n"
        "heavy = ('pyromark', 'genanki', 'pygments', 'nh3', 'PIL', 'flashgen.extract', "
        "'flashgen.read.render', 'flashgen.building.whole')\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] in heavy or name in heavy))\n"
    )
    first = subprocess.run([sys.executable, "-c", code], cwd=blog, capture_output=True, text=True, check=True)
    assert "genanki" in first.stdout  # the first build needs them all
    again = subprocess.run([sys.executable, "-c", code], cwd=blog, capture_output=True, text=True, check=True)
    assert again.stdout.strip() == "[]", again.stdout


def test_posts_are_hashed_again_only_when_their_size_or_time_changed(blog, monkeypatch) -> None:
    """The record keeps each post's size, time and digest; a post with the same size and time is
    not read again, unless it changed within a few seconds of the record's writing (two saves in
    one clock tick keep the time): then it is hashed, and an edit of the same length is seen."""
    monkeypatch.chdir(blog)
    post = next((blog / "_posts").iterdir())
    old = post.stat().st_mtime_ns - 3600 * 10**9
    os.utime(post, ns=(old, old))  # written an hour ago
    assert _cli()[0] == 0
    reads: list[Path] = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: reads.append(self) or real(self))
    code, again = _cli()
    assert code == 0 and again["posts_unchanged"] == again["posts"] and post not in reads

    text = post.read_text(encoding="utf-8")
    post.write_text(text.replace("a", "b", 1), encoding="utf-8")  # the same length, just now
    fresh = post.stat().st_mtime_ns
    code, edited = _cli()
    assert code == 0 and edited["posts_unchanged"] < edited["posts"]  # read again: it changed
    post.write_text(text.replace("a", "c", 1), encoding="utf-8")
    os.utime(post, ns=(fresh, fresh))  # the same size and time as the record says, seconds ago
    code, racy = _cli()
    assert code == 0 and racy["posts_unchanged"] < racy["posts"]  # hashed, so the edit is seen
