"""The library's one call, `api.run`: everything `flashgen build` does but print, for a Python caller."""

from __future__ import annotations

from pathlib import Path

import pytest

from flashgen import api
from flashgen.errors import FlashgenError
from flashgen.read.config import Config

POST = """---
title: Networks
---
## Terms

- RTT :: the time a packet takes to go and come back
- MTU :: the largest packet a link carries
"""


class Heard(api.Events):
    """What a run said as it went, in order."""

    def __init__(self) -> None:
        self.said: list[str] = []

    def built(self, result: api.BuildResult) -> None:
        self.said.append(f"built {result.posts_read}")

    def planned(self, planned: api.Planned) -> None:
        self.said.append(f"planned {planned.path.name}")

    def failed(self, deck: str, error: FlashgenError) -> None:
        self.said.append(f"failed {deck}")


@pytest.fixture
def blog(tmp_path: Path) -> tuple[Path, Config]:
    posts = tmp_path / "blog" / "_posts"
    posts.mkdir(parents=True)
    (posts / "2024-01-02-networks.md").write_text(POST, encoding="utf-8")
    return posts, Config(output=tmp_path / "decks", cache=tmp_path / "cache")


def _run(posts: Path, config: Config, *, check: bool = False) -> tuple[api.Report, list[str]]:
    heard = Heard()
    report = api.run([posts], config, deck_name="Net", check=check, clock=lambda: 1_700_000_000, events=heard)
    return report, heard.said


def test_one_call_builds_writes_answers_a_rebuild_and_checks(blog, monkeypatch) -> None:
    posts, config = blog
    report, said = _run(posts, config)
    deck = config.output / "Net.apkg"
    assert report.ok and not report.recalled and said == ["built 1", "planned Net.apkg"]
    assert (report.posts, report.posts_unchanged, report.notes) == (1, 0, 2)
    [written] = report.decks
    assert (written.path, written.written, written.up_to_date, len(written.changes.new)) == (
        deck,
        True,
        True,
        2,
    )
    assert written.size == len(deck.read_bytes()) and written.state_path.is_file()
    assert report.to_json()["decks"][0]["new"] == 2
    before = deck.read_bytes()

    # Nothing changed: the last clean build's report answers, and no post is read.
    def no_build(*args: object, **kwargs: object) -> api.BuildResult:
        raise AssertionError("a post was read")

    monkeypatch.setattr(api, "build", no_build)
    again, said = _run(posts, config)
    assert again.ok and again.recalled and said == []
    assert again.posts_unchanged == again.posts == 1 and again.notes == 2
    assert again.decks[0].up_to_date and not again.decks[0].changes.any and deck.read_bytes() == before
    assert again.to_json() == {**report.to_json(), "posts_unchanged": 1, "decks": [_unchanged(report)]}
    monkeypatch.undo()

    # An edit, checked: out of date, nothing written.
    post = posts / "2024-01-02-networks.md"
    post.write_text(POST + "- TTL :: how many hops a packet may take\n", encoding="utf-8")
    checked, said = _run(posts, config, check=True)
    assert not checked.ok and checked.out_of_date and said == ["built 1", "planned Net.apkg"]
    [deck_report] = checked.decks
    assert not deck_report.up_to_date and not deck_report.written and len(deck_report.changes.new) == 1
    assert deck.read_bytes() == before
    assert checked.to_json()["ok"] is False and checked.to_json()["decks"][0]["written"] is False


def _unchanged(report: api.Report) -> dict[str, object]:
    return {**report.to_json()["decks"][0], "new": 0, "changed": 0, "removed": 0}


def test_a_deck_that_cannot_be_written_is_reported_and_not_raised(blog) -> None:
    posts, config = blog
    (config.output / "Net.apkg").mkdir(parents=True)  # a folder where the deck goes
    report, said = _run(posts, config)
    assert not report.ok and report.write_errors == 1 and report.errors == ()
    assert said == ["built 1", "planned Net.apkg", "failed Net"]
    [failed] = report.decks
    assert failed.error is not None and "cannot write the deck" in failed.error
    assert report.to_json()["decks"] == [{"name": "Net", "error": failed.error}]
    assert not (config.cache / "last-build.json").exists()  # a failed build is not the next one's answer
