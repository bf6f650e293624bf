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
