"""`flashgen preview`: every card of a build, front and back as Anki renders it, on one page
that works offline, to read before importing.

Each card is rendered here from the deck's own note types (their templates and CSS), the way
Anki's engine renders a card (`card.question()`, `card.answer()`; tests/test_preview.py compares
the two). Then, for the page only, formulas are typeset as MathML (Anki leaves `\\(…\\)` to MathJax
in its reviewer; a browser shows MathML itself, with nothing to fetch) and images point at copies
beside the page.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element

import genanki

from flashgen.model import Deck, Note
from flashgen.read.media import packed_bytes
from flashgen.write import anki, state
from flashgen.write.package import deck_filename, state_path_for

Status = str  # "new", "changed", "removed" or "unchanged", against the last build's state file


@dataclass(frozen=True, slots=True)
class Card:
    """One card of a note: its number (a cloze's; else its template's, 2 for a reverse card) and its
    two sides as Anki shows them."""

    note: Note
    ordinal: int
    question: str  # `<style>…</style>` and the front template, rendered
    answer: str
    status: Status = "unchanged"


# ── Anki's rendering of our templates ──

_SECTION = re.compile(r"\{\{#(\w+)\}\}(.*?)\{\{/\1\}\}", re.DOTALL)
_FIELD = re.compile(r"\{\{(?:(cloze):)?(\w+)\}\}")
_CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)


def render(template: str, fields: dict[str, str], ordinal: int, *, answer: bool, front: str = "") -> str:
    """A template filled as Anki fills it: `{{#F}}…{{/F}}` kept when F is not empty,
    `{{FrontSide}}`, `{{F}}` and `{{cloze:F}}` (the card's own cloze asked, or shown on the back;
    the others shown as they are)."""

    def section(match: re.Match[str]) -> str:
        return match.group(2) if fields.get(match.group(1), "").strip() else ""

    def field(match: re.Match[str]) -> str:
        name = match.group(2)
        if name == "FrontSide":
            return front
        text = fields.get(name, "")
        return _cloze(text, ordinal, answer=answer) if match.group(1) else text

    return _FIELD.sub(field, _SECTION.sub(section, template))


def _cloze(text: str, ordinal: int, *, answer: bool) -> str:
    def one(match: re.Match[str]) -> str:
        number, content, hint = int(match.group(1)), match.group(2), match.group(3)
        if number != ordinal:
            return f'<span class="cloze-inactive" data-ordinal="{number}">{content}</span>'
        if answer:
            return f'<span class="cloze" data-ordinal="{number}">{content}</span>'
        asked = f"[{hint}]" if hint else "[...]"
        return (
            f'<span class="cloze" data-cloze="{_attribute(content)}" data-ordinal="{number}">{asked}</span>'
        )

    return _CLOZE.sub(one, text)


_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&#x27;", '"': "&quot;"}


def _attribute(text: str) -> str:
    """Text in an attribute, escaped as Anki escapes a cloze's answer (the htmlescape crate's
    `encode_attribute`): `<>&'"` by name, every other character below 256 but an ASCII letter or
    digit as `&#xHH;`, the rest as it is."""
    return "".join(
        _ENTITIES.get(c) or (f"&#x{ord(c):02X};" if ord(c) < 256 and not (c.isascii() and c.isalnum()) else c)
        for c in text
    )


@functools.cache
def _note_types(extra_css: str, reverse: bool = False) -> tuple[genanki.Model, genanki.Model]:
    return anki.note_types(extra_css, reverse)


def cards(note: Note, extra_css: str = "") -> list[Card]:
    """The cards Anki makes of `note`: one for a basic note (two with its reverse card), one per
    cloze number for a cloze."""
    reverse = bool(note.reverse)
    basic, cloze = _note_types(extra_css, reverse)
    model = cloze if note.cloze else basic
    fields = dict(zip([f["name"] for f in model.fields], anki.note_fields(note, reverse), strict=True))
    if note.cloze:
        asked = [(model.templates[0], n) for n in sorted({int(n) for n, _, _ in _CLOZE.findall(note.front)})]
    else:
        asked = [(template, number) for number, template in enumerate(model.templates, 1)]
    style = f"<style>{model.css}</style>"
    made = []
    for template, ordinal in asked:
        question = render(template["qfmt"], fields, ordinal, answer=False)
        answer = render(template["afmt"], fields, ordinal, answer=True, front=question)
        made.append(Card(note, ordinal, style + question, style + answer))
    return made


# ── The page ──


def preview(
    deck: Deck, output: Path, page: Path, extra_css: str = "", media_cache: Path | None = None
) -> int:
    """Write the page for `deck` to `page` (its images in a folder beside it, re-encoded ones
    taken from `media_cache` when a build left them there), each card marked new, changed,
    removed or unchanged against the state file in `output`; returns the number of cards."""
    notes, status = statuses(deck, output, extra_css)
    media = page.with_name(page.stem + "-media")
    media.mkdir(parents=True, exist_ok=True)
    for name, path in sorted({m for note in notes for m in note.media}):
        data = packed_bytes(name, path, media_cache)
        (media / name).write_bytes(data if isinstance(data, bytes) else data.read_bytes())
    shown = [
        Card(c.note, c.ordinal, c.question, c.answer, status.get(c.note.guid, "unchanged"))
        for note in notes
        for c in cards(note, extra_css)
    ]
    css = _note_types(extra_css)[0].css
    page.write_text(_page(deck.name, shown, css, media.name), encoding="utf-8")
    return len(shown)


def statuses(deck: Deck, output: Path, extra_css: str = "") -> tuple[tuple[Note, ...], dict[str, Status]]:
    """The deck's notes as a build would write them (the ids of lists and edited notes kept from
    the state file in `output`, removed ones shipped once more), and each one's status against
    that state file: "new", "changed" or "removed" (the others are unchanged)."""
    previous = state.load(state_path_for(output / deck_filename(deck.name)))
    notes = state.keep_identity(state.keep_list_parts(deck.notes, previous), previous)
    reverse = state.reversible(notes, previous)
    stamped = state.stamp(
        notes, anki.note_type_hashes(extra_css, reverse), previous, clock=0, reverse=reverse
    )
    status: dict[str, Status] = {n.guid: "new" for n in stamped.changes.new}
    status |= {n.guid: "changed" for n in stamped.changes.changed}
    status |= {n.guid: "removed" for n in stamped.changes.removed}
    return stamped.notes, status


def _which(card: Card) -> str:
    """Which of its note's cards a card is, when the note has more than one."""
    if card.note.cloze:
        return f" · card {card.ordinal}"
    return " · reverse" if card.ordinal > 1 else ""


