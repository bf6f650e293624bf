"""Command line: options → api → messages. The only module that prints.

Exit codes: 0 success; 1 some posts (or a deck) failed, the rest were built; 2 usage error.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import click

from flashgen import api, render, report
from flashgen.errors import FlashgenError
from flashgen.state import REMOVED_TAG

_DEFAULT_SOURCES = ("_posts", "content")


def _clock() -> int:
    """The build's clock: SOURCE_DATE_EPOCH when set (reproducible builds), else now; never later
    than now, since Anki rewrites ids that lie in the future."""
    now = int(time.time())
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return now
    try:
        return min(int(value), now)
    except ValueError:
        raise click.UsageError(f"SOURCE_DATE_EPOCH must be whole seconds, not {value!r}") from None


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="flashgen")
def main() -> None:
    """Turn Markdown study notes (Jekyll or Hugo posts) into Anki decks."""


@main.command()
@click.argument(
    "sources",
    nargs=-1,
    type=click.Path(exists=True, file_okay=True, dir_okay=True, path_type=Path),
)
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("decks"),
    show_default=True,
    help="Folder for the .apkg files, e.g. `-o public/decks`.",
)
@click.option(
    "--deck",
    "deck_name",
    metavar="NAME",
    help="Deck name, e.g. `--deck 'Study::Papers'` (default: the blog folder's name).",
)
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; exit 1 if a deck or state file would change, e.g. in CI on pull requests.",
)
@click.option(
    "--forget-removed",
    is_flag=True,
    help="Stop shipping notes already tagged flashgen::removed, e.g. after deleting them in Anki.",
)
@click.option(
    "--css",
    "css_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Your own CSS, appended to the cards' styling, e.g. `--css cards.css`.",
)
def build(
    sources: tuple[Path, ...],
    output: Path,
    deck_name: str | None,
    check: bool,
    forget_removed: bool,
    css_file: Path | None,
) -> None:
    """Build Anki decks from the posts in SOURCES.

    A source is a Markdown file or a folder (searched recursively for *.md and *.markdown).
    With no SOURCES, `_posts/` (Jekyll) or `content/` (Hugo) in the current folder is used.
    Beside each deck, a state file (DECK.state.json) remembers each note's content and the time
    it last changed; keep it with the deck (commit both in CI) so re-imports update notes in place.

    \b
    Examples:
      flashgen build                      # _posts/ → decks/<blog>.apkg
      flashgen build _posts/2024-01-02-attention.md -o /tmp/decks
      flashgen build notes/ --deck "Study::ML"
      flashgen build --check              # in CI: fail when decks/ is out of date
    """
    if not sources:
        found = [Path(name) for name in _DEFAULT_SOURCES if Path(name).is_dir()]
        if not found:
            raise click.UsageError(
                "no SOURCES given and no _posts/ or content/ folder here; "
                "name the posts to build, e.g. `flashgen build notes/`"
            )
        sources = (found[0],)
    extra_css = css_file.read_text(encoding="utf-8") if css_file else ""

    result = api.build(list(sources), deck_name=deck_name)
    for problem in result.problems:
        click.echo(str(problem), err=True)

    clock = _clock()
    done: list[str] = []
    write_errors = 0
    out_of_date = False
    for deck in result.decks:
        try:
            planned = api.plan(
                deck,
                output,
                clock=clock,
                failed_sources=result.failed_sources,
                extra_css=extra_css,
                forget_removed=forget_removed,
            )
            _report_changes(planned)
            if check:
                out_of_date |= not planned.up_to_date
                state = "up to date" if planned.up_to_date else "out of date"
                done.append(f"{planned.path} {state}")
            else:
                api.write(planned)
                done.append(str(planned.path))
        except FlashgenError as exc:
            write_errors += 1
            click.echo(f"error: {exc}", err=True)

    kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(result.kinds().items()))
    notes = _plural(len(result.notes), "note") + (f" ({kinds})" if kinds else "")
    verb = "checked" if check else "written"
    click.echo(
        f"{_plural(result.posts_read, 'post')} read, {notes}, "
        f"{_plural(len(done), 'deck')} {verb} ({', '.join(done) or 'none'}), "
        f"{_plural(len(result.warnings), 'warning')}, "
        f"{_plural(len(result.errors) + write_errors, 'error')}"
    )
    if result.errors or write_errors or out_of_date:
        raise SystemExit(1)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="A table for reading, or JSON for scripts, e.g. `--format json`.",
)
@click.option(
    "-v", "--verbose", is_flag=True, help="Also say what was left out and why, e.g. an answer over the limit."
)
def show(paths: tuple[Path, ...], output_format: str, verbose: bool) -> None:
    """Print the notes a build would make from PATHS, without writing a deck.

    For each note: where it comes from (file:line), its kind, the question and the answer as
    text (a cloze's blanks show as […] and its answers are listed), and its tags.

    \b
    Examples:
      flashgen show _posts/2024-01-02-attention.md
      flashgen show _posts --format json | jq '.notes | length'
    """
    result = api.build(list(paths))
    name = result.decks[0].name if result.decks else ""
    table_rows = report.rows(result.notes, name)
    for problem in result.problems:
        if problem.severity != "info" or verbose:
            click.echo(str(problem), err=True)
    if output_format == "json":
        data = {
            "notes": report.as_dicts(table_rows),
            "problems": [
                {"severity": p.severity, "path": str(p.path), "line": p.line, "message": p.message}
                for p in result.problems
                if p.severity != "info" or verbose
            ],
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        columns = shutil.get_terminal_size((120, 24)).columns
        click.echo(report.table(table_rows, columns))
        click.echo(f"{_plural(len(table_rows), 'note')} from {_plural(result.posts_read, 'post')}")
    if result.errors:
        raise SystemExit(1)


def _report_changes(planned: api.Planned) -> None:
    changes = planned.changes
    parts = [
        f"{len(changes.new)} new",
        f"{len(changes.changed)} changed",
        f"{len(changes.removed)} removed",
    ]
    if changes.note_types_changed:
        parts.append("note types changed")
    click.echo(f"{planned.path}: {', '.join(parts)}")
    for note in changes.removed:
        question = render.text(note.front)[:70]
        click.echo(f"  removed: {question} ({note.origin}) — shipped tagged {REMOVED_TAG}")
    if changes.still_removed:
        click.echo(
            f"  {_plural(changes.still_removed, 'note')} still tagged {REMOVED_TAG}; "
            "delete them in Anki, then build with --forget-removed"
        )
