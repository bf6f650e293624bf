"""The example post, checked against what the pipeline issue promises for it."""

from __future__ import annotations

import re

import pytest

from flashgen.extract import extract_notes
from flashgen.model import Note
from flashgen.read import render
from flashgen.read.posts import read_post
from flashgen.read.sections import split_sections
from tests.conftest import EXAMPLES

POST = EXAMPLES / "aiffel-retrospective.md"


@pytest.fixture(scope="module")
def notes() -> tuple[Note, ...]:
    post = read_post(POST, EXAMPLES)
    extracted = extract_notes(post, split_sections(post))
    found, warnings = extracted.notes, list(extracted.warnings)
    assert warnings == []
    return found


def _of(notes: tuple[Note, ...], kind: str) -> list[Note]:
    return [n for n in notes if n.kind == kind]


def test_six_paper_notes_with_arxiv_ids(notes: tuple[Note, ...]) -> None:
    papers = _of(notes, "paper")
    ids = [re.search(r"arXiv:\S+", render.text(n.extra)).group(0) for n in papers]  # type: ignore[union-attr]
    assert ids == [
        "arXiv:1706.03762",
        "arXiv:2010.11929",
        "arXiv:2103.00020",
        "arXiv:2304.02643",
        "arXiv:2112.05682",
        "arXiv:2111.00396",
    ]
    questions = [render.text(n.front) for n in papers]
    # Numbering "(2)" and the "[논문보기](…)" label are gone; the table's fuller title is used.
    assert questions[1] == (
        "「VIT An Image is Worth 16x16 Words: Transformers for Image Recognition at Scale」"
        " 논문의 핵심 내용은?"
    )
    assert all("논문보기" not in q and not q.startswith("(") for q in questions)
    # The time slot from the schedule table is shown as context.
    assert "10:20 - 11:00" in render.text(papers[0].extra)
    # The summary is the section's body.
    assert "recurrent layers" in render.text(papers[0].back)
    assert "IoU" in render.text(papers[3].back)


def test_seminar_list_is_one_cloze_note_with_five_clozes(notes: tuple[Note, ...]) -> None:
    lists = _of(notes, "list")
    assert len(lists) == 1
    text = lists[0].front
    assert lists[0].cloze
    assert [int(n) for n in re.findall(r"\{\{c(\d+)::", text)] == [1, 2, 3, 4, 5]
    assert "{{c1::각 기업의 채용 목적 이해가 필요}}" in text
    assert "{{c5::규직서류에 표현 되었으면 하는 것}}" in text
    assert "취업 세미나 요약" in text


def test_points_with_sub_points_get_their_own_notes(notes: tuple[Note, ...]) -> None:
    children = {render.text(n.front).split(" {{")[0]: n for n in _of(notes, "children")}
    heads = {re.sub(r" — 어떤 내용인가\?$", "", k) for k in children}
    assert {
        "각 기업의 채용 목적 이해가 필요",
        "개발자의 역할은 시간이 지남에 따라 달라진다.",
        "기업의 온보딩 과정을 따라하자.",
        "아이펠톤 시 목표 설정",
        "개발 기본기 갖추기",
        "소프트 스킬 습득",
        "규직서류에 표현 되었으면 하는 것",
    } == heads
    goals = next(n for k, n in children.items() if k.startswith("아이펠톤 시 목표 설정"))
    assert "{{c1::개발 기본기 갖추기}}" in goals.front and "{{c2::소프트 스킬 습득}}" in goals.front
    basics = next(n for k, n in children.items() if k.startswith("개발 기본기 갖추기"))
    assert basics.front.count("{{c") == 3 and "형상 관리" in basics.front
    one_child = next(n for k, n in children.items() if k.startswith("각 기업의 채용 목적"))
    assert not one_child.cloze and "버그 관리/확장성" in render.text(one_child.back)


def test_the_three_fit_definitions(notes: tuple[Note, ...]) -> None:
    definitions = {render.text(n.front): render.text(n.back) for n in _of(notes, "definition")}
    assert definitions["기업 적합성은 무엇인가?"] == "기본사항(희망직무, 프로필 등)"
    assert definitions["직무 적합성은 무엇인가?"] == "학력, 자격, 교육사항 / 직무경험"
    assert definitions["조직 적합성은 무엇인가?"] == "기타 경험(동아리, 기타활동 등)"


def test_no_note_from_reflections(notes: tuple[Note, ...]) -> None:
    lines = POST.read_text(encoding="utf-8").splitlines()
    reflection_lines = {i for i, line in enumerate(lines, start=1) if "회고" in line and line.startswith("#")}
    bodies = {line + 1 for line in reflection_lines}  # the bullet right under each 회고 heading
    assert len(reflection_lines) == 4
    assert not {n.ref.line for n in notes} & (reflection_lines | bodies)
    everything = " ".join(render.text(n.front + n.back) for n in notes)
    for phrase in ("나름대로", "내가 공부한 AI", "에이펠에서는 코어 과정"):
        assert phrase not in everything


def test_every_note_is_tagged_from_front_matter(notes: tuple[Note, ...]) -> None:
    assert notes
    assert all(set(n.tags) == {"MLOps", "anything"} for n in notes)


def test_questions_are_korean_and_context_is_a_cue(notes: tuple[Note, ...]) -> None:
    for note in notes:
        cue = render.text(note.context)
        assert cue.startswith("Aiffel) 교류회 or 취업 세미나, 전반기 회고 › ")
        if not note.cloze:
            assert cue not in render.text(note.front)
            assert re.search(r"[가-힣]", render.text(note.front))
