"""Hostile and broken images in posts: a decompression bomb, a JPEG cut in half, and files of
another format named as pictures (EPS, TIFF, BMP). Each is its own post's error, naming the post
and the image; the other posts still build, the deck and the preview are still written, the
last deck's notes of that post are kept, and no decoder but the web formats' ever runs.

Every build here is the real one: `python -m flashgen` in a process of its own (its own Pillow,
its own PATH), on a blog in a temporary folder; decks are read with Anki's own engine."""

from __future__ import annotations

import io
import json
import os
import random
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest

from flashgen import api
from flashgen.errors import FlashgenError
from tests.conftest import ROOT, import_package, package_notes, write_deck

GOOD = """---
title: Good
---
## Kinds of letters

- Alpha is the first letter
- Beta is the second letter
"""

BAD = """---
title: Figures
---
## Kinds of figures

- Omega figure is shown ![figure](/assets/{name})
- Sigma figure is described
"""


def _blog(tmp_path: Path, name: str, data: bytes) -> Path:
    """A Jekyll blog of two posts: a good one, and one that shows the image `name`."""
    blog = tmp_path / "blog"
    (blog / "_posts").mkdir(parents=True)
    (blog / "assets").mkdir()
    (blog / "_config.yml").write_text("title: B\n", encoding="utf-8")
    (blog / "_posts" / "2024-01-01-good.md").write_text(GOOD, encoding="utf-8")
    (blog / "_posts" / "2024-01-02-figures.md").write_text(BAD.format(name=name), encoding="utf-8")
    (blog / "assets" / name).write_bytes(data)
    return blog


def _flashgen(blog: Path, *args: str, path: str | None = None) -> subprocess.CompletedProcess[str]:
    """The CLI, as a user runs it, in the blog's folder (its cache is the blog's own)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    if path is not None:
        env["PATH"] = path
    return subprocess.run(
        [sys.executable, "-m", "flashgen", *args],
        cwd=blog,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _fields(package: Path) -> list[str]:
    return [fields for fields, _ in package_notes(package)]


def _media(package: Path) -> list[str]:
    with zipfile.ZipFile(package) as archive:
        return sorted(json.loads(archive.read("media")).values())


def _said_once_as_the_posts_error(shown: subprocess.CompletedProcess[str], blog: Path, image: str) -> str:
    """The build's output holds one error, on the bad post's line, naming the image; no traceback."""
    output = shown.stdout + shown.stderr
    assert "Traceback" not in output, output
    post = Path("_posts") / "2024-01-02-figures.md"
    (line,) = [x for x in output.splitlines() if x.startswith("error:")]
    assert line.startswith(f"error: {post}:6: image '/assets/{image}'"), line
    assert str(blog / "assets" / image) in line
    return line


# ── Pictures made for the attack ──


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _bomb_png(width: int, height: int) -> bytes:
    """A whole, valid 1-bit PNG of width x height black pixels: 40,000 px square is about 190 KB
    on disk and 1.6 billion pixels (gigabytes) once decoded."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    row = bytes(1 + (width + 7) // 8)  # filter byte 0, then the row's bits, all 0
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    signature = b"\x89PNG\r\n\x1a\n"
    return signature + _chunk(b"IHDR", header) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


def _photo(size: tuple[int, int] = (2400, 1600), seed: int = 1) -> bytes:
    """A real JPEG larger than 1600 px (so it is re-encoded, hence decoded), of noise."""
    from PIL import Image

    noise = random.Random(seed).randbytes(size[0] * size[1] * 3)
    out = io.BytesIO()
    Image.frombytes("RGB", size, noise).save(out, "JPEG", quality=85)
    return out.getvalue()


