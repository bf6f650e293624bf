"""The GitHub Actions workflow `flashgen init` writes into a blog.

Actions are pinned to full commit SHAs (a tag can be moved; a SHA cannot), the workflow asks for
no permissions and its one job for `contents: write` only, to push the rebuilt decks.
"""

from __future__ import annotations

import importlib.metadata
import json
import re
import subprocess
import urllib.parse
import urllib.request
from pathlib import Path

CHECKOUT = "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683  # v4.2.2"
SETUP_PYTHON = "actions/setup-python@0b93645e9fea7318ecaed2b359559ac225c90a2b  # v5.3.0"
WORKFLOW_PATH = ".github/workflows/flashgen.yml"


def install_requirement() -> tuple[str, str | None]:
    """What the workflow should `pip install` to get the flashgen that is running now, and a
    warning when that cannot be known: the release from the package index; else the git URL and
    commit pip recorded (PEP 610's direct_url.json) for `pip install git+…`; else, for `pip
    install .` from a clone, that clone's `origin` remote and commit."""
    try:
        dist = importlib.metadata.distribution("flashgen")
    except importlib.metadata.PackageNotFoundError:
        return "flashgen", "flashgen is not installed as a package; edit the workflow's install step"
    recorded = dist.read_text("direct_url.json")
    if recorded is None:
        return f"flashgen=={dist.version}", None  # from an index
    data = json.loads(recorded)
    url, vcs = str(data.get("url", "")), data.get("vcs_info") or {}
    if vcs.get("vcs") == "git" and vcs.get("commit_id"):
        return f"flashgen @ git+{url}@{vcs['commit_id']}", None
    if url.startswith("file://") and "dir_info" in data:
        folder = Path(urllib.request.url2pathname(urllib.parse.urlparse(url).path))
        remote, commit = _git(folder, "remote", "get-url", "origin"), _git(folder, "rev-parse", "HEAD")
        web = _web_remote(remote) if remote else None
        if web and commit:
            return f"flashgen @ git+{web}@{commit}", None
        return "flashgen", (
            f"flashgen was installed from {folder}, which a CI runner cannot reach (no web `origin` "
            "remote); edit the workflow's install step to say where to install it from"
        )
    return f"flashgen @ {url}", None  # an archive's URL


def _git(folder: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None


def _web_remote(remote: str) -> str | None:
    """A remote a CI runner can clone without keys: https as is, `git@host:owner/repo` as https."""
    if remote.startswith("https://"):
        return remote
    if match := re.match(r"^(?:ssh://)?git@([\w.-]+)[:/](.+)$", remote):
        return f"https://{match.group(1)}/{match.group(2)}"
    return None


def workflow(*, sources: list[str], output: str, branch: str, install: str, cron: str) -> str:
    """The workflow: rebuild on a schedule, by hand, and on pushes that touch the posts; commit
    the output folder only when a deck or its state file changed."""
    # The posts, flashgen's settings, and what a site's config and images change (Jekyll or Hugo).
    site = ["_config.yml", "hugo.toml", "hugo.yaml", "config.toml", "assets/**", "static/**"]
    watched = [f"{s.rstrip('/')}/**" for s in sources] + ["flashgen.toml", "pyproject.toml", *site]
    paths = "\n".join(f'      - "{p}"' for p in watched)
    return f"""\
# Rebuilds the Anki decks in {output}/ from the blog's posts and commits them when they change.
# Written by `flashgen init`. Import {output}/*.apkg into Anki; re-importing updates notes in place.
name: flashgen

on:
  schedule:
    - cron: "{cron}"
  workflow_dispatch:
  push:
    branches: ["{branch}"]
    paths:
{paths}

permissions: {{}}

concurrency:
  group: flashgen-decks
  cancel-in-progress: false

jobs:
  decks:
    runs-on: ubuntu-latest
    timeout-minutes: 20
    permissions:
      contents: write  # to push the rebuilt decks, nothing else
    steps:
      - uses: {CHECKOUT}
        with:
          persist-credentials: true  # the last step pushes {output}/
      - uses: {SETUP_PYTHON}
        with:
          python-version: "3.12"
      - name: Install flashgen
        run: python -m pip install "{install}"
      - name: Build the decks
        run: flashgen build
      - name: Commit {output}/ when it changed
        # Also after a failed post: the other posts' notes are built, the failed one's kept.
        if: ${{{{ !cancelled() }}}}
        env:
          OUTPUT: "{output}"
        run: |
          git add -- "$OUTPUT"
          if git diff --cached --quiet; then
            echo "$OUTPUT is up to date; nothing to commit"
            exit 0
          fi
          git config user.name "github-actions[bot]"
          git config user.email "41898282+github-actions[bot]@users.noreply.github.com"
          git commit -m "Rebuild Anki decks"
          git push
"""


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
