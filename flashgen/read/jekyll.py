"""Where Jekyll (4.3) publishes a file: the URL a card links its post by.

A card links to its post where the blog publishes it, so the URL must be the one Jekyll really
writes the page at, or no URL at all: a link that is nearly right is a broken link. The rules
below follow Jekyll's own (Jekyll::URL, Jekyll::Utils.slugify, Drops::UrlDrop, Document, Page,
Reader, EntryFilter, FrontmatterDefaults); tests/test_jekyll_urls.py checks them against a real
`jekyll build`. site.py reads the settings from _config.yml (`read_settings`) into a Site.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
import unicodedata
import urllib.parse
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flashgen.read.site import Site

# Jekyll's named permalink styles (Configuration::STYLE_TO_PERMALINK).
STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
# What Jekyll leaves out of every site besides the user's `exclude` (Configuration::DEFAULT_EXCLUDES).
_DEFAULT_EXCLUDES = (
    ".sass-cache",
    ".jekyll-cache",
    "gemfiles",
    "Gemfile",
    "Gemfile.lock",
    "node_modules",
    "vendor/bundle/",
    "vendor/cache/",
    "vendor/gems/",
    "vendor/ruby/",
)
# The front matter keys that decide a URL, and so the only ones kept from `defaults:`.
_URL_KEYS = ("permalink", "slug", "categories", "category", "date", "published")


@dataclass(frozen=True, slots=True)
class Collection:
    """A collection from _config.yml's `collections:`: the documents under `_<label>/`."""

    label: str
    output: bool  # Jekyll writes its documents as pages (posts: always)
    permalink: str | None  # its own URL pattern; else `/:collection/:path`, ended like the site's style


@dataclass(frozen=True, slots=True)
class Defaults:
    """One entry of _config.yml's `defaults:`, with only the values that shape a URL."""

    path: str  # scope: files below this path (may hold `*`), "" for all
    type: str | None  # scope: "posts", "pages", "drafts" or a collection's label; None for all
    values: tuple[tuple[str, object], ...]


@dataclass(frozen=True, slots=True)
class Jekyll:
    """What a Jekyll site's _config.yml says about where its pages are written (tuples, not
    lists: a Site is compared, hashed and pickled)."""

    style: str = "date"  # `permalink` as written: pages and collections end their URLs like it
    timezone: str | None = None  # `timezone`: dates in URLs are local to it (else to UTC)
    collections_dir: str = ""
    collections: tuple[Collection, ...] = ()
    exclude: tuple[str, ...] = _DEFAULT_EXCLUDES
    include: tuple[str, ...] = (".htaccess",)
    defaults: tuple[Defaults, ...] = ()


def read_settings(data: dict[object, object]) -> Jekyll:
    """The URL settings of a Jekyll _config.yml, each as Jekyll reads it, or its default."""
    exclude = _strings(data.get("exclude"))
    include = data.get("include")
    timezone = data.get("timezone")
    return Jekyll(
        style=str(data.get("permalink") or "date"),
        timezone=str(timezone) if isinstance(timezone, str) and timezone else None,
        collections_dir=str(data.get("collections_dir") or "").strip("/"),
        collections=_collections(data.get("collections")),
        exclude=tuple(dict.fromkeys((*exclude, *_DEFAULT_EXCLUDES))),
        include=_strings(include) if isinstance(include, list) else (".htaccess",),
        defaults=tuple(d for d in map(_defaults, _list(data.get("defaults"))) if d is not None),
    )


def _list(value: object) -> list[object]:
    return value if isinstance(value, list) else []


def _strings(value: object) -> tuple[str, ...]:
    return tuple(str(v) for v in _list(value) if isinstance(v, str | int | float))


def _collections(value: object) -> tuple[Collection, ...]:
    """`collections:` as a list of labels or a mapping of label to settings, with `posts`."""
    settings: dict[str, object] = {"posts": {}}
    if isinstance(value, list):
        settings |= {str(label): {} for label in value if isinstance(label, str | int)}
    elif isinstance(value, dict):
        settings |= {str(label): given for label, given in value.items()}
    found = []
    for label, given in settings.items():
        meta = given if isinstance(given, dict) else {}
        permalink = meta.get("permalink")
        output = label == "posts" or meta.get("output") not in (None, False)  # Ruby's truthiness
        found.append(Collection(label, output, permalink if isinstance(permalink, str) else None))
    return tuple(found)


