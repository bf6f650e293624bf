"""What every extraction rule shares: the rule signature, what a rule may know, note making."""

from __future__ import annotations

import base64
import hashlib
import html
import re
import sys
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, replace

from flashgen import phrasing
from flashgen.extract.shapes import SENTENCE_END, shortened
from flashgen.model import Block, Inline, ListBlock, Note, NoteKind, Paragraph, Post, Section, SourceRef
from flashgen.read import render
from flashgen.read.site import is_web_url
from flashgen.settings import Limits

CONTEXT_SEPARATOR = " › "


@dataclass(frozen=True, slots=True)
class PaperRef:
    """A paper the post links somewhere: its id, link, the title it is given, other details."""

    pid: str  # "arXiv:1706.03762"
    url: str
    title: str  # "" when the link gives none
    details: tuple[str, ...] = ()  # a table row's other cells, "Time: 10:20 - 11:00"


@dataclass(frozen=True, slots=True)
class PostContext:
    """What a rule may know of the whole post beside the section it reads."""

    post: Post
    sections: tuple[Section, ...]
    papers: Mapping[str, PaperRef]  # every paper linked in the post's tables and lists, by id
    paper_titles: Mapping[str, str]  # casefolded title → paper id, for headings that only name one
    post_paper: PaperRef | None  # the paper a whole post is about, when it is about one
    limits: Limits
    skipped_post: str | None = None  # why the whole post is no study material (contest, setup), if it is not
    vague_terms: bool = False  # make definitions of plain words whose subject nothing names


@dataclass(frozen=True, slots=True)
class Found:
    """What a rule made of a section: notes, and what is left of the section for the later rules
    (None: the section is settled). Notices say what was left out and why (shown with --verbose);
    warnings are problems the author should fix."""

    notes: tuple[Note, ...] = ()
    rest: Section | None = None
    notices: tuple[tuple[int, str], ...] = ()
    warnings: tuple[tuple[int, str], ...] = ()


# A rule reads one section. It returns None when nothing in the section is its kind (the next rule
# then reads all of it), or what it Found.
Rule = Callable[[Section, PostContext], "Found | None"]


def with_blocks(section: Section, blocks: Collection[Block]) -> Section:
    """`section` holding only `blocks` (what a rule left of it); its Markdown follows them."""
    kept = tuple(blocks)
    return replace(section, blocks=kept, md="\n\n".join(block.md for block in kept))


def fits(html: str, limits: Limits) -> bool:
    return len(render.text(html)) <= limits.max_answer_chars


# Lines around a summary that are not part of it: a reviewer's rating, a figure's bracketed caption,
# a "code" / "demo" / "slides" label.
_NOISE = re.compile(
    r"^(?:rating|ratings|score|평점)\s*[:：].{0,60}$|^\[[^\]]{1,80}\]$|^\([^)]{1,80}\)$|"
    r"^(?:demo\s*code|code|official\s*code|slides?|video|코드|데모|발표\s*자료|영상)\s*[:：]?.{0,80}$|"
    r"^(?:fig(?:ure)?\.?|table|그림|표)\s*\d+\s*[.:]\s.{0,300}$|"
    r"^(?:authors?|저자|paper|논문|original\s+paper|link|링크)\s*[:：].{0,300}$|"  # a byline, a link line
    r"^(?:참고\s*(?:글|자료|링크|문헌)?|출처|references?|sources?)\s*[:：]?\s*(?:https?://\S+|\[[^\]]*\]\([^)]*\))\s*$|"
    r"^[^가-힣]{0,200}\bet\s+al\b[^가-힣]{0,200}(?:19|20)\d\d[^가-힣]{0,60}$|"  # a citation
    # a reference: "Lim, K., Lee, J. Y., … (2020, April). Semi-Supervised …"
    r"^(?-i:[A-Z][\w'’-]+,\s+(?:(?:[A-Z]\.\s?)+|[A-Z][a-z]+(?:\s[A-Z]\.)?),)[^가-힣]{0,400}?(?:19|20)\d\d[^가-힣]{0,300}$|"
    # a date and a venue
    r"^(?:19|20)\d\d\s*년(?:\s*\d{1,2}\s*월)?[^.。]{0,40}$|^(?:19|20)\d\d[./-]\d{1,2}\b[^.。]{0,40}$|"
    r"^(?:github|깃허브|homepage|홈페이지|project\s*(?:page|webpage)|website|arxiv)\s*[:：].{0,300}$|"
    # a byline: names or affiliations, comma-separated ("Mike Lewis, Yinhan Liu, Naman Goyal et al.")
    r"^(?-i:(?:[A-Z][\w.&'’-]*(?:\s+(?:of|de|and|&)?\s*[A-Z][\w.&'’-]*)*\s*,\s*)+"
    r"[A-Z][\w.&'’-]*(?:\s+(?:of|de|and|&)?\s*[A-Z][\w.&'’-]*)*(?:\s+et\s+al\.?)?)\s*$|"
    # an affiliation alone: "Google Research", "Microsoft Research Asia", "Google Inc."
    r"^(?-i:(?:[A-Z][\w&'’-]*\s+){0,3}(?:Research|Inc\.?|University|Institute|Labs?|AI|Brain)(?:\s+[A-Z][\w&'’-]*){0,2})\s*$",
    re.IGNORECASE,
)


