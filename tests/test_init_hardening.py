"""`flashgen init` with what a real setup holds: flashgen installed from a path on this computer,
a blog already set up in the other publishing mode, control characters in the site's title, and
quotes, colons and pattern characters in folder and branch names. Each is written as it is, or
refused with a clear error, never as a file that is silently wrong."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from flashgen.cli import main
from tests import test_workflows
from tests.conftest import ROOT

actionlint = test_workflows.actionlint  # the fixture that runs actionlint
WORKFLOW = Path(".github") / "workflows" / "flashgen.yml"
_GIT_USER = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@t",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@t",
}


def _blog(folder: Path) -> Path:
    (folder / "_posts").mkdir(parents=True)
    (folder / "_posts" / "2024-01-01-a.md").write_text("## Kinds of x\n\n- alpha\n- beta\n", encoding="utf-8")
    return folder


def _flashgen(blog: Path, *args: str, pythonpath: str = "") -> subprocess.CompletedProcess[str]:
    """`python -m flashgen` in `blog`, importing this tree's flashgen (ROOT), with `pythonpath`
    searched first (for its package metadata)."""
    path = os.pathsep.join(p for p in (pythonpath, str(ROOT)) if p)
    env = {**os.environ, **_GIT_USER, "PYTHONPATH": path}
    return subprocess.run(
        [sys.executable, "-m", "flashgen", *args],
        cwd=blog,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def _git(blog: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "core.quotePath=false", *args],
        cwd=blog,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **_GIT_USER},
    )
    return done.stdout


def _workflow(blog: Path) -> dict:
    return yaml.safe_load((blog / WORKFLOW).read_text(encoding="utf-8"))


def _install_runs(data: dict) -> list[str]:
    return [
        step["run"]
        for job in data["jobs"].values()
        for step in job["steps"]
        if step.get("name") == "Install flashgen"
    ]


# --- 1. An install only this computer can reach ----------------------------------------------


def _installed_as(site: Path, direct_url: dict | None, version: str = "9.8.7") -> str:
    """A package folder holding flashgen's metadata as pip writes it (a real dist-info folder,
    read by importlib.metadata), with `direct_url.json` saying where it was installed from."""
    info = site / f"flashgen-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: flashgen\nVersion: {version}\n", "utf-8")
    if direct_url is not None:
        (info / "direct_url.json").write_text(json.dumps(direct_url), encoding="utf-8")
    return str(site)


def _local_clone(folder: Path, remote: str | None = None) -> tuple[Path, str]:
    """A git repository here (what `pip install git+file://…` or `pip install .` reads), with
    an `origin` remote when given; returns it and its commit."""
    folder.mkdir()
    (folder / "README.md").write_text("flashgen\n", encoding="utf-8")
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "src"]):
        _git(folder, *command)
    if remote:
        _git(folder, "remote", "add", "origin", remote)
    return folder, _git(folder, "rev-parse", "HEAD").strip()


@pytest.mark.parametrize(
    "kind", ["git+file", "folder", "editable folder", "archive file", "shell in a URL", "ssh url"]
)
def test_init_never_writes_an_install_step_no_runner_can_reach(tmp_path: Path, kind: str) -> None:
    """Installed from a path on this computer, `init` writes the same version from PyPI and a
    warning that says why and how to change it, never the path (which fails on every runner).
    A URL the shell would read (`$(…)`) is not written into the step's `run` either."""
    clone, commit = _local_clone(tmp_path / "flashgen-src")  # no web `origin` remote
    url = clone.as_uri()
    direct_url = {
        "git+file": {"url": url, "vcs_info": {"vcs": "git", "commit_id": commit}},
        "folder": {"url": url, "dir_info": {}},
        "editable folder": {"url": url, "dir_info": {"editable": True}},
        "archive file": {"url": f"{url}/flashgen-9.8.7.tar.gz", "archive_info": {}},
        "shell in a URL": {"url": 'https://example.com/f$(touch pwned)".tar.gz', "archive_info": {}},
        "ssh url": {
            "url": "ssh://build@10.0.0.5/srv/flashgen.git",
            "vcs_info": {"vcs": "git", "commit_id": commit},
        },
    }[kind]
    blog = _blog(tmp_path / "blog")
    done = _flashgen(blog, "init", pythonpath=_installed_as(tmp_path / "site", direct_url))
    assert done.returncode == 0, done.stderr
    assert _install_runs(_workflow(blog)) == ['python -m pip install "flashgen==9.8.7"'] * 2
    text = (blog / WORKFLOW).read_text(encoding="utf-8")
    assert "file:" not in text and "pwned" not in text and "10.0.0.5" not in text
    assert "warning:" in done.stderr and "flashgen==9.8.7 from PyPI" in done.stderr, done.stderr
    assert 'edit the "Install flashgen" steps' in done.stderr


