"""The GitHub Actions workflow `flashgen init` writes into a blog.

Actions are pinned to full commit SHAs (a tag can be moved; a SHA cannot), the workflow asks for
no permissions and its one job for `contents: write` only, to push the rebuilt decks.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from flashgen.errors import ConfigError

if TYPE_CHECKING:
    from importlib.metadata import Distribution

CHECKOUT = "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1  # v7.0.1"
SETUP_PYTHON = "actions/setup-python@5fda3b95a4ea91299a34e894583c3862153e4b97  # v7.0.0"
WORKFLOW_PATH = ".github/workflows/flashgen.yml"
DEPENDABOT_PATH = ".github/dependabot.yml"

# Dependabot opens a pull request when an action the workflow pins has a new release, so the pins
# stay current (a SHA pin never moves by itself).
DEPENDABOT = """\
# Written by `flashgen init`: keeps the actions that .github/workflows pin up to date.
version: 2
updates:
  - package-ecosystem: github-actions
    directory: /
    schedule:
      interval: monthly
    groups:
      actions:
        patterns: ["*"]
"""


def install_requirement() -> tuple[str, str | None]:
    """What the workflow should `pip install` to get the flashgen that is running now, and a
    warning when that is not it: see `requirement_for`."""
    import importlib.metadata  # here, not at the top: `flashgen build` never needs it

    try:
        dist = importlib.metadata.distribution("flashgen")
    except importlib.metadata.PackageNotFoundError:
        return "flashgen", "flashgen is not installed as a package; edit the workflow's install step"
    return requirement_for(dist)


# What a requirement may hold to go as it is into the install step's `run: pip install "…"`: no
# `"`, `$`, backquote or backslash for the shell to read, no `${{` for GitHub to evaluate.
_SAFE_REQUIREMENT = re.compile(r"^[\w @:/.+=~%,<>?&#-]+$")


def requirement_for(dist: Distribution) -> tuple[str, str | None]:
    """The requirement a CI runner can install for `dist` (an importlib.metadata Distribution),
    and a warning when it is not the same flashgen: the release from the package index; else the
    URL and commit pip recorded (PEP 610's direct_url.json) for `pip install git+https://…`; else,
    for an install from a folder or repository on this computer (`pip install .`, `pip install -e
    .`, `pip install git+file://…`), that repository's web `origin` remote and commit. A path on
    this computer reaches no runner: then the release of the same version from PyPI, and a
    warning that says why and how to change it."""
    from_index = f"flashgen=={dist.version}"
    recorded = dist.read_text("direct_url.json")
    if recorded is None:
        return from_index, None  # from an index
    try:
        data = json.loads(recorded)
    except ValueError:
        data = None
    found, why = (
        _reachable(data)
        if isinstance(data, dict)
        else (None, "pip's record of where flashgen came from (direct_url.json) cannot be read")
    )
    if found is not None and _SAFE_REQUIREMENT.match(found):
        return found, None
    reason = why or f"the recorded requirement {found!r} holds characters a shell would read"
    return from_index, (
        f"{reason}; the workflow installs {from_index} from PyPI instead. To install another flashgen, "
        f'edit the "Install flashgen" steps in {WORKFLOW_PATH}, e.g. `python -m pip install '
        '"flashgen @ git+https://github.com/OWNER/flashgen@COMMIT"`'
    )


def _reachable(data: dict[str, Any]) -> tuple[str | None, str | None]:
    """The requirement, from pip's direct_url.json, that a CI runner can install; else None and
    why not."""
    url = str(data.get("url", ""))
    vcs_info = data.get("vcs_info")
    vcs = vcs_info if isinstance(vcs_info, dict) else {}
    if url.startswith("file:"):
        folder = _local_path(url)
        if vcs or "dir_info" in data:  # a repository or a folder here: its web remote, if it has one
            remote, head = _git(folder, "remote", "get-url", "origin"), _git(folder, "rev-parse", "HEAD")
            web, commit = _web_remote(remote) if remote else None, vcs.get("commit_id") or head
            if web and commit:
                return f"flashgen @ git+{web}@{commit}", None
            how = "an editable install of " if (data.get("dir_info") or {}).get("editable") else ""
            return None, (
                f"flashgen is {how}{folder}, a folder on this computer that no CI runner can reach "
                "(it has no web `origin` remote)"
            )
        return (
            None,
            f"flashgen was installed from {folder}, a file on this computer that no CI runner can reach",
        )
    if vcs:
        web, commit = _web_remote(url), vcs.get("commit_id")
        if web and commit:
            return f"flashgen @ {vcs.get('vcs', 'git')}+{web}@{commit}", None
        return None, f"flashgen was installed from {url!r}, which a CI runner cannot clone without keys"
    if url.startswith(("https://", "http://")):
        return f"flashgen @ {url}", None  # an archive's URL
    return None, f"flashgen was installed from {url!r}, which a CI runner cannot reach"


def _local_path(url: str) -> Path:
    import urllib.parse
    import urllib.request

    return Path(urllib.request.url2pathname(urllib.parse.urlparse(url).path))


def _git(folder: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None


def _web_remote(remote: str) -> str | None:
    """A remote a CI runner can clone without keys: http(s) without the user and token a clone's
    remote may hold (the workflow is committed, public on a public blog), `git@host:owner/repo`
    as https."""
    if remote.startswith(("https://", "http://")):
        scheme, _, rest = remote.partition("://")
        host, slash, path = rest.partition("/")
        return f"{scheme}://{host.rpartition('@')[2]}{slash}{path}"
    if match := re.match(r"^(?:ssh://)?git@([\w.-]+)[:/](.+)$", remote):
        return f"https://{match.group(1)}/{match.group(2)}"
    return None


RELEASE_TAG = "flashgen-decks"  # the rolling release the decks are attached to (publish = "release")


def release_asset(deck_file: str) -> str:
    """The name a deck file gets as a release asset: GitHub renames an asset whose name holds
    other characters, so each is written as its code point in hex (`공부.apkg` → `acf5bd80.apkg`)
    and the download URL stays the one `init` printed. The release step calls this."""
    return re.sub(r"[^A-Za-z0-9._-]", lambda m: f"{ord(m.group()):x}", deck_file)


def release_url(blog: Path, deck_file: str) -> str | None:
    """The stable download URL of a deck attached to the rolling release, when the blog's
    `origin` remote is on GitHub."""
    remote = _git(blog, "remote", "get-url", "origin")
    web = _web_remote(remote) if remote else None
    match = re.match(r"^https://github\.com/([\w.-]+)/([\w.-]+?)(?:\.git)?/?$", web or "")
    if not match:
        return None
    owner, repo = match.groups()
    return f"https://github.com/{owner}/{repo}/releases/download/{RELEASE_TAG}/{release_asset(deck_file)}"


class WorkflowError(ConfigError):
    """A value (a folder's name, the branch's) the workflow cannot hold as it is: a configuration
    error (exit code 2)."""


# The release step's name: a workflow holding it publishes to the release.
_RELEASE_STEP_NAME = f"Attach changed decks to the {RELEASE_TAG} release"


def publish_mode(text: str) -> Literal["commit", "release"]:
    """Where a workflow `flashgen init` wrote puts the .apkg: "release" when it has the release
    step, else "commit"."""
    return "release" if _RELEASE_STEP_NAME in text else "commit"


def workflow(
    *, sources: list[str], output: str, branch: str, install: str, cron: str, publish: str = "commit"
) -> str:
    """The workflow: rebuild on a schedule, by hand, and on pushes that touch the posts, then
    commit the output folder only when a deck or its state file changed (publish = "commit"), or
    commit only the state files and attach changed decks to a rolling release ("release"). Pull
    requests get a read-only job that builds into a scratch folder: a broken post fails the check.

    Every value from the blog (folders, branch) is written as a quoted YAML string, so a `"` or a
    `: ` in a folder's name stays in it; one the workflow cannot hold is a WorkflowError."""
    for what, value in (("output", output), ("branch", branch), *(("sources", s) for s in sources)):
        _check_value(what, value)
    # The posts, flashgen's settings, and what a site's config and images change (Jekyll or Hugo).
    site = ["_config.yml", "hugo.toml", "hugo.yaml", "config.toml", "assets/**", "static/**"]
    watched = [f"{_glob(s.rstrip('/'))}/**" for s in sources] + ["flashgen.toml", "pyproject.toml", *site]
    paths = "\n".join(f"      - {_q(p)}" for p in watched)
    release = publish == "release"
    shown = _comment(output)
    what = (
        f"commits the state files in {shown}/ and attaches changed decks to the {RELEASE_TAG} release"
        if release
        else f"commits {shown}/ when a deck changed"
    )
    setup = f"""\
      - uses: {SETUP_PYTHON}
        with:
          python-version: "3.12"
      - name: Install flashgen
        run: python -m pip install "{install}"
"""
    publish_step = (
        _RELEASE_STEP.format(name=_RELEASE_STEP_NAME, tag=RELEASE_TAG, output=_q(output)) if release else ""
    )
    add = '"$OUTPUT" ":(exclude)$OUTPUT/*.apkg"' if release else '"$OUTPUT"'
    text = f"""\
# Rebuilds the Anki decks from the blog's posts, {what}.
# Written by `flashgen init`. Import the .apkg into Anki; re-importing updates notes in place.
name: flashgen

on:
  schedule:
    - cron: {_q(cron)}
  workflow_dispatch:
  push:
    branches: [{_q(_glob(branch))}]
    paths:
{paths}
  pull_request:
    paths:
{paths}

permissions: {{}}

concurrency:
  group: flashgen-${{{{ github.event_name == 'pull_request' && github.ref || 'decks' }}}}
  cancel-in-progress: ${{{{ github.event_name == 'pull_request' }}}}

jobs:
  decks:
    if: github.event_name != 'pull_request'
    runs-on: ubuntu-latest
    timeout-minutes: 20
    permissions:
      contents: write  # to push the rebuilt decks{" and update the release" if release else ""}, nothing else
    steps:
      - uses: {CHECKOUT}
        with:
          persist-credentials: true  # the last step pushes {shown}/
{setup}      - name: Build the decks
        run: flashgen build
{publish_step}      - name: {_q(f"Commit {output}/ when it changed")}
        # Also after a failed post: the other posts' notes are built, the failed one's kept.
        if: ${{{{ !cancelled() }}}}
        env:
          OUTPUT: {_q(output)}
        run: |
          git add -- {add}
          if git diff --cached --quiet; then
            echo "$OUTPUT is up to date; nothing to commit"
            exit 0
          fi
          git config user.name "github-actions[bot]"
          git config user.email "41898282+github-actions[bot]@users.noreply.github.com"
          git commit -m "Rebuild Anki decks"
          # A post pushed while this job ran: put this commit on top of it and push again.
          for attempt in 1 2 3; do
            if git push; then exit 0; fi
            sleep "$attempt"
            if ! git pull --rebase; then
              git rebase --abort
              echo "::error::$OUTPUT changed on the branch during this build; run the workflow again"
              exit 1
            fi
          done
          echo "::error::could not push after 3 attempts; run the workflow again"
          exit 1

  check:
    # A pull request's posts, built into a scratch folder: a post that fails fails the check.
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    timeout-minutes: 20
    permissions:
      contents: read
    steps:
      - uses: {CHECKOUT}
        with:
          persist-credentials: false
{setup}      - name: Check the posts
        env:
          OUTPUT: {_q(output)}
        run: |
          scratch="$RUNNER_TEMP/flashgen-check"
          mkdir -p "$scratch"
          if [ -d "$OUTPUT" ]; then cp -R "$OUTPUT/." "$scratch/"; fi
          flashgen build --output "$scratch" --no-cache
"""
    _check_holds(text, watched=watched, branch=_glob(branch), output=output, install=install)
    return text


def _q(value: str) -> str:
    """`value` as a YAML double-quoted string on one line: PyYAML's emitter escapes quotes,
    backslashes, control characters and line breaks (`a"b` → `"a\\"b"`)."""
    import yaml

    return str(yaml.dump(value, default_style='"', allow_unicode=True, width=1 << 30)).rstrip("\n")


def _comment(value: str) -> str:
    """`value` for a comment: a line break in it would end the comment and start YAML."""
    return value if value.isprintable() else value.encode("unicode_escape").decode("ascii")


# Characters a GitHub filter pattern (branches, paths) reads as a pattern; a backslash escapes one.
_GLOB = re.compile(r"([\\*?+\[\]!])")


def _glob(value: str) -> str:
    """A folder's or branch's name as a filter pattern matching that name only (`c++` → `c\\+\\+`)."""
    return _GLOB.sub(r"\\\1", value)


def _check_value(what: str, value: str) -> None:
    """A value GitHub would read as an expression (`${{ … }}` is evaluated in names and env), a
    filter pattern (sources, branch) with a line break, or a value that is not text (a file name
    in no encoding) cannot be written as it is."""
    if "${{" in value:
        raise WorkflowError(
            f"the {what} {value!r} holds `${{{{`, which GitHub Actions would evaluate as an expression; "
            "rename it (or set another in flashgen.toml)",
            WORKFLOW_PATH,
        )
    if what != "output" and not value.isprintable():  # a filter pattern holds no line break
        raise WorkflowError(
            f"the {what} {value!r} holds a line break or control character, which a workflow's "
            "filter pattern cannot hold; rename it",
            WORKFLOW_PATH,
        )
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise WorkflowError(
            f"the {what} {value!r} is not valid UTF-8 text; rename it (or set another in flashgen.toml)",
            WORKFLOW_PATH,
        ) from None


def _check_holds(text: str, *, watched: list[str], branch: str, output: str, install: str) -> None:
    """Read the workflow back as YAML: it must hold each value as given. Never expected to fail;
    a value that would not survive is an error here, not a workflow GitHub refuses later."""
    import yaml

    try:
        data = yaml.safe_load(text)
        on = data.get("on", data.get(True))  # YAML 1.1 reads a bare `on` as true
        steps = data["jobs"]["decks"]["steps"]
        held = (
            on["push"]["paths"] == watched == on["pull_request"]["paths"]
            and on["push"]["branches"] == [branch]
            and steps[-1]["env"]["OUTPUT"] == output == data["jobs"]["check"]["steps"][-1]["env"]["OUTPUT"]
            and f'python -m pip install "{install}"' in [s.get("run") for s in steps]
        )
    except (yaml.YAMLError, KeyError, TypeError, AttributeError) as exc:
        raise WorkflowError(
            f"the workflow written for these values is not valid YAML: {exc}", WORKFLOW_PATH
        ) from exc
    if not held:
        raise WorkflowError(
            f"the workflow cannot hold these values as they are: sources {watched!r}, branch "
            f"{branch!r}, output {output!r}",
            WORKFLOW_PATH,
        )


# Attaches each deck that differs from the release's copy (or is not there yet) to the rolling
# release; GitHub's own `gh` is on every hosted runner. Decks are reproducible, so an unchanged
# deck is byte-identical to the release's and is not uploaded again.
_RELEASE_STEP = """\
      - name: {name}
        if: ${{{{ !cancelled() }}}}
        env:
          GH_TOKEN: ${{{{ github.token }}}}
          OUTPUT: {output}
          TAG: "{tag}"
          NAME: "import sys; from flashgen.commands.workflow import release_asset; print(release_asset(sys.argv[1]))"
        run: |
          if ! gh release view "$TAG" > /dev/null 2>&1; then
            gh release create "$TAG" --title "Anki decks" --latest=false \\
              --notes "Anki decks built by flashgen; re-importing one updates its notes in place."
          fi
          published="$RUNNER_TEMP/flashgen-published"
          assets="$RUNNER_TEMP/flashgen-assets"
          mkdir -p "$published" "$assets"
          gh release download "$TAG" --pattern "*.apkg" --dir "$published" --clobber || true
          for deck in "$OUTPUT"/*.apkg; do
            [ -e "$deck" ] || continue
            asset=$(python -c "$NAME" "$(basename "$deck")")
            if cmp -s "$deck" "$published/$asset"; then continue; fi
            cp "$deck" "$assets/$asset"
            gh release upload "$TAG" "$assets/$asset" --clobber
            echo "uploaded $asset"
          done
"""  # noqa: E501 (the one-line Python a step runs)


# The ranges of a cron schedule's five fields, as GitHub Actions reads them (POSIX cron).
_CRON_FIELDS = (
    ("minute", 0, 59),
    ("hour", 0, 23),
    ("day of the month", 1, 31),
    ("month", 1, 12),
    ("day of the week", 0, 6),
)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
_CRON_NAMES = {3: {n: i for i, n in enumerate(_MONTHS, 1)}, 4: {n: i for i, n in enumerate(_DAYS)}}


def cron_problem(schedule: str) -> str | None:
    """What is wrong with a cron schedule (five fields: numbers, ranges, lists, steps, `*`), or
    None. GitHub skips a schedule it cannot read without a word; `init` says so instead."""
    fields = schedule.split()
    if len(fields) != 5:
        return f"{schedule!r} is not a cron schedule: it needs five fields (minute hour day month weekday)"
    for index, (field, (name, low, high)) in enumerate(zip(fields, _CRON_FIELDS, strict=True)):
        for part in field.split(","):
            base, _, step = part.partition("/")
            if step and not (step.isdigit() and int(step) > 0):
                return f"{schedule!r}: the step {step!r} of the {name} is not a whole number above 0"
            if base == "*":
                continue
            ends = base.split("-")
            if len(ends) > 2 or not all(ends):
                return f"{schedule!r}: {part!r} is not a {name}"
            for end in ends:
                value = _CRON_NAMES.get(index, {}).get(end.lower()) if not end.isdigit() else int(end)
                if value is None or not low <= value <= (7 if index == 4 else high):
                    return f"{schedule!r}: {end!r} is not a {name} ({low}–{high})"
    return None