def summary(
    blocks: Collection[Block], limits: Limits, brief: bool = False, idea: bool = False
) -> tuple[str, str]:
    """Blocks as an answer within the limit, and what did not fit (for the Extra field): a summary
    is shortened at a block, item or sentence boundary, never dropped for its length. A `brief`
    answer (a part of a paper) gets half the room, and starts with words, not a formula. When
    what a paper is about (`idea`) must be shortened, it starts at the paragraph that says what
    the paper proposes, not at the background before it."""
    rendered = [html for html in map(_summary_block, blocks) if html]
    if idea:
        # "들어가기 전에 DCGAN을 알고 계시는 편을 추천합니다", "안녕하세요, 오늘 리뷰할 논문은 …": the
        # review's preamble, not what the paper is about.
        while rendered and _PREAMBLE.search(render.text(rendered[0])):
            rendered = rendered[1:]
    if idea and len(render.text("\n".join(rendered))) > _idea_room(limits):
        # Too long to answer whole: it starts at what the paper does, in a review written as bullets
        # too ("* When networks are trained on images, … * The paper studies the transition of …").
        blocks = [_proposing_first(block) if isinstance(block, ListBlock) else block for block in blocks]
        rendered = [html for html in map(_summary_block, blocks) if html]
    # A figure alone in its paragraph has no words to answer with: it goes to Extra, after what
    # did not fit, so the card still shows it (an answer's length counts words, not pictures).
    figures = [html for html in rendered if _FIGURE.search(html) and not render.text(html)]
    if figures:
        rendered = [html for html in rendered if html not in figures]
        answer, rest = summary_of(rendered, limits, brief, idea)
        return answer, "\n".join(part for part in (rest, *figures) if part)
    return summary_of(rendered, limits, brief, idea)


def _idea_room(limits: Limits) -> int:
    """The room of what a paper is about: three fifths of an answer's. A whole abstract or
    introduction was judged too long to recall (about half of the paper cards over 450 characters
    kept, against four in five under 350); the rest is in Extra."""
    return limits.max_answer_chars * 3 // 5


def _proposing_first(block: ListBlock) -> ListBlock:
    """A review written as bullets, the point that says what the paper does moved first ("* When
    networks are trained on images, … * The paper studies the transition of …")."""
    at = next((i for i, item in enumerate(block.items) if _PROPOSES.search(item.inline.text)), 0)
    if at == 0 or _ASIDE.match(block.items[at].inline.text):
        return block
    items = (block.items[at], *block.items[:at], *block.items[at + 1 :])
    return replace(block, items=items)


def summary_of(rendered: list[str], limits: Limits, brief: bool, idea: bool) -> tuple[str, str]:
    """`summary` of blocks already rendered."""
    limit = limits.max_answer_chars // 2 if brief else _idea_room(limits) if idea else limits.max_answer_chars
    if idea and len(render.text("\n".join(rendered))) > limit:
        proposing = [
            i
            for i, html in enumerate(rendered)
            if _PROPOSES.search(text := render.text(html)) and not _ASIDE.match(text)
        ]
        if proposing and proposing[0] > 0:
            first = proposing[0]
            rendered = [rendered[first], *rendered[:first], *rendered[first + 1 :]]
    if brief:
        # "\[ … \]" then its explanation: the explanation first, the formula after it.
        words = [html for html in rendered if not _DISPLAY_MATH.match(html)]
        if words and _DISPLAY_MATH.match(rendered[0]):
            first = rendered.index(words[0])
            rendered = [words[0], *rendered[:first], *rendered[first + 1 :]]
    whole = "\n".join(rendered)
    if not rendered or len(render.text(whole)) <= limit:
        return whole, ""
    # "…with two main modifications:" and nothing after: what the colon announces belongs in the
    # answer, in the room a full answer has.
    return shortened(rendered, limit, room=limits.max_answer_chars)


