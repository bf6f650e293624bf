"""Markdown fragment → card HTML: rendered by the same parser, math in Anki's delimiters, sanitised."""

from __future__ import annotations

import html
import re

import nh3

from flashgen.markdown import PARSER

_MATH = re.compile(r'<span class="math math-(inline|display)">(.*?)</span>', re.DOTALL)
_ONE_PARAGRAPH = re.compile(r"\A<p>(.*)</p>\Z", re.DOTALL)
_TAGS = re.compile(r"<[^>]+>")

# nh3's allow-list (no script, iframe, object, event handlers or javascript: URLs), plus the
# classes our own templates style.
_ATTRIBUTES = {tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()}
for _tag in ("code", "pre", "span", "div"):
    _ATTRIBUTES.setdefault(_tag, set()).add("class")


def _math(match: re.Match[str]) -> str:
    body = match.group(2).strip()
    return rf"\({body}\)" if match.group(1) == "inline" else rf"\[{body}\]"


def sanitise(fragment: str) -> str:
    return nh3.clean(fragment, attributes=_ATTRIBUTES, link_rel="noopener noreferrer")


def block(md: str) -> str:
    """Render Markdown blocks to sanitised HTML."""
    out = PARSER.html(md)
    return sanitise(_MATH.sub(_math, out)).strip()


def inline(md: str) -> str:
    """Render one line of Markdown without the paragraph around it."""
    out = block(md)
    match = _ONE_PARAGRAPH.match(out)
    return match.group(1) if match else out


def escape(text: str) -> str:
    return html.escape(text, quote=False)


def cloze(number: int, fragment: str) -> str:
    """`{{cN::fragment}}`, with what would end the cloze early defused."""
    fragment = fragment.replace("}}", "} }").replace("::", ":&#58;")
    return f"{{{{c{number}::{fragment}}}}}"


def text(fragment: str) -> str:
    """The visible text of an HTML fragment (for `show`, tests and checks)."""
    return " ".join(html.unescape(_TAGS.sub(" ", fragment)).split())
