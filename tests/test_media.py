"""Images and links: packed into the deck, imported into Anki's media folder, warned about."""

from __future__ import annotations

import base64
import io
import json
import os
import random
from pathlib import Path

from flashgen import api
from flashgen.read import render
from tests.conftest import import_package, write_deck

# A 1×1 PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)

POST = """---
title: Figures
categories: [ML, Vision]
tags: [cv]
---
## Kinds of figures

- At the site root ![root](/assets/img/a.png)
- Through Liquid ![liquid]({{ site.baseurl }}/assets/img/a.png)
- Through a filter ![filter]({{ '/assets/img/b.png' | relative_url }})
- Relative ![rel](../assets/img/b.png)
- In HTML <img src="/assets/img/a.png" alt="html">
- Remote ![remote](https://example.com/x.png), see [the about page](/about/)
- Missing ![missing](/assets/img/nope.png), escaping ![escape](../../outside.png)
"""


def _blog(tmp_path: Path) -> Path:
    blog = tmp_path / "blog"
    (blog / "_posts").mkdir(parents=True)
    (blog / "assets" / "img").mkdir(parents=True)
    (blog / "assets" / "img" / "a.png").write_bytes(PNG)
    (blog / "assets" / "img" / "b.png").write_bytes(PNG + b"b")
    (tmp_path / "outside.png").write_bytes(PNG + b"outside")
    (blog / "_config.yml").write_text(
        "title: My blog\nurl: https://me.github.io\nbaseurl: /notes\npermalink: pretty\n", encoding="utf-8"
    )
    (blog / "_posts" / "2024-02-03-figures.md").write_text(POST, encoding="utf-8")
    return blog


def test_local_images_are_packed_and_import_into_the_media_folder(tmp_path: Path, collection) -> None:
    blog = _blog(tmp_path)
    result = api.build([blog / "_posts"], deck_name="Figures")
    (deck,) = result.decks
    names = {name for name, _ in deck.media}
    assert len(names) == 2 and all(n.startswith("fg-") and n.endswith(".png") for n in names)

    warnings = [str(w) for w in result.warnings]
    post = blog / "_posts" / "2024-02-03-figures.md"
    assert any(f"{post}:" in w and "nope.png" in w and "not found" in w for w in warnings)
    assert any("outside.png" in w and "outside the site root" in w for w in warnings)
    assert result.errors == ()

    (cloze,) = [n for n in deck.notes if n.cloze]
    for name in names:
        assert f'src="{name}"' in cloze.front
    assert 'src="https://example.com/x.png"' in cloze.front
    assert 'href="https://me.github.io/notes/about/"' in cloze.front
    url = "https://me.github.io/notes/ml/vision/2024/02/03/figures/"
    assert cloze.source == f'<a href="{url}" rel="noopener noreferrer">Figures</a>'

    package = write_deck(deck, tmp_path / "decks")
    import_package(collection, package)
    media_dir = Path(collection.media.dir())
    for name in names:
        assert (media_dir / name).read_bytes() in (PNG, PNG + b"b")
    (note_id,) = collection.find_notes("")
    assert {n for n in names if n in collection.get_note(note_id).fields[0]} == names
    assert not (media_dir / "outside.png").exists()


def test_the_same_image_twice_is_packed_once_and_names_follow_content(tmp_path: Path) -> None:
    blog = _blog(tmp_path)
    (deck,) = api.build([blog / "_posts"], deck_name="F").decks
    first = dict(deck.media)
    (blog / "assets" / "img" / "a.png").write_bytes(PNG + b"changed")
    os.utime(blog / "assets" / "img" / "a.png")
    (deck,) = api.build([blog / "_posts"], deck_name="F").decks
    assert set(dict(deck.media)) != set(first) and len(deck.media) == 2


def test_source_links_to_the_file_when_the_site_url_is_unknown(tmp_path: Path) -> None:
    posts = tmp_path / "notes"
    posts.mkdir()
    (posts / "a.md").write_text("## T types\n- x\n- y\n", encoding="utf-8")
    (deck,) = api.build([posts], deck_name="D").decks
    assert render.text(deck.notes[0].source) == "a.md"