_PREAMBLE = re.compile(
    r"^\W*(?:안녕하세요|들어가기\s*(?:전에|에\s*앞서)|이번\s*(?:글|포스팅|포스트|파트)에서는|"
    r"[^.。]{0,40}(?:리뷰해\s*오고|정리해\s*오고)|in\s+this\s+(?:post|article|blog)|today\s+(?:i|we)\b|hello\b|hi\b)"
    r"|(?:추천합니다|참조하세요|참고하세요|보고\s*오시면|읽고\s*오시면|(?:정리|소개|설명|리뷰)할\s*예정입니다|"
    r"알아보겠습니다|살펴보겠습니다|알아보도록\s*하겠습니다)[^.。]{0,20}[.。]?\s*$",
    re.IGNORECASE,
)
_DISPLAY_MATH = re.compile(r"^\s*<p>\s*\\\[")
_FIGURE = re.compile(r"<img\b", re.IGNORECASE)
# A paragraph about the author or a figure, even when it says "propose".
_ASIDE = re.compile(
    r"^\s*(?:제가|저는|저희|I\s|(?:위|아래)(?:의)?\s*(?:그림|표)|(?:the\s+)?(?:figure|table)\b)", re.I
)
# The sentence that says what a paper does: "we propose", "this paper introduces", "본 논문에서는
# …를 제안한다".
_PROPOSES = re.compile(
    r"\bwe\s+(?:propose|present|introduce)|\b(?:this|the)\s+(?:paper|work)\s+(?:proposes|presents|introduces|studies|"
    r"investigates|explores|describes|analy[sz]es|revisits)|"
    r"\b(?:is|are)\s+proposed\b|제안(?:한다|합니다|하였다|했다|했습니다|하였습니다|함|하는)|본\s*논문(?:에서는|은|에선)",
    re.IGNORECASE,
)


def _summary_block(block: Block) -> str:
    """A block of a summary as HTML, without its noise: rating lines, captions, link labels
    ("Demo Video"), and the narration that opens a section ("이번 섹션에선…", "In this post, I…")."""
    md = block.md
    if isinstance(block, ListBlock):
        md = "\n".join(_item_without_narration(item.md) for item in block.items if not _noise(item.inline))
    elif isinstance(block, Paragraph):
        if _noise(block.inline):
            return ""
        md = _without_narration(block.inline.md)
    html = render.block(md) if md.strip() else ""
    text = render.text(html)
    if not text:
        return html if _FIGURE.search(html) else ""
    return html if not _NOISE.match(text) else ""


_LINK_LABEL = re.compile(r"(?:^|\s)[^\s:：]{1,20}(?:\s+[^\s:：]{1,20}){0,3}\s*[:：]\s*(?:https?://\S+)?")


def _noise(inline: Inline) -> bool:
    text = inline.text.strip()
    if _NOISE.match(text) or (_NARRATION.match(text) and not SENTENCE_END.search(text)):
        return True
    rest = text
    for link in inline.links:
        rest = rest.replace(link.text, "", 1)
    # Only links, or labels and their links ("홈페이지: OpenAI  Tensorflow code: Official Code",
    # "Github: https://…"): where to find the paper, not what it says.
    rest = _LINK_LABEL.sub(" ", rest)
    return bool(inline.links) and len(rest.strip(" -–—:·|,()[]")) <= 3


# Sentences about the post, not the paper: they open a section or a summary and say nothing.
_NARRATION = re.compile(
    r"^(?:안녕하세요|이번\s*(?:포스팅|글|시간|섹션|절|장)|이\s*(?:글|포스팅|섹션|절|단원|장)에서(?:는)?|이\s*(?:글|포스팅|섹션|절|단원|장)에선|본\s*(?:글|포스팅|섹션|절|단원|장)에서(?:는)?|본\s*(?:글|포스팅|섹션|절|단원|장)에선|"
    r"note\s*:\s*this\s+(?:blog\s+)?post\b|\[?논문\s*원본\]?(?:\([^)]*\))?(?:은|을)|이제\s*본론으로|사실\s*지난\s*(?:포스팅|글)|참고\s*글\s|"
    r"여기서는|오늘은|지금부터|in\s+this\s+(?:post|article|section|part|blog\s+post)|this\s+(?:post|article)\s+|"
    r"today,?\s+(?:we|i)\b|"
    # a credit or meta line: who the notes were written for or with, thanks
    r"(?:이|본)\s*(?:글|포스팅|정리|리뷰)은|[^.\n]{0,40}스터디(?:에서|를\s*(?:위해|하며|진행)|\s*(?:자료|발표))|"
    r"this\s+(?:post|summary|review|write-?up)\s+(?:is|was)\s+(?:written|based|prepared|part)|thanks\s+to\b|"
    r"감사(?:합니다|드립니다)|"
    r"in\s+the\s+(?:next|following)\s+section|i\s+will\b|i'll\b|we\s+will\s+(?:now|first|see|look|discuss)|let's\b|let\s+us\b)",
    re.IGNORECASE,
)


