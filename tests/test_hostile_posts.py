"""Hostile posts, end to end: a formula cannot put markup into the preview page, a post of
thousands of headings costs work in proportion to its size, and a paragraph of more highlights
than a note has cloze numbers is a warning naming its line, with the other posts still built."""

from __future__ import annotations

import cProfile
import json
import os
import pstats
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from flashgen import api
from flashgen.cli import main
from flashgen.read.config import Config
from tests.conftest import CHROMIUM, dump_dom, package_notes

# ── The preview page ──

# Formulas whose TeX carries markup: latex2mathml put `\text{…}` into <mtext> as it was, and
# <mtext> takes HTML, so the script ran in the page (`document.title` is how Chromium tells).
FORMULAS = [
    r"\text{<script>document.title='XSS'</script>}",
    r"\text{<img/src='x'/onerror=document.title=1>}",
    r"\text{<img src=x onerror=alert(1)>}",
    r"\href{javascript:alert(1)}{x}",
    r"\mathrm{</math><script>alert(1)</script>}",
    r"\style{position:fixed}{x}",
]
POST = (
    "---\ntitle: Formulas\n---\n## Math\n\n"
    + "".join(f"Q: What is formula {n}?\nA: It is ${tex}$ here.\n\n" for n, tex in enumerate(FORMULAS))
    # A formula inside an attribute: its MathML, with quotes of its own, ended the attribute.
    + 'Q: What has a title?\nA: <span title="&#92;(q&#92;)">this</span>, and ![a &#92;(y&#92;)](a.png)\n'
)


