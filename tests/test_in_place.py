"""A rebuild after a few posts changed updates the deck in place (incremental.py): it reads only
those posts, and its deck, state file and report are exactly what a whole build from the same
state gives. Where a change reaches other posts, the build goes the whole way instead."""

from __future__ import annotations

import base64
import os
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from benchmarks.generate import generate
from flashgen import api
from flashgen.building import incremental, whole
from flashgen.read.config import Config

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAAABJRU5ErkJggg=="
)
PNG2 = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR42mP4z8AAAAMBAQAY3Y2wAAAAAElFTkSuQmCC"
)


class Blog:
    """A blog built twice over at every step: in place (with a cache) into `fast/`, and the whole
    way (no cache) into `whole/`, which starts each step from the files `fast/` holds."""

    def __init__(self, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.root = root
        self.posts = root / "_posts"
        generate(root / "corpus", 24, seed=7)
        shutil.copytree(root / "corpus" / "_posts", self.posts)
        (root / "_config.yml").write_text("title: Blog\n", encoding="utf-8")
        (root / "assets").mkdir()
        (root / "assets" / "fig.png").write_bytes(PNG)
        self.write(
            "2024-12-01-figure.md",
            "---\ntitle: Figure\ntags: [vision]\n---\n## Kinds of Figure\n\n- One ![f](/assets/fig.png)\n- Two\n",  # noqa: E501
        )
        self.clock = 1_700_000_000
        self.whole_builds = 0
        real = whole.build

        def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
            self.whole_builds += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(whole, "build", counted)

    def write(self, name: str, text: str) -> Path:
        path = self.posts / name
        path.write_text(text, encoding="utf-8")
        # Older than the racy window, so that an unchanged time means unchanged bytes.
        os.utime(path, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000 + len(text)))
        return path

    def edit(self, name: str, change: Callable[[str], str]) -> None:
        path = self.posts / name
        self.write(name, change(path.read_text(encoding="utf-8")))

    def names(self) -> list[str]:
        return sorted(p.name for p in self.posts.iterdir())

    def step(self) -> tuple[api.Report, api.Report]:
        """Build both ways; the decks, state files and reports must be the same."""
        self.clock += 100
        fast_out, whole_out = self.root / "fast", self.root / "whole"
        shutil.rmtree(whole_out, ignore_errors=True)
        if fast_out.exists():
            shutil.copytree(fast_out, whole_out)
        fast = api.run(
            [self.posts],
            Config(output=fast_out, cache=self.root / "cache"),
            clock=lambda: self.clock,
            verbose=False,
        )
        whole = api.run([self.posts], Config(output=whole_out, cache=None), clock=lambda: self.clock)
        for name in ("Blog.apkg", "Blog.state.json"):
            assert (fast_out / name).read_bytes() == (whole_out / name).read_bytes(), name
        assert _comparable(fast) == _comparable(whole)
        return fast, whole


def _comparable(report: api.Report) -> object:
    data = report.to_json()
    for deck in data["decks"]:
        deck.pop("path")
        deck.pop("state")
    data.pop("posts_unchanged")
    return data, report.decks[0].changes


@pytest.fixture
def blog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Blog:
    blog = Blog(tmp_path, monkeypatch)
    blog.step()  # the first build: the whole way, which fills the store
    return blog


def _in_place(blog: Blog, report: api.Report, read: int) -> None:
    """The fast build went in place (no whole build besides the one compared with), reading
    `read` posts."""
    assert blog.whole_builds == 1
    assert report.posts - report.posts_unchanged == read
    blog.whole_builds = 0


def _whole_way(blog: Blog) -> None:
    assert blog.whole_builds == 2
    blog.whole_builds = 0


