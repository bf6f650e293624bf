"""Invariants over any input: no crash but our own error, well-formed notes, same bytes twice."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flashgen import api
from flashgen.errors import FlashgenError
from flashgen.extract import extract_notes, unique_questions
from flashgen.read import render
from flashgen.read.posts import read_post
from flashgen.read.sections import split_sections
from tests.conftest import write_deck

FRAGMENTS = [
    "# ",
    "## ",
    "### (1) ",
    "#### 1) ",
    "- ",
    "  - ",
    "    - ",
    "* ",
    "1. ",
    "2. ",
    "> ",
    "**",
    "`",
    "$",
    "$$",
    " : ",
    ": ",
    "[논문보기](https://arxiv.org/abs/1706.03762)",
    "https://doi.org/10.1/x",
    "|a|b|",
    "|---|---|",
    "회고",
    "Retrospective",
    "{#id}",
    "<br/>",
    "```",
    "~~~",
    "\t",
    "    ",
    "용어 : 정의",
    "**Term**: def",
    "<script>x</script>",
    "}}",
    "::",
    " :: ",
    "Q: ",
    "A: ",
    "질문: ",
    "==",
    "{{c1::",
    "{{c2::x::y}}",
    "?",
    "<!-- flashgen: skip -->",
    "Term - ",
    "- [x](https://a.b/c)",
    "## Abstract",
    "## References",
]
line = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=6).map("".join)
document = st.lists(line, max_size=25).map("\n".join)
front = st.sampled_from(["", "---\ntitle: T\ntags: [a, b c]\n---\n", "---\n", "---\n: x\n---\n"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(front=front, body=document)
def test_any_text_gives_well_formed_notes_or_our_error(front: str, body: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "post.md"
        path.write_text(front + body, encoding="utf-8", errors="surrogatepass")
        try:
            post = read_post(path, Path(folder))
        except FlashgenError:
            return
        notes = extract_notes(post, split_sections(post)).notes
    guids = [n.guid for n in notes]
    assert len(guids) == len(set(guids))
    for note in notes:
        assert render.text(note.front)
        if note.cloze:
            deletions = re.findall(r"\{\{c\d+::(.+?)\}\}", note.front, re.DOTALL)
            assert any(render.text(d) for d in deletions)
        else:
            assert render.text(note.back)
        assert "<script" not in note.front + note.back
    questions = [render.text(n.front) for n in unique_questions(notes) if not n.cloze]
    assert len(questions) == len(set(questions))


@settings(max_examples=25, deadline=None)
@given(body=document)
def test_building_twice_gives_the_same_bytes(body: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "post.md").write_text("---\ntitle: T\n---\n" + body, encoding="utf-8")
        first = write_deck(api.build([root], deck_name="D").decks[0], root / "a", clock=5)
        second = write_deck(api.build([root], deck_name="D").decks[0], root / "b", clock=5)
        assert first.read_bytes() == second.read_bytes()


@settings(max_examples=20, deadline=None)
@given(front=front, body=document)
def test_any_deck_built_from_any_text_imports_into_anki(front: str, body: str) -> None:
    from anki.collection import Collection

    from tests.conftest import import_package

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "posts").mkdir()
        (root / "posts" / "post.md").write_text(front + body, encoding="utf-8", errors="surrogatepass")
        result = api.build([root / "posts"], deck_name="Random")
        package = write_deck(result.decks[0], root / "decks")
        col = Collection(str(root / "collection.anki2"))
        try:
            import_package(col, package)
            assert len(col.find_notes("")) == len(result.notes)
            for card_id in col.find_cards(""):
                card = col.get_card(card_id)
                card.question()
                card.answer()
        finally:
            col.close()
