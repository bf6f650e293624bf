from __future__ import annotations

from pathlib import Path

from flashgen.model import ListBlock, Paragraph, Table
from flashgen.read.posts import read_post
from flashgen.read.sections import split_sections


def _sections(tmp_path: Path, body: str):
    path = tmp_path / "post.md"
    path.write_text("---\ntitle: T\n---\n" + body, encoding="utf-8")
    return split_sections(read_post(path, tmp_path))


def test_two_space_nested_lists_nest(tmp_path: Path) -> None:
    (section,) = _sections(tmp_path, "- a\n  - b\n    - c\n- d\n")
    (block,) = section.blocks
    assert isinstance(block, ListBlock)
    assert [i.inline.text for i in block.items] == ["a", "d"]
    (b,) = block.items[0].subitems
    assert b.inline.text == "b" and [c.inline.text for c in b.subitems] == ["c"]


def test_bullets_right_under_an_ordered_item_belong_to_it(tmp_path: Path) -> None:
    body = "1. one\n- x\n- y\n\n2. two\n- z\n\n3. three\n"
    (section,) = _sections(tmp_path, body)
    (block,) = section.blocks
    assert isinstance(block, ListBlock) and block.ordered
    assert [i.inline.text for i in block.items] == ["one", "two", "three"]
    assert [c.inline.text for c in block.items[0].subitems] == ["x", "y"]
    assert [c.inline.text for c in block.items[1].subitems] == ["z"]
    assert block.items[2].subitems == ()


def test_bullets_after_a_blank_line_stay_a_list_of_their_own(tmp_path: Path) -> None:
    (section,) = _sections(tmp_path, "1. one\n2. two\n\n- x\n- y\n")
    assert [type(b).__name__ for b in section.blocks] == ["ListBlock", "ListBlock"]
    assert section.blocks[0].items[1].subitems == ()  # type: ignore[union-attr]


def test_sections_know_their_path_title_and_line(tmp_path: Path) -> None:
    body = "intro\n\n## 1. Part\n### (2) Sub [link](https://x.org)\n- a\n## 2) Other {#pinned}\ntext\n"
    sections = _sections(tmp_path, body)
    assert [(s.level, s.title, s.line) for s in sections] == [
        (0, "", 4),
        (2, "Part", 6),
        (3, "Sub", 7),
        (2, "Other", 9),
    ]
    assert sections[2].path == ("Part", "Sub")
    assert sections[3].path == ("Other",) and sections[3].anchor == "pinned"
    assert isinstance(sections[0].blocks[0], Paragraph)


def test_tables_and_line_numbers(tmp_path: Path) -> None:
    body = "\n\n|a|b|\n|-|-|\n|1|[x](https://arxiv.org/abs/1234.56789)|\n"
    (section,) = _sections(tmp_path, body)
    (table,) = section.blocks
    assert isinstance(table, Table)
    assert table.line == 6
    assert [c.text for c in table.header] == ["a", "b"]
    assert table.rows[0][1].links[0].url == "https://arxiv.org/abs/1234.56789"


def test_item_text_keeps_emphasis_and_code(tmp_path: Path) -> None:
    (section,) = _sections(tmp_path, "- **Bold** term : with `code` and $x^2$\n- second\n")
    (block,) = section.blocks
    assert isinstance(block, ListBlock)
    first = block.items[0].inline
    assert first.md == "**Bold** term : with `code` and $x^2$"
    assert first.text == "Bold term : with code and $x^2$"
    assert len(block.items) == 2
