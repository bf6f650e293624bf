"""flashgen: Markdown study notes → Anki decks."""

from flashgen.api import BuildResult, Problem, build, write
from flashgen.errors import FlashgenError

__all__ = ["BuildResult", "FlashgenError", "Problem", "build", "write"]
