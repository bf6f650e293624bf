"""`flashgen preview`: every card as Anki renders it (compared with Anki's own engine), on a page
that works offline at phone and desktop widths, in day and night mode (checked in Chromium)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from flashgen import api
from flashgen.cli import main
from flashgen.commands import preview
from flashgen.read.config import Config
from tests.conftest import CHROMIUM, EXAMPLES, dump_dom, import_package, result_json, write_deck
from tests.test_media import PNG

MIXED = """---
title: 혼합 노트
tags: [ml, 수학]
---
## 트랜스포머 정리

- 어텐션은 ==$\\mathrm{softmax}(QK^T/\\sqrt{d})V$== 로 계산한다
- {{c2::`torch.matmul`::함수}} 로 곱한다 & <b>굵게</b>

## Kinds of layers

- Linear: $y = Wx + b$
- Conv: `nn.Conv2d`
- Norm: $$\\frac{x-\\mu}{\\sigma}$$

## Words

- Another point about {{c1::résumé "quoted" & 'single'}} text

Q: 에너지 공식은?
A: $E = mc^2$ 이고 코드는

```python
print("hi")
```

Q: 그림은 무엇을 보여주나?
A: ![a](/assets/a.png) 모델의 구조
"""


def _blog(tmp_path: Path) -> Path:
    blog = tmp_path / "blog"
    (blog / "_posts").mkdir(parents=True)
    (blog / "assets").mkdir()
    (blog / "assets" / "a.png").write_bytes(PNG)
    (blog / "_config.yml").write_text("title: Mixed\n", encoding="utf-8")
    (blog / "_posts" / "2024-01-01-mix.md").write_text(MIXED, encoding="utf-8")
    return blog


@pytest.mark.parametrize("which", ["mixed", "example"])
def test_each_card_is_the_html_anki_renders(tmp_path: Path, collection, which: str) -> None:
    """Every card of the deck, imported into a real Anki collection: its question and answer as
    Anki's engine renders them equal the preview's, cloze cards one per cloze number."""
    posts = _blog(tmp_path) / "_posts" if which == "mixed" else EXAMPLES
    deck = api.build([posts], deck_name="P", config=Config(cache=None)).decks[0]
    import_package(collection, write_deck(deck, tmp_path / "decks"))
    ours = {(c.note.guid, c.ordinal): c for note in deck.notes for c in preview.cards(note)}
    theirs = {}
    for card_id in collection.find_cards(""):
        card = collection.get_card(card_id)
        theirs[(card.note().guid, card.ord + 1)] = (card.question(), card.answer())
    assert set(theirs) == set(ours)
    kinds = {c.note.kind for c in ours.values()}
    assert "cloze" in kinds or which == "example"
    for key, (question, answer) in theirs.items():
        assert ours[key].question == question, key
        assert ours[key].answer == answer, key


def _preview(blog: Path, *args: str) -> Path:
    old = Path.cwd()
    try:
        import os

        os.chdir(blog)
        result = CliRunner().invoke(main, ["preview", "-o", "out/cards.html", *args])
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.output
    return blog / "out" / "cards.html"


def test_the_page_marks_what_changed_since_the_last_build(tmp_path: Path) -> None:
    """Against the state file the last build wrote: an edited note is `changed`, a new one `new`,
    a deleted one `removed`, the rest `unchanged`; each card shows its id and its ignore line."""
    blog = _blog(tmp_path)
    old = Path.cwd()
    import os

    os.chdir(blog)
    try:
        assert CliRunner().invoke(main, ["build", "-q"]).exit_code == 0
    finally:
        os.chdir(old)
    post = blog / "_posts" / "2024-01-01-mix.md"
    text = post.read_text(encoding="utf-8")
    text = text.replace("모델의 구조", "모델의 전체 구조")
    text = text.replace("- Another point about {{c1::résumé \"quoted\" & 'single'}} text\n", "")
    post.write_text(text + "\nQ: 새 질문?\nA: 새 답\n", encoding="utf-8")
    page = _preview(blog).read_text(encoding="utf-8")
    statuses = [s for s in ("new", "changed", "removed") if f'data-status="{s}"' in page]
    assert statuses == ["new", "changed", "removed"]
    assert 'data-status="unchanged"' in page
    assert "ignore = [&quot;" in page  # the line to copy into flashgen.toml
    assert (blog / "out" / "cards-media").is_dir()


_CHECK = """<script>
window.__errors = [];
window.addEventListener("error", (e) => window.__errors.push(String(e.message)));
const consoleError = console.error;
console.error = (...args) => { window.__errors.push(args.join(" ")); consoleError(...args); };
document.addEventListener("DOMContentLoaded", () => {  // every card laid out, every image loaded
  for (const image of document.images) image.loading = "eager";
  for (const item of document.querySelectorAll(".fg-item")) item.style.contentVisibility = "visible";
});
window.addEventListener("load", () => setTimeout(() => {
  const items = [...document.querySelectorAll(".fg-item")];
  const images = [...document.images];
  const out = document.createElement("pre");
  out.id = "fg-result";
  out.textContent = JSON.stringify({
    cards: items.length,
    complete: items.filter((i) => i.querySelector(".fg-front").innerText.trim()
      && i.querySelector(".fg-back").innerText.trim()).length,
    text: document.querySelector("main").innerText,
    math: document.querySelectorAll("math").length,
    images: images.length,
    loaded: images.filter((i) => i.complete && i.naturalWidth > 0).length,
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    night: document.body.classList.contains("night_mode")
      && [...document.querySelectorAll(".card")].every((c) => c.classList.contains("nightMode")),
    remote: performance.getEntriesByType("resource").map((r) => r.name).filter((n) => !n.startsWith("file:")),
    errors: window.__errors,
  });
  document.body.appendChild(out);
}, 500));
</script>"""


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs Debian's chromium)")
@pytest.mark.parametrize("width", [412, 1280])
@pytest.mark.parametrize("mode", ["day", "night"])
def test_the_page_in_chromium(tmp_path: Path, width: int, mode: str) -> None:
    """At a phone's width and a desktop's, in day and night mode: every card has its front and
    back, formulas are typeset (no TeX delimiters left), images load, nothing is wider than the
    window, no script error, and nothing is fetched from the network."""
    blog = _blog(tmp_path)
    shutil.copy(EXAMPLES / "aiffel-retrospective.md", blog / "_posts" / "2023-07-21-aiffel-retrospective.md")
    page = _preview(blog)
    html = page.read_text(encoding="utf-8")
    checked = page.with_name("checked.html")
    checked.write_text(html.replace("<head>", "<head>" + _CHECK, 1), encoding="utf-8")
    url = checked.as_uri() + ("#night" if mode == "night" else "")
    report = result_json(dump_dom(url, tmp_path / "chromium", width), "fg-result")
    assert isinstance(report, dict)
    assert report["cards"] >= 10 and report["complete"] == report["cards"]
    for raw_tex in ("\\(", "\\[", "$$"):
        assert raw_tex not in report["text"], raw_tex
    assert report["math"] >= 3  # the cloze's back, the Q/A, the definition
    assert report["images"] >= 1 and report["loaded"] == report["images"]
    assert report["overflow"] <= 0, report["overflow"]
    assert report["night"] == (mode == "night")
    assert report["remote"] == [] and report["errors"] == []


def test_formulas_become_mathml_and_what_the_converter_cannot_read_stays_tex() -> None:
    """A line break with its spacing (`\\\\[6pt]`, common in aligned equations) is a line break; a
    formula the converter fails on is shown as its TeX in code, not lost."""
    broken = preview._converted(r"a = b \\[6pt] c = d", False)
    assert broken.startswith("<math") and "6pt" not in broken and 'linebreak="newline"' in broken
    assert "fg-tex" in preview._converted(r"\frac{", True)
