"""`flashgen.toml` or `[tool.flashgen]` in `pyproject.toml` → a checked, typed Config.

Every key is checked here, where the value is made: an unknown key or a wrong type is an error
that names the key and the file (exit code 2), never a surprise deep inside a build.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from flashgen.errors import ConfigError
from flashgen.read.reviews import REVIEWS_FILE, Reviewed
from flashgen.read.reviews import load as load_reviews
from flashgen.read.site import is_web_url
from flashgen.settings import RULE_NAMES, Limits, Settings, language_code

Split = Literal["one", "category", "post", "folder"]
SPLITS: tuple[Split, ...] = ("one", "category", "post", "folder")
Publish = Literal["commit", "release"]
PUBLISHES: tuple[Publish, ...] = ("commit", "release")
DEFAULT_CACHE = Path(".flashgen-cache")
DEFAULT_OUTPUT = Path("decks")


@dataclass(frozen=True, slots=True)
class Config:
    sources: tuple[Path, ...] = ()  # empty: _posts/ or content/ in the current folder
    output: Path = DEFAULT_OUTPUT
    deck: str | None = None  # the deck's name; default: _config.yml's title, else the folder's name
    split: Split = "one"  # one deck, or a subdeck per category (Deck::Category), post, folder (Deck::a::b)
    lang: str | None = None  # the language of every post, instead of detecting it
    site_url: str | None = None  # the blog's URL, instead of _config.yml's url + baseurl
    tag_prefix: str = ""  # put before every tag: "blog::" files them under one parent in Anki
    css: Path | None = None  # your CSS, appended to the cards' styling
    cache: Path | None = DEFAULT_CACHE  # per-post results; None: no cache
    settings: Settings = field(default_factory=Settings)
    ignore: frozenset[str] = frozenset()  # note ids (`flashgen show` prints them) never to make
    home: Path = Path()  # the configuration file's folder: the default output, cache and sources are in it
    # Where CI puts the .apkg (`flashgen init` writes the workflow for it): committed with its state
    # file ("commit", served with a Jekyll site), or attached to a rolling GitHub release ("release").
    publish: Publish = "commit"
    # The cards the author rewrote in `flashgen review` (flashgen-reviews.json beside this file),
    # by note id: every build puts the rewrite on the note.
    reviews: tuple[tuple[str, Reviewed], ...] = ()
    # Read the sources as an Obsidian vault (wikilinks, embeds, callouts, #tags) even where no
    # `.obsidian/` folder says so (a vault's repository often leaves it out).
    obsidian: bool = False
    # Definitions also get a reverse card (the definition asked, the term answered), unless a
    # post's front matter says otherwise (`flashgen: {reverse: false}`). Not an extraction
    # setting: the cache of each post's notes does not depend on it (whole.notes_of_post).
    reverse: bool = False


CONFIG_FILE = "flashgen.toml"


def find(folder: Path) -> Path | None:
    """The configuration file for a project folder: flashgen.toml, else a pyproject.toml with a
    [tool.flashgen] table, in the folder or the nearest folder above it, up to the repository's
    root (a folder holding .git): `flashgen build` run inside `_posts/` finds the blog's."""
    for here in (folder, *folder.resolve().parents):
        own = here / CONFIG_FILE
        if own.is_file():
            return own
        pyproject = here / "pyproject.toml"
        if pyproject.is_file() and "flashgen" in _read(pyproject).get("tool", {}):
            return pyproject
        if (here / ".git").exists():
            return None
    return None


def load(path: Path | None) -> Config:
    """The configuration in `path` (None: the defaults)."""
    if path is None:
        return Config()
    data = _read(path)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("flashgen", {})
        prefix = "tool.flashgen."
    else:
        prefix = ""
    config = parse(data, path, prefix)
    edited = {guid: r for guid, r in load_reviews(path.parent / REVIEWS_FILE).items() if r.edited}
    return replace(config, reviews=tuple(sorted(edited.items()))) if edited else config


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read the configuration: {exc.strerror or exc}", path) from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"not valid TOML: {exc}", path) from exc


