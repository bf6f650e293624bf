"""`flashgen init`: sets a blog up for CI (flashgen.toml, the workflow, Dependabot, .gitignore).

Part of the command line (cli.py registers the command), so it prints. What it writes follows
one publishing mode: the workflow's. A workflow left as it is keeps its mode, and nothing else
is changed for another one.
"""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path
from typing import cast

import click

from flashgen import api
from flashgen.commands import workflow
from flashgen.errors import FlashgenError
from flashgen.read import config as config_module
from flashgen.read.config import Publish

_DEFAULT_SOURCES = ("_posts", "content")


def run(force: bool, cron: str, publish: str | None) -> None:
    """Set up the blog in the current folder; `publish` None: flashgen.toml's (else commit)."""
    if problem := workflow.cron_problem(cron):
        raise click.BadParameter(problem, param_hint="--cron")
    here = Path.cwd()
    try:
        existing = config_module.find(here)
        config = config_module.load(existing)
    except FlashgenError as exc:
        raise click.UsageError(str(exc)) from None
    chosen = config.publish if publish is None else cast(Publish, publish)
    # The workflow is flashgen's to write again (--force); the settings are the user's, and are
    # never replaced by the starter, --force or not.
    writes = {
        config_module.CONFIG_FILE: not (here / config_module.CONFIG_FILE).exists(),
        workflow.WORKFLOW_PATH: force or not (here / workflow.WORKFLOW_PATH).exists(),
    }
    if existing is not None and existing.name == "pyproject.toml":
        writes[config_module.CONFIG_FILE] = False  # the settings are there
    mode = _mode(here, chosen, writes, existing, config.publish)

    sources = [str(p.relative_to(here)) for p in config.sources if p.is_relative_to(here)]
    sources = sources or [name for name in _DEFAULT_SOURCES if (here / name).is_dir()][:1]
    if not sources:
        click.echo("warning: no _posts/ or content/ folder here; set `sources` in flashgen.toml", err=True)
        sources = ["_posts"]
    output = str(config.output.relative_to(here)) if config.output.is_relative_to(here) else "decks"
    deck = config.deck or api.default_deck_name([here / s for s in sources])
    texts: dict[str, str] = {}
    if writes[workflow.WORKFLOW_PATH]:
        install, problem = workflow.install_requirement()  # the flashgen running now, for CI to install
        if problem:
            click.echo(f"warning: {problem}", err=True)
        texts[workflow.WORKFLOW_PATH] = workflow.workflow(  # a value it cannot hold: exit 2, nothing written
            sources=sources, output=output, branch=_branch(here), install=install, cron=cron, publish=mode
        )
    if writes[config_module.CONFIG_FILE]:
        texts[config_module.CONFIG_FILE] = config_module.starter(sources, deck, mode)
    elif (
        force
        and publish is not None
        and existing is not None
        and existing.name == config_module.CONFIG_FILE
        and config.publish != mode
    ):
        # Switching with --force: the settings say the workflow's new mode too; nothing else of
        # the user's file changes (its other lines, comments and layout stay).
        texts[config_module.CONFIG_FILE] = _with_publish(existing.read_text(encoding="utf-8"), mode)

    for name in (config_module.CONFIG_FILE, workflow.WORKFLOW_PATH):
        if name not in texts:
            if name == config_module.CONFIG_FILE and (here / name).exists():
                click.echo(f"{name}: exists, left as it is (your settings: init never overwrites them)")
            elif (here / name).exists():
                click.echo(f"{name}: exists, left as it is (--force to overwrite)")
            continue
        target = here / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(texts[name], encoding="utf-8")
        click.echo(f"{name}: written")
    _dependabot(here / workflow.DEPENDABOT_PATH)
    _ignore(here / ".gitignore", f"/{config_module.DEFAULT_CACHE}/")
    decks = f"/{output}/*.apkg"  # in release mode CI attaches the deck to the release instead
    if mode == "release":
        _ignore(here / ".gitignore", decks)
    else:
        _unignore(here / ".gitignore", decks)
    _next_steps(here, output, mode, deck)