def test_an_image_named_in_another_unicode_form_on_disk_is_found(tmp_path: Path, collection) -> None:
    """macOS writes file names decomposed (NFD); editors write posts composed (NFC): "한글.png"
    is two different byte strings, and either way round the image is packed."""
    import unicodedata

    blog = tmp_path / "blog"
    (blog / "_posts").mkdir(parents=True)
    (blog / "assets").mkdir()
    (blog / "_config.yml").write_text("title: B\n", encoding="utf-8")
    on_disk, in_post = (unicodedata.normalize(f, "그림.png") for f in ("NFD", "NFC"))
    assert on_disk != in_post
    (blog / "assets" / on_disk).write_bytes(PNG)
    (blog / "_posts" / "2024-01-01-p.md").write_text(
        f"---\ntitle: P\n---\n## Kinds of figures\n\n- a ![x](/assets/{in_post}) b\n- c\n", encoding="utf-8"
    )
    result = api.build([blog / "_posts"], deck_name="D")
    assert not result.warnings, result.warnings
    (note,) = result.notes
    assert len(note.media) == 1
    log = import_package(collection, write_deck(result.decks[0], tmp_path / "decks"))
    assert log.log.new and len(os.listdir(collection.media.dir())) == 1


def _photo(path: Path, size: tuple[int, int]) -> None:
    """A photo-like JPEG: smooth colours and fine grain, as a camera's are."""
    import random

    from PIL import Image

    rng = random.Random(7)
    width, height = size
    image = Image.new("RGB", size)
    image.putdata(
        [
            (
                (x * 255) // width ^ rng.randrange(40),
                (y * 255) // height ^ rng.randrange(40),
                rng.randrange(256),
            )
            for y in range(height)
            for x in range(width)
        ]
    )
    image.save(path, "JPEG", quality=95)


def test_a_large_image_is_scaled_down_in_the_deck_the_same_way_every_build(
    tmp_path: Path, collection
) -> None:
    import zipfile

    from PIL import Image

    blog = tmp_path / "blog"
    (blog / "_posts").mkdir(parents=True)
    (blog / "assets").mkdir()
    (blog / "_config.yml").write_text("title: B\n", encoding="utf-8")
    photo = blog / "assets" / "photo.jpg"
    _photo(photo, (3000, 2000))
    small = blog / "assets" / "small.png"
    small.write_bytes(PNG)
    original = photo.read_bytes()
    (blog / "_posts" / "2024-01-01-p.md").write_text(
        "---\ntitle: P\n---\n## Kinds of figures\n\n"
        "- a ![x](/assets/photo.jpg) b\n- c ![y](/assets/small.png)\n",
        encoding="utf-8",
    )
    result = api.build([blog / "_posts"], deck_name="D")
    (note,) = result.notes
    names = sorted(name for name, _ in note.media)
    assert names[0].endswith("-1600px.webp") and names[1].endswith(".png")  # only the large one
    first = write_deck(result.decks[0], tmp_path / "one").read_bytes()
    second = write_deck(api.build([blog / "_posts"], deck_name="D").decks[0], tmp_path / "two").read_bytes()
    assert first == second  # the same bytes, build after build
    assert photo.read_bytes() == original  # the file itself is not touched
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        index = json.loads(package.read("media"))
        (entry,) = [number for number, name in index.items() if name == names[0]]
        shipped = package.read(entry)
    assert 3 * len(shipped) <= len(original)
    assert Image.open(io.BytesIO(shipped)).format == "WEBP"
    assert max(Image.open(io.BytesIO(shipped)).size) == 1600
    log = import_package(collection, tmp_path / "one" / "D.apkg")
    assert log.log.new
    stored = Path(collection.media.dir()) / names[0]
    assert (
        stored.read_bytes() == shipped
        and names[0] in collection.get_note(collection.find_notes("")[0]).fields[0]
    )


