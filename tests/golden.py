"""Golden files: a post in tests/data/posts/ and, beside it, a .json of the notes expected from it
(tests/data/golden/ holds those for posts kept elsewhere, such as the bundled example).

`python tests/golden.py` regenerates them after an intended change (and writes one for a new post);
then read the diff: it is the review of what the change does to users' cards.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GOLDEN = HERE / "data" / "golden"
POSTS = HERE / "data" / "posts"
RENDER = HERE / "data" / "render"


def expected_data(source: Path) -> dict[str, Any]:
    """What a golden file pins for a post: its notes, and the messages about what was left out."""
    from flashgen.extract import extract_notes, unique_questions
    from flashgen.read.posts import read_post
    from flashgen.read.sections import split_sections

    post = read_post(source, source.parent)
    extracted = extract_notes(post, split_sections(post))
    return {
        "notes": notes_as_data(unique_questions(extracted.notes)),
        "warnings": [f"{line}: {message}" for line, message in extracted.warnings],
        "left_out": [f"{line}: {message}" for line, message in extracted.notices],
    }


def notes_as_data(notes: Any) -> list[dict[str, Any]]:
    from flashgen.read import render

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
            **({"deck": note.deck} if note.deck else {}),
        }
        for note in notes
    ]


def rendered(source: Path) -> str:
    """A Markdown file as card HTML: Jekyll leftovers cleaned, rendered, sanitised."""
    from flashgen.read import kramdown, render

    body, _ = kramdown.preprocess(source.read_text(encoding="utf-8"))
    return render.block(body) + "\n"


def render_cases() -> list[Path]:
    return sorted(RENDER.glob("*.md"))


def golden_files() -> list[Path]:
    return sorted(POSTS.glob("*.json")) + sorted(GOLDEN.glob("*.json"))


def main() -> None:
    for post in sorted(POSTS.glob("*.md")):
        beside = post.with_suffix(".json")
        if not beside.exists():
            beside.write_text(json.dumps({"source": str(post.relative_to(ROOT))}) + "\n", encoding="utf-8")
    for golden in golden_files():
        data = json.loads(golden.read_text(encoding="utf-8"))
        data = {"source": data["source"], **expected_data(ROOT / data["source"])}
        golden.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"{golden.relative_to(ROOT)}: {len(data['notes'])} notes")
    for case in render_cases():
        case.with_suffix(".html").write_text(rendered(case), encoding="utf-8")
        print(f"{case.with_suffix('.html').relative_to(ROOT)}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
