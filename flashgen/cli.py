"""Command line: options → api → messages. The only module that prints.

Exit codes: 0 success; 1 some posts (or a deck) failed, the rest were built; 2 usage error.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import click

from flashgen import api
from flashgen.errors import FlashgenError

_DEFAULT_SOURCES = ("_posts", "content")


def _clock() -> int:
    """The build's clock: SOURCE_DATE_EPOCH when set (reproducible builds), else now."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if value:
        try:
            return int(value)
        except ValueError:
            raise click.UsageError(f"SOURCE_DATE_EPOCH must be whole seconds, not {value!r}") from None
    return int(time.time())


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
def build(sources: tuple[Path, ...], output: Path, deck_name: str | None) -> None:
    """Build Anki decks from the posts in SOURCES.

    A source is a Markdown file or a folder (searched recursively for *.md and *.markdown).
    With no SOURCES, `_posts/` (Jekyll) or `content/` (Hugo) in the current folder is used.

    \b
    Examples:
      flashgen build                      # _posts/ → decks/<blog>.apkg
      flashgen build _posts/2024-01-02-attention.md -o /tmp/decks
      flashgen build notes/ --deck "Study::ML"
    """
    if not sources:
        found = [Path(name) for name in _DEFAULT_SOURCES if Path(name).is_dir()]
        if not found:
            raise click.UsageError(
                "no SOURCES given and no _posts/ or content/ folder here; "
                "name the posts to build, e.g. `flashgen build notes/`"
            )
        sources = (found[0],)

    result = api.build(list(sources), deck_name=deck_name)
    for problem in result.problems:
        click.echo(str(problem), err=True)

    timestamp = _clock()
    written: list[Path] = []
    write_errors = 0
    for deck in result.decks:
        try:
            written.append(api.write(deck, output, timestamp=timestamp))
        except FlashgenError as exc:
            write_errors += 1
            click.echo(f"error: {exc}", err=True)

    kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(result.kinds().items()))
    notes = _plural(len(result.notes), "note") + (f" ({kinds})" if kinds else "")
    click.echo(
        f"{_plural(result.posts_read, 'post')} read, {notes}, "
        f"{_plural(len(written), 'deck')} written ({', '.join(map(str, written)) or 'none'}), "
        f"{_plural(len(result.warnings), 'warning')}, "
        f"{_plural(len(result.errors) + write_errors, 'error')}"
    )
    if result.errors or write_errors:
        raise SystemExit(1)
