"""flashgen: Markdown study notes → Anki decks.

The names below are loaded when first used: `flashgen build` answers a rebuild where nothing
changed without importing the parser, the rules or genanki.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from flashgen.version import __version__

if TYPE_CHECKING:
    from flashgen.api import BuildResult, Planned, Problem, Report, build, plan, run, write
    from flashgen.errors import FlashgenError
    from flashgen.read.config import Config

_WHERE = {
    "BuildResult": "flashgen.api",
    "Config": "flashgen.read.config",
    "FlashgenError": "flashgen.errors",
    "Planned": "flashgen.api",
    "Problem": "flashgen.api",
    "Report": "flashgen.api",
    "build": "flashgen.api",
    "plan": "flashgen.api",
    "run": "flashgen.api",
    "write": "flashgen.api",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'flashgen' has no attribute {name!r}")


__all__ = [
    "BuildResult",
    "Config",
    "FlashgenError",
    "Planned",
    "Problem",
    "Report",
    "__version__",
    "build",
    "plan",
    "run",
    "write",
]
