"""`flashgen review` in real headless Chromium (Debian's, driven by Playwright): cards triaged by
keyboard, drops in the configuration with its comments kept, rewrites in flashgen-reviews.json,
and a rebuild imported into Anki where the rewritten notes keep their ids and review history."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import replace
from pathlib import Path

import pytest

from flashgen import api
from flashgen.commands import review
from flashgen.read import config as config_module
from flashgen.read.reviews import REVIEWS_FILE
from tests.conftest import CHROMIUM, import_package, review_everything

PAIRS = 12
_COUNT_CHANGED = "before => document.querySelector('#count').innerText !== before"
CONFIG = """# The blog's flashgen settings (a comment the review must keep)
sources = ["_posts"]   # where the posts are
deck = "D"
"""


def _post(**answers: str) -> str:
    """A post of explicit cards; `answers` changes item N's answer (`three="…"`)."""
    words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven"]
    pairs = "\n\n".join(
        f"Q: What is item number {i}?\nA: It is {answers.get(words[i], f'answer {i}')}." for i in range(PAIRS)
    )
    remote = "Q: What does the remote figure show?\nA: A chart ![chart](https://example.com/chart.png) of it."
    return f"---\ntitle: Quiz\ntags: [quiz]\n---\n## Items\n\n{remote}\n\n{pairs}\n"


@pytest.fixture
def blog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    root = tmp_path / "blog"
    (root / "_posts").mkdir(parents=True)
    (root / "_posts" / "2024-01-01-quiz.md").write_text(_post(), encoding="utf-8")
    (root / "flashgen.toml").write_text(CONFIG, encoding="utf-8")
    monkeypatch.chdir(root)
    return root


def _config(blog: Path) -> config_module.Config:
    return config_module.load(blog / "flashgen.toml")


def _build(blog: Path, clock: int) -> api.Report:
    config = _config(blog)
    return api.run(list(config.sources), config, clock=lambda: clock)


def _serve(blog: Path) -> review.Server:
    config = _config(blog)
    result = api.build(list(config.sources), config=replace(config, cache=None, reviews=()))
    return review.serve(review.make(result.decks[0], config.output, blog / "flashgen.toml"))


