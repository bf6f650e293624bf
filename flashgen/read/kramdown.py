"""Jekyll leftovers in a post's Markdown (kramdown and Liquid), cleaned before parsing.

Every replacement keeps the number of lines, so line numbers in errors and notes stay true.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_RAW = re.compile(r"\{%-?\s*(?:end)?raw\s*-?%\}")
_HIGHLIGHT = re.compile(r"^\s*\{%-?\s*highlight\s+([\w+#.-]+)[^%]*-?%\}\s*$")
_END_HIGHLIGHT = re.compile(r"^\s*\{%-?\s*endhighlight\s*-?%\}\s*$")
_LIQUID_TAG = re.compile(r"\{%-?.*?-?%\}")
# kramdown inline attribute lists: `{: .notice}`, `{:width="75%"}`, `{:.class #id}`.
_IAL = re.compile(r"\{:[^}\n]*\}")
# Liquid that only builds a site URL: reduce it to the site-root path it names.
_SITE_VAR = re.compile(r"\{\{-?\s*site\.(?:baseurl|url)\s*-?\}\}")
_URL_FILTER = re.compile(
    r"\{\{-?\s*(['\"])(?P<path>[^'\"]*)\1\s*\|\s*(?:relative_url|absolute_url|prepend:\s*site\.(?:baseurl|url))"
    r"[^}]*-?\}\}"
)
_COMMENT_OPEN = re.compile(r"\{%-?\s*comment\s*-?%\}")
_COMMENT_CLOSE = re.compile(r"\{%-?\s*endcomment\s*-?%\}")


def _outside_comment(line: str, hidden: bool) -> tuple[str, bool, str]:
    """The text of `line` before a Liquid comment opens, whether a comment is still open at its
    end, and the text after the comment closes on this line ("" when it does not)."""
    before = ""
    if not hidden:
        opening = _COMMENT_OPEN.search(line)
        if opening is None:
            return line, False, ""
        before, line = line[: opening.start()], line[opening.end() :]
    closing = _COMMENT_CLOSE.search(line)
    if closing is None:
        return before, True, ""
    return before, False, line[closing.end() :]


# A line that only opens or closes a box: `<div class="summary">`, `</div>`.
_CONTAINER = re.compile(r"^\s*</?(?:div|section|aside)\b[^>]*>\s*$", re.IGNORECASE)
# `{{ page.paper_ref }}`: a front matter value the layout prints.
_PAGE_VAR = re.compile(r"\{\{-?\s*page\.(\w+)\s*-?\}\}")


def _scalar(value: object) -> str:
    """A front matter value as the text Liquid prints (a list or mapping prints nothing here)."""
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return " ".join(str(value).split())
    return ""


# LaTeX delimiters that CommonMark would eat as backslash escapes: \( \) \[ \]
_PAREN_MATH = re.compile(r"\\\((.+?)\\\)", re.DOTALL)
_BRACKET_MATH = re.compile(r"\\\[(.+?)\\\]", re.DOTALL)
_ENVIRONMENT = re.compile(r"(?<!\$)(\\begin\{(\w+\*?)\}.*?\\end\{\2\})(?!\$)", re.DOTALL)
CODE_SPAN = re.compile(r"(`+)(?:.+?)\1", re.DOTALL)  # an inline code span
# kramdown reads `#Title` as a heading; CommonMark wants a space after the hashes.
_ATX_NO_SPACE = re.compile(r"^(#{1,6})(?=[^\s#])")


def preprocess(body: str, page: Mapping[str, object] | None = None) -> tuple[str, list[tuple[int, str]]]:
    """Clean kramdown/Liquid syntax out of `body`; returns it and warnings (line, message).
    `{{ page.KEY }}` becomes the front matter's value of KEY (a paper's reference, say), or nothing."""
    warnings: list[tuple[int, str]] = []
    out: list[str] = []
    fence: str | None = None
    raw = False
    hidden = False  # inside {% comment %} … {% endcomment %}: the site never shows it
    for number, line in enumerate(body.split("\n"), start=1):
        if hidden or (fence is None and "{%" in line and _COMMENT_OPEN.search(line)):
            before, hidden, after = _outside_comment(line, hidden)
            if before.strip() or after.strip():
                line = before + after  # text around a one-line comment stays
            else:
                out.append("")
                continue
        if fence is None and (highlight := _HIGHLIGHT.match(line)):
            out.append("```" + highlight.group(1))
            fence = "```"
            continue
        if fence == "```" and _END_HIGHLIGHT.match(line):
            out.append("```")
            fence = None
            continue
        if _FENCE.match(line):
            fence = after_fence_line(line, fence)
            out.append(line)
            continue
        if fence is None and "<" in line and _CONTAINER.match(line):
            # `<div class="summary">` and `</div>` alone on their lines: the text between them is
            # Markdown a theme boxes, not HTML (a review's summary, a note).
            out.append("")
            continue
        if fence is None and "**" in line:
            line = _cjk_bold(line)
        if fence is not None or ("{" not in line and not line.startswith("#")):
            out.append(line)  # code, or a line with nothing of kramdown's or Liquid's in it
            continue
        clean = functools.partial(_clean_line, number=number, warnings=warnings, page=page or {})
        cleaned, raw = _outside_raw(line, raw, clean)
        out.append(cleaned)
    text = "\n".join(out)
    return _math(text), warnings


# `**선형결합(linear combination)**입니다`: CommonMark will not close emphasis after punctuation
# when a letter follows, which Korean particles always do; kramdown (and the author) meant bold.
_CJK_BOLD = re.compile(r"\*\*(?=\S)([^*\n]*?\S)\*\*(?=[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7a3])")


def _cjk_bold(line: str) -> str:
    """Bold before a CJK letter as <strong> (outside code spans), which CommonMark keeps."""
    parts: list[str] = []
    last = 0
    for span in CODE_SPAN.finditer(line):
        parts.append(_CJK_BOLD.sub(r"<strong>\1</strong>", line[last : span.start()]))
        parts.append(span.group(0))
        last = span.end()
    parts.append(_CJK_BOLD.sub(r"<strong>\1</strong>", line[last:]))
    return "".join(parts)


def after_fence_line(line: str, fence: str | None) -> str | None:
    """The open code fence after a fence line: it opens one, or closes the one that is open."""
    match = _FENCE.match(line)
    if match is None:
        return fence
    marker = match.group(1)
    if fence is None:
        return marker
    return None if marker.startswith(fence[0]) and len(marker) >= len(fence) else fence


def _outside_raw(line: str, raw: bool, clean: Callable[[str], str]) -> tuple[str, bool]:
    """Clean the parts of `line` outside `{% raw %}…{% endraw %}`; drop the tags themselves."""
    parts: list[str] = []
    position = 0
    for tag in _RAW.finditer(line):
        piece = line[position : tag.start()]
        parts.append(piece if raw else clean(piece))
        raw = "endraw" not in tag.group(0)
        position = tag.end()
    rest = line[position:]
    parts.append(rest if raw else clean(rest))
    return "".join(parts), raw


def _clean_line(
    line: str, *, number: int, warnings: list[tuple[int, str]], page: Mapping[str, object]
) -> str:
    # Each pattern only where its opening can be: most lines here hold a formula's `{`, nothing else.
    if line.startswith("#"):
        line = _ATX_NO_SPACE.sub(r"\1 ", line)
    if "{{" in line:
        line = _URL_FILTER.sub(lambda m: m.group("path"), line)
        line = _SITE_VAR.sub("", line)
        line = _PAGE_VAR.sub(lambda m: _scalar(page.get(m.group(1))), line)
    if "{:" in line:
        line = _IAL.sub("", line)
    if "{%" not in line:
        return line

    def drop(match: re.Match[str]) -> str:
        warnings.append((number, f"Liquid tag {match.group(0)!r} is not supported; left out"))
        return ""

    return _LIQUID_TAG.sub(drop, line)


def _math(text: str) -> str:
    """Turn \\( \\) and \\[ \\] and bare environments into $ delimiters, outside code."""
    pieces: list[str] = []
    fence: str | None = None
    block: list[str] = []

    def flush() -> None:
        if block:
            pieces.append(_math_outside_code_spans("\n".join(block)))
            block.clear()

    for line in text.split("\n"):
        opening = _FENCE.match(line)
        if fence is None and not opening and not line.startswith(("    ", "\t")):
            block.append(line)
            continue
        flush()
        if opening:
            fence = after_fence_line(line, fence)
        pieces.append(line)
    flush()
    return "\n".join(pieces)


def _math_outside_code_spans(text: str) -> str:
    return outside(CODE_SPAN, text, _delimiters)


def outside(spans: re.Pattern[str], text: str, change: Callable[[str], str]) -> str:
    """`text` with `change` applied to the parts between the matches of `spans`, which stay."""
    parts: list[str] = []
    last = 0
    for span in spans.finditer(text):
        parts.append(change(text[last : span.start()]))
        parts.append(span.group(0))
        last = span.end()
    parts.append(change(text[last:]))
    return "".join(parts)


def _delimiters(text: str) -> str:
    text = _PAREN_MATH.sub(lambda m: "$" + m.group(1).strip() + "$", text)
    text = _BRACKET_MATH.sub(lambda m: "$$" + m.group(1) + "$$", text)
    # A bare environment becomes display math, unless it is in display math already ("$$" /
    # "\begin{align} … \end{align}" / "$$"): wrapped again, its "$$" closed the formula early, and a
    # "=" line in it became a setext heading's underline.
    outside = _DISPLAY_MATH.split(text)  # the text between formulas; the formulas stay as they are
    formulas = [*_DISPLAY_MATH.findall(text), ""]
    return "".join(
        _ENVIRONMENT.sub(lambda m: "$$" + m.group(1) + "$$", piece) + formula
        for piece, formula in zip(outside, formulas, strict=True)
    )


_DISPLAY_MATH = re.compile(r"\$\$.+?\$\$", re.DOTALL)
