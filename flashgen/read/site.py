"""The blog around the posts: its root folder (for `/assets/…` paths), its title, its URL, and,
for a Jekyll site, the settings that decide where each post is published (flashgen/jekyll.py)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import yaml

from flashgen.errors import ConfigError
from flashgen.read.jekyll import STYLES, Jekyll, read_settings

_SITE_FILES = ("_config.yml", "_config.yaml", "hugo.toml", "hugo.yaml", "config.toml")


@dataclass(frozen=True, slots=True)
class Site:
    root: Path  # the folder holding _config.yml (Jekyll) or hugo.toml, else the source folder
    url: str | None  # `url` + `baseurl` from _config.yml, without a trailing slash
    permalink: str  # the posts' permalink pattern
    title: str | None = None  # the site's title (_config.yml `title`, Hugo's `title`)
    jekyll: Jekyll | None = None  # a Jekyll site's URL settings; None for Hugo or no site config
    # An Obsidian vault (the folder holding `.obsidian/`) or a Quartz site's `content/`: its notes
    # are Obsidian-flavoured Markdown (read/obsidian.py), and an embed is looked for in it by name.
    vault: Path | None = None


def find_site(source: Path) -> Site:
    """The site a source folder belongs to: the nearest folder above it with a site config (a
    Jekyll or Hugo configuration, an Obsidian vault's `.obsidian/`, a Quartz `quartz.config.ts`)."""
    start = source.resolve()
    if start.is_file():
        start = start.parent
    for folder in (start, *start.parents):
        for name in _SITE_FILES:
            config = folder / name
            if config.is_file():
                return _site(folder, config)
        if (folder / ".obsidian").is_dir():  # an Obsidian vault: its notes, its attachments
            return Site(folder, None, STYLES["date"], folder.name, vault=folder)
        if (folder / "quartz.config.ts").is_file() and (folder / "content").is_dir():
            return Site(folder, None, STYLES["date"], None, vault=folder / "content")
    return Site(start, None, STYLES["date"])


def _site(folder: Path, config: Path) -> Site:
    data: object = {}
    try:
        text = config.read_text(encoding="utf-8")
        data = tomllib.loads(text) if config.suffix == ".toml" else yaml.safe_load(text) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError, tomllib.TOMLDecodeError):
        data = {}
    if not isinstance(data, dict):
        data = {}
    title = str(data.get("title") or "").strip() or None
    if config.suffix == ".toml" or config.name == "hugo.yaml":
        # Hugo: its permalinks are not Jekyll's, so no post URL is guessed (the source field then
        # names the file); `site_url` in flashgen's configuration still makes links absolute.
        return Site(folder, None, STYLES["date"], title)
    url = str(data.get("url") or "").strip().rstrip("/")
    if _BARE_HOST.match(url):
        url = "https://" + url  # "url: me.github.io": a host without its scheme (GitHub Pages is https)
    baseurl = str(data.get("baseurl") or "").strip("/")
    full = f"{url}/{baseurl}".rstrip("/") if baseurl else url
    if full and not url:
        full = ""  # a baseurl alone ("/blog") gives no address to link to
    if full and not is_web_url(full):
        raise ConfigError(f"`url` and `baseurl` must make an http(s) address, not {full!r}", config)
    jekyll = read_settings(data)
    # A named style is Jekyll's word for a site's `permalink`; the posts collection's own
    # `permalink` (`collections: {posts: {permalink: …}}`) wins, taken as written.
    posts = next((c.permalink for c in jekyll.collections if c.label == "posts" and c.permalink), None)
    return Site(folder, full or None, posts or STYLES.get(jekyll.style, jekyll.style), title, jekyll)


_BARE_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+[a-z]{2,}(?::\d{1,5})?$", re.IGNORECASE)
_WEB_URL = re.compile(r"^https?://[^\s/?#\"'<>\\`]+(?:/[^\s\"'<>\\`]*)?$", re.IGNORECASE)


def is_web_url(url: str) -> bool:
    """An http(s) address with a host and nothing that could end an HTML attribute: the only
    kind of site URL a link on a card is made from (`javascript:alert(1)//` is not one)."""
    return bool(_WEB_URL.match(url))
