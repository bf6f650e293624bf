"""Issue 22, session 8: forms that made poor cards on the measured blogs.

Each test pins one mechanism with a control: the shape that must keep working as before."""

from __future__ import annotations

from pathlib import Path

from flashgen.extract import extract_notes
from flashgen.read.posts import read_post
from flashgen.read.sections import split_sections


def _notes(text: str, tmp_path: Path, title: str = "Notes"):
    path = tmp_path / "2024-01-01-post.md"
    path.write_text(f'---\ntitle: "{title}"\n---\n{text}', encoding="utf-8")
    post = read_post(path, tmp_path)
    return extract_notes(post, split_sections(post)).notes


def test_a_heading_naming_a_kind_of_set_is_asked_of_its_owner(tmp_path: Path) -> None:
    notes = _notes(
        "## Pruning\n\nPruning은 모델의 불필요한 가중치를 제거하는 방법이다.\n\n### 분류\n\n"
        "- Unstructured pruning: 개별 가중치를 제거\n- Structured pruning: 채널이나 필터 단위로 제거\n\n"
        "## Vector\n\n### 성질\n\n- 차원이 같아야 덧셈을 할 수 있다.\n- 노름은 원점에서부터의 거리이다.\n",
        tmp_path,
    )
    lists = [n.front for n in notes if n.kind == "list"]
    assert any("Pruning의 분류" in front for front in lists)
    assert any("Vector의 성질" in front for front in lists)
