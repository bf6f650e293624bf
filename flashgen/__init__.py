"""flashgen: Markdown study notes → Anki decks."""

from flashgen.api import BuildResult, Planned, Problem, build, plan, write
from flashgen.config import Config
from flashgen.errors import FlashgenError
from flashgen.version import __version__

__all__ = [
    "BuildResult",
    "Config",
    "FlashgenError",
    "Planned",
    "Problem",
    "__version__",
    "build",
    "plan",
    "write",
]
