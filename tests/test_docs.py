"""The README's promises: its two set-up commands, CI running the same test command, a landing page
under 8 KB that lists every command. And the manual's (docs/, built with MkDocs): every option of
every command documented, its card examples what flashgen makes, every page in mkdocs.yml's nav, and
links that lead somewhere."""

from __future__ import annotations

import importlib
import re
import tomllib
import unicodedata
from pathlib import Path

import click
import pytest
import yaml

from tests.conftest import ROOT

README_PATH = ROOT / "README.md"
README = README_PATH.read_text(encoding="utf-8")
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.glob("*.md"))
MKDOCS = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
README_LIMIT = 8192  # bytes: the "under about 8 KB"


def _commands() -> list[str]:
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", README, re.DOTALL)]


def _ci_lines() -> list[str]:
    return [ln.strip() for ln in CI.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


def test_readme_shows_the_build_and_test_commands() -> None:
    commands = _commands()
    assert "pip install . && flashgen build examples/_posts" in commands
    assert 'pip install ".[test]" && python -m pytest' in commands


def test_ci_runs_the_readme_test_command() -> None:
    test_command = next(c for c in _commands() if "pytest" in c)
    assert test_command in _ci_lines()


def test_ci_builds_the_manual_strictly() -> None:
    builds = [ln for ln in _ci_lines() if ln.startswith("mkdocs build")]
    assert builds, "CI does not build the manual"
    assert all("--strict" in ln.split() for ln in builds), builds
    # Built outside the clone (or site/ would be left in it to be committed by mistake).
    assert all("--site-dir" in ln.split() for ln in builds), builds


def test_the_readme_is_a_landing_page_under_8_kb() -> None:
    size = len(README_PATH.read_bytes())
    assert size < README_LIMIT, f"README.md is {size} bytes; move detail to docs/"


def _cli() -> click.Group:
    """The `flashgen` command group, found where pyproject.toml's [project.scripts] says it is."""
    with (ROOT / "pyproject.toml").open("rb") as f:
        target = tomllib.load(f)["project"]["scripts"]["flashgen"]
    module, _, attr = target.partition(":")
    group = getattr(importlib.import_module(module), attr)
    assert isinstance(group, click.Group)
    return group


def test_the_readme_lists_every_command_in_one_table() -> None:
    rows = re.findall(r"^\| `flashgen (\w+)[^`]*` \|[^|\n]+\|$", README, re.MULTILINE)
    assert sorted(rows) == sorted(_cli().commands), rows


def _sections(text: str) -> dict[str, str]:
    """A page's `## ` sections by title, code blocks included (a `## ` inside a fence is not one)."""
    sections: dict[str, str] = {}
    title, fence = "", False
    for line in text.splitlines():
        if line.startswith("```"):
            fence = not fence
        if not fence and line.startswith("## "):
            title = line[3:].strip()
        sections[title] = sections.get(title, "") + line + "\n"
    return sections


@pytest.mark.parametrize("name", sorted(_cli().commands))
def test_the_manual_documents_every_option_of_every_command(name: str) -> None:
    """docs/commands.md has a `## flashgen NAME` section naming each of the command's options."""
    section = _sections((DOCS / "commands.md").read_text(encoding="utf-8")).get(f"flashgen {name}")
    assert section is not None, f"docs/commands.md has no '## flashgen {name}' section"
    options = [
        opt
        for param in _cli().commands[name].params
        for opt in getattr(param, "opts", [])
        if opt.startswith("-") and opt != "--help"
    ]
    assert options
    spans = re.findall(r"`([^`\n]+)`", section)
    for opt in options:
        named = rf"(?<![\w-]){re.escape(opt)}(?![\w-])"
        assert any(re.search(named, span) for span in spans), f"flashgen {name} {opt}"


def _card_examples() -> list[tuple[str, list[str]]]:
    """The manual's style examples: a ```markdown block, then `→ kind: question → answer` lines."""
    found = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        found += re.findall(r"```markdown\n([\s\S]*?)```\n((?:→ .*\n)+)", text)
    return [(md, [ln[2:] for ln in lines.strip("\n").split("\n")]) for md, lines in found]


def test_the_manual_shows_at_least_a_dozen_styles() -> None:
    assert len(_card_examples()) >= 12


@pytest.mark.parametrize("example", range(len(_card_examples())))
def test_the_manuals_card_examples_are_what_flashgen_makes(example: int, tmp_path) -> None:
    from flashgen import api
    from flashgen.commands import report

    md, expected = _card_examples()[example]
    (tmp_path / "post.md").write_text(md, encoding="utf-8")
    result = api.build([tmp_path], deck_name="D")
    assert result.errors == ()
    made = [f"{r.kind}: {r.question} → {r.answer}" for r in report.rows(result.notes, "D")]
    assert made == expected


def _nav_pages(nav: object) -> list[str]:
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, list):
        return [page for item in nav for page in _nav_pages(item)]
    if isinstance(nav, dict):
        return [page for value in nav.values() for page in _nav_pages(value)]
    return []


def test_every_page_of_the_manual_is_in_the_nav() -> None:
    assert MKDOCS.get("docs_dir", "docs") == "docs"
    nav = [p for p in _nav_pages(MKDOCS["nav"]) if not re.match(r"https?://", p)]
    assert len(nav) == len(set(nav)), nav
    assert sorted(nav) == sorted(p.name for p in PAGES)
    assert "index.md" in nav


def test_the_readme_links_every_page_of_the_manual() -> None:
    linked = {target for target, _ in _links(README) if target.startswith("docs/")}
    assert {f"docs/{p.name}" for p in PAGES} <= linked


def _without_code_blocks(text: str) -> str:
    return re.sub(r"^```.*?^```", "", text, flags=re.MULTILINE | re.DOTALL)


def _prose(text: str) -> str:
    """Markdown without its code blocks and code spans (a link shown as code is not a link)."""
    return re.sub(r"(`+).*?\1", "", _without_code_blocks(text), flags=re.DOTALL)


def _links(text: str) -> list[tuple[str, str]]:
    """The relative links of a page, as (path, anchor); a link to the page itself has path ''."""
    found = []
    for target in re.findall(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)", _prose(text)):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto:
            continue
        path, _, anchor = target.partition("#")
        found.append((path, anchor))
    return found


def _anchors(page: Path) -> set[str]:
    """The ids MkDocs (Python-Markdown's toc) gives a page's headings; GitHub's are the same for these."""
    ids = set()
    text = _without_code_blocks(page.read_text(encoding="utf-8"))
    for heading in re.findall(r"^#{1,6} (.+)$", text, re.MULTILINE):
        value = unicodedata.normalize("NFKD", heading.replace("`", "")).encode("ascii", "ignore").decode()
        value = re.sub(r"[^\w\s-]", "", value).strip().lower()
        ids.add(re.sub(r"[-\s]+", "-", value))
    return ids


@pytest.mark.parametrize("page", [README_PATH, *PAGES], ids=lambda p: p.name)
def test_relative_links_lead_to_a_file_and_heading(page: Path) -> None:
    for path, anchor in _links(page.read_text(encoding="utf-8")):
        target = (page.parent / path).resolve() if path else page
        assert target.is_file(), f"{page.name}: {path}"
        if page.parent == DOCS:  # MkDocs builds only docs/: a page may not link out of it
            assert target.parent == DOCS, f"{page.name}: {path} is outside docs/"
        if anchor:
            assert target.suffix == ".md" and anchor in _anchors(target), f"{page.name}: {path}#{anchor}"