_LINK = re.compile(r'<a href="(https?://[^"]+)"')
_IMG = re.compile(r'(<img\b[^>]*?\bsrc=")([^"/:]+)(")', re.IGNORECASE)
_MATH = re.compile(r"\\\((.+?)\\\)|\\\[(.+?)\\\]", re.DOTALL)


def for_page(side: str, media: str) -> str:
    """A side as the page shows it: without its `<style>` (the page has it once), formulas as
    MathML, images from the folder beside the page, loaded when scrolled to."""
    body = side[side.index("</style>") + len("</style>") :] if side.startswith("<style>") else side
    body = _IMG.sub(lambda m: f'{m.group(1)}{media}/{m.group(2)}{m.group(3)} loading="lazy"', body)
    return _MATH.sub(_mathml, _TAG.sub(_backslashes_as_references, body))


# A start tag as the sanitiser writes it (values in double quotes, `<` in text always `&lt;`).
_TAG = re.compile(r'<[A-Za-z][^<>"]*(?:"[^"]*"[^<>"]*)*>')
_QUOTED = re.compile(r'"[^"]*"')


def _backslashes_as_references(tag: re.Match[str]) -> str:
    """A tag whose attribute values say `\\` as `&#92;`: the same value to the browser, but no
    `\\(…\\)` for the formula pattern to find inside an attribute (its MathML, with quotes of its
    own, would end the attribute there: `title="&#92;(x&#92;)"` is a post's to write)."""
    text = tag.group(0)
    if "\\" not in text:
        return text
    return _QUOTED.sub(lambda value: value.group(0).replace("\\", "&#92;"), text)


def _mathml(match: re.Match[str]) -> str:
    inline = match.group(1) is not None
    return _converted(html.unescape(match.group(1) if inline else match.group(2)), inline)


_LINE_SPACING = re.compile(r"\\\\\s*\[[^\]]*\]")


