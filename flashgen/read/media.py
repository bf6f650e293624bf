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
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from flashgen.errors import FlashgenError
from flashgen.model import Note, Post
from flashgen.read.site import is_web_url

if TYPE_CHECKING:
    from PIL import Image as PILImage

_IMG_SRC = re.compile(r'(<img\b[^>]*?\bsrc=")([^"]*)(")', re.IGNORECASE)
_HREF = re.compile(r'(<a\b[^>]*?\bhref=")(/[^"/][^"]*|/)(")', re.IGNORECASE)
_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)


class ImageError(FlashgenError):
    """A local image that cannot be packed: named as a picture but of another format, too large
    in pixels to decode safely, or broken (a file cut short). It is its post's error."""


@dataclass(frozen=True, slots=True)
class Packed:
    note: Note
    media: tuple[tuple[str, Path], ...]  # (name in the deck, file)
    warnings: tuple[tuple[int, str], ...]
    errors: tuple[tuple[int, str], ...] = ()  # images that cannot be packed: the post fails


def media_name(
    path: Path, max_px: int | None = None, max_kb: int | None = None, cache: Path | None = None
) -> str:
    """A collision-free name from the file's content (never starting with `_`, which Anki
    never replaces once present). A picture wider or taller than `max_px`, or heavier than
    `max_kb`, is shipped re-encoded (scaled down to fit `max_px`, as WebP), and its name says so
    (`fg-…-1600px.webp`): another size is another file to Anki.

    Raises ImageError for a picture that cannot be shipped: one of another format than the web
    formats (a TIFF or EPS named `.png`), one of more than MAX_PIXELS, or, when it is to be
    re-encoded, one that does not decode. A picture to re-encode is encoded here into `cache`,
    where packing finds it (without a cache, only decoded: packing encodes it), so a broken one is
    found while its post is known."""
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()[:20]
    if max_px is not None and _reencoded(data, path, max_px, max_kb):
        name = f"fg-{digest}-{max_px}px.webp"
        kept = _cached(cache, name)
        if kept is None:
            _decoded(data, path)  # packing encodes it: decoding it twice costs less than encoding twice
        elif not kept.is_file():  # else encoded before from these very bytes: it decodes
            _keep(kept, _encoded(data, path, max_px))  # where packing finds it: encoded once
        return name
    return f"fg-{digest}{path.suffix.lower()}"


# Pictures that are re-encoded when large: photos and screenshots. (GIFs may move and SVGs have no
# pixels; both ship as they are, as does an animated PNG or WebP.) They become WebP at quality 80:
# on 250 real blog images of 300 KB–2 MB (benchmarks/images.py) about 10x smaller than the files,
# where scaling alone, each in its own format, made them 1.4x smaller (most are PNGs of at most
# 1600 px). Anki's desktop, AnkiDroid and AnkiMobile (iOS 14 and later) all show WebP.
_SCALABLE = (".png", ".jpg", ".jpeg", ".webp")
_WEBP = {"quality": 80, "method": 4}
_SCALED = re.compile(r"-(\d+)px\.webp$")

# The only formats a picture is decoded as: those a card shows (a browser shows a JPEG named
# `.png`, so the name's format is not insisted on). Any other Pillow knows is never tried on a
# post's file: TIFF and BMP decoders, nor EPS, which Pillow hands to Ghostscript.
_FORMATS = ("PNG", "JPEG", "WEBP", "GIF")
# A picture of more pixels is not decoded: a PNG of 200 KB can hold 40,000 x 40,000 pixels, gigabytes
# once decoded (a decompression bomb). The cap is Pillow's own default warning limit
# (Image.MAX_IMAGE_PIXELS, 1024**3 // 12 = 89,478,485 pixels: 9,459 px square, or a 12,000 x 7,400
# photo), fixed here so that a program that changes Pillow's setting does not change flashgen's.
MAX_PIXELS = 89_478_485


def _reencoded(data: bytes, path: Path, max_px: int, max_kb: int | None) -> bool:
    """Whether the picture is shipped re-encoded; ImageError if it is not a picture flashgen
    ships (read from its header, nothing decoded)."""
    if path.suffix.lower() not in _SCALABLE:
        return False
    with _opened(data, path) as image:
        if getattr(image, "is_animated", False):
            return False
        heavy = max_kb is not None and len(data) > max_kb * 1000
        return heavy or max(image.size) > max_px


@contextmanager
def _opened(data: bytes, path: Path) -> Iterator[PILImage.Image]:
    """The picture in `data`, its header read (its pixels not yet decoded): only in a format of
    _FORMATS and of at most MAX_PIXELS, else ImageError naming `path`."""
    from PIL import Image

    try:
        with warnings.catch_warnings():
            # Pillow warns of a picture over its limit (checked below, to be said as this
            # picture's error, not a warning on the terminal) and refuses one twice as large.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=_FORMATS)
    except Image.DecompressionBombError:
        raise ImageError(_TOO_LARGE.format(size="", limit=MAX_PIXELS), path) from None
    except Exception as exc:  # a plugin reading a bad header raises what it likes
        if data.startswith(_LFS_POINTER):
            raise ImageError(_LFS, path) from None
        raise ImageError(_NOT_A_PICTURE, path) from exc
    with image:
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise ImageError(_TOO_LARGE.format(size=f"{width} x {height} pixels, ", limit=MAX_PIXELS), path)
        yield image


