"""Markdown fragment → card HTML: rendered by the same parser, math in Anki's delimiters, sanitised."""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Sequence
from importlib import resources

import nh3
import pyromark
from pygments import highlight as pygments_highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from flashgen.read.markdown import OPTIONS

_MATH = re.compile(r'<span class="math math-(inline|display)">(.*?)</span>', re.DOTALL)
_DISPLAY_PARAGRAPH = re.compile(r'<p>\s*<span class="math math-display">(.*?)</span>\s*</p>', re.DOTALL)
_FORMATTER = HtmlFormatter(nowrap=True, classprefix="hl-")
# Code styles live in the note type's CSS (no CDN, no JavaScript), for light and night mode. They
# are shipped as data (code.css: Pygments 2.21's "default" style for .fg-code, "monokai" for night
# mode, class prefix hl-), not made by the installed Pygments: another Pygments version must not
# change the note type, and with it every deck's bytes.
CODE_CSS = (resources.files("flashgen") / "code.css").read_text(encoding="utf-8")


@functools.lru_cache(maxsize=256)
def _highlight(lang: str | None, code: str) -> str:
    """A code block, highlighted at build time with Pygments; plain when the language is unknown.
    Kept for a while: a rule that weighs a section renders its blocks again (a post of 26 code
    blocks highlighted 44)."""
    try:
        lexer = get_lexer_by_name(lang.split()[0]) if lang else None
    except ClassNotFound:
        lexer = None
    body = pygments_highlight(code, lexer, _FORMATTER) if lexer else html.escape(code)
    return f'<pre class="fg-code"><code>{body}</code></pre>\n'


RENDERER = pyromark.Markdown(options=OPTIONS, highlight=_highlight)
_ONE_PARAGRAPH = re.compile(r"\A<p>(.*)</p>\Z", re.DOTALL)
_TAGS = re.compile(r"<[^>]+>")
# Tags that separate words when a fragment is read as text; inline ones (code, b, a) do not.
_BLOCK_TAGS = re.compile(
    r"</?(?:p|div|li|ul|ol|br|hr|tr|td|th|table|thead|tbody|h[1-6]|pre|blockquote|dl|dt|dd|details|summary|figure)"
    r"\b[^>]*>",
    re.IGNORECASE,
)

# nh3's allow-list (no script, iframe, object, event handlers or javascript: URLs), plus the
# classes our own templates style.
_ATTRIBUTES = {tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()}
_ATTRIBUTES.setdefault("input", set()).update({"type", "checked", "disabled"})  # task lists
_ATTRIBUTES.setdefault("sup", set()).add("id")
_ATTRIBUTES.setdefault("div", set()).add("id")
_TAGS_ALLOWED = set(nh3.ALLOWED_TAGS) | {"input"}
for _tag in ("code", "pre", "span", "div"):
    _ATTRIBUTES.setdefault(_tag, set()).add("class")
# A list's own classes (`fg-enum`): a note shipped again from the state file passes the sanitiser
# again, and must come out as it went in. A post's own classes on lists are still dropped.
_OWN_CLASSES_ONLY = ("ul", "ol", "li")
for _tag in _OWN_CLASSES_ONLY:
    _ATTRIBUTES.setdefault(_tag, set()).add("class")


def _math(match: re.Match[str]) -> str:
    body = match.group(2).strip()
    return rf"\({body}\)"  # display math left here sits inside a line of text


def _attribute(tag: str, name: str, value: str) -> str | None:
    # <input> is allowed for task-list check boxes only: no buttons, no text fields.
    if tag == "input" and name == "type" and value != "checkbox":
        return None
    # A card's ids (footnotes) live in the reviewer's page beside Anki's own ("qa", "answer"):
    # ours are all `fg-…`, and so are the links to them.
    if name == "class" and tag in _OWN_CLASSES_ONLY:
        own = " ".join(word for word in value.split() if word.startswith(ID_PREFIX))
        return own or None
    if name == "id":
        return value if value.startswith(ID_PREFIX) else ID_PREFIX + value
    if name == "href" and value.startswith("#") and not value.startswith("#" + ID_PREFIX):
        return "#" + ID_PREFIX + value[1:]
    return value


ID_PREFIX = "fg-"


_NOT_A_CHECKBOX = re.compile(r'<input\b(?![^>]*\btype="checkbox")[^>]*>', re.IGNORECASE)


# One cleaner for every fragment: building one per call (what `nh3.clean` does) costs 9x the
# cleaning itself.
_CLEANER = nh3.Cleaner(
    tags=_TAGS_ALLOWED,
    attributes=_ATTRIBUTES,
    link_rel="noopener noreferrer",
    attribute_filter=_attribute,
)


def sanitise(fragment: str) -> str:
    clean = _CLEANER.clean(fragment)
    return _NOT_A_CHECKBOX.sub("", clean) if "<input" in clean else clean