def test_edits_additions_and_deletions_are_made_in_place(blog: Blog) -> None:
    blog.whole_builds = 0
    names = blog.names()
    blog.edit(names[3], lambda text: text.replace("The main points are:", "The points, edited, are:", 1))
    fast, _ = blog.step()
    _in_place(blog, fast, 1)
    assert fast.decks[0].changes.changed

    # A list that grows keeps its items in their parts; a cloze list renumbered keeps its numbers.
    first = "The main points are:\n\n- "
    blog.edit(names[5], lambda text: text.replace(first, first + "A new first point, on graphs\n- ", 1))
    fast, _ = blog.step()
    _in_place(blog, fast, 1)

    (blog.posts / names[7]).unlink()
    fast, _ = blog.step()
    _in_place(blog, fast, 0)
    assert fast.decks[0].changes.removed

    blog.write("2025-01-01-new.md", "---\ntitle: New\ntags: [new]\n---\n## Attention?\n\nA mechanism.\n")
    fast, _ = blog.step()
    _in_place(blog, fast, 1)
    assert fast.decks[0].changes.new

    # Nothing changed but a post's time: nothing is read again but that post, nothing changes.
    os.utime(blog.posts / names[9], ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_001))
    fast, _ = blog.step()
    _in_place(blog, fast, 0)
    assert not fast.decks[0].changes.any


def test_a_changed_image_is_packed_again(blog: Blog) -> None:
    blog.whole_builds = 0
    (blog.root / "assets" / "fig.png").write_bytes(PNG2)
    fast, _ = blog.step()
    _in_place(blog, fast, 1)
    assert [note.kind for note in fast.decks[0].changes.changed]


def test_changes_that_reach_other_posts_go_the_whole_way(blog: Blog) -> None:
    blog.whole_builds = 0
    names = blog.names()
    # The same question as another post's: both get their context added.
    blog.write(names[0].replace(".md", "-copy.md"), (blog.posts / names[0]).read_text(encoding="utf-8"))
    blog.step()
    _whole_way(blog)
    # The copy changed again: its notes are still alike the first's (a warning about the other).
    blog.edit(names[0].replace(".md", "-copy.md"), lambda text: text + "\nMore prose.\n")
    blog.step()
    _whole_way(blog)
    (blog.posts / names[0].replace(".md", "-copy.md")).unlink()
    blog.step()
    _whole_way(blog)
    # Only a question alike (the answers differ): both get their context added, the other
    # post's note changes too.
    heading = next(
        line for line in (blog.posts / names[0]).read_text().splitlines() if line.startswith("## Why")
    )
    blog.write("2025-02-01-same-question.md", f"---\ntitle: Other\n---\n{heading}\n\nAnother answer here.\n")
    fast, _ = blog.step()
    _whole_way(blog)
    assert len(fast.decks[0].changes.changed) == 1 and len(fast.decks[0].changes.new) == 1
    (blog.posts / "2025-02-01-same-question.md").unlink()
    blog.step()
    _whole_way(blog)
    # Back to one post each: in place again.
    blog.edit(names[2], lambda text: text.replace("The main points are:", "The points are:", 1))
    fast, _ = blog.step()
    _in_place(blog, fast, 1)


def test_a_broken_post_goes_the_whole_way_and_keeps_its_notes(blog: Blog) -> None:
    blog.whole_builds = 0
    name = blog.names()[4]
    good = (blog.posts / name).read_text(encoding="utf-8")
    blog.write(name, "---\ntitle: [unclosed\n---\nbody\n")
    fast, _ = blog.step()
    _whole_way(blog)
    assert fast.errors
    blog.write(name, good)
    blog.step()
    blog.edit(blog.names()[6], lambda text: text.replace("The main points are:", "Points:", 1))
    blog.step()
    blog.whole_builds = 0
    blog.edit(blog.names()[6], lambda text: text.replace("Points:", "The points:", 1))
    fast, _ = blog.step()
    _in_place(blog, fast, 1)


