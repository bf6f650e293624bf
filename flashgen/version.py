"""flashgen's version, from the installed package's metadata (pyproject.toml is the one source)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("flashgen")
except PackageNotFoundError:  # run from a checkout that was never installed
    __version__ = "0+unknown"