def _defaults(entry: object) -> Defaults | None:
    """One `defaults:` entry; None when Jekyll skips it too (no `values` mapping)."""
    if not isinstance(entry, dict) or not isinstance(entry.get("values"), dict):
        return None
    scope = entry.get("scope")
    if not isinstance(scope, dict):
        scope = {}
    kind = scope.get("type")
    kind = {"page": "pages", "post": "posts", "draft": "drafts"}.get(str(kind), str(kind)) if kind else None
    path = scope.get("path")
    values = entry["values"]
    kept = tuple((k, _frozen(values[k])) for k in _URL_KEYS if k in values)
    return Defaults(path if isinstance(path, str) else "", kind, kept)


def _frozen(value: object) -> object:
    return tuple(_frozen(v) for v in value) if isinstance(value, list | tuple) else value


# ── Where Jekyll writes a file ──────────────────────────────────────────────────


def post_url(site: Site, path: Path, meta: Mapping[str, object], raw: bytes) -> str | None:
    """The address of the page Jekyll makes of the file at `path` (front matter `meta`, bytes
    `raw`), under the site's URL. None when the site's URL is unknown, or when Jekyll makes no
    page of the file: a draft, a file in `_posts` without a date in its name, a document of a
    collection without `output`, a file in a folder Jekyll skips, `published: false`.

    Outside a Jekyll site (a `site_url` from flashgen's configuration) every file is taken for a
    post, named by its file name (a Hugo bundle's `index.md` by its folder)."""
    if site.url is None:
        return None
    if site.jekyll is None:
        url = _loose_url(site, path, meta)
    else:
        place = _place(site, _relative(site, path), bool(_YAML_HEADER.match(raw)))
        url = _place_url(site, place, meta) if place is not None else None
    return site.url + _link(url) if url is not None else None


_YAML_HEADER = re.compile(rb"---[^\S\n]*\n")  # Utils.has_yaml_header?: its first line is `---`


def _relative(site: Site, path: Path) -> str | None:
    """The file's path below the site's folder, its own link not followed (as Jekyll names a
    linked file by the link's path), its folders resolved as `site.root` is."""
    for candidate in (path.absolute(), path.absolute().parent.resolve() / path.name):
        try:
            return candidate.relative_to(site.root).as_posix()
        except ValueError:
            continue
    return None


@dataclass(frozen=True, slots=True)
class _Place:
    """What Jekyll makes of a file: a post, a collection's document, or a page."""

    kind: str  # "posts", a collection's label, or "pages"
    relative: str  # below `collections_dir` for documents, below the site for pages
    folders: tuple[str, ...] = ()  # a post's categories from the folders above `_posts`
    template: str = ""  # the URL pattern when the front matter gives none


def _place(site: Site, rel: str | None, front_matter: bool) -> _Place | None:
    """How Jekyll reads the file: its collections are read from `<collections_dir>/_<label>`;
    then the site's folders are walked from its root, reading every `_posts` folder met on the
    way and skipping what EntryFilter skips; a file the walk reaches is a page when it starts
    with front matter (else it is copied as it is: no page)."""
    jekyll = site.jekyll
    if rel is None or jekyll is None:
        return None
    below = _below(rel, jekyll.collections_dir)
    if below is not None:
        first, _, rest = below.partition("/")
        collection = next((c for c in jekyll.collections if "_" + c.label == first), None)
        if collection is not None and collection.label != "posts" and rest:
            return _document(jekyll, collection, below, rest, front_matter)
    parts = rel.split("/")
    for i, name in enumerate(parts[:-1]):
        if name == "_posts":
            return _post(site, jekyll, parts, i)
        if _skipped(jekyll, name, "/".join(parts[: i + 1])):
            return None
    if not front_matter or _skipped(jekyll, parts[-1], rel):
        return None
    return _Place("pages", rel, template=_page_template(jekyll, parts[-1]))


def _below(rel: str, folder: str) -> str | None:
    if not folder:
        return rel
    return rel[len(folder) + 1 :] if rel.startswith(folder + "/") else None


