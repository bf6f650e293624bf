"""flashgen's own folder in the user's cache folder, outside every project, and this machine's key
kept there: what signs the post cache, the last build's record and the in-place store's rows, so
that none planted in a project (or copied from another machine) is taken as this machine's."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def user_folder() -> Path | None:
    """flashgen's folder in the user's cache folder ($XDG_CACHE_HOME/flashgen, else
    ~/.cache/flashgen), outside every project; None when there is no home folder."""
    # The XDG spec: a relative $XDG_CACHE_HOME is invalid and ignored (it would put the key in
    # whatever folder the build runs in: the blog, and then its repository).
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    try:
        home = xdg if os.path.isabs(xdg) else str(Path.home() / ".cache")
    except (RuntimeError, KeyError):  # no home folder (a container's user without a passwd entry)
        return None
    return Path(home) / "flashgen"


def signing_key() -> bytes | None:
    """This machine's key for signing caches, made on first use in the user's cache folder
    (`user_folder`); None when it cannot be had."""
    folder = user_folder()
    if folder is None:
        return None
    path = folder / "cache-key"
    try:
        key = path.read_bytes()
        if len(key) == 32:
            return key
    except OSError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_bytes(32)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(key)
        return key
    except OSError:
        return None


__all__ = ["signing_key", "user_folder"]
