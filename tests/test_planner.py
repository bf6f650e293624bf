"""One build path: the planner looks at every post once against the deck's store and says which
are outdated (planner.py). An empty plan is answered from the last clean build, a small one is
carried out in place, and anything else reads every post; `-v` says which, and why."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from benchmarks.generate import generate
from flashgen import api
from flashgen.building import incremental, planner
from flashgen.cli import main
from flashgen.read import markdown
from flashgen.read.config import Config
from flashgen.read.sources import posts_to_read

OLD_NS = 1_600_000_000_000_000_000  # older than the racy window: an unchanged time means unchanged bytes


@pytest.fixture
def blog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    generate(tmp_path / "corpus", 12, seed=5)
    root = tmp_path / "blog"
    shutil.copytree(tmp_path / "corpus" / "_posts", root / "_posts")
    (root / "_config.yml").write_text("title: Plans\n", encoding="utf-8")
    for post in (root / "_posts").iterdir():
        os.utime(post, ns=(OLD_NS, OLD_NS))
    monkeypatch.chdir(root)
    return root


def _build(*args: str) -> dict:
    result = CliRunner().invoke(main, ["build", "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _edit(post: Path, ns: int = OLD_NS + 5) -> None:
    text = post.read_text(encoding="utf-8")
    post.write_text(text.replace("\n- ", "\n- (edited) ", 1), encoding="utf-8")
    os.utime(post, ns=(ns, ns))


def _config(blog: Path) -> Config:
    return Config(cache=blog / ".flashgen-cache", output=blog / "decks")


def _run(blog: Path) -> api.Report:
    report = api.run([blog / "_posts"], _config(blog), clock=lambda: 1_700_000_000)
    assert report.ok
    return report


def _plan(blog: Path) -> planner.Plan:
    return planner.plan(posts_to_read([blog / "_posts"]), _config(blog), "Plans", "")


def test_verbose_builds_say_how_much_was_read_and_why(blog: Path) -> None:
    assert _build("-v")["plan"] == "every post read: no record of the last build's rows"
    post = sorted((blog / "_posts").iterdir())[3]
    _edit(post)
    assert _build("-v")["plan"] == "in place: 1 post(s) changed, 0 gone, 11 as the last build left them"
    assert _build("-v", "--split", "post")["plan"] == (
        "every post read: the settings (or flashgen) changed since the last build"
    )
    assert "plan" not in _build()  # only -v says it
    shown = CliRunner().invoke(main, ["build", "-v"]).output
    assert "plan: no post changed since the last build" in shown


def test_an_edit_built_in_place_leaves_an_empty_plan(blog: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After one post is built in place, the store holds every post in its place: the next
    build finds nothing outdated and is answered without parsing or packing anything."""
    _run(blog)
    post = sorted((blog / "_posts").iterdir())[5]
    _edit(post)
    assert _run(blog).posts_unchanged == 11
    plan = _plan(blog)
    try:
        assert plan.empty and plan.whole is None and not plan.moved
    finally:
        plan.close()
    parses: list[str] = []
    real_parse = markdown.parse
    monkeypatch.setattr(markdown, "parse", lambda *a, **k: parses.append("x") or real_parse(*a, **k))
    applied: list[int] = []
    real_apply = incremental.apply
    monkeypatch.setattr(incremental, "apply", lambda *a, **k: applied.append(1) or real_apply(*a, **k))
    again = _run(blog)
    assert (parses, applied) == ([], []) and again.recalled and again.decks[0].up_to_date


def test_the_plan_names_the_changed_and_gone_posts_and_reads_no_other(
    blog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A file's change time is when the test wrote it, within the clock-tick window that makes a
    # post be read again whatever its stamp says: this test's posts are seen as older than that.
    monkeypatch.setattr(planner, "_RACY_NS", 0)
    _run(blog)
    posts = sorted((blog / "_posts").iterdir())
    _edit(posts[2])
    posts[7].unlink()
    os.utime(posts[9], ns=(OLD_NS + 9, OLD_NS + 9))  # a new time, the same bytes
    read: list[Path] = []
    real_read = planner.read_bytes
    monkeypatch.setattr(planner, "read_bytes", lambda path: read.append(path) or real_read(path))
    plan = _plan(blog)
    try:
        assert [plan.work[change.position][0] for change in plan.changed] == [posts[2]]
        assert plan.deleted == [str(posts[7])]
        assert list(plan.touched) == [str(posts[9])]
        assert sorted(read) == [posts[2], posts[9]]  # the others by their size and time alone
        assert not plan.empty and plan.whole is None
    finally:
        plan.close()


def test_a_plan_is_whole_when_the_store_cannot_vouch_for_the_deck(blog: Path) -> None:
    _run(blog)
    state = next((blog / "decks").glob("*.state.json"))
    state.write_text(state.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    plan = _plan(blog)
    try:
        assert plan.whole == f"{state.name} is not the one the last build wrote"
        assert plan.key(Config(), "", False) is None  # nothing to answer from
    finally:
        plan.close()


def test_a_plan_handed_to_the_whole_build_says_why(blog: Path) -> None:
    _build()
    posts = sorted((blog / "_posts").iterdir())
    copy = blog / "_posts" / "2030-01-01-copy.md"
    copy.write_text(posts[4].read_text(encoding="utf-8"), encoding="utf-8")  # its notes twin another's
    assert _build("-v")["plan"].startswith("every post read: a change reaches other posts")
    copy.unlink()
    _build()
    _edit(posts[2])
    checked = CliRunner().invoke(main, ["build", "--format", "json", "-v", "--check"])
    assert json.loads(checked.stdout)["plan"].startswith("every post read: --check")
