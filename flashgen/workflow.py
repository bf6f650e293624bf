"""The GitHub Actions workflow `flashgen init` writes into a blog.

Actions are pinned to full commit SHAs (a tag can be moved; a SHA cannot), the workflow asks for
no permissions and its one job for `contents: write` only, to push the rebuilt decks.
"""

from __future__ import annotations

CHECKOUT = "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683  # v4.2.2"
SETUP_PYTHON = "actions/setup-python@0b93645e9fea7318ecaed2b359559ac225c90a2b  # v5.3.0"
WORKFLOW_PATH = ".github/workflows/flashgen.yml"


def workflow(*, sources: list[str], output: str, branch: str, version: str, cron: str) -> str:
    """The workflow: rebuild on a schedule, by hand, and on pushes that touch the posts; commit
    the output folder only when a deck or its state file changed."""
    watched = [f"{s.rstrip('/')}/**" for s in sources] + ["flashgen.toml", "_config.yml", "assets/**"]
    paths = "\n".join(f'      - "{p}"' for p in watched)
    install = f"flashgen=={version}" if version and "unknown" not in version else "flashgen"
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