def test_a_local_repository_with_a_web_remote_is_installed_from_it(tmp_path: Path) -> None:
    """`pip install git+file://` of a clone whose `origin` is on GitHub (over ssh): the runner
    installs the same commit from GitHub over https, and nothing is said."""
    clone, commit = _local_clone(tmp_path / "flashgen-src", remote="git@github.com:me/flashgen.git")
    direct_url = {"url": clone.as_uri(), "vcs_info": {"vcs": "git", "commit_id": commit}}
    blog = _blog(tmp_path / "blog")
    done = _flashgen(blog, "init", pythonpath=_installed_as(tmp_path / "site", direct_url))
    assert done.returncode == 0, done.stderr
    expected = f'python -m pip install "flashgen @ git+https://github.com/me/flashgen.git@{commit}"'
    assert _install_runs(_workflow(blog)) == [expected] * 2
    assert "warning" not in done.stderr


def test_a_token_in_the_clones_remote_is_not_written_into_the_workflow(tmp_path: Path) -> None:
    """`pip install .` from a clone whose `origin` holds a token (as CI checkouts and some
    credential setups write it): the committed workflow names the repository, not the token."""
    remote = "https://x-access-token:ghp_secret123@github.com/me/flashgen.git"
    clone, commit = _local_clone(tmp_path / "flashgen-src", remote=remote)
    blog = _blog(tmp_path / "blog")
    site = _installed_as(tmp_path / "site", {"url": clone.as_uri(), "dir_info": {}})
    done = _flashgen(blog, "init", pythonpath=site)
    assert done.returncode == 0, done.stderr
    expected = f'python -m pip install "flashgen @ git+https://github.com/me/flashgen.git@{commit}"'
    assert _install_runs(_workflow(blog)) == [expected] * 2
    assert "ghp_secret123" not in (blog / WORKFLOW).read_text(encoding="utf-8") + done.stdout + done.stderr


def test_an_install_from_the_index_is_pinned_to_its_version(tmp_path: Path) -> None:
    blog = _blog(tmp_path / "blog")
    done = _flashgen(blog, "init", pythonpath=_installed_as(tmp_path / "site", None))
    assert done.returncode == 0, done.stderr
    assert _install_runs(_workflow(blog)) == ['python -m pip install "flashgen==9.8.7"'] * 2
    assert "warning" not in done.stderr


# --- 2. A blog set up in the other publishing mode -------------------------------------------


def _committed_blog(tmp_path: Path, deck: str = "공부 노트.apkg") -> Path:
    """A blog in a real git repository, set up by `flashgen init` (commit mode), with a deck
    committed in decks/ as the workflow commits it."""
    blog = _blog(tmp_path / "blog")
    _git(blog, "-c", "init.defaultBranch=main", "init", "-q")
    assert _flashgen(blog, "init").returncode == 0
    (blog / "decks").mkdir()
    (blog / "decks" / deck).write_bytes(b"PK\x03\x04 a deck")
    (blog / "decks" / "notes.state.json").write_text("{}", encoding="utf-8")
    _git(blog, "add", "-A")
    _git(blog, "commit", "-qm", "decks")
    return blog


def _snapshot(blog: Path) -> dict[str, bytes]:
    names = (".gitignore", "flashgen.toml", str(WORKFLOW), ".github/dependabot.yml")
    return {name: (blog / name).read_bytes() for name in names}


