"""A card as Anki renders it, shown in headless Chromium: no raw Markdown or `$`, images load."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from flashgen import api
from tests.conftest import import_package, write_deck
from tests.test_media import PNG

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

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
    done = subprocess.run(
        [
            CHROMIUM,  # type: ignore[list-item]
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'chromium'}",
            "--allow-file-access-from-files",
            "--virtual-time-budget=5000",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    start = dom.index('<pre id="result">') + len('<pre id="result">')
    report = json.loads(
        dom[start : dom.index("</pre>", start)]
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
    )
    assert report["images"] == report["loaded"] == 1
    text = report["text"]
    assert "Energy" in text and "bold" in text and "x**2" in text
    for raw in ("$", "](", "![", "**bold**", "*third*"):
        assert raw not in text, raw
    assert "\\(E = mc^2\\)" in text  # left for Anki's MathJax