# The sentence that introduces the next paper of a list ("다음 소개드릴 논문은 …", "다음은 너무나 유명한
# 논문이죠"): left out when more follows it, kept when it is all there is.
_ORDINAL_NARRATION = re.compile(
    r"^(?:(?:다음|처음|첫\s*번째로|마지막으로|오늘의\s*마지막)(?:은|으로)?\s*(?:소개(?:드릴|할)\s*(?:논문|architecture|모델|방법)|"
    r"(?:논문|architecture)(?:은|는)\s)|다음은\s[^.]{0,30}논문(?:이죠|입니다))"
)


_POINTS_ELSEWHERE = re.compile(
    r"(?:참고|참조)(?:해도\s*좋|(?:하시기|하시길|하길|하기)\s*바[라란랍래]|하시면\s*(?:됩|좋)|하면\s*(?:도움|좋)|"
    r"\s*바[라란랍]|해\s*주시|해\s*주세요|하세요)|확인할\s*수\s*있습니다|확인하시길|"
    r"\b(?:check\s+out|is\s+available\s+(?:here|on|at)|(?:please\s+)?(?:refer\s+to|see|read)\s+the\s+"
    r"(?:original\s+)?(?:paper|article)\b)"
)


def _without_narration(md: str) -> str:
    """A paragraph without the narrating sentences it opens with (all of it when that is all), and
    without the questions it opens with when it goes on to answer them ("그렇다면 왜 BatchNorm이
    효과적일까? 결론부터 말하면, …")."""
    rest = md.strip()
    while True:
        if (match := _NARRATION.match(rest)) is not None:
            end = SENTENCE_END.search(rest, match.end())
            rest = rest[end.end() :] if end else ""
            continue
        end = SENTENCE_END.search(rest)
        if end is None:  # one sentence left: it stays, unless it only says where to look
            return "" if _POINTS_ELSEWHERE.search(rest) else rest
        # "다음 소개드릴 논문은 2017년 CVPR에 …" or a question: the next sentence says it. "…는
        # Github에 올려두었으니 참고해도 좋을 것이다.": where to look, not what to know.
        sentence = rest[: end.end()]
        if (
            _ORDINAL_NARRATION.match(rest)
            or sentence[: end.start()].rstrip().endswith(("?", "？"))
            or _POINTS_ELSEWHERE.search(sentence)
        ):
            rest = rest[end.end() :]
        else:
            return rest


_ITEM_MARKER = re.compile(r"^(\s*(?:[-*+]|\d+[.)])\s+)(.*)$")


def _item_without_narration(md: str) -> str:
    """A list item's Markdown with the narration its first line opens with taken out."""
    first, _, children = md.partition("\n")
    match = _ITEM_MARKER.match(first)
    if match is None or not _NARRATION.match(match.group(2)):
        return md
    text = _without_narration(match.group(2)) or match.group(2)
    return match.group(1) + text + ("\n" + children if children else "")


def too_long(what: str, html: str, limits: Limits) -> str:
    return (
        f"{what} is {len(render.text(html))} characters, over the limit of {limits.max_answer_chars} "
        "(limits.max_answer_chars); no card made of it as a whole"
    )


def stable_guid(*parts: str) -> str:
    """A GUID from where a note is (post, rule, heading, item), never from its answer."""
    digest = hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=9).digest()
    return base64.b64encode(digest, altchars=b"-_").decode("ascii")


def asking_language(post: Post, answer_html: str) -> str:
    """The language a note's question is asked in: the post's, or its answer's when the post only
    looked like one language (see phrasing.language_of)."""
    return phrasing.language_of(post.lang, post.lang_given, render.text(answer_html))


def section_key(section: Section) -> str:
    """A section's identity: its pinned `{#id}` if it has one, else its heading path."""
    if section.anchor:
        return "#" + section.anchor
    return CONTEXT_SEPARATOR.join(section.path)


