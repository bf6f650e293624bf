"""Command line: options → api → messages. The only module that prints.

Exit codes: 0 success; 1 some posts (or a deck) failed, the rest were built, or `--check` found a
deck out of date; 2 a usage or configuration error.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import click

from flashgen import api
from flashgen.errors import ConfigError, FlashgenError
from flashgen.model import REMOVED_TAG, Changes
from flashgen.read import config as config_module

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


_config_option = click.option(
    "--config",
    "config_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A configuration file (default: ./flashgen.toml or ./pyproject.toml), e.g. `--config ci.toml`.",
)


class _Interruptible(click.Group):
    """A configuration error is a usage error (exit code 2) wherever it is found; Ctrl-C ends a
    command with the shell's code for it (128 + SIGINT = 130), not the 1 of a failed post; decks
    are written whole or not at all, so what existed is left as it was."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except ConfigError as exc:  # wherever it is found (a site's _config.yml, say): exit code 2
            raise click.UsageError(str(exc)) from None
        except KeyboardInterrupt:
            click.echo("\ninterrupted", err=True)
            ctx.exit(130)


@click.group(cls=_Interruptible, context_settings={"help_option_names": ["-h", "--help"]})
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
    help="Folder for the .apkg files (default: decks), e.g. `-o public/decks`.",
)
@click.option(
    "--deck",
    "deck_name",
    metavar="NAME",
    help="Deck name, e.g. `--deck 'Study::Papers'` (default: _config.yml's title, else the folder's name).",
)
@click.option(
    "--split",
    type=click.Choice(config_module.SPLITS),
    help="One deck, a subdeck per category, per post or per folder, e.g. `--split folder`.",
)
@_config_option
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
    "--allow-removal",
    is_flag=True,
    help="Write a deck even when it is left with no notes or loses over 30% of them, e.g. posts deleted.",
)
@click.option(
    "--css",
    "css_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Your own CSS, appended to the cards' styling, e.g. `--css cards.css`.",
)
@click.option("--no-cache", is_flag=True, help="Read every post again, e.g. to time a clean build.")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only, e.g. in a cron job.")
@click.option(
    "-v", "--verbose", is_flag=True, help="Also say what was left out and why, e.g. an answer over the limit."
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="A report for people or for scripts, e.g. `--format json`.",
)
def build(
    sources: tuple[Path, ...],
    output: Path | None,
    deck_name: str | None,
    split: str | None,
    config_file: Path | None,
    check: bool,
    forget_removed: bool,
    allow_removal: bool,
    css_file: Path | None,
    no_cache: bool,
    quiet: bool,
    verbose: bool,
    output_format: str,
) -> None:
    """Build Anki decks from the posts in SOURCES.

    A source is a Markdown file or a folder (searched recursively for *.md and *.markdown).
    With no SOURCES: the configuration's `sources`, else `_posts/` (Jekyll) or `content/` (Hugo)
    in the current folder. Settings come from flashgen.toml or pyproject.toml's [tool.flashgen];
    options given here override them.

    Beside each deck, a state file (DECK.state.json) remembers each note's content and the time
    it last changed; keep it with the deck (commit both in CI) so re-imports update notes in place.

    \b
    A deck that would be left with no notes, or lose over 30% of them (at least 5), is not written
    unless --allow-removal is given: an emptied or moved posts folder looks just like that. Post
    files named without -o never tag the deck's other notes removed: that deck is not written.

    \b
    Exit codes: 0 success; 1 some posts or a deck failed (the rest were built), --check found
    a deck out of date, or a deck was not written because it would lose notes; 2 a usage or
    configuration error.

    \b
    Examples:
      flashgen build                      # _posts/ → decks/<blog>.apkg
      flashgen build _posts/2024-01-02-attention.md -o /tmp/decks
      flashgen build notes/ --deck "Study::ML" --split category
      flashgen build --check              # in CI: fail when decks/ is out of date
    """
    config = _config(config_file)
    if output is not None:
        config = replace(config, output=output)
    if split is not None:
        config = replace(config, split=split)  # type: ignore[arg-type]
    if css_file is not None:
        config = replace(config, css=css_file)
    if no_cache:
        config = replace(config, cache=None)
    if quiet and verbose:
        raise click.UsageError("-q/--quiet and -v/--verbose ask for opposite things; give one")
    # Post files named here, written into the blog's own deck folder: a deck of those posts only.
    partial = output is None and any(source.is_file() for source in sources)
    sources = sources or config.sources or _default_sources(config.home)
    if missing := [str(source) for source in sources if not source.exists()]:
        # `sources = ["_post"]` (a typo) must not build "0 posts, 1 deck written" and exit 0.
        raise click.UsageError(f"no such source folder or file: {', '.join(missing)}")
    extra_css = _read_css(config.css)
    silent = quiet or output_format == "json"  # JSON on stdout is for a script: nothing else goes there
    reading = _Progress(sources, enabled=not silent)
    say = _Printer(quiet=silent, verbose=verbose, check=check, reading=reading)
    try:
        report = api.run(
            list(sources),
            config,
            deck_name=deck_name,
            check=check,
            forget_removed=forget_removed,
            allow_removal=allow_removal,
            partial=partial,
            extra_css=extra_css,
            verbose=verbose,
            clock=_clock,
            progress=reading,
            events=say,
        )
    finally:
        reading.close()
    if report.recalled:  # nothing was planned: every deck is as the last build left it
        for deck in report.decks:
            say.changes(deck.path, deck.changes)
    if output_format == "json":
        # A report answered from the last build's record comes out with its keys sorted, as the
        # record keeps them (and as earlier versions printed it).
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2, sort_keys=report.recalled))
    else:
        say.summary(report)
    if not report.ok:
        raise SystemExit(1)