def _reviews(col, nid: int) -> int:  # type: ignore[no-untyped-def]
    """The reviews in Anki's log of the note's cards."""
    return int(
        col.db.scalar("select count() from revlog r join cards c on r.cid = c.id where c.nid = ?", nid)
    )


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs Debian's chromium)")
def test_cards_triaged_by_keyboard_survive_every_rebuild(blog: Path, collection, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    first = _build(blog, 1_700_000_000)
    assert first.ok and first.notes == PAIRS + 1
    deck = blog / "decks" / "D.apkg"
    import_package(collection, deck)
    review_everything(collection)
    history = {
        nid: collection.db.scalar(
            "select count() from revlog r join cards c on r.cid = c.id where c.nid = ?", nid
        )
        for nid in collection.find_notes("")
    }
    assert all(count >= 1 for count in history.values())

    server = _serve(blog)
    requests: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            page = browser.new_page()
            page.on("request", lambda request: requests.append(request.url))
            page.goto(server.url)
            page.wait_for_selector("#card[data-id]")
            ids: list[str] = []

            def current() -> str:
                return page.get_attribute("#card", "data-id") or ""

            def press(key: str) -> None:
                before = page.locator("#count").inner_text()
                page.keyboard.press(key)
                page.wait_for_function(_COUNT_CHANGED, arg=before)

            # keep, keep, drop, edit, edit, drop, keep ... by keyboard alone
            for step in ("y", "y", "d", "e", "e", "d", "y", "y", "y", "y"):
                ids.append(current())
                if step == "e":
                    page.keyboard.press("e")
                    page.wait_for_selector("#edit-question")
                    page.fill("#edit-question", f"Which item is **{len(ids)}**?")
                    page.fill("#edit-answer", f"The one with $x^{len(ids)}$ in it.")
                    before = page.locator("#count").inner_text()
                    page.keyboard.press("Control+Enter")
                    page.wait_for_function(
                        "b => document.querySelector('#count').innerText !== b", arg=before
                    )
                else:
                    press(step)
            # Drops leave the list; three cards of the thirteen are left to review.
            assert page.locator("#count").inner_text() == "8 of 11 reviewed · 1 / 3 shown"
            page.keyboard.press("k")
            page.keyboard.press("c")  # copy as Markdown
            copied = page.input_value("#copied")
            assert copied.startswith("Q: ") and "\nA: " in copied
            page.screenshot(path=str(tmp_path / "review.png"))
            browser.close()
    finally:
        server.shutdown()
    assert len(set(ids)) == 10
    origin = server.origin
    assert (
        requests and [url for url in requests if not url.startswith(origin + "/")] == []
    )  # nothing from another host

    dropped, edited = [ids[2], ids[5]], [ids[3], ids[4]]
    config_text = (blog / "flashgen.toml").read_text(encoding="utf-8")
    assert config_text.startswith(CONFIG)  # every comment and line as it was
    assert _config(blog).ignore == frozenset(dropped)
    saved = json.loads((blog / REVIEWS_FILE).read_text(encoding="utf-8"))["notes"]
    assert {guid for guid, entry in saved.items() if "question" in entry} == set(edited)
    assert {guid for guid, entry in saved.items() if "question" not in entry} == {ids[0], ids[1], *ids[6:]}

    # The rebuild puts the rewrites on the same notes; Anki keeps their history.
    again = _build(blog, 1_700_000_500)
    assert again.ok and again.notes == PAIRS + 1 - 2
    import_package(collection, deck)
    notes = {collection.get_note(nid).guid: collection.get_note(nid) for nid in collection.find_notes("")}
    for number, guid in zip((4, 5), edited, strict=True):
        note = notes[guid]
        assert f"Which item is <strong>{number}</strong>?" in note.fields[0]
        assert f"\\(x^{number}\\)" in note.fields[1]
        assert (
            collection.db.scalar(
                "select count() from revlog r join cards c on r.cid = c.id where c.nid = ?", note.id
            )
            == history[note.id]
        )
    assert all("flashgen::removed" in notes[guid].tags for guid in dropped)  # dropped: tagged, not lost

    # The post changes under a rewritten card (item 3, the fifth card) and a kept one (item 7): the
    # build warns of the first, whose rewrite is still used; the review shows it stale with both
    # versions, and the kept one among the cards to review again.
    (blog / "_posts" / "2024-01-01-quiz.md").write_text(_post(three="a new 3", seven="a new 7"), "utf-8")
    stale = _build(blog, 1_700_001_000)
    rewritten = [p.line for p in stale.warnings if "has your rewrite" in p.message]
    assert rewritten == [19]  # item 3's `Q:` line: 4 of front matter, the heading, the remote card, 3 items
    server = _serve(blog)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            page = browser.new_page()
            page.goto(server.url)
            page.wait_for_selector("#card[data-id]")
            to_review = page.evaluate("shown.map((card) => [card.id, card.review])")
            assert [ids[4], "stale"] in to_review and [ids[8], "changed since review"] in to_review
            assert not {ids[2], ids[5]} & {card for card, _ in to_review}  # dropped: not shown again
            page.select_option("#filter-review", "stale")
            page.wait_for_selector(f'#card[data-id="{ids[4]}"]')
            shown = page.inner_text("#card")
            assert (
                "Which item is 5" in shown and "It is a new 3." in shown
            )  # the rewrite, and the rules' card
            page.keyboard.press("y")  # keep the rewrite, against the card the post makes now
            page.wait_for_selector("#card:not([data-id])")  # no stale card is left
            browser.close()
    finally:
        server.shutdown()
    settled = _build(blog, 1_700_001_500)
    assert not [p for p in settled.warnings if "has your rewrite" in p.message]
    import_package(collection, deck)
    assert "Which item is <strong>5</strong>?" in collection.get_note(notes[ids[4]].id).fields[0]


def _get(server: review.Server, path: str, **headers: str) -> dict:
    request = urllib.request.Request(f"{server.origin}{path}?token={server.review.token}", headers=headers)
    with urllib.request.urlopen(request) as answer:
        return json.loads(answer.read())


def _status(server: review.Server, method: str, path: str, body: bytes | None = None, **headers: str) -> int:
    request = urllib.request.Request(f"{server.origin}{path}", data=body, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_the_server_answers_only_its_own_page_with_its_token(blog: Path) -> None:
    _build(blog, 1_700_000_000)
    server = _serve(blog)
    token = server.review.token
    try:
        assert server.server_address[0] == "127.0.0.1"
        assert _status(server, "GET", "/") == 403  # no token
        assert _status(server, "GET", "/cards?token=wrong") == 403
        assert _status(server, "GET", f"/cards?token={token}") == 200
        with urllib.request.urlopen(f"{server.origin}/?token={token}") as page:
            policy = page.headers["Content-Security-Policy"]
        assert (
            "default-src 'none'" in policy and "img-src 'self'" in policy and "connect-src 'self'" in policy
        )
        assert _status(server, "GET", f"/?token={token}", Host="evil.example") == 400  # DNS rebinding
        stamps = _get(server, "/cards")["stamps"]
        card = _get(server, "/cards")["cards"][0]["id"]
        json_type = {"Content-Type": "application/json"}
        good = json.dumps({"action": "keep", "id": card, "stamps": stamps}).encode()
        action = f"/action?token={token}"
        assert _status(server, "POST", action, good, Origin="http://evil.example", **json_type) == 403
        assert _status(server, "POST", action, b"{not json", **json_type) == 400
        assert _status(server, "POST", action, good, **{"Content-Type": "text/plain"}) == 415
        unknown = json.dumps({"action": "keep", "id": "nope", "stamps": stamps}).encode()
        assert _status(server, "POST", action, unknown, **json_type) == 404
        assert not (blog / REVIEWS_FILE).exists()  # nothing written by any of those
        # A file changed on disk since the page loaded it is not overwritten.
        (blog / "flashgen.toml").write_text(CONFIG + "# edited by hand\n", encoding="utf-8")
        assert _status(server, "POST", action, good, **json_type) == 409
        assert not (blog / REVIEWS_FILE).exists()
        assert (blog / "flashgen.toml").read_text(encoding="utf-8").endswith("# edited by hand\n")
        fresh = json.dumps(
            {"action": "keep", "id": card, "stamps": _get(server, "/cards")["stamps"]}
        ).encode()
        assert _status(server, "POST", action, fresh, **json_type) == 200
        assert (blog / REVIEWS_FILE).exists()
    finally:
        server.shutdown()


def test_a_rewrite_of_a_note_no_post_makes_is_reported(blog: Path) -> None:
    _build(blog, 1_700_000_000)
    (blog / REVIEWS_FILE).write_text(
        json.dumps({"version": 1, "notes": {"gone-note-id": {"card": "x", "question": "Q", "answer": "A"}}}),
        encoding="utf-8",
    )
    report = _build(blog, 1_700_000_100)
    assert any("gone-note-id" in p.message and "no post makes" in p.message for p in report.warnings)


def test_the_command_serves_until_ctrl_c(blog: Path) -> None:
    import signal
    import subprocess
    import sys

    command = [sys.executable, "-m", "flashgen", "review", "--no-open"]
    process = subprocess.Popen(command, cwd=blog, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        url = first.rsplit(" ", 1)[-1].strip()
        assert first.startswith("Reviewing 13 cards: http://127.0.0.1:") and "?token=" in url
        with urllib.request.urlopen(url) as page:
            assert b"flashgen review" in page.read()
        bare = url.split("?", 1)[0]
        assert _status_of(bare) == 403  # the address without its token: nothing
        process.send_signal(signal.SIGINT)
        out, _ = process.communicate(timeout=20)
    finally:
        process.kill()
    assert process.returncode == 0 and "Stopped." in out


def _status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_a_drop_goes_into_pyproject_tool_flashgen_with_its_comments(blog: Path) -> None:
    (blog / "flashgen.toml").unlink()
    pyproject = (
        '[project]\nname = "blog"  # the blog\n\n[tool.flashgen]\n# settings\ndeck = "D"\n'
        'ignore = ["old-id"]  # kept\n'
    )
    (blog / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    config = config_module.load(blog / "pyproject.toml")
    result = api.build([blog / "_posts"], config=replace(config, cache=None))
    made = review.make(result.decks[0], config.output, blog / "pyproject.toml")
    card = made.views()[0]["id"]
    status, _ = made.act({"action": "drop", "id": card, "stamps": made.stamps()})
    assert status == 200
    text = (blog / "pyproject.toml").read_text(encoding="utf-8")
    assert text.replace(f', "{card}"', "") == pyproject  # one id added, every other byte as it was
    assert config_module.load(blog / "pyproject.toml").ignore == {"old-id", card}
    assert (blog / REVIEWS_FILE).exists() and card not in {v["id"] for v in made.views()}


def test_a_rewrite_discarded_gives_the_card_back_to_the_rules(blog: Path) -> None:
    config = _config(blog)
    result = api.build(list(config.sources), config=replace(config, cache=None))
    made = review.make(result.decks[0], config.output, blog / "flashgen.toml")
    card = made.views()[1]
    edit = {
        "action": "edit",
        "id": card["id"],
        "question": "Mine?",
        "answer": "Yes.",
        "stamps": made.stamps(),
    }
    assert made.act(edit) == (200, {"ok": True, "stamps": made.stamps(), "markdown": "Q: Mine?\nA: Yes.\n"})
    assert _build(blog, 1_700_000_000).ok
    assert "Mine?" in (blog / "decks" / "D.state.json").read_text(encoding="utf-8")
    assert made.act({"action": "discard", "id": card["id"], "stamps": made.stamps()})[0] == 200
    assert json.loads((blog / REVIEWS_FILE).read_text(encoding="utf-8"))["notes"] == {}
    assert _build(blog, 1_700_000_100).ok
    state = (blog / "decks" / "D.state.json").read_text(encoding="utf-8")
    assert "Mine?" not in state and "What is item number 0?" in state
