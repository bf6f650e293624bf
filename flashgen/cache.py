"""Per-post results kept between builds, so a rebuild re-reads only the posts that changed.

An entry is keyed by the post's bytes, its place (label, site) and everything else its notes
depend on (flashgen's version, the extraction settings, the language override). The cache is one
file in a folder (`.flashgen-cache/` by default) that is safe to delete at any time: a missing,
stale or unreadable cache only makes the next build slower. Images are not cached: they are
checked on every build, since one may change while its post does not.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from flashgen.extract import Extracted
from flashgen.model import Post, pickled_fast

CACHE_FILE = "posts.pickle"
_FORMAT = 2  # 2: notes pickled as (class, values)


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
            with (folder / CACHE_FILE).open("rb") as handle:
                stored = pickle.load(handle)
            if isinstance(stored, dict) and stored.get("format") == _FORMAT and stored.get("salt") == salt:
                cache.entries = stored["entries"]
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
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            temporary = self.folder / f".{CACHE_FILE}.{os.getpid()}.tmp"
            with temporary.open("wb") as handle:  # streamed: no second copy of it in memory
                pickle.dump({"format": _FORMAT, "salt": self.salt, "entries": self.used}, handle, protocol=5)
            os.replace(temporary, self.folder / CACHE_FILE)
        except OSError:
            pass  # a cache that cannot be written only makes the next build slower
