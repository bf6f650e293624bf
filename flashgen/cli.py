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
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, cast

import click

from flashgen import anki, api, render, report, unchanged, workflow
from flashgen import config as config_module
from flashgen.errors import ConfigError, FlashgenError
from flashgen.model import Deck
from flashgen.posts import find_posts
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
    help="One deck, a subdeck per category, or a subdeck per post, e.g. `--split category`.",
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
    Exit codes: 0 success; 1 some posts or a deck failed (the rest were built), or --check found
    a deck out of date; 2 a usage or configuration error.

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
    sources = sources or config.sources or _default_sources(config.home)
    if missing := [str(source) for source in sources if not source.exists()]:
        # `sources = ["_post"]` (a typo) must not build "0 posts, 1 deck written" and exit 0.
        raise click.UsageError(f"no such source folder or file: {', '.join(missing)}")
    extra_css = _read_css(config.css)
    say = _Printer(quiet=quiet or output_format == "json", verbose=verbose)

    # Nothing changed since the last clean build: its report holds, and no post is parsed.
    key = None
    if config.cache is not None and not verbose:
        name = deck_name or config.deck or api.default_deck_name(list(sources))
        key = unchanged.inputs_key(sources, config, name, extra_css, forget_removed)
        recalled = unchanged.recall(config.cache, key) if key else None
        if recalled is not None:
            report = _as_unchanged(recalled, check)
            for deck_report in report["decks"]:
                say.line(f"{deck_report['path']}: 0 new, 0 changed, 0 removed")
            _finish(report, output_format, check, say)
            return

    with _progress(sources, enabled=not say.quiet) as progress:
        result = api.build(list(sources), deck_name=deck_name, config=config, progress=progress)
    for problem in result.problems:
        say.problem(problem)

    clock = _clock()
    decks: list[dict[str, object]] = []
    written: list[Path] = []
    write_errors = 0
    out_of_date = False
    still_removed = 0

    # One build at a time writes into an output folder; a second one waits for it.
    def waiting() -> None:
        click.echo(f"another build is writing to {config.output}; waiting for it to finish", err=True)

    holding = contextlib.nullcontext() if check else api.output_lock(config.output, waiting)
    with holding:
        for deck in result.decks:
            try:
                planned = api.plan(
                    deck,
                    config.output,
                    clock=clock,
                    failed_sources=result.failed_sources,
                    extra_css=extra_css,
                    forget_removed=forget_removed,
                    media_cache=config.cache,
                )
                say.changes(planned, check)
                # Removed notes still shipped: the next build must print its reminder again.
                still_removed += planned.changes.still_removed + len(planned.changes.removed)
                if check:
                    out_of_date |= not planned.up_to_date
                else:
                    api.write(planned)
                    written += [planned.path, planned.state_path]
                decks.append(_deck_report(deck, planned, check))
            except FlashgenError as exc:
                write_errors += 1
                say.error(f"error: {exc}")
                decks.append({"name": deck.name, "error": str(exc)})

    failed = bool(result.errors or write_errors or out_of_date)
    report = _json_report(result, decks, verbose, failed, write_errors)
    clean = not (failed or result.warnings or still_removed or check)
    if clean and key is not None and config.cache is not None:
        images = [path for note in result.notes for _, path in note.media]  # every file, twins too
        unchanged.remember(config.cache, key, images, written, report)
    _finish(report, output_format, check, say)


def _as_unchanged(report: dict[str, Any], check: bool) -> dict[str, Any]:
    """The last build's report, as this build's: every post unchanged, every deck up to date."""
    decks = [
        {**deck, "new": 0, "changed": 0, "removed": 0, "up_to_date": True, "written": not check}
        for deck in report["decks"]
    ]
    return {**report, "posts_unchanged": report["posts"], "decks": decks}


def _finish(report: dict[str, Any], output_format: str, check: bool, say: _Printer) -> None:
    if output_format == "json":
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        say.summary(report, check)
    if not report["ok"]:
        raise SystemExit(1)


def _config(config_file: Path | None) -> config_module.Config:
    try:
        return config_module.load(config_file or config_module.find(Path.cwd()))
    except FlashgenError as exc:
        raise click.UsageError(str(exc)) from None


