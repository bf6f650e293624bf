"""The image benchmark: a blog of 250 images of 300 KB–2 MB, its deck with and without scaling.

    python benchmarks/images.py [--images 250] [--work DIR]

Makes a blog whose posts show photos (JPEG, 2000–4000 px wide, as a phone or camera takes them)
and screenshots (PNG, 1900–2900 px wide), each 300 KB to 2 MB, then builds its deck three times
in one run: twice as flashgen does by default (images larger than `max_image_px`, 1600, scaled
down) and once with scaling off (`max_image_px` larger than any image: the deck as flashgen made
it before scaling). It reports the two decks' sizes and their ratio, whether the two default
builds are byte-identical, and, where the test dependencies are installed, whether every image
of every card is in Anki's media folder after an import and loads in headless Chromium.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

IMAGES_PER_POST = 10


def _photo(path: Path, rng: random.Random) -> None:
    """A photo-like JPEG: smooth shapes under sensor noise (noise is what makes photos large)."""
    width = rng.randrange(2000, 4032, 16)
    height = width * 3 // 4
    small = Image.new("RGB", (64, 48))
    small.putdata([tuple(rng.randrange(256) for _ in range(3)) for _ in range(64 * 48)])  # type: ignore[misc]
    image = small.resize((width, height), Image.Resampling.BICUBIC).filter(ImageFilter.GaussianBlur(6))
    noise = Image.effect_noise((width, height), rng.uniform(6, 14)).convert("RGB")
    Image.blend(image, noise, 0.12).save(path, "JPEG", quality=rng.choice((80, 85, 90)))


def _screenshot(path: Path, rng: random.Random) -> None:
    """A screenshot-like PNG: flat panels, lines of 'text', a picture inset."""
    width = rng.randrange(1900, 2900, 16)
    height = width * 10 // 16
    image = Image.new("RGB", (width, height), (250, 250, 250))
    draw = ImageDraw.Draw(image)
    for _ in range(rng.randrange(400, 900)):
        x, y = rng.randrange(width - 300), rng.randrange(height - 20)
        draw.rectangle((x, y, x + rng.randrange(20, 300), y + rng.randrange(6, 14)), fill=(40, 40, 40))
    inset = Image.effect_noise((width // 3, height // 3), 40).convert("RGB")
    image.paste(inset, (width // 2, height // 2))
    image.save(path, "PNG")


def real_images(repositories: list[Path], count: int) -> list[tuple[str, bytes]]:
    """`count` images of 300 KB–2 MB from real blogs' git repositories (as `fetch` brings them),
    taken in turn from each repository in path order: what blog authors really upload."""
    found: list[list[tuple[str, str]]] = []
    for repository in repositories:
        listing = subprocess.run(
            ["git", "-C", str(repository), "ls-tree", "-r", "-l", "HEAD"], capture_output=True, text=True
        ).stdout
        mine = []
        for line in listing.splitlines():
            meta, _, name = line.partition("\t")
            _, kind, sha, size = meta.split()
            picture = name.lower().endswith((".png", ".jpg", ".jpeg", ".webp"))
            if kind == "blob" and picture and size.isdigit() and 300_000 <= int(size) <= 2_000_000:
                mine.append((name, sha))
        found.append(sorted(mine))
    picked: list[tuple[str, bytes]] = []
    for turn in range(max(map(len, found), default=0)):
        for repository, mine in zip(repositories, found, strict=True):
            if turn < len(mine) and len(picked) < count:
                name, sha = mine[turn]
                git = ["git", "-C", str(repository), "cat-file", "blob", sha]
                blob = subprocess.run(git, capture_output=True)
                picked.append((Path(name).suffix.lower(), blob.stdout))
    return picked


def make_blog(folder: Path, count: int, real: list[Path], seed: int = 7) -> list[int]:
    """The blog (real images when `real` names repositories, else made ones); returns the
    images' sizes in bytes."""
    rng = random.Random(seed)
    (folder / "_posts").mkdir(parents=True)
    (folder / "assets").mkdir()
    (folder / "_config.yml").write_text("title: Pictures\n", encoding="utf-8")
    sizes: list[int] = []
    items: list[str] = []
    taken = real_images(real, count) if real else []
    for number in range(len(taken) if real else count):
        if real:
            suffix, data = taken[number]
            path = folder / "assets" / f"figure-{number:03d}{suffix}"
            path.write_bytes(data)
        else:
            is_photo = number % 10 < 7
            path = folder / "assets" / f"figure-{number:03d}.{'jpg' if is_photo else 'png'}"
            (_photo if is_photo else _screenshot)(path, rng)
        sizes.append(path.stat().st_size)
        items.append(f"- Figure {number} shows part {number} ![figure {number}](/assets/{path.name})")
    for start in range(0, count, IMAGES_PER_POST):
        listed = "\n".join(items[start : start + IMAGES_PER_POST])
        post = f"---\ntitle: Figures {start}\ntags: [figures]\n---\n## Kinds of figures\n\n{listed}\n"
        (folder / "_posts" / f"2024-01-{start // IMAGES_PER_POST + 1:02d}-figures.md").write_text(
            post, encoding="utf-8"
        )
    return sizes