def _post(site: Site, jekyll: Jekyll, parts: list[str], i: int) -> _Place | None:
    """A file in a `_posts` folder: a post when its name starts with a date. With a
    `collections_dir`, only `_posts` folders below it are read (Reader#retrieve_posts, which
    compares the strings: `coll` also takes `collection/_posts`)."""
    folder = "/" + "/".join(parts[:i])
    if jekyll.collections_dir and not folder.startswith("/" + jekyll.collections_dir):
        return None
    entry = "/".join(parts[i + 1 :])
    # Dir["**/*"] lists no dot files; EntryFilter then drops the special ones.
    if any(p.startswith(".") for p in parts[i + 1 :]) or _skipped(jekyll, entry, "/".join(parts)):
        return None
    if _DATED.match(parts[-1]) is None:
        return None
    relative = _below("/".join(parts), jekyll.collections_dir) or ""
    return _Place("posts", relative, categories_from_path(relative), site.permalink)


def categories_from_path(relative: str) -> tuple[str, ...]:
    """Document#categories_from_path: a post's categories from the folders before the first
    "_posts" in its path ("paper-summaries/general-ML/_posts/…" → paper-summaries, general-ML)."""
    if "_posts" not in relative:
        return ()
    before = "" if relative.startswith("_posts") else relative[: relative.find("_posts")]
    return tuple(f for f in before.split("/") if f and f != "_posts")


def _document(
    jekyll: Jekyll, collection: Collection, relative: str, entry: str, front_matter: bool
) -> _Place | None:
    """A file in a collection's folder: a document when it starts with front matter (else a
    static file), written out only when the collection has `output`."""
    if not collection.output or not front_matter:
        return None
    if _skipped(jekyll, entry, "/".join(filter(None, (jekyll.collections_dir, relative)))):
        return None
    template = collection.permalink or _suffixed("/:collection/:path", jekyll.style)
    return _Place(collection.label, relative, template=template)


def _skipped(jekyll: Jekyll, entry: str, from_root: str) -> bool:
    """EntryFilter#filter: an entry (a name, or a path below the folder read) is left out when it
    ends in ".", is excluded and not included, or starts with `.`, `_`, `#` or `~` (or its file
    name does) or ends in `~`, unless included."""
    if entry.endswith("."):
        return True
    name = entry.rsplit("/", 1)[-1]
    included = _globbed(jekyll.include, entry) or _globbed(jekyll.include, name)
    if not included and _globbed(jekyll.exclude, from_root):
        return True
    return not included and (entry[:1] in "._#~" or name[:1] in "._#~" or entry.endswith("~"))


def _globbed(patterns: tuple[str, ...], entry: str) -> bool:
    """EntryFilter#glob_include?: a pattern matches the path (File.fnmatch?, `*` crossing `/`),
    starts it (as strings: `notes` also matches `notes-old`), or names it as a folder."""
    return any(
        fnmatch.fnmatchcase(entry, p.lstrip("/"))
        or entry.startswith(p.lstrip("/"))
        or p.lstrip("/") == entry + "/"
        for p in patterns
        if p.lstrip("/")
    )


def _suffixed(template: str, style: str) -> str:
    """Utils.add_permalink_suffix: a page's or a collection's URL ends like the site's style
    (`weekdate`, a style Jekyll 4.3 added, ends like neither)."""
    if style == "pretty":
        return template + "/"
    if style in ("date", "ordinal", "none"):
        return template + ":output_ext"
    return template + ("/" if style.endswith("/") else ":output_ext" if style.endswith(":output_ext") else "")


def _page_template(jekyll: Jekyll, name: str) -> str:
    if _basename(name) == "index":
        return "/:path/"
    return _suffixed("/:path/:basename", jekyll.style)


def _basename(name: str) -> str:
    """A file's name without its extension, and without the dots that ended it."""
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    return stem.rstrip(".")


# ── Its URL ───────────────────────────────────────────────────────────────────

_DATED = re.compile(r"^(\d{2,4})-(\d{1,2})-(\d{1,2})-(.*)(\.[^.]+)$", re.DOTALL)


def _place_url(site: Site, place: _Place, meta: Mapping[str, object]) -> str | None:
    """Jekyll's URL of the file: the front matter's `permalink` (or `defaults:`), else the
    place's pattern, its placeholders filled in."""
    assert site.jekyll is not None
    defaults = _defaults_for(site, place)
    if place.kind == "pages":
        # Publisher#publish? reads a page's own front matter (Hash#fetch: no `defaults:`).
        if _unpublished(meta):
            return None
        # Its other keys are looked up in `defaults:` when its front matter lacks them.
        given = meta["permalink"] if "permalink" in meta else defaults.get("permalink")
        if given == "":
            return None  # Jekyll stops: "Invalid permalink"
        template = given if isinstance(given, str) else place.template
        return _sanitized(_fill_hash(template, _page_values(place.relative)))
    data = defaults | {k: v for k, v in meta.items() if v is not None}  # null keeps the default
    if _unpublished(data if "published" in data else meta):
        return None
    permalink = data.get("permalink")
    template = permalink if isinstance(permalink, str) else place.template
    values = _document_values(site.jekyll, place, data, defaults, meta)
    return _fill_drop(template, values)


