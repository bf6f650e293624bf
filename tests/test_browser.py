"""A card as Anki renders it, shown in headless Chromium: no raw Markdown or `$`, images load."""

from __future__ import annotations

from pathlib import Path

import pytest

from flashgen import api
from tests.conftest import CHROMIUM, dump_dom, import_package, result_json, write_deck
from tests.test_media import PNG

POST = """---
title: Render check
tags: [t]
---
## Three things to see

- Energy $E = mc^2$ with **bold** and `x**2`, figure ![a](/assets/a.png)
- Display $$\\sum_i x_i$$ and [a link](https://example.com)
- A *third* point
"""

CHECK = """
<script>
window.addEventListener("load", () => {
  const images = [...document.images];
  const text = document.body.innerText;
  const out = document.createElement("pre");
  out.id = "result";
  out.textContent = JSON.stringify({
    images: images.length,
    loaded: images.filter((i) => i.complete && i.naturalWidth > 0).length,
    text: text,
  });
  document.body.appendChild(out);
});
</script>
"""


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs Debian's chromium)")
def test_card_renders_cleanly_in_a_browser(tmp_path: Path, collection) -> None:
    blog = tmp_path / "blog"
    (blog / "_posts").mkdir(parents=True)
    (blog / "assets").mkdir()
    (blog / "assets" / "a.png").write_bytes(PNG)
    (blog / "_config.yml").write_text("title: B\n", encoding="utf-8")
    (blog / "_posts" / "2024-01-01-render.md").write_text(POST, encoding="utf-8")
    result = api.build([blog / "_posts"], deck_name="R")
    assert result.problems == ()
    import_package(collection, write_deck(result.decks[0], tmp_path / "decks"))

    card = collection.get_card(collection.find_cards("")[0])
    css = card.note_type()["css"]
    page = Path(collection.media.dir()) / "card.html"
    page.write_text(
        f'<!doctype html><meta charset="utf-8"><style>{css}</style>'
        f'<div class="card">{card.answer()}</div>{CHECK}',
        encoding="utf-8",
    )
    report = result_json(dump_dom(page.as_uri(), tmp_path / "chromium"), "result")
    assert report["images"] == report["loaded"] == 1
    text = report["text"]
    assert "Energy" in text and "bold" in text and "x**2" in text
    for raw in ("$", "](", "![", "**bold**", "*third*"):
        assert raw not in text, raw
    assert "\\(E = mc^2\\)" in text  # left for Anki's MathJax