def _config(config_file: Path | None) -> config_module.Config:
    try:
        return config_module.load(config_file or config_module.find(Path.cwd()))
    except FlashgenError as exc:
        raise click.UsageError(str(exc)) from None


def _built(sources: Sequence[Path], config: config_module.Config, verbose: bool) -> api.BuildResult:
    """The notes a build would make from `sources` (default: the build's), read afresh (the cache
    is left as it is), with its problems printed; for `show` and `preview`, which write no deck."""
    sources = sources or config.sources or _default_sources(config.home)
    result = api.build(list(sources), config=replace(config, cache=None))
    say = _Printer(quiet=False, verbose=verbose, check=False)
    for problem in result.problems:
        say.problem(problem)
    return result


def _default_sources(home: Path) -> tuple[Path, ...]:
    found = [home / name for name in _DEFAULT_SOURCES if (home / name).is_dir()]
    if not found and (home / ".obsidian").is_dir():
        found = [home]  # an Obsidian vault: its notes are everywhere in it
    if not found:
        raise click.UsageError(
            "no SOURCES given, none in flashgen.toml, and no _posts/ or content/ folder (or Obsidian "
            "vault) here; "
            "name the posts to build, e.g. `flashgen build notes/`, or run `flashgen init`"
        )
    return (found[0],)


def _read_css(path: Path | None) -> str:
    if path is None:
        return ""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise click.UsageError(f"cannot read the CSS file {path}: {exc}") from None


class _Progress:
    """A progress bar on stderr while posts are read, for builds of many posts in a terminal
    (never in logs or CI). It starts with the first post read, so a build answered from the last
    one shows none, and is closed before the build's messages are printed."""

    def __init__(self, sources: Sequence[Path], *, enabled: bool) -> None:
        self._sources = sources
        self._undecided = enabled and sys.stderr.isatty()
        self._open = contextlib.ExitStack()
        self._step: Callable[[int], None] | None = None

    def __call__(self, _path: Path) -> None:
        if self._undecided:
            self._undecided = False
            from flashgen.read.posts import find_posts

            total = sum(1 for source in self._sources for _ in find_posts(source))
            if total >= _PROGRESS_FROM:
                bar = click.progressbar(length=total, label="Reading posts", file=sys.stderr)
                self._step = self._open.enter_context(bar).update
        if self._step is not None:
            self._step(1)

    def close(self) -> None:
        self._undecided, self._step = False, None
        self._open.close()


_PROGRESS_FROM = 50