def test_release_without_force_on_a_committing_blog_changes_nothing(tmp_path: Path) -> None:
    """The workflow is left committing the decks: .gitignore must not start ignoring them (the
    workflow's `git add` would then skip every new deck), no release advice, and the way to
    switch is said."""
    blog = _committed_blog(tmp_path)
    before = _snapshot(blog)
    done = _flashgen(blog, "init", "--publish", "release")
    assert done.returncode == 0, done.stderr
    assert _snapshot(blog) == before
    assert "flashgen init --publish release --force" in done.stderr
    assert "release" not in done.stdout  # no release-mode advice, no download URL
    assert "keeps decks/ up to date" in done.stdout
    assert _git(blog, "status", "--porcelain") == ""


def test_switching_to_release_says_how_to_untrack_the_committed_decks(tmp_path: Path) -> None:
    """With --force: the workflow attaches decks to the release, and the .apkg git still tracks
    is named with the exact command that untracks it; run as printed, the deck leaves the index
    and stays on disk, the state file stays tracked."""
    blog = _committed_blog(tmp_path)
    settings = blog / "flashgen.toml"
    settings.write_text(
        settings.read_text("utf-8").replace('split = "one"', "split = 'post'  # mine"), "utf-8"
    )
    done = _flashgen(blog, "init", "--publish", "release", "--force")
    assert done.returncode == 0, done.stderr
    assert 'publish = "release"' in settings.read_text("utf-8")
    assert "split = 'post'  # mine" in settings.read_text("utf-8")  # the user's settings stay
    assert "/decks/*.apkg" in (blog / ".gitignore").read_text("utf-8").splitlines()
    lines = done.stdout.splitlines()
    untrack = next(line.strip() for line in lines if line.strip().startswith("git rm --cached"))
    assert untrack == f"git rm --cached -- {shlex.quote('decks/공부 노트.apkg')}"
    commit = next(line.strip() for line in lines if line.strip().startswith("git add"))
    for command in (untrack, commit.split(" && git push")[0]):
        subprocess.run(["bash", "-e", "-c", command], cwd=blog, check=True, env={**os.environ, **_GIT_USER})
    tracked = _git(blog, "ls-files").splitlines()
    assert "decks/notes.state.json" in tracked and not [t for t in tracked if t.endswith(".apkg")]
    assert (blog / "decks" / "공부 노트.apkg").read_bytes() == b"PK\x03\x04 a deck"


def test_switching_back_to_commit_stops_ignoring_the_decks(tmp_path: Path) -> None:
    """From release mode back to commit mode (--force): the ignore line release mode added goes,
    else the workflow's `git add decks` would skip every deck it builds."""
    blog = _blog(tmp_path / "blog")
    _git(blog, "-c", "init.defaultBranch=main", "init", "-q")
    assert _flashgen(blog, "init", "--publish", "release").returncode == 0
    done = _flashgen(blog, "init", "--publish", "commit", "--force")
    assert done.returncode == 0, done.stderr
    assert "/decks/*.apkg" not in (blog / ".gitignore").read_text("utf-8").splitlines()
    (blog / "decks").mkdir()
    (blog / "decks" / "blog.apkg").write_bytes(b"PK")
    ignored = subprocess.run(["git", "check-ignore", "-q", "decks/blog.apkg"], cwd=blog)
    assert ignored.returncode == 1  # not ignored: the workflow commits it


# --- 3. Control characters in the site's title -----------------------------------------------


@pytest.mark.parametrize(
    ("config", "text"),
    [
        ("_config.yml", 'title: "Notes\\x7f \\"quoted\\" back\\\\slash\\ttab\\x01"\n'),
        ("hugo.toml", 'title = "Notes\\u007F \\"quoted\\" back\\\\slash\\ttab\\u0001"\n'),
    ],
)
def test_a_control_character_in_the_sites_title_writes_a_valid_flashgen_toml(
    tmp_path: Path, config: str, text: str
) -> None:
    """The title is the deck's name in flashgen.toml: written escaped, it reads back as the same
    name, and the next build (which reads flashgen.toml) succeeds."""
    blog = _blog(tmp_path / "blog")
    (blog / config).write_text(text, encoding="utf-8")
    title = 'Notes\x7f "quoted" back\\slash\ttab\x01'
    done = _flashgen(blog, "init")
    assert done.returncode == 0, done.stderr
    assert tomllib.loads((blog / "flashgen.toml").read_text(encoding="utf-8"))["deck"] == title
    built = _flashgen(blog, "build", "-q")
    assert built.returncode == 0, built.stdout + built.stderr
    assert [p.suffix for p in (blog / "decks").iterdir()].count(".apkg") == 1


