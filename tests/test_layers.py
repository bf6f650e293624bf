"""The package's layers (pyproject.toml's import-linter contract): each module imports only from
the layers below it, and none imports another module's private names."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "flashgen"


def _lint_imports(folder: Path) -> subprocess.CompletedProcess[str]:
    """`lint-imports` with this repository's contract, on the flashgen package in `folder`."""
    environment = {**os.environ, "PYTHONPATH": str(folder)}
    command = [
        sys.executable,
        "-c",
        "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())",
    ]
    return subprocess.run(
        [*command, "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=folder,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_every_module_imports_only_from_the_layers_below_it() -> None:
    shown = _lint_imports(ROOT)
    assert shown.returncode == 0, shown.stdout + shown.stderr
    assert "0 broken" in shown.stdout and " kept" in shown.stdout


def test_the_contract_catches_an_import_that_climbs(tmp_path: Path) -> None:
    """The same check on a copy where the value types import the build: broken."""
    shutil.copytree(PACKAGE, tmp_path / "flashgen", ignore=shutil.ignore_patterns("__pycache__"))
    model = tmp_path / "flashgen" / "model.py"
    model.write_text(
        model.read_text(encoding="utf-8") + "\nfrom flashgen import api  # noqa\n", encoding="utf-8"
    )
    shown = _lint_imports(tmp_path)
    assert shown.returncode == 1, shown.stdout + shown.stderr
    assert "flashgen.model -> flashgen.api" in shown.stdout


def _private_imports(path: Path, root: Path = ROOT) -> list[str]:
    """`from flashgen.x import _name` and `x._name` for a flashgen module `x` imported here."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    own = path.relative_to(root).with_suffix("").as_posix().replace("/", ".")
    found: list[str] = []
    modules: set[str] = set()  # names bound to flashgen modules in this file
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("flashgen"):
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__") and node.module != own:
                    found.append(f"{own}: from {node.module} import {alias.name}")
                if node.module in ("flashgen", "flashgen.extract"):
                    modules.add(alias.asname or alias.name)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            found.append(f"{own}: {node.value.id}.{node.attr}")
    return found


def test_no_module_uses_another_modules_private_names() -> None:
    found = [line for path in sorted(PACKAGE.rglob("*.py")) for line in _private_imports(path)]
    assert found == []


def test_the_private_name_check_can_fail(tmp_path: Path) -> None:
    copy = tmp_path / "flashgen" / "sneaky.py"
    copy.parent.mkdir()
    copy.write_text("from flashgen import building\nfrom flashgen.render import _CLEANER\nbuilding._Job\n")
    assert _private_imports(copy, tmp_path) == [
        "flashgen.sneaky: from flashgen.render import _CLEANER",
        "flashgen.sneaky: building._Job",
    ]