@functools.lru_cache(maxsize=4096)
def _converted(tex: str, inline: bool) -> str:
    """A formula as MathML (one formula is often on many cards: a list's cloze cards)."""
    from latex2mathml.converter import convert_to_element

    tex = _LINE_SPACING.sub(r"\\\\", tex)  # `\\[6pt]`: the converter knows the line break, not its spacing
    try:
        return _markup(convert_to_element(tex, display="inline" if inline else "block"))
    except Exception:  # a formula the converter cannot read (or we do not show): shown as TeX, not lost
        return f'<code class="fg-tex">{html.escape(tex)}</code>'


# What the page lets through of the converter's MathML: presentation elements and attributes.
# Left out: `href` (`\\href{javascript:…}`), `style` and `class` (`\\style`, `\\class`: the
# page's own look), and the elements that would take HTML or fetch (annotation-xml, mglyph).
_MATHML_TAGS = frozenset(
    """
    math menclose merror mfenced mfrac mi mmultiscripts mn mo mover mpadded mphantom mprescripts
    mroot mrow ms mspace msqrt mstyle msub msubsup msup mtable mtd mtext mtr munder munderover none
    """.split()  # noqa: SIM905 (a list of words, read as one)
)
_MATHML_ATTRIBUTES = frozenset(
    """
    accent accentunder close columnalign columnlines columnspacing columnspan depth dir display
    displaystyle fence form frame height largeop linebreak linethickness lspace mathbackground
    mathcolor mathsize mathvariant maxsize minsize movablelimits notation open rowalign rowlines
    rowspacing rowspan rspace scriptlevel separator separators stretchy symmetric voffset width xmlns
    """.split()  # noqa: SIM905 (a list of words, read as one)
)
# The converter writes some characters as references (`&#x0003C;` for `<`): kept; any other `&`
# is the post's own text.
_BARE_AMPERSAND = re.compile(r"&(?!#[xX][0-9A-Fa-f]+;|#[0-9]+;|[A-Za-z][A-Za-z0-9]*;)")


class _NotShown(ValueError):
    """An element the page does not show: the formula is shown as its TeX instead."""


def _markup(element: Element) -> str:
    """The converter's tree as MathML, written here rather than by latex2mathml's `convert`:
    that one unescapes its whole output, so a post's `\\text{<script>…}` came out as markup.
    Here text is always text, and only allowed elements and attributes are written."""
    if element.tag not in _MATHML_TAGS:
        raise _NotShown(element.tag)
    attributes = "".join(
        f' {name}="{_escaped(value, quote=True)}"'
        for name, value in element.attrib.items()
        if name in _MATHML_ATTRIBUTES
    )
    if not element.text and not len(element):
        return f"<{element.tag}{attributes} />"  # as ElementTree writes an empty element
    inner = _escaped(element.text or "") + "".join(
        _markup(child) + _escaped(child.tail or "") for child in element
    )
    return f"<{element.tag}{attributes}>{inner}</{element.tag}>"


def _escaped(text: str, *, quote: bool = False) -> str:
    text = _BARE_AMPERSAND.sub("&amp;", text).replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if quote else text


def _page(title: str, shown: Sequence[Card], css: str, media: str) -> str:
    posts = sorted({c.note.origin for c in shown})
    kinds = sorted({str(c.note.kind) for c in shown})
    tags = sorted({t for c in shown for t in c.note.tags})
    items = "\n".join(_card(c, media) for c in shown)
    options: dict[str, list[str]] = {
        "post": posts,
        "kind": kinds,
        "tag": tags,
        "status": ["new", "changed", "removed", "unchanged"],
    }
    selects = "".join(
        f'<label>{name} <select data-filter="{name}"><option value="">all</option>'
        + "".join(f'<option value="{html.escape(v)}">{html.escape(v)}</option>' for v in values)
        + "</select></label>"
        for name, values in options.items()
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}: {len(shown)} cards</title>
<style>{css}</style>
<style>{_PAGE_CSS}</style>
</head><body>
<header class="fg-bar"><strong>{html.escape(title)}</strong> <span id="fg-count">{len(shown)} cards</span>
<input type="search" id="fg-search" placeholder="search"> {selects}
<button type="button" id="fg-night">night</button></header>
<main>
{items}
</main>
<script>{_SCRIPT}</script>
</body></html>
"""


def _card(card: Card, media: str) -> str:
    note = card.note
    data = {
        "post": note.origin,
        "kind": note.kind,
        "tag": " ".join(note.tags),
        "status": card.status,
    }
    attributes = " ".join(f'data-{k}="{html.escape(v)}"' for k, v in data.items())
    ignore = f'ignore = ["{note.guid}"]'
    where = html.escape(f"{note.origin}:{note.ref.line}")
    if link := _LINK.search(note.source):  # the published post, where its URL is known
        where = f'<a href="{link.group(1)}">{where}</a>'
    return f"""<article class="fg-item" {attributes}>
