"""The README's promises: its two set-up commands, and CI running the same test command."""

from __future__ import annotations

import re

import pytest

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def _commands() -> list[str]:
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", README, re.DOTALL)]


def test_readme_shows_the_build_and_test_commands() -> None:
    commands = _commands()
    assert "pip install . && flashgen build examples/_posts" in commands
    assert 'pip install ".[test]" && python -m pytest' in commands


def test_ci_runs_the_readme_test_command() -> None:
    test_command = next(c for c in _commands() if "pytest" in c)
    ci_lines = [ln.strip() for ln in CI.splitlines() if ln.strip() and not ln.startswith("#")]
    assert test_command in ci_lines


def test_readme_documents_every_build_option() -> None:
    from flashgen.cli import build

    for param in build.params:
        for opt in getattr(param, "opts", []):
            if opt.startswith("-") and opt != "--help":
                assert opt in README, opt


def _card_examples() -> list[tuple[str, list[str]]]:
    """The README's style examples: a ```markdown block, then `→ kind: question → answer` lines."""
    found = re.findall(r"```markdown\n([\s\S]*?)```\n((?:→ .*\n)+)", README)
    return [(md, [ln[2:] for ln in lines.strip("\n").split("\n")]) for md, lines in found]


def test_readme_shows_at_least_a_dozen_styles() -> None:
    assert len(_card_examples()) >= 12


@pytest.mark.parametrize("example", range(len(_card_examples())))
def test_readme_card_examples_are_what_flashgen_makes(example: int, tmp_path) -> None:
    from flashgen import api, report

    md, expected = _card_examples()[example]
    (tmp_path / "post.md").write_text(md, encoding="utf-8")
    result = api.build([tmp_path], deck_name="D")
    assert result.errors == ()
    made = [f"{r.kind}: {r.question} → {r.answer}" for r in report.rows(result.notes, "D")]
    assert made == expected