def _loose_url(site: Site, path: Path, meta: Mapping[str, object]) -> str | None:
    """Outside a Jekyll site: the file taken for a post in `_posts`, under the site's pattern."""
    if _unpublished(meta):
        return None
    name = path.name
    if path.stem in ("index", "_index") and path.parent.name:  # Hugo page bundles
        name = path.parent.name + path.suffix
    place = _Place("posts", "_posts/" + name, template=site.permalink)
    data = {k: v for k, v in meta.items() if v is not None}
    values = _document_values(Jekyll(), place, data, {}, meta)
    permalink = data.get("permalink")
    return _fill_drop(permalink if isinstance(permalink, str) else site.permalink, values)


def _unpublished(data: Mapping[str, object]) -> bool:
    """`published: false`, or `published:` left empty: Ruby's nil is false too."""
    return "published" in data and (data["published"] is None or data["published"] is False)


def _defaults_for(site: Site, place: _Place) -> dict[str, object]:
    """FrontmatterDefaults#all: the values of every `defaults:` entry whose scope holds the
    file, a longer scope path (then a scope with a type) taking precedence."""
    assert site.jekyll is not None
    merged: dict[str, object] = {}
    best: Defaults | None = None
    for entry in site.jekyll.defaults:
        if not _in_scope(site, entry, place):
            continue
        values = dict(entry.values)
        if best is None or _precedes(entry, best):
            merged |= values
            best = entry
        else:
            merged = values | merged
    return merged


def _in_scope(site: Site, entry: Defaults, place: _Place) -> bool:
    assert site.jekyll is not None
    if entry.type is not None and entry.type != place.kind:
        return False
    if not entry.path:
        return True
    folder = site.jekyll.collections_dir
    scope = entry.path.lstrip("/")
    if "*" not in scope:
        return place.relative.startswith(_without_folder(scope, folder))
    # Jekyll globs such a scope on disk.
    found = (p.relative_to(site.root).as_posix() for p in site.root.glob(scope))
    return any(place.relative.startswith(_without_folder(path, folder)) for path in found)


def _without_folder(scope: str, folder: str) -> str:
    """FrontmatterDefaults#strip_collections_dir: a scope path below `collections_dir` made
    relative to it, as documents' paths are."""
    return scope[len(folder) + 1 :] if folder and scope.startswith(folder + "/") else scope


def _precedes(new: Defaults, old: Defaults) -> bool:
    new_path, old_path = new.path.lstrip("/"), old.path.lstrip("/")
    if len(new_path) != len(old_path):
        return len(new_path) >= len(old_path)
    return new.type is not None or old.type is None


def _document_values(
    jekyll: Jekyll,
    place: _Place,
    data: Mapping[str, object],
    defaults: Mapping[str, object],
    meta: Mapping[str, object],
) -> dict[str, str]:
    """Drops::UrlDrop: a document's placeholders. `:title` is the slug (front matter `slug`,
    else the file name's) with only runs of what may not stand in a URL made `-`, case kept;
    `:slug` the same, but lowercased and with punctuation made `-` too; `:categories` every
    category lowercased, nothing else changed (spaces stay, escaped)."""
    name = place.relative.rsplit("/", 1)[-1]
    dated = _DATED.match(name)
    slug = dated.group(4) if dated else _basename(name)
    slug = slug.rstrip(".")
    given = data.get("slug")
    if given is not None and given is not False:
        slug = given if isinstance(given, str) else _ruby_string(given)
    categories = _categories(place.folders, defaults, meta)
    values = {
        "collection": place.kind,
        "name": slugify(name.rsplit(".", 1)[0] if "." in name else name),
        "title": slugify(slug, "pretty", cased=True),
        "slug": slugify(slug),
        "categories": "/".join(dict.fromkeys(_downcase(c) for c in categories)),
        "slugified_categories": "/".join(dict.fromkeys(slugify(c) for c in categories)),
        "path": _cleaned_path(place),
        "output_ext": ".html",
    }
    file_date = _file_date(dated) if dated else None
    when = _local_time(data["date"], jekyll.timezone) if "date" in data else file_date
    return values | (_date_values(when) if when is not None else {})


