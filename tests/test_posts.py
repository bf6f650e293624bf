from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from flashgen.errors import PostError
from flashgen.read.posts import detect_language, normalise_tags, read_post


def _post(tmp_path: Path, text: str | bytes, name: str = "2023-05-06-my-post.md"):
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return read_post(path, tmp_path)


@pytest.mark.parametrize(
    ("front", "tags"),
    [
        ("tags: [ML, Deep Learning]", ("ML", "Deep_Learning")),
        ("tags: ml nlp  vision", ("ml", "nlp", "vision")),  # Jekyll splits strings on spaces
        ("tags: [[a, b], [c]]\ncategories: a", ("a", "b", "c")),  # nested, de-duplicated
        ("tag: [MLOps]\ncategories: anything", ("MLOps", "anything")),
        ("tags: [2024, 3.5, true]", ("2024", "3.5", "True")),
        ("tags: [null, {a: 1}, 인공지능]", ("인공지능",)),
        ("category: 논문 리뷰", ("논문", "리뷰")),
        ('tags: ["say \\"hi\\"", "::x::"]', ("say_hi", "x")),
        ("tags: [ML, ml, Ml]", ("ML",)),
    ],
)
def test_tags_from_front_matter(tmp_path: Path, front: str, tags: tuple[str, ...]) -> None:
    assert _post(tmp_path, f"---\n{front}\n---\nbody\n").tags == tags


def test_normalised_tags_have_no_spaces() -> None:
    assert normalise_tags(["a b\tc", " 한국어  태그 "]) == ("a_b_c", "한국어_태그")


def test_title_from_front_matter_then_h1_then_file_name(tmp_path: Path) -> None:
    assert _post(tmp_path, "---\ntitle: T\n---\n# H\n").title == "T"
    assert _post(tmp_path, "---\nx: 1\n---\n\n# Heading one\n").title == "Heading one"
    assert _post(tmp_path, "no heading\n").title == "my post"


def test_date_from_front_matter_or_file_name(tmp_path: Path) -> None:
    assert _post(tmp_path, "---\ndate: 2020-01-02 10:00:00 +0900\n---\n").date == dt.date(2020, 1, 2)
    assert _post(tmp_path, "text\n").date == dt.date(2023, 5, 6)
    assert _post(tmp_path, "text\n", name="undated.md").date is None


def test_key_ignores_the_date_prefix_and_can_be_pinned(tmp_path: Path) -> None:
    assert _post(tmp_path, "x\n", name="2023-05-06-attention.md").key == "attention"
    assert _post(tmp_path, "x\n", name="2024-01-01-attention.md").key == "attention"
    assert _post(tmp_path, "---\nid: post-7\n---\nx\n").key == "id:post-7"


def test_language(tmp_path: Path) -> None:
    assert _post(tmp_path, "---\nlang: ko-KR\n---\nEnglish text\n").lang == "ko"
    assert detect_language("트랜스포머는 attention 만으로 만든 모델이다. Encoder와 decoder.") == "ko"
    assert detect_language("The transformer uses attention only. 한국어") == "en"


def test_body_line_counts_the_front_matter(tmp_path: Path) -> None:
    post = _post(tmp_path, "---\na: 1\nb: 2\n---\n\n# H\n")
    assert post.body_line == 5


def test_bom_and_crlf_just_work(tmp_path: Path) -> None:
    post = _post(tmp_path, "\ufeff---\r\ntitle: 제목\r\ntags: [a]\r\n---\r\n- x\r\n".encode())
    assert (post.title, post.tags, post.body) == ("제목", ("a",), "\n- x\n")


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("---\ntitle: x\nbody without end\n", 1, "never closed"),
        ("---\ntitle: [unclosed\ntags: a\n---\nbody\n", 2, "invalid YAML"),
        ("---\ntitle: a\nbad: b: c\n---\nbody\n", 3, "invalid YAML"),
        ("---\n- a\n- b\n---\nbody\n", 2, "must be a mapping"),
        (b"---\ntitle: caf\xe9\n---\n", 2, "not UTF-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", 0, "binary"),
    ],
)
def test_bad_posts_name_file_and_line(tmp_path: Path, text: str | bytes, line: int, words: str) -> None:
    with pytest.raises(PostError) as caught:
        _post(tmp_path, text)
    error = caught.value
    assert error.path is not None and error.path.name == "2023-05-06-my-post.md"
    assert error.line == line
    assert words in str(error)
    assert "2023-05-06-my-post.md" in str(error)
