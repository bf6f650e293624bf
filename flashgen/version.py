"""flashgen's version. It is pyproject.toml's `version`, written here too because reading the
installed package's metadata (importlib.metadata) costs a fifth of a rebuild where nothing
changed; tests/test_packaging.py checks that the two agree."""

from __future__ import annotations

__version__ = "0.1.0"