def parse(data: Mapping[str, Any], path: Path, prefix: str = "") -> Config:
    """Check every key of a configuration table; paths are relative to the file's folder."""
    base = path.parent

    def fail(key: str, message: str) -> ConfigError:
        return ConfigError(f"`{prefix}{key}` {message}", path)

    def get(key: str, kind: type | tuple[type, ...], what: str) -> Any:
        value = data.get(key)
        if value is not None and (not isinstance(value, kind) or (isinstance(value, bool) and kind is int)):
            raise fail(key, f"must be {what}, not {type(value).__name__} {value!r}")
        return value

    unknown = sorted(set(data) - set(_KEYS))
    if unknown:
        raise fail(unknown[0], f"is not a flashgen setting (known: {', '.join(sorted(_KEYS))})")

    # What is not set is where the configuration is, wherever the build runs from (`_posts/`, say).
    config = Config(home=base, output=base / DEFAULT_OUTPUT, cache=base / DEFAULT_CACHE)
    sources = get("sources", (list, str), "a list of folders or files")
    if sources is not None:
        items = [sources] if isinstance(sources, str) else sources
        if not all(isinstance(s, str) and s for s in items):
            raise fail("sources", "must list folders or files as strings")
        config = replace(config, sources=tuple(base / s for s in items))
    for key, convert in _SIMPLE.items():
        value = get(key, str, "a string")
        if value is not None:
            config = replace(config, **{key: convert(base, value)})  # type: ignore[arg-type]
    if config.site_url is not None and not is_web_url(config.site_url):
        raise fail("site_url", f"must be an http(s) address, not {config.site_url!r}")
    for key, choices in (("split", SPLITS), ("publish", PUBLISHES)):
        value = get(key, str, "a string")
        if value is not None and value not in choices:
            raise fail(key, f"must be one of {', '.join(choices)}, not {value!r}")
        if value is not None:
            config = replace(config, **{key: value})
    for key in ("obsidian", "reverse"):
        flag = get(key, bool, "true or false")
        if flag is not None:
            config = replace(config, **{key: flag})
    cache = data.get("cache")
    if cache is False:
        config = replace(config, cache=None)
    elif cache is not None:
        if not isinstance(cache, str) or not cache:
            raise fail("cache", "must be a folder name, or false for no cache")
        config = replace(config, cache=base / cache)
    ignore = get("ignore", list, "a list of note ids")
    if ignore is not None:
        if not all(isinstance(i, str) and i.strip() for i in ignore):
            raise fail("ignore", "must list note ids as strings (`flashgen show` prints each note's id)")
        config = replace(config, ignore=frozenset(i.strip() for i in ignore))
    return replace(config, settings=_settings(data, fail, get))


def _settings(data: Mapping[str, Any], fail: Callable[[str, str], ConfigError], get: Any) -> Settings:
    rules = get("rules", dict, "a table of rule = true/false")
    disabled: set[str] = set()
    for name, on in (rules or {}).items():
        if name not in RULE_NAMES:
            raise fail(f"rules.{name}", f"is not a rule (rules: {', '.join(RULE_NAMES)})")
        if not isinstance(on, bool):
            raise fail(f"rules.{name}", f"must be true or false, not {on!r}")
        if not on:
            disabled.add(name)
    limits = get("limits", dict, "a table of limits")
    values: dict[str, int] = {}
    for name, value in (limits or {}).items():
        if name not in Limits.__dataclass_fields__:
            known = ", ".join(Limits.__dataclass_fields__)
            raise fail(f"limits.{name}", f"is not a limit (limits: {known})")
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise fail(f"limits.{name}", f"must be a whole number above 0, not {value!r}")
        values[name] = value
    vague = data.get("vague_terms", False)
    if not isinstance(vague, bool):
        raise fail("vague_terms", f"must be true or false, not {vague!r}")
    return Settings(limits=Limits(**values), disabled=frozenset(disabled), vague_terms=vague)