<div class="fg-meta"><span class="fg-status fg-{card.status}">{card.status}</span>
<span>{html.escape(note.kind)}{_which(card)}</span>
<span>{where}</span> <code>{html.escape(note.guid)}</code>
<button type="button" class="fg-copy" data-copy="{html.escape(ignore)}">copy ignore line</button></div>
<div class="fg-sides">
{_side("front", card.question, media)}
{_side("back", card.answer, media)}
</div></article>"""


def _side(which: str, side: str, media: str) -> str:
    return (
        f'<div class="fg-side"><div class="fg-label">{which}</div>'
        f'<div class="card fg-{which}">{for_page(side, media)}</div></div>'
    )


_PAGE_CSS = """
body { margin: 0; background: #f2f2f5; font-family: -apple-system, "Segoe UI", Roboto, sans-serif; }
body.night_mode { background: #111; color: #e5e5e7; }
.fg-bar { position: sticky; top: 0; z-index: 1; display: flex; flex-wrap: wrap; gap: 0.4em;
  align-items: center; padding: 0.5em; background: inherit; border-bottom: 1px solid #ccc; font-size: 14px; }
.fg-bar input, .fg-bar select { max-width: 10em; }
main { padding: 0.5em; }
.fg-item { margin: 0 0 1em; padding: 0.5em; border: 1px solid rgba(127, 127, 127, 0.35); border-radius: 8px;
  content-visibility: auto; contain-intrinsic-size: auto 320px; }  /* laid out when scrolled to */
.fg-meta { display: flex; flex-wrap: wrap; gap: 0.5em; font-size: 12px; color: #6e6e73; margin-bottom: 0.4em;
  overflow-wrap: anywhere; }
.fg-status { font-weight: 700; }
.fg-new { color: #1a7f37; } .fg-changed { color: #9a6700; } .fg-removed { color: #cf222e; }
.fg-sides { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 0.5em; }
@media (max-width: 700px) { .fg-sides { grid-template-columns: minmax(0, 1fr); } }
.fg-side { min-width: 0; }
.fg-label { font-size: 11px; text-transform: uppercase; color: #8e8e93; }
.fg-side .card { max-width: none; overflow-x: auto; border-radius: 6px; }
.fg-item[hidden] { display: none; }
math[display="block"] { display: block; overflow-x: auto; max-width: 100%; }
"""

_SCRIPT = """
const items = [...document.querySelectorAll(".fg-item")];
const search = document.getElementById("fg-search");
const filters = [...document.querySelectorAll("[data-filter]")];
function apply() {
  const words = search.value.toLowerCase().split(/\\s+/).filter(Boolean);
  let shown = 0;
  for (const item of items) {
    let keep = words.every((w) => item.textContent.toLowerCase().includes(w));
    for (const f of filters) {
      const want = f.value, have = item.dataset[f.dataset.filter] || "";
      const tag = f.dataset.filter === "tag";
      if (want && !(tag ? have.split(" ").includes(want) : have === want)) keep = false;
    }
    item.hidden = !keep;
    shown += keep ? 1 : 0;
  }
  document.getElementById("fg-count").textContent = shown + " of " + items.length + " cards";
}
search.addEventListener("input", apply);
filters.forEach((f) => f.addEventListener("change", apply));
function night(on) {
  document.body.classList.toggle("night_mode", on);
  document.querySelectorAll(".card").forEach((c) => c.classList.toggle("nightMode", on));
}
document.getElementById("fg-night").addEventListener("click", () =>
  night(!document.body.classList.contains("night_mode")));
if (location.hash === "#night") night(true);
document.querySelectorAll(".fg-copy").forEach((b) => b.addEventListener("click", () => {
  if (navigator.clipboard) navigator.clipboard.writeText(b.dataset.copy).catch(() => {});
}));
"""

__all__ = ["Card", "cards", "preview", "render"]
