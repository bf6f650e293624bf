"""flashgen's own folder in the user's cache folder, outside every project, and this machine's key
kept there: what signs the post cache, the last build's record and the in-place store's rows, so
that none planted in a project (or copied from another machine) is taken as this machine's."""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path


def user_folder() -> Path | None:
    """flashgen's folder in the user's cache folder, outside every project: platformdirs' cache
    folder for flashgen ($XDG_CACHE_HOME/flashgen or ~/.cache/flashgen on Linux,
    ~/Library/Caches/flashgen on macOS, %LOCALAPPDATA%\\flashgen\\Cache on Windows); None when
    there is no home folder."""
    import platformdirs

    # The XDG spec: a relative $XDG_CACHE_HOME is invalid and ignored (it would put the key in
    # whatever folder the build runs in: the blog, and then its repository). platformdirs takes
    # it as it is, so it is left out here.
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    try:
        if xdg and not os.path.isabs(xdg) and sys.platform not in ("win32", "darwin"):
            return Path.home() / ".cache" / "flashgen"
        return Path(platformdirs.user_cache_dir("flashgen", appauthor=False))
    except (RuntimeError, KeyError):  # no home folder (a container's user without a passwd entry)
        return None


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