def _other_format(kind: str) -> bytes:
    """A 3000 x 2000 picture in a format flashgen does not ship (re-encoded if it were decoded)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (3000, 2000), "red").save(out, kind)
    return out.getvalue()


# Ghostscript's EPS header, 5000 pt square: Pillow's EPS plugin would hand it to `gs` to render.
EPS = b"""%!PS-Adobe-3.0 EPSF-3.0
%%BoundingBox: 0 0 5000 5000
newpath 0 0 moveto 5000 5000 lineto stroke
showpage
%%EOF
"""


# ── The build ──


@pytest.mark.parametrize(
    ("width", "height", "said"),
    [
        (40_000, 40_000, "too large to decode safely (more than 89,478,485 pixels"),  # Pillow refuses it
        (10_000, 9_000, "too large to decode safely (10000 x 9000 pixels, more than 89,478,485"),
    ],
)
def test_a_decompression_bomb_is_its_posts_error_and_the_deck_is_written(
    tmp_path: Path, collection: object, width: int, height: int, said: str
) -> None:
    bomb = _bomb_png(width, height)
    assert len(bomb) < 250_000
    blog = _blog(tmp_path, "bomb.png", bomb)
    shown = _flashgen(blog, "build", "-o", "out")
    assert shown.returncode == 1, shown.stdout + shown.stderr
    line = _said_once_as_the_posts_error(shown, blog, "bomb.png")
    assert said in line and "DecompressionBomb" not in shown.stderr

    package = blog / "out" / "B.apkg"
    import_package(collection, package)
    fronts = [collection.get_note(n).fields[0] for n in collection.find_notes("")]  # type: ignore[attr-defined]
    assert any("Alpha" in front for front in fronts)  # the other post's note
    assert not any("Omega" in front for front in fronts)  # the bad post's notes: left out
    assert _media(package) == []


def test_a_truncated_jpeg_is_its_posts_error_and_the_other_posts_build(tmp_path: Path) -> None:
    photo = _photo()
    blog = _blog(tmp_path, "cut.jpg", photo[: len(photo) // 2])
    shown = _flashgen(blog, "build", "-o", "out", "--no-cache")
    assert shown.returncode == 1, shown.stdout + shown.stderr
    line = _said_once_as_the_posts_error(shown, blog, "cut.jpg")
    assert "it does not decode" in line and "truncated" in line
    fields = _fields(blog / "out" / "B.apkg")
    assert any("Alpha" in f for f in fields) and not any("Omega" in f for f in fields)


def test_the_preview_is_written_when_a_posts_image_is_broken(tmp_path: Path) -> None:
    photo = _photo()
    blog = _blog(tmp_path, "cut.jpg", photo[: len(photo) // 2])
    page = tmp_path / "preview.html"
    shown = _flashgen(blog, "preview", "-o", str(page))
    assert shown.returncode == 1, shown.stdout + shown.stderr
    _said_once_as_the_posts_error(shown, blog, "cut.jpg")
    text = page.read_text(encoding="utf-8")
    assert "Alpha" in text and "Omega" not in text
    assert list((tmp_path / "preview-media").iterdir()) == []


@pytest.mark.parametrize(("name", "kind"), [("tiff.png", "TIFF"), ("bmp.jpg", "BMP"), ("tiff.jpeg", "TIFF")])
def test_a_file_of_another_format_named_as_a_picture_is_never_decoded(
    tmp_path: Path, name: str, kind: str
) -> None:
    """A TIFF or BMP of 3000 x 2000 px would be decoded and shipped re-encoded as WebP if it were
    opened at all; it is not a PNG, JPEG, WebP or GIF, so it is not."""
    blog = _blog(tmp_path, name, _other_format(kind))
    shown = _flashgen(blog, "build", "-o", "out")
    assert shown.returncode == 1, shown.stdout + shown.stderr
    line = _said_once_as_the_posts_error(shown, blog, name)
    assert "not a readable PNG, JPEG, WebP or GIF picture" in line
    package = blog / "out" / "B.apkg"
    assert _media(package) == []  # nothing re-encoded from it
    assert not list((blog / ".flashgen-cache").rglob("*.webp"))
    fields = _fields(package)
    assert any("Alpha" in f for f in fields) and not any("Omega" in f for f in fields)


def test_an_eps_named_png_never_reaches_ghostscript(tmp_path: Path) -> None:
    """A `gs` on the PATH that notes each time it runs: Pillow's EPS plugin runs it to render
    an EPS. No post's file is ever handed to it."""
    blog = _blog(tmp_path, "eps.png", EPS)
    tools = tmp_path / "bin"
    tools.mkdir()
    ran = tmp_path / "gs-ran"
    ghostscript = tools / "gs"
    ghostscript.write_text(f'#!/bin/sh\necho "$@" >> "{ran}"\n', encoding="utf-8")
    ghostscript.chmod(0o755)
    shown = _flashgen(blog, "build", "-o", "out", path=f"{tools}{os.pathsep}{os.environ['PATH']}")
    assert not ran.exists(), ran.read_text(encoding="utf-8")
    assert shown.returncode == 1, shown.stdout + shown.stderr
    line = _said_once_as_the_posts_error(shown, blog, "eps.png")
    assert "not a readable PNG, JPEG, WebP or GIF picture" in line and "Ghostscript" not in line
    fields = _fields(blog / "out" / "B.apkg")
    assert any("Alpha" in f for f in fields) and not any("Omega" in f for f in fields)


