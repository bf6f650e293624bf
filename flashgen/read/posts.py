"""file → Post: decoding, front matter (python-frontmatter), title, tags, date, language."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

import yaml
from frontmatter.default_handlers import YAMLHandler

from flashgen.errors import PostError
from flashgen.model import Link, Post
from flashgen.read import kramdown, obsidian
from flashgen.read.jekyll import post_url
from flashgen.read.site import Site, find_site
from flashgen.settings import language_code

MARKDOWN_SUFFIXES = (".md", ".markdown")
TAG_KEYS = ("tags", "tag", "categories", "category")
_DATE_PREFIX = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-")
_H1 = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
_YAML = YAMLHandler()


def find_posts(source: Path) -> Iterator[Path]:
    """The Markdown files under `source` (a file or a folder), in a stable order (as paths sort).

    Folder links are not followed, so a link loop cannot trap the walk; a linked folder is
    yielded itself, so that reading it says it was not followed, and a link to a post that is
    gone is kept, so that reading it fails with its name. (One `os.scandir` per folder: pathlib's
    rglob and a stat per file cost most of a rebuild where nothing changed.)"""
    if source.is_file():
        yield source
        return
    found: list[Path] = []
    folders = [source]
    while folders:
        folder = folders.pop()
        try:
            entries = list(os.scandir(folder))
        except (PermissionError, NotADirectoryError, FileNotFoundError):
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                folders.append(Path(entry.path))
            elif entry.is_symlink():
                if _markdown(entry.name) or entry.is_dir():
                    found.append(Path(entry.path))
            elif entry.is_file(follow_symlinks=False) and _markdown(entry.name):
                found.append(Path(entry.path))
    yield from sorted(found, key=lambda p: p.parts)


def _markdown(name: str) -> bool:
    return os.path.splitext(name)[1].lower() in MARKDOWN_SUFFIXES


def _linked_folder(path: Path) -> bool:
    return path.is_symlink() and path.is_dir()


def read_bytes(path: Path) -> bytes:
    if _linked_folder(path):
        return b""  # not followed: read_post says so
    try:
        return path.read_bytes()
    except OSError as exc:
        raise PostError(f"cannot read the file: {exc.strerror or exc}", path) from exc


def read_post(path: Path, root: Path, site: Site | None = None, raw: bytes | None = None) -> Post:
    """Read one post (from `raw` when its bytes are already read). Raises PostError, naming the
    file and line, on anything unusable."""
    site = site or find_site(root)
    if path.is_symlink() and (skipped := _not_followed(path, site)):
        return _skipped(path, root, site, skipped)
    raw = read_bytes(path) if raw is None else raw
    text = _decode(raw, path)
    if not unicodedata.is_normalized("NFC", text):
        # macOS keeps Hangul decomposed (NFD) in file names and some editors write it so in text:
        # "체이닝" as jamo would match none of the rules' words, nor the same word typed elsewhere.
        text = unicodedata.normalize("NFC", text)
    meta, body, body_line = split_front_matter(text, path)
    label = label_for(path, root)
    inline_tags: list[str] = []
    flavoured: list[tuple[int, str]] = []
    if site.vault is not None:  # an Obsidian vault or a Quartz site: wikilinks, embeds, callouts
        body, inline_tags, flavoured = obsidian.preprocess(body, path, site.vault)
    body, warnings = kramdown.preprocess(body, meta)
    warnings = [*flavoured, *warnings]
    date = _date(meta, path)
    categories = [c for key in ("categories", "category") if key in meta for c in _flatten(meta[key])]
    skip, deck, reverse, own_warnings = _flashgen_options(meta)
    for key in TAG_KEYS:
        if _has_mapping(meta.get(key)):
            own_warnings.append((1, f"front matter `{key}` holds a mapping, which is not a tag; left out"))
    if not text.strip():
        own_warnings.append((0, "the file is empty; no notes"))
    elif not body.strip():
        own_warnings.append((body_line, "the post has front matter but no text; no notes"))
    return Post(
        path=path,
        key=_post_key(meta, path),
        title=_title(meta, body, path),
        tags=normalise_tags([*_tag_values(meta), *inline_tags]),
        date=date,
        lang=_lang(meta, body),
        lang_given=any(isinstance(meta.get(k), str) and str(meta.get(k)).strip() for k in _LANG_KEYS),
        body=body,
        body_line=body_line,
        label=label,
        site_root=site.root,
        site_url=site.url,
        url=post_url(site, path, meta, raw),
        warnings=(*own_warnings, *((body_line + line - 1, message) for line, message in warnings)),
        skip=skip,
        deck=deck,
        reverse=reverse,
        paper=_paper(meta),
        categories=tuple(str(c).strip() for c in categories if str(c).strip()),
    )


def _not_followed(link: Path, site: Site) -> str | None:
    """Why a symbolic link among the posts is not read, or None: a linked folder is not walked
    into (a loop could trap the walk), and a link to a file outside the site is not read (the
    rule images follow)."""
    if link.is_dir():
        return "a linked folder is not followed; link its posts one by one, or list it as a source"
    target = link.resolve()
    if target.exists() and not target.is_relative_to(site.root.resolve()):
        return f"links to a file outside the site ({target}); not read"
    return None


def _skipped(path: Path, root: Path, site: Site, why: str) -> Post:
    """A post left unread, with the reason as its warning."""
    return Post(
        path=path,
        key=_stem(path),
        title=_stem(path),
        tags=(),
        date=None,
        lang="en",
        body="",
        body_line=1,
        label=label_for(path, root),
        site_root=site.root,
        site_url=site.url,
        url=None,
        warnings=((0, why),),
        skip=True,
    )


_FLASHGEN_KEYS = {"skip", "deck", "reverse"}


def _flashgen_options(
    meta: dict[str, object],
) -> tuple[bool, str | None, bool | None, list[tuple[int, str]]]:
    """Front matter for flashgen: `flashgen: false` (no cards from this post), `deck: Name`, or
    `flashgen: {skip: true, deck: Name, reverse: true}`. Returns (skip, deck, reverse, warnings)."""
    warnings: list[tuple[int, str]] = []
    value = meta.get("flashgen", True)
    options: dict[str, object] = {}
    if isinstance(value, dict):
        options = {str(k): v for k, v in value.items()}
        for key in sorted(set(options) - _FLASHGEN_KEYS):
            warnings.append(
                (1, f"front matter `flashgen: {{{key}: …}}` is not an option (known: deck, reverse, skip)")
            )
    elif isinstance(value, bool):
        options = {"skip": not value}
    else:
        warnings.append((1, "front matter `flashgen:` should be true, false or a mapping; ignored"))
    skip = options.get("skip", False) is True
    deck = options.get("deck", meta.get("deck"))
    if deck is not None and not isinstance(deck, str | int | float):
        warnings.append((1, "front matter `deck:` should be a deck name; ignored"))
        deck = None
    name = (
        "::".join(part.strip() for part in str(deck).split("::") if part.strip()) if deck is not None else ""
    )
    reverse = options.get("reverse")
    if reverse is not None and not isinstance(reverse, bool):
        warnings.append((1, "front matter `flashgen: {reverse: …}` should be true or false; ignored"))
        reverse = None
    return skip, name or None, reverse, warnings


def _paper(meta: dict[str, object]) -> Link | None:
    """Front matter naming the one paper a post is about: `paper:` / `arxiv:` / `paper_url:` /
    `paperurl:`, a URL or an arXiv id; `paper_title:` its title (else the post's)."""
    for key in ("paper", "arxiv", "paper_url", "paper_link", "paperurl", "paper-url", "paperlink"):
        value = meta.get(key)
        if isinstance(value, float):
            # YAML reads `arxiv: 2103.00020` as a number and drops the trailing zero; arXiv ids
            # have five digits after the dot since 2015 (yymm 1501), four before.
            value = f"{value:.{5 if value >= 1501 else 4}f}"
        if isinstance(value, str | int) and str(value).strip():
            title = meta.get("paper_title")
            return Link(str(value).strip(), str(title).strip() if isinstance(title, str) else "")
    return None


_SAVE_AS_UTF8 = "save it as UTF-8 (most editors offer 'Save with encoding'), as Jekyll and Hugo expect"


def _utf16(head: bytes) -> str | None:
    """Which UTF-16 the text is in ("little-endian", "big-endian"), or None: by its byte-order
    mark (Windows Notepad's "Unicode"), else by NULs beside many odd (or even) bytes and almost
    none beside the others, as Latin letters (front matter, Markdown marks) give."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "little-endian" if head[0] == 0xFF else "big-endian"
    pairs = len(head) // 2
    odd, even = head[1 : 2 * pairs : 2].count(0), head[0 : 2 * pairs : 2].count(0)
    if pairs >= 4 and max(odd, even) >= 0.4 * pairs and min(odd, even) <= 0.05 * pairs:
        return "little-endian" if odd > even else "big-endian"
    return None


def _decode(raw: bytes, path: Path) -> str:
    head = raw[:8192]
    if (head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head) and (order := _utf16(head)):
        raise PostError(f"the file is UTF-16 ({order}), not UTF-8: {_SAVE_AS_UTF8}", path)
    if b"\x00" in head:
        raise PostError("this is a binary file, not Markdown text", path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PostError(
            f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x}); {_SAVE_AS_UTF8}",
            path,
            line,
        ) from exc
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str, path: Path) -> tuple[dict[str, object], str, int]:
    """Split front matter from the body: (metadata, body, the body's first line). YAML between
    '---' lines (Jekyll, Hugo), TOML between '+++' lines and a JSON object (Hugo).

    python-frontmatter quietly returns no metadata when it cannot split a file; we say so.
    """
    if text.startswith("+++"):
        return _toml_front_matter(text, path)
    if text.startswith("{"):
        return _json_front_matter(text, path)
    if not _YAML.detect(text):
        return {}, text, 1
    try:
        fm, body = _YAML.split(text)
    except ValueError:
        raise PostError(
            "the front matter opened by '---' on line 1 is never closed by a second '---' line",
            path,
            1,
        ) from None
    try:
        _check_yaml_size(fm, path)
        meta = _YAML.load(fm)
    except ValueError as exc:  # a date that is no date ("2024-02-30"), as PyYAML reads timestamps
        line = _front_matter_line(text) + _bad_date_line(fm) - 1
        raise PostError(f"invalid date in the front matter: {exc}", path, line) from exc
    except yaml.YAMLError as exc:
        # The context mark points at the construct that went wrong (an unclosed `[`, say); the
        # problem mark at where the parser gave up, often the closing '---'.
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        line = _front_matter_line(text) + mark.line if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise PostError(f"invalid YAML front matter: {problem}", path, line) from exc
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise PostError(
            f"the front matter must be a mapping of keys to values, not a {type(meta).__name__}",
            path,
            2,
        )
    offset = len(text) - len(body)
    return {str(k): v for k, v in meta.items()}, body, text.count("\n", 0, offset) + 1


# Front matter is a few keys: a document that expands to more nodes than this (an alias bomb turns
# ten lines of `&a [*b, *b, …]` into a billion items) or nests deeper is an attack or a mistake.
MAX_NODES = 10_000
MAX_DEPTH = 20
MAX_FRONT_MATTER = 64 * 1024


def _check_yaml_size(fm: str, path: Path) -> None:
    """Refuse front matter that would expand without bound, before anything is built from it:
    count the nodes it stands for, an alias counting as all of what its anchor holds."""
    if len(fm) > MAX_FRONT_MATTER:
        raise PostError(f"the front matter is {len(fm):,} characters; at most {MAX_FRONT_MATTER:,}", path, 2)
    if "*" not in fm and fm.count("[") + fm.count("{") <= MAX_DEPTH:
        return  # no alias and few brackets (most front matter): nothing can expand or nest deep
    sizes: dict[str, int] = {}
    open_nodes: list[tuple[str | None, int]] = []  # (anchor, nodes so far) of each open collection
    total = 0
    for event in yaml.parse(fm, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        if isinstance(event, yaml.CollectionStartEvent):
            open_nodes.append((event.anchor, 1))
            if len(open_nodes) > MAX_DEPTH:
                raise PostError(f"the front matter nests deeper than {MAX_DEPTH} levels", path, 2)
            continue
        if isinstance(event, yaml.CollectionEndEvent):
            anchor, size = open_nodes.pop()
        elif isinstance(event, yaml.AliasEvent):
            anchor, size = None, sizes.get(str(event.anchor), 1)
        elif isinstance(event, yaml.ScalarEvent):
            anchor, size = event.anchor, 1
        else:
            continue
        if anchor is not None:
            sizes[anchor] = size
        if open_nodes:
            parent, so_far = open_nodes[-1]
            open_nodes[-1] = (parent, so_far + size)
        else:
            total += size
        if total + sum(n for _, n in open_nodes) > MAX_NODES:
            raise PostError(
                f"the front matter expands to more than {MAX_NODES:,} values (YAML aliases?)", path, 2
            )


_YAML_DATE = re.compile(r"^[^#\n]*?:\s*['\"]?(\d{4})-(\d{1,2})-(\d{1,2})\b", re.MULTILINE)


def _front_matter_line(text: str) -> int:
    """The line the YAML front matter's first line is on, as python-frontmatter splits it."""
    opening = _YAML.FM_BOUNDARY.search(text)
    return text.count("\n", 0, opening.end()) + 1 if opening else 2


def _bad_date_line(fm: str) -> int:
    """The line (from 1) of the front matter's first date that is not a date, else 1."""
    for match in _YAML_DATE.finditer(fm):
        try:
            dt.date(*map(int, match.groups()))
        except ValueError:
            return fm.count("\n", 0, match.start()) + 1
    return 1


_TOML = re.compile(r"\A\+\+\+[ \t]*\n(.*?)^\+\+\+[ \t]*$\n?", re.DOTALL | re.MULTILINE)


def _toml_front_matter(text: str, path: Path) -> tuple[dict[str, object], str, int]:
    """Hugo's TOML front matter, between '+++' lines."""
    match = _TOML.match(text)
    if match is None:
        raise PostError(
            "the front matter opened by '+++' on line 1 is never closed by a second '+++' line", path, 1
        )
    try:
        meta = tomllib.loads(match.group(1))
    except tomllib.TOMLDecodeError as exc:
        raise PostError(f"invalid TOML front matter: {exc}", path, 2) from exc
    body = text[match.end() :]
    return meta, body, text.count("\n", 0, match.end()) + 1


def _json_front_matter(text: str, path: Path) -> tuple[dict[str, object], str, int]:
    """Hugo's JSON front matter: one JSON object at the top of the file, the body after it."""
    try:
        meta, end = json.JSONDecoder().raw_decode(text)
    except json.JSONDecodeError as exc:
        raise PostError(f"invalid JSON front matter: {exc.msg}", path, exc.lineno) from exc
    if not isinstance(meta, dict):
        raise PostError("the front matter must be a mapping of keys to values", path, 1)
    body = text[end:].lstrip(" \t")
    body = body[1:] if body.startswith("\n") else body
    return {str(k): v for k, v in meta.items()}, body, text.count("\n", 0, len(text) - len(body)) + 1


def post_name(path: Path) -> str:
    """A post's identity from its file name alone (what `key` is without a front matter `id`)."""
    return _stem(path)


def file_date(path: Path) -> str:
    """The date in a post's file name (`2024-01-07-til.md` → "2024-01-07"), else ""."""
    match = _DATE_PREFIX.match(path.name)
    return "-".join(match.groups()) if match else ""


def _stem(path: Path) -> str:
    stem = path.stem
    if stem in ("index", "_index") and path.parent.name:  # Hugo page bundles
        stem = path.parent.name
    return _DATE_PREFIX.sub("", stem)


def label_for(path: Path, root: Path) -> str:
    """How a post is named in the state file and on cards: its path below its source folder."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name


def _post_key(meta: dict[str, object], path: Path) -> str:
    """A post's identity: its file name without the date prefix (so re-dating keeps it, and it
    does not depend on which folder the build was pointed at); front matter `id` pins it."""
    pinned = meta.get("id")
    if isinstance(pinned, (str, int)) and str(pinned).strip():
        return "id:" + str(pinned).strip()
    return _stem(path)


def _title(meta: dict[str, object], body: str, path: Path) -> str:
    title = meta.get("title")
    if isinstance(title, (str, int, float)) and str(title).strip():
        return str(title).strip()
    match = _H1.search(body)
    if match:
        return match.group(1).strip()
    return _stem(path).replace("-", " ").replace("_", " ").strip() or path.name


def _tag_values(meta: dict[str, object]) -> list[str]:
    values: list[str] = []
    for key in TAG_KEYS:
        if key in meta:
            values.extend(_flatten(meta[key]))
    return values


def _has_mapping(value: object) -> bool:
    if isinstance(value, dict):
        return True
    return isinstance(value, (list, tuple)) and any(_has_mapping(item) for item in value)


def _flatten(value: object) -> Iterator[str]:
    if value is None or isinstance(value, dict):
        return  # nothing a tag can be made of
    if isinstance(value, str):
        yield from value.split()  # Jekyll: a string of tags is split on spaces
    elif isinstance(value, (list, tuple)):
        for item in value:
            if isinstance(item, (list, tuple)):
                yield from _flatten(item)
            elif item is not None and not isinstance(item, dict):
                yield str(item)  # a list element is one tag, spaces and all
    elif isinstance(value, (dt.date, int, float, bool)):
        yield str(value)


def normalise_tag(value: str) -> str:
    """A valid Anki tag: no white space (use `_`), no quotes, angle brackets or control characters."""
    value = unicodedata.normalize("NFC", value)
    value = re.sub(r"\s+", "_", value.strip())
    # Quotes and angle brackets out: a note type that shows {{Tags}} inserts them as HTML.
    value = "".join(ch for ch in value if ch not in '"<>' and unicodedata.category(ch)[0] != "C")
    value = re.sub(r":{3,}", "::", value).strip(":")
    return value


def normalise_tags(values: Iterable[str]) -> tuple[str, ...]:
    """Normalised tags, without duplicates (Anki compares tags ignoring case), in input order."""
    seen: set[str] = set()
    tags: list[str] = []
    for value in values:
        tag = normalise_tag(value)
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            tags.append(tag)
    return tuple(tags)


def _date(meta: dict[str, object], path: Path) -> dt.date | None:
    value = meta.get("date")
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        match = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", value)
        if match:
            try:
                return dt.date(*map(int, match.groups()))
            except ValueError:
                pass
    match = _DATE_PREFIX.match(path.name)
    if match:
        try:
            return dt.date(*map(int, match.groups()))
        except ValueError:
            return None
    return None


_NOT_LETTERS = re.compile(r"[\W\d_]")


# What is not the author's prose: code, URLs, math, HTML tags, link targets.
_NOT_PROSE = re.compile(
    r"^(?:```|~~~)[^\n]*\n.*?^(?:```|~~~)|`[^`\n]*`|https?://\S+|\$\$.*?\$\$|\$[^$\n]*\$|<[^>\n]+>|\]\([^)\n]*\)",
    re.DOTALL | re.MULTILINE,
)


def detect_language(text: str) -> str:
    """ "ko" when Hangul makes up a fair share of the letters of the prose (code, URLs, math and
    markup left out: identifiers are English in every language), else "en"."""
    if any(mark in text for mark in ("`", "$", "://", "<", "](")):
        text = _NOT_PROSE.sub(" ", text)
    letters = len(text) - len(_NOT_LETTERS.findall(text))  # one C-speed pass, not a loop per char
    if not letters:
        return "en"
    # A Hangul syllable carries about as much as two or three Latin letters: weigh it so.
    hangul = len(_HANGUL.findall(text)) * 2.5
    return "ko" if hangul / (letters + hangul) >= 0.3 else "en"


_LANG_KEYS = ("lang", "language", "locale")


def _lang(meta: dict[str, object], body: str) -> str:
    for key in _LANG_KEYS:
        value = meta.get(key)
        if isinstance(value, str) and value.strip():
            return language_code(value)
    return detect_language(body)