def _default_sources(home: Path) -> tuple[Path, ...]:
    found = [home / name for name in _DEFAULT_SOURCES if (home / name).is_dir()]
    if not found:
        raise click.UsageError(
            "no SOURCES given, none in flashgen.toml, and no _posts/ or content/ folder here; "
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


@contextlib.contextmanager
def _progress(sources: Sequence[Path], *, enabled: bool) -> Iterator[api.Progress | None]:
    """A progress bar on stderr, for builds of many posts in a terminal (never in logs or CI)."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    total = sum(1 for source in sources for _ in find_posts(source))
    if total < _PROGRESS_FROM:
        yield None
        return
    with click.progressbar(length=total, label="Reading posts", file=sys.stderr) as bar:
        yield lambda _path: bar.update(1)


_PROGRESS_FROM = 50


class _Printer:
    """What the build says, by how much the user asked to hear."""

    def __init__(self, *, quiet: bool, verbose: bool) -> None:
        self.quiet, self.verbose = quiet, verbose

    def problem(self, problem: api.Problem) -> None:
        shown = {"error": True, "warning": not self.quiet, "info": self.verbose and not self.quiet}
        if shown[problem.severity]:
            click.echo(str(problem), err=True)

    def error(self, message: str) -> None:
        click.echo(message, err=True)

    def changes(self, planned: api.Planned, check: bool = False) -> None:
        if not self.quiet:
            _report_changes(planned, check)

    def line(self, text: str) -> None:
        if not self.quiet:
            click.echo(text)

    def summary(self, report: dict[str, Any], check: bool) -> None:
        if self.quiet:
            return
        kinds = ", ".join(f"{count} {kind}" for kind, count in report["kinds"].items())
        notes = _plural(report["notes"], "note") + (f" ({kinds})" if kinds else "")
        verb = "checked" if check else "written"
        done = [
            f"{d['path']} {'up to date' if d['up_to_date'] else 'out of date'}" if check else _size(d)
            for d in report["decks"]
            if "path" in d
        ]
        cached = f" ({report['posts_unchanged']} unchanged)" if report["posts_unchanged"] else ""
        click.echo(
            f"{_plural(report['posts'], 'post')} read{cached}, {notes}, "
            f"{_plural(len(done), 'deck')} {verb} ({', '.join(done) or 'none'}), "
            f"{_plural(len(report['warnings']), 'warning')}, "
            f"{_plural(len(report['errors']) + report['write_errors'], 'error')}"
        )


def _size(deck: dict[str, Any]) -> str:
    """A deck's path and size, and its largest image when it has one: `decks/x.apkg, 2.1 MB,
    largest image fg-….jpg 0.4 MB` (what to shrink when a deck is too large for a phone)."""
    if "bytes" not in deck:  # a report remembered by an older flashgen
        return str(deck["path"])
    shown = f"{deck['path']}, {_megabytes(deck['bytes'])}"
    if largest := deck.get("largest_media"):
        shown += f", largest image {largest['name']} {_megabytes(largest['bytes'])}"
    return shown


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{max(1, round(size / 1000))} KB"


def _deck_report(deck: Deck, planned: api.Planned, check: bool) -> dict[str, object]:
    changes = planned.changes
    largest = anki.largest_media(planned.package)
    return {
        "name": deck.name,
        "path": _shown(planned.path),
        "state": _shown(planned.state_path),
        "notes": len(deck.notes),
        "new": len(changes.new),
        "changed": len(changes.changed),
        "removed": len(changes.removed),
        "up_to_date": planned.up_to_date,
        "written": not check,
        "bytes": len(planned.package),
        "largest_media": {"name": largest[0], "bytes": largest[1]} if largest else None,
    }


def _json_report(
    result: api.BuildResult, decks: list[dict[str, object]], verbose: bool, failed: bool, write_errors: int
) -> dict[str, Any]:
    def problems(severity: str) -> list[dict[str, object]]:
        return [
            {"path": str(p.path), "line": p.line, "message": p.message}
            for p in result.problems
            if p.severity == severity
        ]

    return {
        "ok": not failed,
        "posts": result.posts_read,
        "posts_unchanged": result.cached,
        "notes": len(result.notes),
        "kinds": dict(sorted(result.kinds().items())),
        "decks": decks,
        "errors": problems("error"),
        "write_errors": write_errors,
        "warnings": problems("warning"),
        **({"left_out": problems("info")} if verbose else {}),
    }


@main.command()
@click.option("--force", is_flag=True, help="Overwrite files that exist, e.g. to update the workflow.")
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
    if problem := workflow.cron_problem(cron):
        raise click.BadParameter(problem, param_hint="--cron")
    here = Path.cwd()
    try:
        existing = config_module.find(here)
        config = config_module.load(existing)
    except FlashgenError as exc:
        raise click.UsageError(str(exc)) from None
    chosen = config.publish if publish is None else cast(config_module.Publish, publish)
    if existing is not None and chosen != config.publish:
        click.echo(
            f'warning: the workflow follows --publish {chosen}; set `publish = "{chosen}"` in '
            f"{existing.name} too, or a later `flashgen init --force` goes back to {config.publish!r}",
            err=True,
        )
    sources = [str(p.relative_to(here)) for p in config.sources if p.is_relative_to(here)]
    sources = sources or [name for name in _DEFAULT_SOURCES if (here / name).is_dir()][:1]
    if not sources:
        click.echo("warning: no _posts/ or content/ folder here; set `sources` in flashgen.toml", err=True)
        sources = ["_posts"]
    output = str(config.output.relative_to(here)) if config.output.is_relative_to(here) else "decks"
    install, problem = workflow.install_requirement()  # the flashgen running now, for CI to install
    if problem:
        click.echo(f"warning: {problem}", err=True)
    deck = config.deck or api.default_deck_name([here / s for s in sources])

    files = {
        config_module.CONFIG_FILE: config_module.starter(sources, deck, chosen),
        workflow.WORKFLOW_PATH: workflow.workflow(
            sources=sources, output=output, branch=_branch(here), install=install, cron=cron, publish=chosen
        ),
    }
    if existing is not None and existing.name == "pyproject.toml":
        del files[config_module.CONFIG_FILE]
    for name, text in files.items():
        target = here / name
        if target.exists() and not force:
            click.echo(f"{name}: exists, left as it is (--force to overwrite)")
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        click.echo(f"{name}: written")
    _dependabot(here / workflow.DEPENDABOT_PATH)
    _ignore(here / ".gitignore", f"/{config_module.DEFAULT_CACHE}/")
    if chosen == "release":
        _ignore(here / ".gitignore", f"/{output}/*.apkg")  # CI attaches it to the release instead
    written = [
        name for name in (config_module.CONFIG_FILE, ".github", ".gitignore") if (here / name).exists()
    ]
    if (here / output).is_dir():
        # Decks built here: committed now, the workflow's commits update them; left untracked, a
        # `git pull` of the workflow's first commit would stop rather than overwrite them.
        written.append(output)
    kept = f"{output}/" if chosen == "commit" else f"{output}/*.state.json and the release"
    click.echo(f"Next: commit these and push; the workflow then keeps {kept} up to date:")
    click.echo(f'  git add {" ".join(written)} && git commit -m "Build Anki decks" && git push')
    if chosen == "release":
        asset = api.deck_filename(deck)
        where = workflow.release_url(here, asset) or f"{workflow.release_asset(asset)} in the release"
        click.echo(f"After the first run, the deck is at {where} (open it on a phone to import it).")


def _dependabot(path: Path) -> None:
    """Dependabot keeps the workflow's pinned actions current; a file the blog has is its own."""
    if path.exists():
        if "github-actions" not in path.read_text(encoding="utf-8", errors="replace"):
            click.echo(
                f"{workflow.DEPENDABOT_PATH}: exists; add the github-actions ecosystem to it to keep "
                "the workflow's actions current"
            )
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(workflow.DEPENDABOT, encoding="utf-8")
    click.echo(f"{workflow.DEPENDABOT_PATH}: written")


def _branch(folder: Path) -> str:
    """The branch the workflow watches: the one checked out here, else main."""
    head = folder / ".git" / "HEAD"
    try:
        ref = head.read_text(encoding="utf-8").strip()
    except OSError:
        return "main"
    return ref.removeprefix("ref: refs/heads/") if ref.startswith("ref: refs/heads/") else "main"


def _ignore(gitignore: Path, line: str) -> None:
    text = gitignore.read_text(encoding="utf-8") if gitignore.exists() else ""
    if line in text.splitlines():
        return
    gitignore.write_text(
        text + ("" if not text or text.endswith("\n") else "\n") + line + "\n", encoding="utf-8"
    )
    click.echo(f".gitignore: added {line}")


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
    config = replace(_config(config_file), cache=None)
    paths = paths or config.sources or _default_sources(config.home)
    result = api.build(list(paths), config=config)
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


def _shown(path: Path) -> str:
    """A path as the user would type it: relative to the current folder when it is inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _report_changes(planned: api.Planned, check: bool = False) -> None:
    changes = planned.changes
    parts = [
        f"{len(changes.new)} new",
        f"{len(changes.changed)} changed",
        f"{len(changes.removed)} removed",
    ]
    if changes.note_types_changed:
        parts.append("note types changed")
    click.echo(f"{_shown(planned.path)}: {', '.join(parts)}")
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