_PUBLISH = re.compile(r"""^publish\s*=\s*(?:"[^"\n]*"|'[^'\n]*')""", re.M)
_TABLE = re.compile(r"^\s*\[", re.M)


def _with_publish(text: str, mode: Publish) -> str:
    """flashgen.toml's text with `publish = "<mode>"` set at its top level: the line that says it
    changed, else one added before its first table (TOML's top-level keys come first)."""
    table = _TABLE.search(text)
    top = text[: table.start()] if table else text
    line = f'publish = "{mode}"'
    if _PUBLISH.search(top):
        return _PUBLISH.sub(line, top, count=1) + text[len(top) :]
    return top + ("" if not top or top.endswith("\n") else "\n") + line + "\n" + text[len(top) :]


def _mode(
    here: Path, chosen: Publish, writes: dict[str, bool], existing: Path | None, configured: Publish
) -> Publish:
    """The publishing mode everything follows: the one chosen when the workflow is written, else
    the mode of the workflow left as it is, with a word on how to switch."""
    if not writes[workflow.WORKFLOW_PATH]:
        text = (here / workflow.WORKFLOW_PATH).read_text(encoding="utf-8", errors="replace")
        kept = workflow.publish_mode(text)
        if kept != chosen:
            click.echo(
                f"warning: {workflow.WORKFLOW_PATH} exists and publishes with {kept!r}, not {chosen!r}; "
                f"it and .gitignore are left as they are. To switch, run: "
                f"flashgen init --publish {chosen} --force",
                err=True,
            )
        return kept
    if existing is not None and chosen != configured and not writes[config_module.CONFIG_FILE]:
        click.echo(
            f'warning: the workflow follows --publish {chosen}; set `publish = "{chosen}"` in '
            f"{existing.name} too, or a later `flashgen init --force` goes back to {configured!r}",
            err=True,
        )
    return chosen


def _next_steps(here: Path, output: str, mode: Publish, deck: str) -> None:
    """What to run now: untrack decks git still holds (release mode), then commit and push."""
    written = [
        name for name in (config_module.CONFIG_FILE, ".github", ".gitignore") if (here / name).exists()
    ]
    if (here / output).is_dir():
        # Decks built here: committed now, the workflow's commits update them; left untracked, a
        # `git pull` of the workflow's first commit would stop rather than overwrite them.
        written.append(output)
    if mode == "release" and (tracked := _tracked_decks(here, output)):
        click.echo(
            f"{', '.join(tracked)}: tracked by git, but the workflow now attaches decks to the "
            "release and never commits them again. Untrack them (the files stay here) before committing:"
        )
        click.echo(f"  git rm --cached -- {' '.join(map(shlex.quote, tracked))}")
    kept = f"{output}/" if mode == "commit" else f"{output}/*.state.json and the release"
    click.echo(f"Next: commit these and push; the workflow then keeps {kept} up to date:")
    click.echo(
        f'  git add {" ".join(map(shlex.quote, written))} && git commit -m "Build Anki decks" && git push'
    )
    if mode == "release":
        asset = api.deck_filename(deck)
        where = workflow.release_url(here, asset) or f"{workflow.release_asset(asset)} in the release"
        click.echo(f"After the first run, the deck is at {where} (open it on a phone to import it).")


def _tracked_decks(here: Path, output: str) -> list[str]:
    """The .apkg files right in `output` that git tracks, as paths from here (git's own
    answer: `git ls-files`); none outside a repository."""
    try:
        done = subprocess.run(
            ["git", "-C", str(here), "ls-files", "-z", "--", output],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return []
    if done.returncode != 0:
        return []
    folder = Path(output)
    return [
        name for name in done.stdout.split("\0") if name.endswith(".apkg") and Path(name).parent == folder
    ]


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


def _unignore(gitignore: Path, line: str) -> None:
    """Take out the line release mode added: a committing workflow's `git add` skips an ignored
    deck, so it would never be committed."""
    if not gitignore.exists():
        return
    lines = gitignore.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [entry for entry in lines if entry.rstrip("\r\n") != line]
    if len(kept) != len(lines):
        gitignore.write_text("".join(kept), encoding="utf-8")
        click.echo(f".gitignore: removed {line} (the workflow commits the decks)")