def test_a_state_file_not_the_stores_goes_the_whole_way(blog: Blog) -> None:
    """A state file restored from version control (or edited) is not the one the store matches."""
    blog.whole_builds = 0
    names = blog.names()
    state = blog.root / "fast" / "Blog.state.json"
    before = state.read_bytes()
    blog.edit(names[1], lambda text: text.replace("The main points are:", "Points:", 1))
    _in_place(blog, blog.step()[0], 1)
    state.write_bytes(before)
    blog.edit(names[2], lambda text: text.replace("The main points are:", "Points:", 1))
    blog.step()
    _whole_way(blog)


def test_a_store_left_by_a_stopped_build_is_not_used(blog: Blog, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build stopped after it changed the store's rows but before it wrote the state file."""
    blog.whole_builds = 0
    names = blog.names()
    blog.edit(names[1], lambda text: text.replace("The main points are:", "Points:", 1))

    def stopped(*args: object) -> None:
        raise KeyboardInterrupt

    real_write = incremental.write
    monkeypatch.setattr(incremental, "write", stopped)
    with pytest.raises(KeyboardInterrupt):
        api.run([blog.posts], Config(output=blog.root / "fast", cache=blog.root / "cache"), clock=lambda: 1)
    monkeypatch.setattr(incremental, "write", real_write)
    assert not list((blog.root / "fast").glob(".*.tmp"))  # the state file begun is gone
    blog.whole_builds = 0
    blog.step()
    _whole_way(blog)


def test_the_store_is_kept_outside_the_project(blog: Blog) -> None:
    """Its rows go into the deck as they are: a store that came with a repository (a cache folder
    committed, or planted) is never the one read. It is kept beside the key that signs caches."""
    stores = list((blog.root / "xdg-cache" / "flashgen" / "decks").glob("*.sqlite"))
    assert len(stores) == 1
    project = [blog.root / "cache", blog.root / "fast", blog.posts]
    assert not [path for folder in project for path in folder.rglob("*.sqlite")]


def test_subdecks_and_new_images_are_made_in_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With a subdeck per category and a post of its own deck, a post edited and a post added
    with a picture are made in place, into the same package a whole build makes."""
    blog = Blog(tmp_path, monkeypatch)
    (blog.root / "_config.yml").write_text("title: Blog\n", encoding="utf-8")
    split = {"split": "category", "tag_prefix": "blog::"}
    real_run = api.run

    def configured(sources, config, **options):  # type: ignore[no-untyped-def]
        return real_run(sources, replace(config, **split), **options)

    monkeypatch.setattr(api, "run", configured)
    blog.write(
        "2024-11-01-own.md", "---\ntitle: Own\ndeck: Elsewhere\n---\n## Attention?\n\nIt weighs tokens.\n"
    )
    blog.step()
    blog.whole_builds = 0
    blog.edit("2024-11-01-own.md", lambda text: text.replace("weighs tokens", "weighs the tokens"))
    fast, _ = blog.step()
    _in_place(blog, fast, 1)
    (blog.root / "assets" / "new.png").write_bytes(PNG2)
    blog.write(
        "2025-03-01-pictured.md",
        "---\ntitle: P\ncategories: [vision]\n---\n## Parts\n\n- A ![a](/assets/new.png)\n- B\n",
    )
    fast, _ = blog.step()
    _in_place(blog, fast, 1)
    assert fast.decks[0].largest_media is not None


def test_stores_of_decks_not_built_for_months_are_removed(blog: Blog) -> None:
    folder = blog.root / "xdg-cache" / "flashgen" / "decks"
    old, recent = folder / "Gone-0123.sqlite", folder / "Other-4567.sqlite"
    for path in (old, recent, folder / "Gone-0123.sqlite-wal"):
        path.write_bytes(b"")
    long_ago = 1_600_000_000
    os.utime(old, (long_ago, long_ago))
    os.utime(folder / "Gone-0123.sqlite-wal", (long_ago, long_ago))
    blog.edit(blog.names()[0], lambda text: text.replace("The main points are:", "Points:", 1))
    shutil.rmtree(blog.root / "fast")  # the whole way, which keeps the store and prunes the others
    blog.step()
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith("Blog-")) == ["Other-4567.sqlite"]
    assert [p for p in folder.iterdir() if p.name.startswith("Blog-") and p.suffix == ".sqlite"]


def test_a_post_changed_in_the_tick_it_was_read_is_read_again(blog: Blog) -> None:
    """A post whose time is within a few seconds of when the last build began may have changed
    after that build read it without its time changing (a coarse clock): it is read again."""
    path = blog.posts / blog.names()[3]
    text = path.read_text(encoding="utf-8").replace("The main points are:", "The points, A, are:", 1)
    path.write_text(text, encoding="utf-8")
    blog.step()  # in place: the post's time, now, is within the window of this build's start
    same_size = text.replace("The points, A, are:", "The points, B, are:", 1)
    assert len(same_size) == len(text)
    stat = path.stat()
    path.write_text(same_size, encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # as if in the same tick
    blog.whole_builds = 0
    fast, _ = blog.step()
    _in_place(blog, fast, 1)
    assert fast.decks[0].changes.changed


def test_a_tree_that_repeats_its_folders_stays_as_it_is(blog: Blog) -> None:
    """Two nested lists alike in one section (a folder and its copy) are two notes holding the
    same items: a rebuild after an edit elsewhere leaves them as they are, whole or in place."""
    blog.write(
        "2024-10-01-tree.md",
        "---\ntitle: Tree\n---\n## Folders\n\nThe tree looks like this:\n\n"
        "- project/\n  - src/\n  - main.py\n- project_copy/\n  - project/\n    - src/\n    - main.py\n",
    )
    blog.step()
    blog.whole_builds = 0
    blog.edit(blog.names()[2], lambda text: text.replace("The main points are:", "Points:", 1))
    fast, whole = blog.step()
    _in_place(blog, fast, 1)
    changes = whole.decks[0].changes
    touched = {note.origin for note in (*changes.new, *changes.changed, *changes.removed)}
    assert touched == {blog.names()[2]}


def test_a_deck_that_cannot_be_written_in_place_is_reported(
    blog: Blog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk while the deck is written in place: the deck's error in the report, as a whole
    build gives it, no temporary file left, and the next build goes the whole way."""
    from flashgen.write import anki

    def full(path: Path, data: bytes) -> None:
        raise OSError(28, "No space left on device")

    blog.edit(blog.names()[1], lambda text: text.replace("The main points are:", "Points:", 1))
    real = anki.write_atomically
    monkeypatch.setattr(anki, "write_atomically", full)
    report = api.run(
        [blog.posts], Config(output=blog.root / "fast", cache=blog.root / "cache"), clock=lambda: 1
    )
    monkeypatch.setattr(anki, "write_atomically", real)
    assert report.write_errors == 1 and "No space left" in str(report.decks[0].error)
    assert not report.ok and report.notes and report.kinds
    assert not list((blog.root / "fast").glob(".*.tmp"))
    blog.whole_builds = 0
    blog.step()
    _whole_way(blog)


def test_a_user_cache_folder_that_cannot_be_written_only_costs_speed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store (and the cache's key) cannot be kept: the deck is still built, the whole way."""
    (tmp_path / "not-a-folder").write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "not-a-folder" / "cache"))
    posts = tmp_path / "_posts"
    posts.mkdir()
    (posts / "a.md").write_text("---\ntitle: A\n---\n## Attention?\n\nIt weighs tokens.\n", encoding="utf-8")
    for _ in range(2):
        report = api.run(
            [posts], Config(output=tmp_path / "decks", cache=tmp_path / "cache"), clock=lambda: 1
        )
        assert report.ok and report.decks[0].written and report.notes == 1