def _cleaned_path(place: _Place) -> str:
    """Document#cleaned_relative_path: the path without its extension, the collection's folder
    name taken out (its first occurrence, as String#sub does) and trailing dots."""
    relative = place.relative
    if "." in relative.rsplit("/", 1)[-1]:
        relative = relative.rsplit(".", 1)[0]
    return relative.replace("_" + place.kind, "", 1).rstrip(".")


def _page_values(relative: str) -> dict[str, str]:
    """Page#url_placeholders, in the order Jekyll fills them in."""
    folder, _, name = relative.rpartition("/")
    return {"path": "/" + folder if folder else "", "basename": _basename(name), "output_ext": ".html"}


def _categories(
    folders: tuple[str, ...], defaults: Mapping[str, object], meta: Mapping[str, object]
) -> list[str]:
    """A document's categories as Jekyll collects them: the folders above `_posts`, then
    `categories` from `defaults:` and the front matter (a string split on spaces; each list item
    one category, spaces and all), then `category` (never split) when given, else
    `categories` once more."""
    found: list[object] = list(folders)
    for layer in (defaults, meta):
        value = layer.get("categories")
        if value is not None:
            found += value.split() if isinstance(value, str) else _flat(value)
    single = meta.get("category")
    if single is None:
        single = defaults.get("category")
    found += _flat(single) if single is not None else [c for c in found if c is not None]
    return [text for text in map(_ruby_string, found) if text]


def _flat(value: object) -> list[object]:
    if isinstance(value, list | tuple):
        return [item for v in value for item in _flat(v)]
    return [value]


def _ruby_string(value: object) -> str:
    """What Ruby's to_s makes of a YAML value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _downcase(text: str) -> str:
    """Ruby's String#downcase: each character on its own (Python's lower() writes a final
    sigma as "ς"; Ruby does not)."""
    return "".join(ch.lower() for ch in text)


_PRETTY_KEPT = frozenset("._~!$&'()+,;=@")


def slugify(text: str, mode: str = "default", cased: bool = False) -> str:
    """Jekyll::Utils.slugify in its "default" and "pretty" modes: every run of characters that
    are not letters, marks or decimal digits (in "pretty" mode, not those nor `._~!$&'()+,;=@`)
    becomes one `-`, none at either end; lowercased unless `cased`."""
    kept = _PRETTY_KEPT if mode == "pretty" else frozenset()
    out: list[str] = []
    gap = False
    for ch in text:
        category = unicodedata.category(ch)
        if ch in kept or category[0] in "LM" or category == "Nd":
            if gap and out:
                out.append("-")
            out.append(ch)
            gap = False
        else:
            gap = True
    slug = "".join(out)
    return slug if cased else _downcase(slug)


def _file_date(match: re.Match[str]) -> dt.datetime | None:
    """The date in a file name, midnight where Jekyll runs; a two-digit year as Ruby's Time.parse
    reads it."""
    year, month, day = (int(match.group(i)) for i in (1, 2, 3))
    if len(match.group(1)) == 2:
        year += 1900 if year >= 69 else 2000
    try:
        return dt.datetime(year, month, day)
    except ValueError:
        return None


_DAY = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})")
_TIME = re.compile(
    r"\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt ]\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d*)?)?)?"
    r"\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?\s*$"
)


def _local_time(value: object, timezone: str | None) -> dt.datetime | None:
    """A front matter date as the wall-clock time in the site's time zone, as Jekyll reads it
    (Utils.parse_date: Time.parse(value.to_s).localtime): a date or a time written without an
    offset is taken as written; one with an offset is moved into the site's zone; and a YAML
    timestamp without an offset is UTC (Psych reads it so) and moved too."""
    if isinstance(value, dt.datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
        return _in_zone(aware, timezone)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if not isinstance(value, str):
        return None
    # Ruby's Time.parse reads more than this; of what it does not, the day is kept as written.
    match = _TIME.match(value) or _DAY.match(value)
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(g or 0) for g in (*match.groups(), 0, 0, 0)[:6])
    try:
        when = dt.datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None
    offset = match.group(7) if match.re is _TIME else None
    return _in_zone(when.replace(tzinfo=_offset(offset)), timezone) if offset else when


def _offset(text: str) -> dt.timezone:
    if text in ("Z", "UTC", "GMT"):
        return dt.UTC
    digits = text[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + int(digits[2:4] or 0)
    return dt.timezone(dt.timedelta(minutes=-minutes if text[0] == "-" else minutes))


def _in_zone(when: dt.datetime, timezone: str | None) -> dt.datetime:
    """The wall-clock time of an instant in `timezone` (Jekyll sets TZ to it; an unknown zone is
    UTC, as for the C library). Without one, Jekyll uses the zone of the machine that builds the
    site: UTC for the servers that build most published sites (GitHub Pages and Actions,
    Netlify); flashgen takes UTC too, so that a deck does not depend on where it is built."""
    try:
        zone: dt.tzinfo = zoneinfo.ZoneInfo(timezone) if timezone else dt.UTC
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = dt.UTC
    return when.astimezone(zone).replace(tzinfo=None)


_MONTHS = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _date_values(when: dt.datetime) -> dict[str, str]:
    """The date placeholders, as Ruby's strftime writes them (in English, whatever the locale)."""
    iso = when.isocalendar()
    return {
        "year": f"{when.year:04d}",
        "month": f"{when.month:02d}",
        "day": f"{when.day:02d}",
        "hour": f"{when.hour:02d}",
        "minute": f"{when.minute:02d}",
        "second": f"{when.second:02d}",
        "i_day": str(when.day),
        "i_month": str(when.month),
        "short_month": _MONTHS[when.month - 1][:3],
        "long_month": _MONTHS[when.month - 1],
        "short_year": f"{when.year % 100:02d}",
        "w_year": str(iso.year),
        "week": f"{iso.week:02d}",
        "w_day": str(iso.weekday),
        "short_day": _DAYS[when.weekday()][:3],
        "long_day": _DAYS[when.weekday()],
        "y_day": f"{when.timetuple().tm_yday:03d}",
    }