# --- 4. Quotes and YAML in folder and branch names -------------------------------------------

_NAMES = ['my "notes"', "notes: draft #1", "c++ [old]!", "back\\slash", "공부 '노트'"]


@pytest.mark.parametrize("name", _NAMES)
def test_folder_names_are_written_into_the_workflow_as_they_are(
    tmp_path: Path, name: str, actionlint: list[str]
) -> None:
    """`output` and `sources` with a quote, `: `, ` #`, pattern characters or a line break: the
    workflow parses, holds each as given (the OUTPUT the steps use, the paths that trigger it,
    as literal patterns), and passes actionlint."""
    blog = tmp_path / "blog"
    (blog / name).mkdir(parents=True)
    (blog / "flashgen.toml").write_text(
        f"sources = [{json.dumps(name)}]\noutput = {json.dumps(name + ' decks')}\n", encoding="utf-8"
    )
    old = Path.cwd()
    os.chdir(blog)
    try:
        done = CliRunner().invoke(main, ["init"])
    finally:
        os.chdir(old)
    assert done.exit_code == 0, done.output
    data = _workflow(blog)
    steps = data["jobs"]["decks"]["steps"]
    assert steps[-1]["env"]["OUTPUT"] == name + " decks"
    assert steps[-1]["name"] == f"Commit {name} decks/ when it changed"
    assert data["jobs"]["check"]["steps"][-1]["env"]["OUTPUT"] == name + " decks"
    literal = "".join("\\" + c if c in "\\*?+[]!" else c for c in name)
    assert data[True]["push"]["paths"][0] == f"{literal}/**"  # YAML 1.1 reads `on` as true
    linted = subprocess.run([*actionlint, str(blog / WORKFLOW)], capture_output=True, text=True)
    assert linted.returncode == 0, linted.stdout + linted.stderr


def test_an_output_folder_with_a_line_break_is_held_and_a_source_folder_refused(
    tmp_path: Path, actionlint: list[str]
) -> None:
    """The output folder is an env value, which holds a line break; a source folder is a filter
    pattern, which cannot: exit code 2 naming the folder, and no workflow written."""
    blog = tmp_path / "blog"
    (blog / "_posts").mkdir(parents=True)
    (blog / "flashgen.toml").write_text('output = "two\\nlines"\n', encoding="utf-8")
    done = _flashgen(blog, "init")
    assert done.returncode == 0, done.stderr
    assert _workflow(blog)["jobs"]["decks"]["steps"][-1]["env"]["OUTPUT"] == "two\nlines"
    linted = subprocess.run([*actionlint, str(blog / WORKFLOW)], capture_output=True, text=True)
    assert linted.returncode == 0, linted.stdout + linted.stderr

    (blog / WORKFLOW).unlink()
    (blog / "two\nlines").mkdir()
    (blog / "flashgen.toml").write_text('sources = ["two\\nlines"]\n', encoding="utf-8")
    refused = _flashgen(blog, "init")
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "'two\\nlines'" in refused.stderr and "line break" in refused.stderr
    assert "Traceback" not in refused.stderr and not (blog / WORKFLOW).exists()


def test_a_branch_name_with_a_quote_is_written_as_it_is(tmp_path: Path) -> None:
    blog = _blog(tmp_path / "blog")
    _git(blog, "init", "-q", "-b", 'fix"quote+c++')
    done = _flashgen(blog, "init")
    assert done.returncode == 0, done.stderr
    assert _workflow(blog)[True]["push"]["branches"] == ['fix"quote\\+c\\+\\+']


def test_an_expression_in_a_folder_name_is_refused(tmp_path: Path) -> None:
    """GitHub evaluates `${{ … }}` in step names and env values: a folder so named cannot be
    written as it is, so init stops with exit code 2 and says why, writing no workflow."""
    blog = _blog(tmp_path / "blog")
    (blog / "flashgen.toml").write_text('output = "${{ github.token }}"\n', encoding="utf-8")
    done = _flashgen(blog, "init")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "flashgen.yml" in done.stderr and "${{" in done.stderr and "expression" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (blog / WORKFLOW).exists()