def block(md: str) -> str:
    """Render Markdown blocks to sanitised HTML."""
    out = RENDERER.html(md)
    # kramdown writes $$…$$ both for display math (alone in a paragraph) and inline.
    out = _DISPLAY_PARAGRAPH.sub(lambda m: "<p>\\[" + m.group(1).strip() + "\\]</p>", out)
    out = _MATH.sub(_math, out)
    if "[^" in out:
        out = _FOOTNOTE_REF.sub("", out)  # a footnote whose note is not in this fragment
    return sanitise(out).strip()


_FOOTNOTE_REF = re.compile(r"\[\^[\w-]{1,20}\]")
_TEXT_MATH = re.compile(r"\$\$(.+?)\$\$|(?<![\w$\\])\$(?=\S)([^$\n]+?)(?<=\S)\$(?![\w$])")


def text_with_math(plain: str) -> str:
    """Plain text (a heading, a trimmed sentence) as HTML, its `$…$` / `$$…$$` as Anki's math."""
    parts: list[str] = []
    last = 0
    for match in _TEXT_MATH.finditer(plain):
        parts.append(escape(plain[last : match.start()]))
        parts.append(escape(rf"\({(match.group(1) or match.group(2)).strip()}\)"))
        last = match.end()
    parts.append(escape(plain[last:]))
    return "".join(parts)


# What Markdown reads as the start of a block at the start of a line: "443." is an empty ordered
# list starting at 443, "# of users" a heading. Taken from a line after `A:` or `::`, it is text.
_BLOCK_START = re.compile(r"^(\d{1,9})([.)])(?=\s|$)|^(#{1,6})(?=\s|$)")


def as_text(md: str) -> str:
    """`md` with a block's start at its beginning escaped, so that it reads as the text it is."""
    return _BLOCK_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1) else "\\" + m.group(3), md)


@functools.lru_cache(maxsize=8192)
def inline(md: str) -> str:
    """Render one line of Markdown without the paragraph around it (a line's text: never a list or
    a heading). Cached: the rules ask for the same item or term more than once (is it a
    definition, a point, a setting…)."""
    out = block(as_text(md))
    match = _ONE_PARAGRAPH.match(out)
    return match.group(1) if match else out


def plain(md: str) -> str:
    """One line of Markdown as the text a reader sees."""
    return text(inline(md))


def escape(text: str) -> str:
    return html.escape(text, quote=False)


def cloze(number: int, fragment: str, hint: str = "") -> str:
    """`{{cN::fragment}}` (or `{{cN::fragment::hint}}`), with what would end it early defused."""
    fragment, hint = (part.replace("}}", "} }").replace("::", ":&#58;") for part in (fragment, hint))
    return f"{{{{c{number}::{fragment}{'::' + hint if hint else ''}}}}}"


def enumeration(prompt: str, items: Sequence[str], span: tuple[int, int, int] | None = None) -> str:
    """A list asked as clozes under its prompt, a cloze an item (numbered from 1). `span` (first,
    last, total) places a part of a longer list: its prompt says which items it holds ("(5–8 /
    8)"), and it is numbered as in the whole list when its items follow one another."""
    body = "".join(f"<li>{cloze(n, item)}</li>" for n, item in enumerate(items, start=1))
    if span is None:
        return f'<div class="fg-header">{prompt}</div><ul class="fg-enum">{body}</ul>'
    first, last, total = span
    title = f'<div class="fg-header">{prompt} ({first}–{last} / {total})</div>'
    if last - first + 1 == len(items):
        return f'{title}<ol class="fg-enum" start="{first}">{body}</ol>'
    return f'{title}<ul class="fg-enum">{body}</ul>'


_ENUMERATION = re.compile(
    r'^<div class="fg-header">(?P<prompt>.*?)(?: \(\d+–\d+ / \d+\))?</div><(?P<tag>ol|ul) class="fg-enum"'
    r'(?: start="\d+")?>(?P<items>(?:<li>\{\{c\d+::.*?\}\}</li>)+)</(?P=tag)>(?P<after>.*)$',
    re.DOTALL,
)
_ITEM = re.compile(r"<li>\{\{c\d+::(.*?)\}\}</li>", re.DOTALL)


def read_enumeration(front: str) -> tuple[str, list[str], str] | None:
    """What `enumeration` wrote: (the prompt, the items, what follows the list), or None."""
    match = _ENUMERATION.match(front)
    if match is None:
        return None
    return match.group("prompt"), _ITEM.findall(match.group("items")), match.group("after")


def text(fragment: str) -> str:
    """The visible text of an HTML fragment (for `show`, tests and checks)."""
    if "<" not in fragment and "&" not in fragment:
        return " ".join(fragment.split())  # no tag, no entity: only the spaces to even out
    spaced = _BLOCK_TAGS.sub(" ", fragment)
    return " ".join(html.unescape(_TAGS.sub("", spaced)).split())