def build(blog: Path, output: Path, *, reencode: bool, cache: bool = False) -> float:
    """`flashgen build` as its own process, with its default limits or with no picture
    re-encoded (limits larger than any picture: the deck as flashgen made it before); returns its
    wall time."""
    limits = "" if reencode else "\n[limits]\nmax_image_px = 100000\nmax_image_kb = 1000000000\n"
    kept = '".flashgen-cache"' if cache else "false"
    (blog / "flashgen.toml").write_text(f'output = "{output}"\ncache = {kept}\n{limits}', encoding="utf-8")
    start = time.perf_counter()
    at = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}  # two builds at one time: the same bytes
    subprocess.run([sys.executable, "-m", "flashgen", "build", "-q"], cwd=blog, check=True, env=at)
    return time.perf_counter() - start


def imported(deck: Path, work: Path) -> dict[str, int] | None:
    """Imports the deck into a new Anki collection (Anki's own engine, when installed): its
    notes, the images their fields name, and how many of those are in the media folder."""
    try:
        from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
    except ImportError:
        return None
    import re

    (work / "anki").mkdir(exist_ok=True)
    col = Collection(str(work / "anki" / "collection.anki2"))
    try:
        request = ImportAnkiPackageRequest(package_path=str(deck), options=ImportAnkiPackageOptions())
        col.import_anki_package(request)
        media = Path(col.media.dir())
        fields = [f for nid in col.find_notes("") for f in col.get_note(nid).fields]
        named = {name for f in fields for name in re.findall(r'src="([^"]+)"', f)}
        answers = [col.get_card(cid).answer() for cid in col.find_cards("")]
        css = col.get_card(col.find_cards("")[0]).note_type()["css"]
        (media / "all.html").write_text(
            f'<!doctype html><meta charset="utf-8"><style>{css}</style>'
            + "".join(f'<div class="card">{a}</div>' for a in answers)
            + _CHECK,
            encoding="utf-8",
        )
        found = {"notes": len(col.find_notes("")), "images named": len(named)}
        found["in the media folder"] = sum((media / name).is_file() for name in named)
        loaded = _rendered(media / "all.html", work)
        if loaded is not None:
            found["distinct images loaded in Chromium"] = loaded
        return found
    finally:
        col.close()


_CHECK = """<pre id="result"></pre><script>
window.addEventListener("load", () => {
  const images = [...document.images];
  const loaded = images.filter((i) => i.complete && i.naturalWidth > 0).map((i) => i.src);
  document.getElementById("result").textContent = String(new Set(loaded).size);
});
</script>"""


def _rendered(page: Path, work: Path) -> int | None:
    """How many images of the page load in headless Chromium (None without Chromium)."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        return None
    done = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         f"--user-data-dir={work / 'chromium'}", "--allow-file-access-from-files",
         "--virtual-time-budget=20000", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    start = done.stdout.find('<pre id="result">')
    if start < 0:
        return None
    text = done.stdout[start + len('<pre id="result">') :].split("</pre>", 1)[0]
    return int(text) if text.isdigit() else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=250)
    parser.add_argument("--work", type=Path, help="folder for the blog and decks (default: a temporary one)")
    parser.add_argument(
        "--real", type=Path, nargs="*", default=[], metavar="REPO",
        help="git repositories of real blogs to take the images from (default: made images)",
    )  # fmt: skip
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="flashgen-images-"))
    if work.exists():
        shutil.rmtree(work)
    blog = work / "blog"
    sizes = make_blog(blog, args.images, args.real)
    mb = 1_000_000
    each = f"{min(sizes) / mb:.2f}–{max(sizes) / mb:.2f} MB each"
    print(f"{len(sizes)} images, {each}, {sum(sizes) / mb:.0f} MB in all")
    timings = {
        "scaled": build(blog, work / "scaled", reencode=True),
        "scaled again": build(blog, work / "again", reencode=True),
        "unscaled": build(blog, work / "unscaled", reencode=False),
        "cache filled": build(blog, work / "cached", reencode=True, cache=True),
    }
    first = sorted((blog / "_posts").iterdir())[0]
    first.write_text(first.read_text(encoding="utf-8") + "- One more point\n", encoding="utf-8")
    timings["one post edited, pictures cached"] = build(blog, work / "cached", reencode=True, cache=True)
    (scaled,) = (work / "scaled").glob("*.apkg")
    (again,) = (work / "again").glob("*.apkg")
    (unscaled,) = (work / "unscaled").glob("*.apkg")
    ratio = unscaled.stat().st_size / scaled.stat().st_size
    report = {
        "images": len(sizes),
        "deck MB, re-encoded (default)": round(scaled.stat().st_size / mb, 1),
        "deck MB, as the files (before)": round(unscaled.stat().st_size / mb, 1),
        "before / now": round(ratio, 2),
        "two builds byte-identical": scaled.read_bytes() == again.read_bytes(),
        "build seconds": {k: round(v, 1) for k, v in timings.items()},
        "imported": imported(scaled, work),
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
