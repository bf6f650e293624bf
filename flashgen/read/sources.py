"""What a build reads: the posts under its sources (each once, with its source folder and its
site) and the deck they go into when none is named. Below the build, above the readers."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from flashgen.read.posts import find_posts
from flashgen.read.site import Site, find_site

DEFAULT_DECK = "flashgen"
_SITE_FOLDERS = ("_posts", "content", "posts", "_drafts")


def default_deck_name(sources: Sequence[Path]) -> str:
    """The site's title (_config.yml, hugo.toml), else its folder's name: `myblog` for
    `myblog/_posts` (or `myblog` itself)."""
    if not sources:
        return DEFAULT_DECK
    site = find_site(sources[0])
    if site.title:
        return site.title
    folder = sources[0].resolve()
    if folder.is_file():
        folder = folder.parent
    while folder.name in _SITE_FOLDERS and folder.parent != folder:
        folder = folder.parent
    return folder.name or DEFAULT_DECK


_MARKUP = re.compile(r"<[^>]*>?|[\x00-\x1f\x7f]")


def deck_text(name: str) -> str:
    """A deck name as plain text: no HTML (`<img src=x onerror=…>Study` is `Study`), no control
    characters, no empty parts between `::`."""
    parts = (" ".join(_MARKUP.sub(" ", part).split()) for part in name.split("::"))
    return "::".join(part for part in parts if part)


def posts_to_read(
    sources: Sequence[Path], site_url: str | None = None, obsidian: bool = False
) -> list[tuple[Path, Path, Site]]:
    """Every post under `sources`, once, with its source folder and its site; with `obsidian`,
    each source is read as an Obsidian vault unless its site is another kind."""
    seen: set[Path] = set()
    work: list[tuple[Path, Path, Site]] = []
    for source in sources:
        root = source if source.is_dir() else source.parent
        site = find_site(root)
        if site_url:
            site = replace(site, url=site_url)
        if obsidian and site.vault is None and site.jekyll is None:
            site = replace(site, vault=root)
        for path in find_posts(source):
            # The same post through two sources is read once (resolving costs a stat per folder,
            # so it is done only when there are two sources).
            if len(sources) == 1:
                work.append((path, root, site))
            elif path.resolve() not in seen:
                seen.add(path.resolve())
                work.append((path, root, site))
    return work


__all__ = ["DEFAULT_DECK", "deck_text", "default_deck_name", "posts_to_read"]
