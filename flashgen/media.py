"""Images in card HTML: local files packed into the deck under names from their content; links
made absolute. Remote images stay remote; nothing is fetched."""

from __future__ import annotations

import hashlib
import html
import io
import os
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


def media_name(path: Path, max_px: int | None = None, max_kb: int | None = None) -> str:
    """A collision-free name from the file's content (never starting with `_`, which Anki
    never replaces once present). A picture wider or taller than `max_px`, or heavier than
    `max_kb`, is shipped re-encoded (scaled down to fit `max_px`, as WebP), and its name says so
    (`fg-…-1600px.webp`): another size is another file to Anki."""
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()[:20]
    if max_px is not None and _reencoded(data, path, max_px, max_kb):
        return f"fg-{digest}-{max_px}px.webp"
    return f"fg-{digest}{path.suffix.lower()}"


# Pictures that are re-encoded when large: photos and screenshots. (GIFs may move and SVGs have no
# pixels; both ship as they are, as does an animated PNG or WebP.) They become WebP at quality 80:
# on 250 real blog images of 300 KB–2 MB (benchmarks/images.py) about 10x smaller than the files,
# where scaling alone, each in its own format, made them 1.4x smaller (most are PNGs of at most
# 1600 px). Anki's desktop, AnkiDroid and AnkiMobile (iOS 14 and later) all show WebP.
_SCALABLE = (".png", ".jpg", ".jpeg", ".webp")
_WEBP = {"quality": 80, "method": 4}
_SCALED = re.compile(r"-(\d+)px\.webp$")


def _reencoded(data: bytes, path: Path, max_px: int, max_kb: int | None) -> bool:
    if path.suffix.lower() not in _SCALABLE:
        return False
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:  # reads the header only
            if getattr(image, "is_animated", False):
                return False
            heavy = max_kb is not None and len(data) > max_kb * 1000
            return heavy or max(image.size) > max_px
    except (UnidentifiedImageError, OSError, ValueError):
        return False  # not what its name says: shipped as it is


def packed_bytes(name: str, path: Path, cache: Path | None = None) -> Path | bytes:
    """What a media file of the deck holds: the file, or, when its name asks for a size, the
    picture turned upright (a phone photo's EXIF orientation), scaled down to fit it and encoded
    as WebP, the same way every time (same bytes, build after build; no metadata kept). Encoded
    pictures are kept in `cache`, by name (which holds the file's hash). The original is never
    touched."""
    match = _SCALED.search(name)
    if match is None:
        return path
    from PIL import Image, ImageOps
    from PIL import __version__ as pillow

    kept = cache / f"media-pillow-{pillow}" / name if cache is not None else None
    if kept is not None and kept.is_file():
        return kept
    max_px = int(match.group(1))
    with Image.open(path) as opened:
        image = ImageOps.exif_transpose(opened) or opened
        image.thumbnail((max_px, max_px), Image.Resampling.LANCZOS)
        alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
        image = image.convert("RGBA" if alpha else "RGB")
        out = io.BytesIO()
        image.save(out, "WEBP", **_WEBP)
    data = out.getvalue()
    if kept is not None:
        _keep(kept, data)
    return data


def _keep(path: Path, data: bytes) -> None:
    """Write a cache file whole or not at all (a cache is only ever a shortcut)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError:
        pass


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


def attach(note: Note, post: Post, max_px: int | None = None, max_kb: int | None = None) -> Packed:
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
        name = media_name(found, max_px, max_kb)
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
