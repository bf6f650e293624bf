"""Images in card HTML: local files packed into the deck under names from their content; links
made absolute. Remote images stay remote; nothing is fetched."""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
import urllib.parse
from dataclasses import dataclass, replace
from pathlib import Path

from flashgen.model import Note, Post
from flashgen.site import is_web_url

_IMG_SRC = re.compile(r'(<img\b[^>]*?\bsrc=")([^"]*)(")', re.IGNORECASE)
_HREF = re.compile(r'(<a\b[^>]*?\bhref=")(/[^"/][^"]*|/)(")', re.IGNORECASE)
_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Packed:
    note: Note
    media: tuple[tuple[str, Path], ...]  # (name in the deck, file)
    warnings: tuple[tuple[int, str], ...]


def media_name(path: Path) -> str:
    """A collision-free name from the file's content (never starting with `_`, which Anki
    never replaces once present)."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:20]
    return f"fg-{digest}{path.suffix.lower()}"


def resolve_image(src: str, post: Post) -> tuple[Path | None, str | None]:
    """The local file an image source names, or (None, why not)."""
    written = urllib.parse.unquote(src.split("#")[0].split("?")[0])
    root = post.site_root.resolve()
    candidates: list[Path] = []
    # A name typed on one system and saved on another: "한글.png" composed (NFC, most editors) in
    # the post and decomposed (NFD, macOS) on disk, or the reverse. Each form is looked for.
    for path_text in dict.fromkeys((written, *(unicodedata.normalize(f, written) for f in ("NFC", "NFD")))):
        if path_text.startswith("/"):
            candidates += [root / path_text.lstrip("/"), root / "static" / path_text.lstrip("/")]
        else:
            candidates.append(post.path.parent / path_text)
    for candidate in candidates:
        resolved = candidate.resolve()
        if not resolved.is_relative_to(root):
            return None, f"image {src!r} is outside the site root {root}; not packed"
        if resolved.is_file():
            return resolved, None
    return None, f"image {src!r} not found (looked for {candidates[0]})"


def attach(note: Note, post: Post) -> Packed:
    """Pack the note's local images and make its site-relative links absolute."""
    if not any("<img" in f or 'href="/' in f for f in (note.front, note.back, note.extra)):
        return Packed(note, (), ())  # most notes: nothing to do
    # Every (name, file) pair: two files with one content share a name, and both are kept here so
    # that a later change to either is noticed.
    media: set[tuple[str, Path]] = set()
    warnings: list[tuple[int, str]] = []

    def image(match: re.Match[str]) -> str:
        src = html.unescape(match.group(2))
        if not src or _REMOTE.match(src):
            return match.group(0)
        found, problem = resolve_image(src, post)
        if found is None:
            warnings.append((note.ref.line, problem or f"image {src!r} not found"))
            return match.group(0)
        name = media_name(found)
        media.add((name, found))
        return match.group(1) + html.escape(name) + match.group(3)

    def link(match: re.Match[str]) -> str:
        if post.site_url is None:
            return match.group(0)
        absolute = post.site_url + html.unescape(match.group(2))
        if not is_web_url(absolute):
            return match.group(0)  # checked again as written: only an http(s) link is made
        return match.group(1) + html.escape(absolute) + match.group(3)

    def fix(value: str) -> str:
        return _HREF.sub(link, _IMG_SRC.sub(image, value))

    fixed = replace(note, front=fix(note.front), back=fix(note.back), extra=fix(note.extra))
    return Packed(fixed, tuple(sorted(media)), tuple(warnings))