_SIMPLE: dict[str, Callable[[Path, str], object]] = {
    "output": lambda base, v: base / v,
    "deck": lambda base, v: v.strip() or None,
    "lang": lambda base, v: language_code(v) or None,
    "site_url": lambda base, v: v.strip().rstrip("/") or None,
    "tag_prefix": lambda base, v: re.sub(r"\s+", "_", v.strip()).replace('"', ""),  # as tags are
    "css": lambda base, v: base / v,
}


_KEYS = {
    *_SIMPLE,
    "sources",
    "split",
    "publish",
    "cache",
    "rules",
    "limits",
    "ignore",
    "vague_terms",
    "reverse",
    "obsidian",
}


def starter(sources: list[str], deck: str, publish: Publish = "commit") -> str:
    """The starter flashgen.toml `flashgen init` writes: every setting, with its default, and the
    deck's name pinned (else a build in CI's checkout, named after the repository, and one here,
    in a folder named otherwise, would make two decks)."""
    listed = ", ".join(toml_string(s) for s in sources)
    rules = "\n".join(f"# {name} = true" for name in RULE_NAMES)
    return f"""\
# flashgen's settings (https://pypi.org/project/flashgen/). Command-line options override them.
sources = [{listed}]   # folders or files of Markdown posts
output = "decks"       # where the .apkg and its state file go
publish = "{publish}"     # CI commits the .apkg ("commit") or attaches it to a GitHub release ("release")
deck = {toml_string(deck)}   # its name in Anki; renamed, your notes go to a new deck
split = "one"          # "one" deck, a subdeck per "category", or a subdeck per "post"
# lang = "ko"          # default: each post's front matter `lang`, else detected
# site_url = "https://me.github.io/blog"   # default: _config.yml's url + baseurl
tag_prefix = ""        # e.g. "blog::" puts every tag under blog:: in Anki
# css = "cards.css"    # your own CSS for the cards
cache = ".flashgen-cache"   # per-post results, safe to delete; false for none
ignore = []            # ids of notes you never want (`flashgen show` prints each note's id)
vague_terms = false    # true: also card "What is Reward?" when nothing around it says whose reward
reverse = false        # true: each definition also asks the other way (the definition → the term)
# obsidian = true      # read the sources as an Obsidian vault even without its .obsidian/ folder

[rules]                # switch an extraction rule off with `name = false`
{rules}

[limits]
max_answer_chars = {Limits().max_answer_chars}   # a longer answer is split or left out
max_enumeration = {Limits().max_enumeration}     # a longer list is split into even parts
max_item_chars = {Limits().max_item_chars}      # a longer bullet is prose, not a point to recall
max_image_px = {Limits().max_image_px}      # a larger image is scaled down in the deck (the file is not)
max_image_kb = {Limits().max_image_kb}       # a heavier one is re-encoded as WebP in the deck
"""


# What a TOML basic string cannot hold as it is: `"`, `\`, control characters but tab (DEL too),
# and lone surrogates (a name read from undecodable bytes), which no UTF-8 file can hold.
_TOML_ESCAPED = re.compile(r'["\\\x00-\x08\x0a-\x1f\x7f\ud800-\udfff]')
_TOML_SHORT = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def toml_string(value: str) -> str:
    """`value` as a TOML basic string that reads back as `value`: a site's title holding a DEL
    or a `"` written as it is would make flashgen.toml invalid, and every build after it fail.
    A lone surrogate, which has no escape in TOML, becomes U+FFFD."""

    def escape(match: re.Match[str]) -> str:
        char = match.group()
        if "\ud800" <= char <= "\udfff":
            return "\\uFFFD"
        return _TOML_SHORT.get(char) or f"\\u{ord(char):04X}"

    return '"' + _TOML_ESCAPED.sub(escape, value) + '"'
