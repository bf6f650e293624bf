"""flashgen: Markdown study notes → Anki decks."""

from flashgen.api import BuildResult, Planned, Problem, Report, build, plan, run, write
from flashgen.config import Config
from flashgen.errors import FlashgenError
from flashgen.version import __version__

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
