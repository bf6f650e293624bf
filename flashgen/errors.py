"""flashgen's error types. Each names the file (and line, where known) it is about."""

from __future__ import annotations

from pathlib import Path


class FlashgenError(Exception):
    """Base class: something the user can fix, with where to look."""

    def __init__(self, message: str, path: Path | str | None = None, line: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return where + self.message


class PostError(FlashgenError):
    """A post could not be read: bad encoding, bad front matter, unreadable file."""


class ConfigError(FlashgenError):
    """Wrong options or configuration (a usage error: exit code 2)."""


class OutputError(FlashgenError):
    """A deck could not be written."""