_PLACEHOLDER = re.compile(r":([a-z_]+)")


def _fill_drop(template: str, values: Mapping[str, str]) -> str | None:
    """URL#generate_url_from_drop: each `:name` replaced by its escaped value (`:year_` is `:year`
    and a `_`); None where Jekyll stops the build (a placeholder it does not know, or a date
    placeholder for a document whose date is the time of the build)."""
    unknown = False

    def value(match: re.Match[str]) -> str:
        nonlocal unknown
        name = match.group(1)
        key = name[:-1] if name.endswith("_") else name
        if key not in values:
            unknown = True
            return match.group(0)
        return _escape(values[key]) + name[len(key) :]

    filled = _PLACEHOLDER.sub(value, template)
    return None if unknown else _sanitized(filled)


def _fill_hash(template: str, values: Mapping[str, str]) -> str:
    """URL#generate_url_from_hash (pages): each placeholder in turn replaced wherever it stands;
    one Jekyll does not know (`:title` on a page) stays as it is."""
    for key, value in values.items():
        if ":" not in template:
            break
        template = template.replace(":" + key, _escape(value))
    return template


_PLAIN = re.compile(r"[a-zA-Z0-9./-]+")


def _escape(value: str) -> str:
    """URL.escape_path (Addressable::URI.encode): what may not stand in a URL path, UTF-8 and
    percent-encoded; `%` too, so that a value's `%20` stays two characters."""
    if not value or _PLAIN.fullmatch(value):
        return value
    return urllib.parse.quote(value, safe="/:@!$&'()*+,;=-._~?")


def _sanitized(url: str) -> str:
    """URL#sanitize_url: one leading `/`, no `..` or `./`, no `//`."""
    url = ("/" + url).replace("..", "/").replace("./", "")
    return re.sub(r"/{2,}", "/", url)


def _link(url: str) -> str:
    """Jekyll's URL as a link to the file it names. Jekyll writes the file at the URL decoded
    and leaves what the pattern itself holds as written (a space, a quote from a front matter
    `permalink`) and a `?` in a value (a category "why?") unescaped; decoded and escaped again,
    the link reaches that file and cannot end an HTML attribute."""
    return urllib.parse.quote(urllib.parse.unquote_to_bytes(url), safe="/:@!$&'()*+,;=-._~")