def test_a_bad_image_keeps_the_posts_notes_of_the_last_deck_until_it_is_fixed(tmp_path: Path) -> None:
    """Nothing lost: the post whose image breaks keeps its notes of the last deck (not tagged
    removed), and the build after the image is fixed packs it again."""
    photo = _photo()
    blog = _blog(tmp_path, "fig.jpg", photo)
    first = _flashgen(blog, "build", "-o", "out")
    assert first.returncode == 0, first.stdout + first.stderr
    package = blog / "out" / "B.apkg"
    assert any("Omega" in f for f in _fields(package))
    (packed,) = _media(package)
    assert packed.endswith("-1600px.webp")

    (blog / "assets" / "fig.jpg").write_bytes(_bomb_png(40_000, 40_000))
    broken = _flashgen(blog, "build", "-o", "out")
    assert broken.returncode == 1, broken.stdout + broken.stderr
    _said_once_as_the_posts_error(broken, blog, "fig.jpg")
    fields = _fields(package)
    kept = [f for f in fields if "Omega" in f]
    assert kept and all(packed in f for f in kept) and any("Alpha" in f for f in fields)
    state = json.loads((blog / "out" / "B.state.json").read_text(encoding="utf-8"))
    assert not any(note.get("removed") for note in state["notes"].values())

    (blog / "assets" / "fig.jpg").write_bytes(photo)
    fixed = _flashgen(blog, "build", "-o", "out")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert _media(package) == [packed]


def test_a_picture_broken_after_the_build_fails_the_deck_naming_it_and_writes_nothing(
    tmp_path: Path,
) -> None:
    """Packing reads a re-encoded picture again; one cut short since the build read it (the
    build had no cache to keep it in) fails that deck with an error naming the picture, and the
    deck and state already written stay as they were."""
    photo = _photo()
    blog = _blog(tmp_path, "fig.jpg", photo)
    out = tmp_path / "out"
    deck = write_deck(api.build([blog / "_posts"], deck_name="B").decks[0], out)
    state = out / "B.state.json"
    before = (deck.read_bytes(), state.read_bytes())

    other = _photo(seed=2)
    image = blog / "assets" / "fig.jpg"
    image.write_bytes(other)
    result = api.build([blog / "_posts"], deck_name="B")
    assert result.errors == ()
    image.write_bytes(other[: len(other) // 2])
    with pytest.raises(FlashgenError) as raised:
        write_deck(result.decks[0], out, clock=1_700_000_100)
    assert raised.value.path == image and "does not decode" in str(raised.value)
    assert (deck.read_bytes(), state.read_bytes()) == before


def test_a_git_lfs_pointer_in_a_pictures_place_says_how_to_fetch_it(tmp_path: Path) -> None:
    """A blog cloned without Git LFS: each picture is a small text file naming it."""
    from flashgen.read import media

    pointer = tmp_path / "photo.png"
    pointer.write_bytes(
        b"version https://git-lfs.github.com/spec/v1\noid sha256:" + b"0" * 64 + b"\nsize 123456\n"
    )
    with pytest.raises(media.ImageError, match="git lfs pull"):
        media.media_name(pointer, 1600, 200)
