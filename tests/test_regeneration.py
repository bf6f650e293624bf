"""Review-safe rebuilds, checked with Anki's own engine: edited notes update in place, review
history stays, nothing is duplicated, and a rebuild of unchanged sources gives the same bytes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from flashgen import api
from flashgen.extract import extract_notes
from flashgen.read.posts import read_post
from flashgen.read.sections import split_sections
from flashgen.write.state import REMOVED_TAG
from tests.conftest import EXAMPLES, import_package

POST_A = """---
title: Attention
tags: [ml]
---
## Glossary
- Query : what a token looks for
- Key : what a token offers
- Value : what a token passes on

## Steps
- Score
- Softmax
- Weighted sum
"""

POST_B = """---
title: Optimisers
tags: [ml, optim]
---
## Methods
- SGD
- Adam
"""


def _build(posts: Path, out: Path, clock: int, css: str = "") -> tuple[Path, api.Planned]:
    result = api.build([posts], deck_name="D")
    assert result.errors == ()
    planned = api.plan(result.decks[0], out, clock=clock, extra_css=css)
    api.write(planned)
    return planned.path, planned


def _review_everything(col) -> None:
    from anki.scheduler.v3 import CardAnswer

    col.decks.select(col.decks.id("D"))
    config = col.decks.config_dict_for_deck_id(col.decks.id("D"))
    config["new"]["perDay"] = 9999
    col.decks.update_config(config)
    for _ in range(500):
        queued = col.sched.get_queued_cards()
        if not queued.cards:
            return
        top = queued.cards[0]
        card = col.get_card(top.card.id)
        card.start_timer()
        col.sched.answer_card(col.sched.build_answer(card=card, states=top.states, rating=CardAnswer.EASY))
    raise AssertionError("the review queue did not empty")


def _scheduling(col) -> dict[int, tuple[int, int, int, int, int, int]]:
    rows = col.db.all("select id, nid, type, queue, due, ivl, reps from cards")
    return {r[0]: tuple(r[1:]) for r in rows}


def _by_guid(col) -> dict[str, object]:
    return {col.get_note(nid).guid: col.get_note(nid) for nid in col.find_notes("")}


def test_edit_rebuild_reimport_updates_in_place_and_keeps_history(tmp_path: Path, collection) -> None:
    posts, out = tmp_path / "posts", tmp_path / "decks"
    posts.mkdir()
    (posts / "2024-01-01-attention.md").write_text(POST_A, encoding="utf-8")
    (posts / "2024-01-02-optimisers.md").write_text(POST_B, encoding="utf-8")

    package, _ = _build(posts, out, clock=1_700_000_000)
    import_package(collection, package)
    _review_everything(collection)
    before_notes = _by_guid(collection)
    before_cards = _scheduling(collection)
    before_revlog = collection.db.scalar("select count() from revlog")
    assert before_revlog == len(before_cards) > 0
    assert all(card[1] == 2 for card in before_cards.values())  # every card is in review

    # Edit: change an answer, add a note, remove a note, change a tag, change the CSS.
    edited = (
        POST_A.replace("what a token looks for", "what a token is looking for")
        .replace("- Value : what a token passes on\n", "")
        .replace("- Key : what a token offers\n", "- Key : what a token offers\n- Mask : what is hidden\n")
        .replace("tags: [ml]", "tags: [ml, transformers]")
    )
    (posts / "2024-01-01-attention.md").write_text(edited, encoding="utf-8")
    package, planned = _build(posts, out, clock=1_700_000_100, css=".card { color: teal; }")
    assert (len(planned.changes.new), len(planned.changes.removed)) == (1, 1)
    log = import_package(collection, package)
    assert len(log.log.new) == 1 and log.log.conflicting == []
    # Anki updated exactly the changed and removed notes; the rest it found identical.
    assert len(log.log.updated) == len(planned.changes.changed) + len(planned.changes.removed) > 2
    assert len(log.log.duplicate) == len(before_notes) - len(log.log.updated)

    after = _by_guid(collection)
    assert set(after) == set(before_notes) | {n.guid for n in planned.changes.new}  # no duplicates
    query = next(n for n in after.values() if "Query" in n.fields[0])
    assert query.id == before_notes[query.guid].id  # updated in place
    assert query.fields[1] == "what a token is looking for"
    assert "transformers" in query.tags
    removed = next(n for n in after.values() if "Value" in n.fields[0])
    assert REMOVED_TAG in removed.tags and removed.fields[1] == "what a token passes on"
    assert any("Mask" in n.fields[0] for n in after.values())
    optim = [n for n in after.values() if "SGD" in n.fields[0]]
    assert optim and optim[0].mod == before_notes[optim[0].guid].mod  # untouched post: untouched note

    # Scheduling and review history of every earlier card are unchanged.
    now_cards = _scheduling(collection)
    assert {cid: now_cards[cid] for cid in before_cards} == before_cards
    assert collection.db.scalar("select count() from revlog") == before_revlog
    assert "teal" in collection.models.by_name("flashgen basic")["css"]

    # A rebuild with no change: the same bytes, and Anki finds nothing to update.
    first = package.read_bytes()
    state_before = planned.state_path.read_bytes()
    package, again = _build(posts, out, clock=1_700_000_200, css=".card { color: teal; }")
    assert package.read_bytes() == first and again.state_path.read_bytes() == state_before
    assert not again.changes.any and again.up_to_date
    log = import_package(collection, package)
    assert (len(log.log.new), len(log.log.updated)) == (0, 0)


def test_forget_removed_stops_shipping_removed_notes(tmp_path: Path) -> None:
    posts, out = tmp_path / "posts", tmp_path / "decks"
    posts.mkdir()
    (posts / "a.md").write_text(POST_A, encoding="utf-8")
    _build(posts, out, clock=100)
    (posts / "a.md").write_text(POST_A.replace("- Value : what a token passes on\n", ""), encoding="utf-8")
    _, planned = _build(posts, out, clock=200)
    assert len(planned.changes.removed) == 1
    _, planned = _build(posts, out, clock=300)
    assert planned.changes.still_removed == 1 and not planned.changes.any
    deck = api.build([posts], deck_name="D").decks[0]
    planned = api.plan(deck, out, clock=400, forget_removed=True)
    assert REMOVED_TAG not in planned.state.decode()


def test_a_failing_post_does_not_turn_its_notes_into_removed_ones(tmp_path: Path) -> None:
    posts, out = tmp_path / "posts", tmp_path / "decks"
    posts.mkdir()
    (posts / "a.md").write_text(POST_A, encoding="utf-8")
    (posts / "b.md").write_text(POST_B, encoding="utf-8")
    _build(posts, out, clock=100)
    (posts / "b.md").write_text("---\ntags: [oops\n---\n", encoding="utf-8")
    result = api.build([posts], deck_name="D")
    assert result.failed_sources == {"b.md"}
    planned = api.plan(result.decks[0], out, clock=200, failed_sources=result.failed_sources)
    assert planned.changes.removed == () and not planned.changes.any
    assert planned.up_to_date  # the old deck is still exactly right


def _guids(path: Path, text: str) -> set[str]:
    path.write_text(text, encoding="utf-8")
    post = read_post(path, path.parent)
    path.unlink()
    return {n.guid for n in extract_notes(post, split_sections(post)).notes}


def test_identity_survives_ordinary_edits(tmp_path: Path) -> None:
    original = _guids(tmp_path / "2024-01-01-attention.md", POST_A)
    sections = POST_A.split("## ")
    reordered = sections[0] + "## " + sections[2] + "\n## " + sections[1]
    assert _guids(tmp_path / "2024-01-01-attention.md", reordered) == original
    above = POST_A.replace("## Glossary", "## New section types\n- x\n- y\n\n## Glossary")
    assert original < _guids(tmp_path / "2024-01-01-attention.md", above)
    assert _guids(tmp_path / "2025-06-30-attention.md", POST_A) == original  # re-dated file
    renamed = POST_A.replace("## Steps", "## Procedure steps")
    assert _guids(tmp_path / "2024-01-01-attention.md", renamed) != original
    pinned = POST_A.replace("## Steps", "## Steps {#steps}")
    pinned_renamed = POST_A.replace("## Steps", "## Procedure steps {#steps}")
    assert _guids(tmp_path / "a.md", pinned) == _guids(tmp_path / "a.md", pinned_renamed)
    post_id = POST_A.replace("tags: [ml]", "id: attn\ntags: [ml]")
    assert _guids(tmp_path / "one.md", post_id) == _guids(tmp_path / "two.md", post_id)


def _cli_build(cwd: Path, out: Path, tz: str) -> bytes:
    env = {**os.environ, "TZ": tz, "SOURCE_DATE_EPOCH": "1700000000"}
    done = subprocess.run(
        [sys.executable, "-m", "flashgen", "build", str(EXAMPLES), "-o", str(out)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return (out / "examples.apkg").read_bytes() + (out / "examples.state.json").read_bytes()


def test_builds_are_byte_reproducible_across_time_zones_and_touched_files(tmp_path: Path) -> None:
    first = _cli_build(tmp_path, tmp_path / "utc", "UTC")
    for post in EXAMPLES.iterdir():
        os.utime(post)  # a fresh mtime, as a checkout gives
    old = os.umask(0o077)  # a stricter umask than the first build's
    try:
        second = _cli_build(tmp_path, tmp_path / "seoul", "Asia/Seoul")
    finally:
        os.umask(old)
    assert first == second


def test_check_reports_an_out_of_date_deck(tmp_path: Path) -> None:
    out = tmp_path / "decks"
    args = [sys.executable, "-m", "flashgen", "build", str(EXAMPLES), "-o", str(out)]
    check = subprocess.run([*args, "--check"], capture_output=True, text=True, check=False)
    assert check.returncode == 1 and "out of date" in check.stdout and "19 new" in check.stdout
    assert not out.exists()
    subprocess.run(args, capture_output=True, check=True)
    check = subprocess.run([*args, "--check"], capture_output=True, text=True, check=False)
    assert check.returncode == 0 and "up to date" in check.stdout