def test_heavy_pictures_are_reencoded_upright_with_their_transparency(tmp_path: Path) -> None:
    """A picture within 1600 px but heavier than max_image_kb (a PNG screenshot of a photo) is
    re-encoded too; a phone photo stored sideways with an EXIF orientation ships upright (the
    re-encoded file keeps no EXIF to say so); a transparent PNG stays transparent (on a night-mode
    card a transparent diagram must not get a black box); an animated PNG ships as it is. The
    encoded pictures are kept in the cache and used from there."""
    import random

    from PIL import Image

    from flashgen.read.media import media_name, packed_bytes

    rng = random.Random(3)
    noisy = Image.frombytes("RGB", (900, 600), rng.randbytes(900 * 600 * 3))
    heavy = tmp_path / "heavy.png"
    noisy.save(heavy, "PNG")
    assert heavy.stat().st_size > 200_000
    assert media_name(heavy, 1600, 200).endswith("-1600px.webp")
    assert media_name(heavy, 1600, 5000).endswith(".png")  # under both limits: as it is

    sideways = tmp_path / "sideways.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to view"
    Image.new("RGB", (400, 300), "red").save(sideways, "JPEG", exif=exif.tobytes())
    upright = Image.open(io.BytesIO(packed_bytes(media_name(sideways, 100), sideways)))  # type: ignore[arg-type]
    assert upright.size == (75, 100) and not upright.getexif().get(0x0112)

    clear = tmp_path / "clear.png"
    Image.new("RGBA", (2000, 1000), (0, 0, 0, 0)).save(clear, "PNG")
    shipped = Image.open(io.BytesIO(packed_bytes(media_name(clear, 1600), clear)))  # type: ignore[arg-type]
    assert shipped.mode == "RGBA" and shipped.getpixel((10, 10))[3] == 0

    moving = tmp_path / "moving.png"
    frames = [Image.new("RGB", (2000, 100), c) for c in ("red", "blue")]
    frames[0].save(moving, "PNG", save_all=True, append_images=frames[1:])
    assert media_name(moving, 1600, 1) == media_name(moving)  # an animation is never re-encoded

    cache = tmp_path / "cache"
    name = media_name(heavy, 1600, 200)
    made = packed_bytes(name, heavy, cache)
    (kept,) = cache.rglob(name)
    assert kept.read_bytes() == made and packed_bytes(name, heavy, cache) == kept


def test_the_build_says_how_large_each_deck_is_and_its_largest_image(tmp_path: Path, monkeypatch) -> None:
    """The summary names each deck's size and its largest image as packed, so a user can see
    what makes a deck too large for a phone; the JSON report has the same in bytes."""
    from click.testing import CliRunner

    from flashgen.cli import main

    blog = _blog(tmp_path)
    noise = random.Random(1).randbytes(300_000)  # does not compress: the deck is as large
    (blog / "assets" / "img" / "big.gif").write_bytes(b"GIF89a" + noise)  # a GIF ships as it is
    post = blog / "_posts" / "2024-02-03-figures.md"
    post.write_text(post.read_text("utf-8") + "- Large ![big](/assets/img/big.gif)\n", encoding="utf-8")
    monkeypatch.chdir(blog)
    shown = CliRunner().invoke(main, ["build", "--no-cache"])
    assert shown.exit_code == 0, shown.output
    deck = blog / "decks" / "My-blog.apkg"
    size = deck.stat().st_size
    assert f"(decks/My-blog.apkg, {size / 1e6:.1f} MB, largest image fg-" in shown.output
    assert "gif 0.3 MB)" in shown.output
    report = json.loads(CliRunner().invoke(main, ["build", "--no-cache", "--format", "json"]).stdout)
    (written,) = report["decks"]
    assert written["bytes"] == size
    assert written["largest_media"]["bytes"] == 6 + 300_000
    assert written["largest_media"]["name"].endswith(".gif")
