"""Golden files: each tests/data/golden/*.json names an input post and the notes expected from it.

Regenerate after an intended change with `python tests/golden.py`, then read the diff: it is the
review of what the change does to users' cards.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GOLDEN = HERE / "data" / "golden"
RENDER = HERE / "data" / "render"


def notes_as_data(source: Path) -> list[dict[str, Any]]:
    from flashgen import render
    from flashgen.extract import extract_notes
    from flashgen.posts import read_post
    from flashgen.sections import split_sections

    post = read_post(source, source.parent)
    notes = extract_notes(post, split_sections(post)).notes
    return [
        {
            "kind": note.kind,
            "line": note.ref.line,
            "cloze": note.cloze,
            "context": render.text(note.context),
            "question": note.front if note.cloze else render.text(note.front),
            "answer": render.text(note.back),
            "extra": render.text(note.extra),
            "tags": list(note.tags),
        }
        for note in notes
    ]


def rendered(source: Path) -> str:
    """A Markdown file as card HTML: Jekyll leftovers cleaned, rendered, sanitised."""
    from flashgen import kramdown, render

    body, _ = kramdown.preprocess(source.read_text(encoding="utf-8"))
    return render.block(body) + "\n"


def render_cases() -> list[Path]:
    return sorted(RENDER.glob("*.md"))


def golden_files() -> list[Path]:
    return sorted(GOLDEN.glob("*.json"))


def main() -> None:
    for golden in golden_files():
        data = json.loads(golden.read_text(encoding="utf-8"))
        data["notes"] = notes_as_data(ROOT / data["source"])
        golden.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"{golden.relative_to(ROOT)}: {len(data['notes'])} notes")
    for case in render_cases():
        case.with_suffix(".html").write_text(rendered(case), encoding="utf-8")
        print(f"{case.with_suffix('.html').relative_to(ROOT)}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
