"""The blog around the posts: its root folder (for `/assets/…` paths) and its published URLs."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import yaml

from flashgen.errors import ConfigError

_SITE_FILES = ("_config.yml", "_config.yaml", "hugo.toml", "hugo.yaml", "config.toml")
_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}


@dataclass(frozen=True, slots=True)
class Site:
    root: Path  # the folder holding _config.yml (Jekyll) or hugo.toml, else the source folder
    url: str | None  # `url` + `baseurl` from _config.yml, without a trailing slash
    permalink: str  # the permalink pattern
    title: str | None = None  # the site's title (_config.yml `title`, Hugo's `title`)


def find_site(source: Path) -> Site:
    """The site a source folder belongs to: the nearest folder above it with a site config."""
    start = source.resolve()
    if start.is_file():
        start = start.parent
    for folder in (start, *start.parents):
        for name in _SITE_FILES:
            config = folder / name
            if config.is_file():
                return _site(folder, config)
    return Site(start, None, _STYLES["date"])


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
        return Site(folder, None, _STYLES["date"], title)
    url = str(data.get("url") or "").rstrip("/")
    baseurl = str(data.get("baseurl") or "").strip("/")
    full = f"{url}/{baseurl}".rstrip("/") if baseurl else url
    if full and not url:
        full = ""  # a baseurl alone ("/blog") gives no address to link to
    if full and not is_web_url(full):
        raise ConfigError(f"`url` and `baseurl` must make an http(s) address, not {full!r}", config)
    permalink = str(data.get("permalink") or "date")
    return Site(folder, full or None, _STYLES.get(permalink, permalink), title)


_WEB_URL = re.compile(r"^https?://[^\s/?#\"'<>\\`]+(?:/[^\s\"'<>\\`]*)?$", re.IGNORECASE)


def is_web_url(url: str) -> bool:
    """An http(s) address with a host and nothing that could end an HTML attribute: the only
    kind of site URL a link on a card is made from (`javascript:alert(1)//` is not one)."""
    return bool(_WEB_URL.match(url))


def post_url(
    site: Site, meta_permalink: object, categories: list[str], date: dt.date | None, slug: str
) -> str | None:
    """The post's published URL, Jekyll's way, when the site's URL is known."""
    if site.url is None:
        return None
    pattern = str(meta_permalink) if isinstance(meta_permalink, str) and meta_permalink else site.permalink
    if date is None and re.search(r":(year|month|day|y_day|i_month|i_day)", pattern):
        return None
    values = {
        "categories": "/".join(urllib.parse.quote(c.lower()) for c in categories),
        "title": urllib.parse.quote(slug),
        "slug": urllib.parse.quote(slug),
        "output_ext": ".html",
    }
    if date is not None:
        values |= {
            "year": f"{date.year:04d}",
            "month": f"{date.month:02d}",
            "day": f"{date.day:02d}",
            "i_month": str(date.month),
            "i_day": str(date.day),
            "y_day": f"{date.timetuple().tm_yday:03d}",
        }
    path = re.sub(r":(\w+)", lambda m: values.get(m.group(1), m.group(0)), pattern)
    path = re.sub(r"/{2,}", "/", "/" + path)
    # A permalink from front matter is the author's text: quote what may not stand in a URL.
    return site.url + urllib.parse.quote(path, safe="/:@!$&'()*+,;=-._~%")