def source_field(post: Post) -> str:
    """The post, linked to where it is published when that is known."""
    if post.url and is_web_url(post.url):
        # The URL comes from front matter (`permalink`): quoted for the attribute, then sanitised.
        link = f'<a href="{html.escape(post.url, quote=True)}">{render.escape(post.title)}</a>'
        return render.sanitise(link)
    return render.escape(post.label)


def make_note(
    section: Section,
    *,
    kind: NoteKind,
    identity: tuple[str, ...],
    front: str,
    back: str = "",
    cloze: bool = False,
    extra: str = "",
    line: int = 0,
    scoped: bool = True,
    term: str = "",
) -> Note:
    """A note of `section`. Its GUID is the post's key, the rule's kind, the section's identity
    (unless `scoped` is False: a paper is the same note under any heading) and `identity`."""
    post = section.post
    where = (section_key(section),) if scoped else ()
    path = _without_repeats((post.title, *section.path))
    if cloze:
        # A heading that names what the cloze hides would show it above the question ("RDD" over
        # "…data formats: [RDD] [DataFrame]"): the cue keeps the post's title and the rest.
        words = hidden(front)
        path = path[:1] + [part for part in path[1:] if not _names_any(part, words)]
    cue = CONTEXT_SEPARATOR.join(path)
    return Note(
        guid=stable_guid(post.key, kind, *where, *identity),
        kind=kind,
        cloze=cloze,
        front=front,
        back=back,
        # Interned: every note of a section shares its cue, every note of a post its source,
        # as one string each (in memory, in the cache and between processes).
        context=sys.intern(render.text_with_math(cue)),
        source=sys.intern(source_field(post)),
        extra=extra,
        tags=post.tags,
        ref=SourceRef(post.path, line or section.line),
        origin=post.label,
        deck=post.deck,
        term=term,
    )


_CLOZE = re.compile(r"\{\{c\d+::(.+?)(?:::[^}]*)?\}\}", re.DOTALL)


def hidden(front: str) -> list[str]:
    """What a cloze's deletions hide, as the reader would type it (casefolded text, at least three
    characters: "a", "x" and "Q" appear anywhere)."""
    texts = (render.text(match.group(1)).casefold().strip() for match in _CLOZE.finditer(front))
    return [text for text in texts if len(text) >= 3]


def _named(text: str, word: str) -> bool:
    """`word` stands in `text` as a word of its own ("Map" is not in "MapReduce"); a Korean one
    with its particle ("귀무가설과")."""
    text = text.casefold()
    korean = "가" <= word[-1:] <= "힣"
    start = text.find(word)
    while start >= 0:
        before = text[start - 1 : start]
        after = text[start + len(word) : start + len(word) + 1]
        if not _word_char(before, latin=True) and not _word_char(after, latin=korean):
            return True
        start = text.find(word, start + 1)
    return False


def _word_char(char: str, latin: bool) -> bool:
    """A letter, digit or underscore (only a Latin one or a digit when `latin`)."""
    if not char:
        return False
    if latin:
        return char.isascii() and (char.isalnum() or char == "_")
    return char.isalnum() or char == "_"


def _names_any(text: str, words: list[str]) -> bool:
    return any(_named(text, word) for word in words)


def gives_away(note: Note) -> bool:
    """A cloze that shows what it hides, in its own text around the deletions or in the post's
    title above it: its one deletion, or most of its deletions."""
    if not note.cloze:
        return False
    words = hidden(note.front)
    if not words:
        return False
    shown = (
        render.text(_CLOZE.sub(" ", note.front)) + " " + render.text(note.context).split(CONTEXT_SEPARATOR)[0]
    )
    given = sum(_named(shown, word) for word in words)
    return given >= 1 if len(words) == 1 else 2 * given > len(words)


def _without_repeats(parts: tuple[str, ...]) -> list[str]:
    """A context path without a heading that repeats the one before it (a post's `# Title`)."""
    out: list[str] = []
    for part in parts:
        if not out or part.casefold().strip() != out[-1].casefold().strip():
            out.append(part)
    return out


def without_items(block: ListBlock, taken: Collection[int]) -> ListBlock | None:
    """`block` without the items at `taken` (a rule made notes of them); None if none is left."""
    items = tuple(item for i, item in enumerate(block.items) if i not in taken)
    return replace(block, items=items) if items else None


def blocks_left(section: Section, used: Mapping[int, Block | None]) -> Section:
    """`section` with some blocks replaced (a list with items taken) or dropped (None)."""
    kept = [used.get(i, block) for i, block in enumerate(section.blocks)]
    return with_blocks(section, [block for block in kept if block is not None])
