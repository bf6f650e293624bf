"""The README's promises: its two set-up commands, and CI running the same test command."""

from __future__ import annotations

import re

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