# A repository cloned without Git LFS holds, in each picture's place, a small text file naming it.
_LFS_POINTER = b"version https://git-lfs.github.com/spec/"
_LFS = (
    "a Git LFS pointer, not the picture: fetch the pictures with `git lfs pull` (in GitHub Actions, "
    "`lfs: true` in actions/checkout)"
)
_NOT_A_PICTURE = (
    "not a readable PNG, JPEG, WebP or GIF picture (only those formats are opened, whatever the "
    "file's name says)"
)
_TOO_LARGE = (
    "too large to decode safely ({size}more than {limit:,} pixels, a decompression bomb's size); "
    "scale it down"
)


def _encoded(data: bytes, path: Path, max_px: int) -> bytes:
    """The picture turned upright (a phone photo's EXIF orientation), scaled down to fit
    `max_px` and encoded as WebP, the same way every time; ImageError if it does not decode."""
    from PIL import Image, ImageOps

    with _opened(data, path) as opened:
        try:
            image = ImageOps.exif_transpose(opened) or opened
            image.thumbnail((max_px, max_px), Image.Resampling.LANCZOS)
            alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
            image = image.convert("RGBA" if alpha else "RGB")
            out = io.BytesIO()
            image.save(out, "WEBP", **_WEBP)
        except Exception as exc:  # a decoder meeting a broken file raises what it likes
            raise ImageError(f"it does not decode, perhaps cut short ({_why(exc)})", path) from exc
    return out.getvalue()


def _decoded(data: bytes, path: Path) -> None:
    """Decode the picture, to find a broken one (a file cut short); ImageError if it does not.
    Decoding costs a tenth of scaling and encoding it, which packing does once."""
    with _opened(data, path) as opened:
        try:
            opened.load()
        except Exception as exc:  # a decoder meeting a broken file raises what it likes
            raise ImageError(f"it does not decode, perhaps cut short ({_why(exc)})", path) from exc


def _why(exc: Exception) -> str:
    return str(exc) or type(exc).__name__


def _cached(cache: Path | None, name: str) -> Path | None:
    """Where a re-encoded picture is kept: by Pillow's version, which may encode differently."""
    from PIL import __version__ as pillow

    return cache / f"media-pillow-{pillow}" / name if cache is not None else None


def packed_bytes(name: str, path: Path, cache: Path | None = None) -> Path | bytes:
    """What a media file of the deck holds: the file, or, when its name asks for a size, the
    picture turned upright (a phone photo's EXIF orientation), scaled down to fit it and encoded
    as WebP, the same way every time (same bytes, build after build; no metadata kept). Encoded
    pictures are kept in `cache`, by name (which holds the file's hash). The original is never
    touched."""
    match = _SCALED.search(name)
    if match is None:
        return path
    kept = _cached(cache, name)
    if kept is not None and kept.is_file():
        return kept
    # The build found the picture sound; a file changed since fails the deck, said as ImageError.
    data = _encoded(path.read_bytes(), path, int(match.group(1)))
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


_LEFT_OUT = "the post's notes are left out until it is fixed (those in the last deck are kept)"


def attach(
    note: Note,
    post: Post,
    max_px: int | None = None,
    max_kb: int | None = None,
    cache: Path | None = None,
    named: dict[Path, str | ImageError] | None = None,
) -> Packed:
    """Pack the note's local images and make its site-relative links absolute. An image that
    cannot be packed (ImageError) is left as written and said in `errors`. `named` keeps each
    file's name, or its error, across the notes of one post (a file is read and checked once)."""
    if not any("<img" in f or 'href="/' in f for f in (note.front, note.back, note.extra)):
        return Packed(note, (), ())  # most notes: nothing to do
    # Every (name, file) pair: two files with one content share a name, and both are kept here so
    # that a later change to either is noticed.
    media: set[tuple[str, Path]] = set()
    warnings: list[tuple[int, str]] = []
    errors: list[tuple[int, str]] = []
    named = {} if named is None else named

    def image(match: re.Match[str]) -> str:
        src = html.unescape(match.group(2))
        if not src or _REMOTE.match(src):
            return match.group(0)
        found, problem = resolve_image(src, post)
        if found is None:
            warnings.append((note.ref.line, problem or f"image {src!r} not found"))
            return match.group(0)
        if found not in named:
            try:
                named[found] = media_name(found, max_px, max_kb, cache)
            except ImageError as exc:
                named[found] = exc
        name = named[found]
        if isinstance(name, ImageError):
            why = f"image {src!r} ({found}) cannot be packed: {name.message}; {_LEFT_OUT}"
            errors.append((note.ref.line, why))
            return match.group(0)
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
    return Packed(fixed, tuple(sorted(media)), tuple(warnings), tuple(errors))
