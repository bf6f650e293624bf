"""Post URLs as Jekyll makes them: a card links to its post, so flashgen's URL must be the one
Jekyll (4.3) writes the page at.

The first tests build small sites with a real `jekyll build` (Debian's package; .ci/run installs
it) and compare, for every file, where Jekyll wrote it and the URL it gave it with the URL
flashgen reads off the file. They are skipped only when the `jekyll` command is missing; the
URLs written out at the end are checked without Jekyll.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from flashgen.read.posts import find_posts, read_post

SITE_URL = "https://me.github.io/blog"
CONFIG = "url: https://me.github.io\nbaseurl: /blog\n"

# A page listing every document and page Jekyll made, with the URL it gave it.
LISTING = """---
permalink: /urls.txt
---
{% for c in site.collections %}{% for d in c.docs %}{{ d.relative_path }}|{{ d.url }}
{% endfor %}{% endfor %}{% for p in site.pages %}{{ p.path }}|{{ p.url }}
{% endfor %}"""

# Posts in the hard shapes: spaces, upper case, Hangul and punctuation in file names, categories
# from front matter (a string, a list, `category`) and from a folder above `_posts`, a `slug`,
# a `permalink`, front matter dates beside (and across midnight from) the file name's.
POSTS = {
    "_posts/2024-01-02-My First Post.md": "No front matter at all.\n",
    "_posts/2024-02-03-UPPER case Title.md": "---\ntitle: Not The URL\n---\nx\n",
    "_posts/2024-03-01-트랜스포머 정리.md": "---\ncategories: [Deep Learning, NLP]\n---\nx\n",
    "_posts/2024-03-02-C++ & Rust: notes!.md": "---\ncategories: Systems Programming\n---\nx\n",
    "ml/_posts/2024-04-05-Attention Is All.md": "---\ncategory: Machine Learning\n---\nx\n",
    "ml/vision/_posts/2024-04-06-ViT.md": "---\ncategories: [ml, CNN]\n---\nx\n",
    "_posts/2024-05-06-slugged.md": "---\nslug: My Custom Slug!\ncategories: [논문 리뷰]\n---\nx\n",
    "_posts/2024-06-07-fm-permalink.md": "---\ncategories: [A B]\n"
    "permalink: /notes/:categories/:title/\n---\nx\n",
    "_posts/2024-06-08-literal.md": "---\npermalink: /fixed page/here.html\n---\nx\n",
    "_posts/2024-07-01-redated.md": "---\ndate: 2023-12-31 23:30:00\n---\nx\n",
    "_posts/2024-07-02-offset.md": '---\ndate: "2024-07-02 01:00:00 +1100"\n---\nx\n',
    "_posts/2024-07-03-date-only.md": "---\ndate: 2020-02-29\n---\nx\n",
    "_posts/2024-07-04-why.md": "---\ncategories: [why?, C#]\n---\nx\n",
    "_posts/sub/2024-8-4-v1.2 short date..md": "---\n---\nx\n",
    "_posts/2024-08-05-Ünïcödé ΣΑΣ.md": "---\ncategories: ΣΑΣ\n---\nx\n",
    "_posts/undated.md": "---\ntitle: not a post\n---\nx\n",
    "_posts/2024-08-06-hidden.md": "---\npublished: false\n---\nx\n",
    "_drafts/a-draft.md": "---\ntitle: draft\n---\nx\n",
    "_private/2024-01-01-skipped.md": "---\n---\nx\n",
}

STYLES = [
    "date",
    "pretty",
    "ordinal",
    "none",
    "weekdate",
    "/:categories/:short_year/:i_month/:i_day/:slug:output_ext",
    "/:year_:month/:title",
    "/blog/:y_day/:name/:slugified_categories/",
]


@pytest.fixture
def jekyll() -> str:
    command = shutil.which("jekyll")
    if command is None:
        pytest.skip("the `jekyll` command is missing (.ci/run installs Debian's jekyll package)")
    return command


def _make_site(root: Path, config: str, files: dict[str, str]) -> Path:
    root.mkdir()
    (root / "_config.yml").write_text(config, encoding="utf-8")
    (root / "urls.txt").write_text(LISTING, encoding="utf-8")
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def _flashgen_urls(site: Path) -> dict[str, str | None]:
    """flashgen's URL of every Markdown file in the site, as a build reads it."""
    return {path.relative_to(site).as_posix(): read_post(path, site).url for path in find_posts(site)}


