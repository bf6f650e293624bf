"""Ordinary commands that would wipe a deck write nothing (issue 23, items 1 and 2): an emptied
posts folder, and one post file built into the blog's own deck folder. A real Anki collection's
review history survives both, because the deck it imports stays as it was."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from flashgen.cli import main
from flashgen.model import REMOVED_TAG
from tests.conftest import import_package

POST = """---
title: {title}
tags: [ml]
---
## {title}

- Alpha{n} : the first thing of {title}
- Beta{n} : the second thing of {title}
- Gamma{n} : the third thing of {title}
"""


def _blog(root: Path, posts: int = 4) -> Path:
    (root / "_config.yml").write_text("title: Blog\n", encoding="utf-8")
    folder = root / "_posts"
    folder.mkdir(parents=True)
    for n in range(posts):
        title = f"Topic {n}"
        text = POST.format(title=title, n=n)
        (folder / f"2024-01-0{n + 1}-topic-{n}.md").write_text(text, encoding="utf-8")
    return folder


def _build(*args: str) -> Result:
    return CliRunner().invoke(main, ["build", *args], catch_exceptions=False)


def _files(root: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted((root / "decks").iterdir())}


def _review_all(col: object) -> int:
    """Answer every card once (Easy): each gets a review history; returns the revlog's size."""
    from anki.scheduler.v3 import CardAnswer

    deck_id = col.decks.id("Blog")  # type: ignore[attr-defined]
    col.decks.select(deck_id)  # type: ignore[attr-defined]
    for _ in range(200):
        queued = col.sched.get_queued_cards()  # type: ignore[attr-defined]
        if not queued.cards:
            break
        top = queued.cards[0]
        card = col.get_card(top.card.id)  # type: ignore[attr-defined]
        card.start_timer()
        answer = col.sched.build_answer(card=card, states=top.states, rating=CardAnswer.EASY)  # type: ignore[attr-defined]
        col.sched.answer_card(answer)  # type: ignore[attr-defined]
    return int(col.db.scalar("select count() from revlog"))  # type: ignore[attr-defined]


def _reviewed_blog(collection: object) -> tuple[Path, Path, Path, int]:
    """A blog of four posts built, its deck imported into `collection` and every card reviewed:
    (the blog, its posts folder, its deck, the reviews in the collection)."""
    root = Path.cwd()
    posts = _blog(root)
    assert _build().exit_code == 0
    deck = root / "decks" / "Blog.apkg"
    import_package(collection, deck)
    reviews = _review_all(collection)
    assert reviews >= 12
    return root, posts, deck, reviews


def _removed_notes(col: object) -> int:
    return len(col.find_notes(f"tag:{REMOVED_TAG}"))  # type: ignore[attr-defined]


def test_an_emptied_posts_folder_writes_nothing_and_the_collection_keeps_its_history(
    tmp_path: Path, collection: object
) -> None:
    root, posts, deck, reviews = _reviewed_blog(collection)
    before = _files(root)

    shutil.move(posts, tmp_path / "elsewhere")  # a wrong checkout: the folder is there, empty
    posts.mkdir()
    result = _build()
    assert result.exit_code == 1
    assert "would remove all of the deck's 12 notes" in result.output
    assert "--allow-removal" in result.output and "Traceback" not in result.output
    assert _files(root) == before  # the deck and its state file, byte for byte

    # CI would commit nothing; a user who imports the deck again loses nothing.
    import_package(collection, deck)
    assert _removed_notes(collection) == 0
    assert collection.db.scalar("select count() from revlog") == reviews  # type: ignore[attr-defined]
    assert len(collection.find_notes("")) == 12  # type: ignore[attr-defined]

    # --check in CI says the same, and fails.
    checked = _build("--check")
    assert checked.exit_code == 1 and "--allow-removal" in checked.output

    # Told to, the build tags them removed, and Anki still keeps their history.
    assert _build("--allow-removal").exit_code == 0
    assert _files(root) != before
    import_package(collection, deck)
    assert _removed_notes(collection) == 12
    assert collection.db.scalar("select count() from revlog") == reviews  # type: ignore[attr-defined]


def test_one_post_file_built_without_an_output_folder_leaves_the_blogs_deck_alone(
    tmp_path: Path, collection: object
) -> None:
    root, posts, deck, reviews = _reviewed_blog(collection)
    before = _files(root)

    one = posts / "2024-01-01-topic-0.md"
    result = _build(str(one))
    assert result.exit_code == 1
    assert "not among the files given" in result.output and "-o" in result.output
    assert _files(root) == before
    import_package(collection, deck)
    assert _removed_notes(collection) == 0
    assert collection.db.scalar("select count() from revlog") == reviews  # type: ignore[attr-defined]

    # With a folder of its own, the one post's deck is written there, and only there.
    elsewhere = tmp_path / "one"
    assert _build(str(one), "-o", str(elsewhere)).exit_code == 0
    assert (elsewhere / "Blog.apkg").is_file()
    assert _files(root) == before


def test_a_post_file_named_alone_may_still_update_its_own_notes(tmp_path: Path) -> None:
    """A blog of one post: building that file changes only its own notes, so it is written."""
    root = Path.cwd()
    posts = _blog(root, posts=1)
    assert _build().exit_code == 0
    one = posts / "2024-01-01-topic-0.md"
    one.write_text(one.read_text(encoding="utf-8").replace("- Gamma0 : the third thing of Topic 0\n", ""))
    result = _build(str(one))
    assert result.exit_code == 0, result.output
    assert "1 removed" in result.output


def test_a_few_removed_posts_are_an_ordinary_edit(tmp_path: Path) -> None:
    """Removing 3 of 12 notes (25 %) is below the share: written, with no flag."""
    root = Path.cwd()
    posts = _blog(root)
    assert _build().exit_code == 0
    (posts / "2024-01-04-topic-3.md").unlink()
    result = _build()
    assert result.exit_code == 0, result.output
    assert "3 removed" in result.output


@pytest.mark.parametrize("cache", [True, False])
def test_over_the_share_is_refused_in_place_and_the_whole_way(tmp_path: Path, cache: bool) -> None:
    """Two of four posts deleted (6 of 12 notes, 50 %): refused whether the build would go in
    place (a cache, few posts changed) or the whole way (--no-cache)."""
    root = Path.cwd()
    posts = _blog(root)
    assert _build().exit_code == 0
    before = _files(root)
    (posts / "2024-01-03-topic-2.md").unlink()
    (posts / "2024-01-04-topic-3.md").unlink()
    result = _build() if cache else _build("--no-cache")
    assert result.exit_code == 1
    assert "would remove 6 of the deck's 12 notes" in result.output
    assert _files(root) == before
    assert _build("--allow-removal").exit_code == 0
    assert _files(root) != before