class _Printer(api.Events):
    """What the build says, by how much the user asked to hear, as it happens."""

    def __init__(self, *, quiet: bool, verbose: bool, check: bool, reading: _Progress | None = None) -> None:
        self.quiet, self.verbose, self.check, self.reading = quiet, verbose, check, reading

    def built(self, result: api.BuildResult) -> None:
        if self.reading is not None:
            self.reading.close()
        for problem in result.problems:
            self.problem(problem)

    def waiting(self, folder: Path) -> None:
        click.echo(f"another build is writing to {folder}; waiting for it to finish", err=True)

    def planned(self, planned: api.Planned) -> None:
        self.changes(planned.path, planned.changes)

    def failed(self, deck: str, error: FlashgenError) -> None:
        click.echo(f"error: {error}", err=True)

    def problem(self, problem: api.Problem) -> None:
        shown = {"error": True, "warning": not self.quiet, "info": self.verbose and not self.quiet}
        if shown[problem.severity]:
            click.echo(str(problem), err=True)

    def changes(self, path: Path, changes: Changes) -> None:
        if not self.quiet:
            _report_changes(path, changes, self.check)

    def summary(self, report: api.Report) -> None:
        if self.quiet:
            return
        kinds = ", ".join(f"{count} {kind}" for kind, count in report.kinds)
        notes = _plural(report.notes, "note") + (f" ({kinds})" if kinds else "")
        if kept := sum(deck.changes.kept for deck in report.decks):
            # The deck holds them too: without this line it would hold more notes than the summary says.
            notes += f", and {_plural(kept, 'note')} kept from the posts that failed"
        verb = "checked" if report.check else "written"
        done = [
            f"{api.shown_path(d.path)} {'up to date' if d.up_to_date else 'out of date'}"
            if report.check
            else _size(d)
            for d in report.decks
            if d.error is None
        ]
        cached = f" ({report.posts_unchanged} unchanged)" if report.posts_unchanged else ""
        if self.verbose and report.plan:
            click.echo(f"plan: {report.plan}")
        click.echo(
            f"{_plural(report.posts, 'post')} read{cached}, {notes}, "
            f"{_plural(len(done), 'deck')} {verb} ({', '.join(done) or 'none'}), "
            f"{_plural(len(report.warnings), 'warning')}, "
            f"{_plural(len(report.errors) + report.write_errors, 'error')}"
        )


def _size(deck: api.DeckReport) -> str:
    """A deck's path and size, and its largest image when it has one: `decks/x.apkg, 2.1 MB,
    largest image fg-….jpg 0.4 MB` (what to shrink when a deck is too large for a phone)."""
    shown = api.shown_path(deck.path)
    if deck.size is None:  # a report remembered by an older flashgen
        return shown
    shown += f", {_megabytes(deck.size)}"
    if deck.largest_media:
        name, size = deck.largest_media
        shown += f", largest image {name} {_megabytes(size)}"
    return shown


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{max(1, round(size / 1000))} KB"


@main.command()
@click.option("--force", is_flag=True, help="Write the workflow again, e.g. to update it (not the settings).")
@click.option(
    "--cron",
    default="23 3 * * *",
    show_default=True,
    help="When the workflow rebuilds the decks (UTC), e.g. `--cron '0 6 * * 1'` for Mondays.",
)
@click.option(
    "--publish",
    type=click.Choice(config_module.PUBLISHES),
    help="Where CI puts the .apkg: committed (default) or on a GitHub release, e.g. `--publish release`.",
)
def init(force: bool, cron: str, publish: str | None) -> None:
    """Set up flashgen in the blog in the current folder.

    Writes a starter flashgen.toml (unless pyproject.toml already has [tool.flashgen]), a GitHub
    Actions workflow (.github/workflows/flashgen.yml) that rebuilds the decks on a schedule, by
    hand and on pushes that touch the posts, and checks pull requests' posts, a Dependabot file
    that keeps the workflow's actions current, and adds the cache folder to .gitignore. Then
    commit these files and push.

    \b
    Where the .apkg goes (--publish, or `publish` in flashgen.toml):
      commit    decks/ is committed, deck and state file; a Jekyll site serves it
      release   only the state file is committed; the deck is attached to the
                rolling release `flashgen-decks`, at a download URL that never changes

    \b
    Examples:
      flashgen init
      flashgen init --publish release
      flashgen init --cron "0 6 * * 1" --force
    """
    from flashgen.commands import init as setup  # here, not at the top: only `init` needs it

    setup.run(force, cron, publish)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
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
@_config_option
def show(paths: tuple[Path, ...], output_format: str, verbose: bool, config_file: Path | None) -> None:
    """Print the notes a build would make from PATHS (default: the build's sources), without
    writing a deck.

    For each note: where it comes from (file:line), its kind, the question and the answer as
    text (a cloze's blanks show as […] and its answers are listed), and its tags. The settings
    (rules, limits, language, tag prefix, deck split) are the build's: flashgen.toml or
    pyproject.toml's [tool.flashgen].

    \b
    Examples:
      flashgen show _posts/2024-01-02-attention.md
      flashgen show _posts --format json | jq '.notes | length'
    """
    from flashgen.commands import report

    result = _built(paths, _config(config_file), verbose)
    name = result.decks[0].name if result.decks else ""
    table_rows = report.rows(result.notes, name)
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