class _Elements(HTMLParser):
    """Every start tag of a page with its attributes, and its text, as a browser's tokenizer
    reads them (a `<script>` is a script wherever it stands)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _preview_page(tmp_path: Path) -> str:
    blog = tmp_path / "blog"
    (blog / "_posts").mkdir(parents=True)
    (blog / "_posts" / "2024-01-01-formulas.md").write_text(POST, encoding="utf-8")
    old = Path.cwd()
    os.chdir(blog)
    try:
        result = CliRunner().invoke(main, ["preview", "_posts", "-o", "out/cards.html"])
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.output
    return (blog / "out" / "cards.html").read_text(encoding="utf-8")


def test_markup_in_a_formula_is_text_on_the_preview_page(tmp_path: Path) -> None:
    """The page's cards (its `<main>`) hold no script element, no event handler, no
    `javascript:` and no `href` or `style` from a formula; what `\\text{…}` said is shown as text,
    and an attribute holding a formula keeps its value."""
    page = _preview_page(tmp_path)
    cards = page[page.index("<main>") : page.index("</main>")]
    assert "<script" not in cards.lower()
    parsed = _Elements()
    parsed.feed(cards)
    tags = parsed.tags
    assert len([t for t, _ in tags if t == "math"]) >= len(FORMULAS) - 1  # formulas typeset, not dropped
    assert not {"script", "iframe", "style"} & {t for t, _ in tags}
    for tag, attributes in tags:
        assert not [name for name in attributes if name.startswith("on")], (tag, attributes)
        assert not [v for v in attributes.values() if "javascript:" in v.lower()], (tag, attributes)
        if tag.startswith("m") and tag != "main":  # MathML
            assert not {"href", "style", "class"} & set(attributes), (tag, attributes)
    images = [a for t, a in tags if t == "img"]
    assert [a.get("alt") for a in images] == ["a \\(y\\)"]  # the post's own image, nothing else
    assert [a["title"] for t, a in tags if t == "span" and "title" in a] == ["\\(q\\)"]
    shown = "".join(parsed.text)
    assert "<script>document.title='XSS'</script>" in shown  # the author's words, as text


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs Debian's chromium)")
def test_no_formula_runs_a_script_in_chromium(tmp_path: Path) -> None:
    """In a real browser: the payloads would set the page's title; it stays the page's own."""
    page = tmp_path / "page.html"
    page.write_text(_preview_page(tmp_path), encoding="utf-8")
    dom = dump_dom(page.as_uri(), tmp_path / "chromium")
    title = re.search(r"<title>(.*?)</title>", dom)
    assert title is not None and title.group(1) == "blog: 7 cards", dom[:500]


# ── Work in proportion to the post ──


def _questions(count: int) -> str:
    return "---\ntitle: Many\n---\n" + "".join(f"## Question {n}?\n\nAnswer {n}.\n\n" for n in range(count))


def _listed(count: int) -> str:
    return "---\ntitle: Many\n---\n" + "".join(
        f"## Steps of training {n}\n\n1. Load the data {n}\n2. Fit the model {n}\n3. Check the loss {n}\n\n"
        for n in range(count)
    )


def _calls(tmp_path: Path, text: str) -> tuple[int, int]:
    """The Python and built-in function calls a build of the one post `text` makes, and its notes."""
    folder = tmp_path / f"posts-{len(text)}"
    folder.mkdir()
    (folder / "2024-01-01-many.md").write_text(text, encoding="utf-8")
    profile = cProfile.Profile()
    profile.enable()
    built = api.build([folder], deck_name="D", config=Config(cache=None))
    profile.disable()
    return pstats.Stats(profile).total_calls, len(built.notes)  # type: ignore[attr-defined]


@pytest.mark.parametrize("post", [_questions, _listed], ids=["question-headings", "headings-with-lists"])
def test_a_post_of_many_headings_costs_work_in_proportion(tmp_path: Path, post) -> None:
    """Four times the headings, at most six times the function calls (quadratic work gave sixteen
    times: each section made a set of every other section's title). Calls are counted rather
    than seconds timed, so a busy machine cannot fail the test or hide a regression; a step
    quadratic in C alone (one call over a long string) would not show, which the profile of
    this post did not have."""
    _calls(tmp_path, _questions(10))  # imports and first-use caches, not counted
    small, small_notes = _calls(tmp_path, post(1_000))
    large, large_notes = _calls(tmp_path, post(4_000))
    assert large_notes >= 4 * small_notes > 0  # the same post, four times over
    assert large <= 6 * small, f"{large / small:.1f}x the calls for 4x the headings"


# ── More highlights than cloze numbers ──

GOOD = "---\ntitle: Good\n---\n## Numbers\n\nQ: What is two?\nA: Two.\n"


def test_more_highlights_than_cloze_numbers_is_a_warning_naming_the_line(tmp_path: Path) -> None:
    """10,001 `==highlights==` in one paragraph: a highlight is a cloze number, and they stop at
    9,999 (the last two were `next()` on a spent iterator: an internal error, and the post made
    no notes). The highlights past the last number are text, a warning names the post and line,
    and both posts' notes are in the deck."""
    posts = tmp_path / "blog" / "_posts"
    posts.mkdir(parents=True)
    (posts / "2024-01-01-good.md").write_text(GOOD, encoding="utf-8")
    body = " ".join(f"word ==mark{n}==" for n in range(10_001))
    (posts / "2024-01-02-marks.md").write_text(f"---\ntitle: Marks\n---\n## Many\n\n{body}\n", "utf-8")
    out = tmp_path / "decks"
    args = ["build", str(posts), "-o", str(out), "--deck", "D", "--no-cache", "--format", "json"]
    result = CliRunner().invoke(main, args)
    report = json.loads(result.stdout)
    assert result.exit_code == 0, result.output
    assert "internal error" not in result.output and report["errors"] == []
    [warning] = report["warnings"]
    assert Path(warning["path"]).name == "2024-01-02-marks.md" and warning["line"] == 6
    assert "2 highlights" in warning["message"] and "9,999" in warning["message"]
    fields = _shipped_fields(out / "D.apkg")
    assert any("What is two?" in f for f in fields)  # the other post built
    [marks] = [f for f in fields if "mark0" in f]
    assert "{{c9999::mark9998}}" in marks and "mark10000" in marks and "c10000" not in marks


def _shipped_fields(package: Path) -> list[str]:
    return [fields for fields, _ in package_notes(package)]