def _jekyll_urls(jekyll: str, site: Path) -> dict[str, str]:
    """Build the site (in UTC, as GitHub Pages does); Jekyll's URL of each document and page,
    by its path."""
    done = subprocess.run(
        [jekyll, "build", "--safe", "--quiet", "--disable-disk-cache"],
        cwd=site,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "TZ": "UTC"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    listing = (site / "_site" / "urls.txt").read_text(encoding="utf-8")
    # A path may hold a "|"; a URL's is escaped.
    return dict(line.rsplit("|", 1) for line in listing.splitlines() if "|" in line)


def _written(site: Path) -> set[str]:
    """The pages Jekyll wrote, below _site."""
    out = site / "_site"
    return {p.relative_to(out).as_posix() for p in out.rglob("*.html")}


def _output_file(url: str) -> str:
    """Where Jekyll writes the page of a URL (Document#destination): the URL decoded, with
    `index.html` after a trailing slash and `.html` after a name without it."""
    path = urllib.parse.unquote(url.removeprefix(SITE_URL)).lstrip("/")
    if not path or path.endswith("/"):
        return path + "index.html"
    return path if path.endswith(".html") else path + ".html"


def _as_link(url: str) -> str:
    """Jekyll's URL as flashgen links it: the same, but for characters Jekyll leaves unescaped
    though a link cannot hold them (a space in a front matter permalink, a `?` in a category)."""
    return urllib.parse.quote(urllib.parse.unquote(url), safe="/:@!$&'()*+,;=-._~")


def _assert_same(jekyll: str, site: Path, prefix: str = "") -> dict[str, str | None]:
    """Every file: flashgen's URL is Jekyll's; no URL where Jekyll wrote no page; and the files
    flashgen's URLs lead to are exactly the pages Jekyll wrote."""
    ours = _flashgen_urls(site)
    theirs = _jekyll_urls(jekyll, site)
    for name, url in ours.items():
        if url is not None:
            assert name.removeprefix(prefix) in theirs, f"{name}: Jekyll made no page, flashgen says {url}"
            assert url == SITE_URL + _as_link(theirs[name.removeprefix(prefix)]), name
    expected = {_output_file(url) for url in ours.values() if url is not None}
    assert expected == _written(site)
    return ours


@pytest.mark.parametrize("permalink", STYLES)
def test_post_urls_are_where_jekyll_writes_the_posts(jekyll: str, tmp_path: Path, permalink: str) -> None:
    site = _make_site(tmp_path / "site", f"{CONFIG}permalink: {permalink}\ntimezone: Asia/Seoul\n", POSTS)
    ours = _assert_same(jekyll, site)
    for name in ("_posts/undated.md", "_posts/2024-08-06-hidden.md", "_drafts/a-draft.md"):
        assert ours[name] is None


@pytest.fixture
def in_seoul(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This process's local time zone is Seoul's (UTC+9) for the test."""
    monkeypatch.setenv("TZ", "Asia/Seoul")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_without_a_site_timezone_dates_are_read_in_utc(jekyll: str, tmp_path: Path, in_seoul: None) -> None:
    """Without `timezone`, Jekyll reads dates in the zone of the machine that builds the site: UTC
    on GitHub Pages. flashgen takes UTC wherever it runs, here in Seoul."""
    site = _make_site(tmp_path / "site", CONFIG, POSTS)
    ours = _assert_same(jekyll, site)
    assert ours["_posts/2024-07-01-redated.md"] == f"{SITE_URL}/2023/12/31/redated.html"


SITE_WITH_EVERYTHING = f"""{CONFIG}permalink: pretty
timezone: America/New_York
exclude: [drafts-old, "*.tmp.md"]
include: [_pages]
collections:
  til:
    output: true
  recipes:
    output: true
    permalink: /cook/:title:output_ext
  private:
    output: false
defaults:
  - scope: {{path: "ml", type: posts}}
    values: {{permalink: "/machine/:categories/:title/", categories: [From Defaults]}}
  - scope: {{path: ""}}
    values: {{layout: none}}
"""

EVERYTHING = {
    **POSTS,
    "about.md": "---\ntitle: About\n---\nx\n",
    "notes/index.md": "---\n---\nx\n",
    "notes/Read Me Later.md": "---\n---\nx\n",
    "notes/custom.md": "---\npermalink: /elsewhere/:basename:output_ext\n---\nx\n",
    "notes/plain.md": "no front matter: copied as it is, no page\n",
    "drafts-old/page.md": "---\n---\nx\n",
    "notes/scratch.tmp.md": "---\n---\nx\n",
    "_pages/Included.md": "---\n---\nx\n",
    "_posts/_skipped/2024-01-01-x.md": "---\n---\nx\n",
    "_posts/2024-09-02-both.md": "---\ncategories: [One, Two]\ncategory: Three\n"
    "permalink: /:categories/:title/\n---\nx\n",
    "_til/2024-02-02-Git Rebase.md": "---\n---\nx\n",
    "_til/sub/Undated Tip.md": "---\n---\nx\n",
    "_til/no-front-matter.md": "x\n",
    "_recipes/Kimchi Jjigae.md": "---\n---\nx\n",
    "_private/secret.md": "---\n---\nx\n",
    "ml/_posts/2024-09-01-in ml.md": "---\npermalink: /own/:title/\n---\nx\n",
}


def test_pages_collections_and_defaults_are_where_jekyll_writes_them(jekyll: str, tmp_path: Path) -> None:
    site = _make_site(tmp_path / "site", SITE_WITH_EVERYTHING, EVERYTHING)
    ours = _assert_same(jekyll, site)
    assert ours["_til/2024-02-02-Git Rebase.md"] == f"{SITE_URL}/til/2024-02-02-Git%20Rebase/"
    vit = f"{SITE_URL}/machine/ml/vision/from%20defaults/cnn/ViT/"  # folders, defaults, front matter
    assert ours["ml/vision/_posts/2024-04-06-ViT.md"] == vit
    assert ours["_private/secret.md"] is None and ours["notes/plain.md"] is None


def test_a_collections_dir_holds_the_posts_and_collections(jekyll: str, tmp_path: Path) -> None:
    files = {f"content/{name}": text for name, text in POSTS.items() if not name.startswith("ml/")}
    files["content/_til/Tip.md"] = "---\n---\nx\n"
    files["_posts/2024-01-01-outside.md"] = "---\n---\nx\n"  # not read: posts live in collections_dir
    config = f"{CONFIG}collections_dir: content\ncollections: [til]\ntimezone: UTC\n"
    site = _make_site(tmp_path / "site", config, files)
    ours = _assert_same(jekyll, site, prefix="content/")
    assert ours["_posts/2024-01-01-outside.md"] is None


# ── Without Jekyll: the rules, written out (each URL is what Jekyll 4.3.1 made, but for the `?`
# it leaves bare in a category: escaped, the link reaches the folder Jekyll wrote, `why?/`) ─────

SEOUL = "date\ntimezone: Asia/Seoul"
WRITTEN_OUT = [
    ("date", "_posts/2024-01-02-My First Post.md", "", "/2024/01/02/My-First-Post.html"),
    ("date", "_posts/2024-02-03-UPPER case Title.md", "title: X", "/2024/02/03/UPPER-case-Title.html"),
    (
        "date",
        "_posts/2024-03-01-트랜스포머 정리.md",
        "categories: [Deep Learning, NLP]",
        "/deep%20learning/nlp/2024/03/01/%ED%8A%B8%EB%9E%9C%EC%8A%A4%ED%8F%AC%EB%A8%B8-%EC%A0%95%EB%A6%AC.html",
    ),
    (
        "date",
        "_posts/2024-03-02-C++ & Rust: notes!.md",
        "categories: Systems Programming",
        "/systems/programming/2024/03/02/C++-&-Rust-notes!.html",
    ),
    (
        "pretty",
        "ml/_posts/2024-04-05-Attention Is All.md",
        "category: Machine Learning",
        "/ml/machine%20learning/2024/04/05/Attention-Is-All/",
    ),
    ("none", "_posts/2024-05-06-slugged.md", "slug: My Custom Slug!", "/My-Custom-Slug!.html"),
    ("/:slug/", "_posts/2024-05-06-slugged.md", "slug: My Custom Slug!", "/my-custom-slug/"),
    (
        "/:categories/:short_year/:i_month/:i_day/:slug:output_ext",
        "_posts/2024-03-02-C++ & Rust: notes!.md",
        "categories: [Rust]",
        "/rust/24/3/2/c-rust-notes.html",
    ),
    ("ordinal", "_posts/2024-03-01-x.md", "", "/2024/061/x.html"),
    ("date", "_posts/2024-06-07-p.md", "categories: [A B]\npermalink: /n/:categories/:title/", "/n/a%20b/p/"),
    ("date", "_posts/2024-07-03-redated.md", "date: 2020-02-29", "/2020/02/29/redated.html"),
    # A YAML time without an offset is UTC; one with an offset is moved into the site's zone
    # (without `timezone`, into UTC's: the zone GitHub Pages builds in).
    ("date", "_posts/2024-07-01-r.md", "date: 2023-12-31 23:30:00", "/2023/12/31/r.html"),
    (SEOUL, "_posts/2024-07-01-r.md", "date: 2023-12-31 23:30:00", "/2024/01/01/r.html"),
    (SEOUL, "_posts/2024-07-02-o.md", 'date: "2024-07-02 01:00:00 +1100"', "/2024/07/01/o.html"),
    ("date", "_posts/2024-07-04-why.md", "categories: [why?, C#]", "/why%3F/c%23/2024/07/04/why.html"),
    ("date", "_posts/undated.md", "title: not a post", None),
    ("date", "_drafts/2024-01-01-draft.md", "", None),
    ("date", "_posts/2024-08-06-hidden.md", "published: false", None),
]


@pytest.mark.parametrize(("permalink", "name", "front", "url"), WRITTEN_OUT)
def test_post_urls_written_out(
    tmp_path: Path, permalink: str, name: str, front: str, url: str | None
) -> None:
    (tmp_path / "_config.yml").write_text(f"{CONFIG}permalink: {permalink}\n", encoding="utf-8")
    path = tmp_path / name
    path.parent.mkdir(parents=True)
    path.write_text(f"---\n{front}\n---\nx\n", encoding="utf-8")
    assert read_post(path, tmp_path).url == (SITE_URL + url if url else None)
