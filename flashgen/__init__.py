"""flashgen: Markdown study notes → Anki decks."""

from flashgen.api import BuildResult, Planned, Problem, build, plan, write
from flashgen.errors import FlashgenError

__all__ = ["BuildResult", "FlashgenError", "Planned", "Problem", "build", "plan", "write"]
