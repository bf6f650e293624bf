"""Per-post results kept between builds, so a rebuild re-reads only the posts that changed.

An entry is keyed by the post's bytes, its place (label, site) and everything else its notes
depend on (flashgen's version, the extraction settings, the language override). The cache is one
file in a folder (`.flashgen-cache/` by default) that is safe to delete at any time: a missing,
stale or unreadable cache only makes the next build slower. It is a pickle, signed with a key kept
outside the project (a pickle from anywhere else, say one committed to a blog, is never loaded).
Images are not cached: they are checked on every build, since one may change while its post does
not.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import importlib.metadata
import io
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from flashgen.keys import signing_key
from flashgen.model import Post, pickled_fast
from flashgen.settings import Settings
from flashgen.version import __version__

if TYPE_CHECKING:
    from flashgen.extract import Extracted  # the rules: not needed to read or sign a cache


@functools.cache
def _shaping_versions() -> str:
    """The versions of the libraries that shape a note's HTML (Markdown, highlighting,
    sanitising, YAML): a cache made with others is not used."""
    return " ".join(f"{name}={importlib.metadata.version(name)}" for name in _SHAPING)


_SHAPING = ("pyromark", "Pygments", "nh3", "PyYAML", "python-frontmatter")


def cache_salt(settings: Settings, lang: str | None) -> str:
    """What every post's notes depend on beside the post itself."""
    return f"{__version__}\x1f{_shaping_versions()}\x1f{settings!r}\x1f{lang}"


CACHE_FILE = "posts.pickle"
_FORMAT = 4  # 4: signed, one pickle per post


@pickled_fast
@dataclass(frozen=True, slots=True)
class Entry:
    digest: str
    post: Post  # without its body: what packing images and naming decks need
    extracted: Extracted  # the notes before images are packed


@dataclass(slots=True)
class Cache:
    folder: Path | None  # None: no cache (every post is read)
    salt: str  # what every entry depends on beside the post itself
    entries: dict[str, Entry] = field(default_factory=dict)  # by the post's path
    used: dict[str, Entry] = field(default_factory=dict)  # what this build read or made
    hits: int = 0
    dirty: bool = False

    @classmethod
    def open(cls, folder: Path | None, salt: str) -> Cache:
        cache = cls(folder, salt)
        if folder is None:
            return cache
        try:
            data = (folder / CACHE_FILE).read_bytes()
            key = signing_key()
            tag, payload = data[:_TAG], data[_TAG:]
            # Unpickling runs code: only a file this machine's own key signed is unpickled, never
            # one that came with a repository.
            if key is None or not hmac.compare_digest(tag, hmac.new(key, payload, "sha256").digest()):
                return cache
            reader = io.BytesIO(payload)
            if pickle.load(reader) != (_FORMAT, salt):
                return cache
            entries = {}
            while (item := pickle.load(reader)) is not None:
                path, entry = item
                entries[path] = entry
            cache.entries = entries
        except Exception:
            cache.entries = {}
        return cache

    def digest(self, raw: bytes, *context: str) -> str:
        """The key of a post's bytes in its context (its path, its source folder, its site)."""
        where = "\x1f".join((*context, self.salt)).encode()
        return hashlib.blake2b(raw + b"\x00" + where, digest_size=20).hexdigest()

    def get(self, path: Path, digest: str) -> Entry | None:
        entry = self.entries.get(str(path))
        if entry is None or entry.digest != digest:
            return None
        self.hits += 1
        self.used[str(path)] = entry
        return entry

    def put(self, path: Path, entry: Entry) -> None:
        self.used[str(path)] = entry
        self.dirty = True

    def save(self) -> None:
        """Keep what this build used (posts since deleted drop out), written atomically."""
        if self.folder is None or (not self.dirty and self.used.keys() == self.entries.keys()):
            return
        key = signing_key()
        if key is None:
            return
        temporary = self.folder / f".{CACHE_FILE}.{os.getpid()}.tmp"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with temporary.open("wb") as handle:
                handle.write(bytes(_TAG))  # the signature, written once the rest is
                signing = _Signing(handle, hmac.new(key, digestmod="sha256"))
                # One pickle per post: each keeps its own memo small, so saving holds no table
                # of every object in the cache.
                pickle.dump((_FORMAT, self.salt), signing, protocol=5)
                for item in self.used.items():
                    pickle.dump(item, signing, protocol=5)
                pickle.dump(None, signing, protocol=5)
                handle.seek(0)
                handle.write(signing.mac.digest())
            os.replace(temporary, self.folder / CACHE_FILE)
        except OSError:
            # A cache that cannot be written only makes the next build slower; what was begun
            # of it (a full disk leaves a file of nothing) goes.
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)


_TAG = 32  # bytes of HMAC-SHA256 before the pickle


class _Signing:
    """A file to pickle into that also signs what goes through it."""

    def __init__(self, handle: BinaryIO, mac: hmac.HMAC) -> None:
        self.handle, self.mac = handle, mac

    def write(self, data: bytes) -> int:
        self.mac.update(data)
        return self.handle.write(data)