@main.command()
@click.argument("sources", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "-o",
    "--output",
    "page",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The page to write (default: preview.html in the cache folder, which a site does not "
    "publish; its images go in a folder beside it), e.g. `-o /tmp/cards.html`.",
)
@click.option("--open", "open_page", is_flag=True, help="Open the page in a browser, e.g. `--open`.")
@_config_option
def preview(sources: tuple[Path, ...], page: Path | None, open_page: bool, config_file: Path | None) -> None:
    """Write every card of a build to one HTML page, front and back as Anki shows them.

    The page needs no network: the deck's own templates and CSS, formulas typeset as MathML,
    highlighted code, the images beside it. Filter by post, kind, tag, and new / changed /
    removed since the last build (the state file in the output folder); search; switch to
    night mode. Each card shows its id and the line that leaves it out of later builds.

    \b
    Examples:
      flashgen preview --open
      flashgen preview _posts/2024-01-02-attention.md -o /tmp/attention.html
    """
    from flashgen.commands import preview as preview_module

    config = _config(config_file)
    page = page or (config.cache or config.home) / "preview.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    result = _built(sources, config, verbose=False)
    extra_css = _read_css(config.css)
    (deck,) = result.decks  # a build makes one package; `deck:` in front matter makes subdecks in it
    count = preview_module.preview(deck, config.output, page, extra_css, media_cache=config.cache)
    click.echo(f"{page}: {_plural(count, 'card')} from {_plural(result.posts_read, 'post')}")
    if open_page:
        import webbrowser

        webbrowser.open(page.resolve().as_uri())
    if result.errors:
        raise SystemExit(1)


@main.command()
@click.argument("sources", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--no-open",
    is_flag=True,
    help="Print the page's address without opening a browser, e.g. on a machine you reach by SSH.",
)
@_config_option
def review(sources: tuple[Path, ...], no_open: bool, config_file: Path | None) -> None:
    """Keep, drop or rewrite each card in your browser, by keyboard; every build keeps it so.

    Serves the cards on 127.0.0.1 at a random port, behind a secret token in the address; stops on
    Ctrl-C. Drops go to `ignore` in your configuration (comments kept); rewrites and the cards you
    kept go to flashgen-reviews.json beside it. Commit both.

    \b
    Examples:
      flashgen review
      flashgen review _posts/2024-01-02-attention.md --no-open
    """
    import time

    from flashgen.commands import review as review_module

    config = _config(config_file)
    found = config_file or config_module.find(Path.cwd())
    target = review_module.config_file_for(found, config.home if found else Path.cwd())
    result = _built(sources, replace(config, reviews=()), verbose=False)
    (deck,) = result.decks
    made = review_module.make(
        deck, config.output, target, extra_css=_read_css(config.css), media_cache=config.cache
    )
    server = review_module.serve(made)
    click.echo(f"Reviewing {_plural(len(deck.notes), 'card')}: {server.url}")
    click.echo("Press Ctrl-C to stop.")
    if not no_open:
        import webbrowser

        webbrowser.open(server.url)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.shutdown()
        click.echo("Stopped.")


@main.command()
@click.argument("decks", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--url",
    default="http://127.0.0.1:8765",
    show_default=True,
    help="Where AnkiConnect listens, on this machine, e.g. `--url http://localhost:8765`.",
)
@click.option(
    "--delete-removed",
    is_flag=True,
    help="Then delete in Anki the deck's notes tagged flashgen::removed (no post makes them now), "
    "after a confirmation that lists them, e.g. `flashgen push --delete-removed`.",
)
@click.option(
    "--yes", is_flag=True, help="Delete without asking, e.g. in a script: `--delete-removed --yes`."
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Only list the notes --delete-removed would delete, e.g. `--delete-removed --dry-run`.",
)
@_config_option
def push(
    decks: tuple[Path, ...],
    url: str,
    delete_removed: bool,
    yes: bool,
    dry_run: bool,
    config_file: Path | None,
) -> None:
    """Import the built decks into the Anki running here, through the AnkiConnect add-on.

    DECKS are .apkg files (default: every deck in the output folder). Anki imports each as File →
    Import would: new notes are added, changed ones updated in place, review history kept. Only
    an AnkiConnect on this machine is asked (it reads the deck from this machine's disk), directly,
    never through a proxy; no credentials are sent.

    \b
    Examples:
      flashgen build && flashgen push
      flashgen push decks/Study__ML.apkg
    """
    from flashgen.commands import push as push_module

    try:  # before anything is read or sent: only plain http on this machine, no control characters
        push_module.check_url(url)
    except ConfigError as exc:
        raise click.BadParameter(exc.message, param_hint="--url") from None
    config = _config(config_file)
    decks = decks or tuple(sorted(config.output.glob("*.apkg")))
    if not decks:
        raise click.UsageError(f"no decks in {config.output}; run `flashgen build` first")
    failed = 0
    for deck in decks:
        try:
            push_module.push(deck, url)
        except FlashgenError as exc:
            failed += 1
            click.echo(f"error: {exc}", err=True)
            continue
        click.echo(f"{api.shown_path(deck)}: imported into Anki")
        if delete_removed and not _delete_removed(deck, url, yes=yes, dry_run=dry_run):
            failed += 1
    if failed:
        raise SystemExit(1)


def _delete_removed(deck: Path, url: str, *, yes: bool, dry_run: bool) -> bool:
    """Delete in Anki the notes of `deck` tagged flashgen::removed, once the user agrees (or
    `yes`); with `dry_run`, only list them. False when it could not be done."""
    from flashgen.commands import push as push_module
    from flashgen.write import state

    name = state.load(api.state_path_for(deck)).deck
    if name is None:
        click.echo(f"error: {api.shown_path(deck)}: no state file names its deck; build it first", err=True)
        return False
    try:
        removed = push_module.removed_notes(name, url)
        if not removed:
            click.echo(f"{name}: no note in Anki is tagged {REMOVED_TAG}")
            return True
        click.echo(f"{name}: {_plural(len(removed), 'note')} in Anki no post makes any more:")
        for note in removed:
            click.echo(f"  {note.note_id}  {note.text}")
        if dry_run:
            click.echo("(--dry-run: nothing deleted)")
            return True
        if not yes and not click.confirm(
            f"Delete these {_plural(len(removed), 'note')} and their review history in Anki?", default=False
        ):
            click.echo("Nothing deleted.")
            return True
        push_module.delete(removed, url)
    except FlashgenError as exc:
        click.echo(f"error: {exc}", err=True)
        return False
    click.echo(
        f"{name}: {_plural(len(removed), 'note')} deleted in Anki; now run `flashgen build "
        "--forget-removed` so that the deck stops shipping them"
    )
    return True


def _report_changes(path: Path, changes: Changes, check: bool = False) -> None:
    parts = [
        f"{len(changes.new)} new",
        f"{len(changes.changed)} changed",
        f"{len(changes.removed)} removed",
    ]
    if changes.note_types_changed:
        parts.append("note types changed")
    click.echo(f"{api.shown_path(path)}: {', '.join(parts)}")
    if changes.reverse_fields_added:
        click.echo(
            f"{api.shown_path(path)}: its note type gained the fields of reverse cards. Import this deck "
            "once with “Merge note types” ticked and “Update notes” set to “Always” (Anki 23.10 or "
            "later), or the notes already in Anki are not updated; from then on, import it as before",
            err=True,
        )
    from flashgen.read import render  # only here, where notes are listed: not on a no-change rebuild

    if check:  # what a build would change, note by note: its id, its question, where it comes from
        for what, notes in (("new", changes.new), ("changed", changes.changed)):
            for note in notes:
                click.echo(
                    f"  {what}: {note.guid} {render.text(note.front)[:70]} ({note.origin}:{note.ref.line})"
                )
    for note in changes.removed:
        question = render.text(note.front)[:70]
        which = f"{note.guid} " if check else ""
        click.echo(f"  removed: {which}{question} ({note.origin}) — shipped tagged {REMOVED_TAG}")
    if changes.still_removed:
        click.echo(
            f"  {_plural(changes.still_removed, 'note')} still tagged {REMOVED_TAG}; "
            "delete them in Anki, then build with --forget-removed"
        )
