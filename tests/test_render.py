from __future__ import annotations

from flashgen.read import render


def test_cloze_defuses_double_braces_inside_math() -> None:
    html = render.inline(r"$\frac{a}{\sqrt{b}}$")
    assert render.cloze(1, html) == r"{{c1::\(\frac{a}{\sqrt{b} }\)}}"


def test_apostrophes_and_quotes_are_not_mangled() -> None:
    assert render.inline("It's \"quoted\" — 한국어's") == "It's \"quoted\" — 한국어's"


def test_math_is_untouched_by_emphasis() -> None:
    assert render.inline(r"$a_1 * b_2 * c$ and *em*") == r"\(a_1 * b_2 * c\) and <em>em</em>"
