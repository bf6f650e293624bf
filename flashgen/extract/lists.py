"""Bullet and numbered lists: enumerations as cloze, items with sub-points, definitions.

Definitions are `Term : definition`, `**Term**: definition`, `Term - definition`, kramdown's
`Term` / `: definition`, and `Term: definition` when every item of the list has that shape.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import replace

from flashgen import phrasing
from flashgen.extract import shapes, subjects
from flashgen.extract.common import (
    Found,
    PostContext,
    asking_language,
    fits,
    make_note,
    summary,
    too_long,
    with_blocks,
)
from flashgen.model import Block, ListBlock, ListItem, Note, NoteKind, OtherBlock, Paragraph, Section, Table
from flashgen.read import render
from flashgen.settings import Limits

_DEFINITION = re.compile(
    r"^(?:\*\*(?P<bold>[^*]{1,60})\*\*\s*[:：]"  # **Term**: definition
    r"|\*\*(?P<bold_colon>[^*]{1,60}?)\s*[:：]\*\*"  # **Term:** definition
    r"|__(?P<under>[^_]{1,60})__\s*[:：]"  # __Term__: definition
    r"|[*_](?P<italic>[^*_\s][^*_]{0,58})[*_]\s*[:：]"  # *Term*: definition
    r"|(?P<term>[^:：\n]{1,40}?)\s+[:：]"  # Term : definition
    r"|(?P<dashed>[^\n]{1,40}?)\s+[-–—]"  # Term - definition
    r")\s+(?P<definition>\S.*)$",
    re.DOTALL,
)
# "Planning: Any algorithm that …", "Swish: a self-gated activation …": a term, then what kind of
# thing it is, even in a list whose other points are notes.
_NAMED_KIND = re.compile(
    r"^(?!(?i:note|notes|example|examples|e\.g|tip|tips|warning|caution|todo|update|edit|source|sources|reference|"
    r"references|credit|credits|link|links|paper|code|data|input|output|result|results|summary|conclusion|idea|"
    r"question|answer|q|a|step\s*\d+)\s*[:：])"
    r"(?P<term>[A-Z][^:：\n]{0,38}?)[:：]\s+(?P<definition>(?i:an?|the|any|one|each)\s\S.*)$",
    re.DOTALL,
)
_EMOJI = re.compile(r"[\u2600-\u27bf\U0001f300-\U0001faff\ufe0f\u20e3]+")
_CHAIN = re.compile(r"\s[-–—]|[-–—]\s|->")
_CONDITION = re.compile(r"^(?:만약|만일|예를\s*들어)")
_LOOSE = re.compile(r"^(?P<term>[^:：\n]{1,40}?)[:：]\s+(?P<definition>\S.*)$", re.DOTALL)  # Term: definition
_DEFINITION_LIST = re.compile(r"^(?P<term>[^:\n][^\n]*)\n(?P<defs>(?::[ \t]+[^\n]*(?:\n|$))+)", re.MULTILINE)


class _Notes:
    """The notes of one section and what was left out, gathered as the lists are read."""

    def __init__(self, section: Section, context: PostContext) -> None:
        self.section, self.context, self.limits = section, context, context.limits
        self.notes: list[Note] = []
        self.notices: list[tuple[int, str]] = []
        self.code: frozenset[str] = frozenset()  # the words of the section's code, when it is mostly code
        self.named: str | None = None  # the method the prose just before the list being read names
        self.claims: bool = False  # the list being read holds pros, reasons, examples or steps

    def on_code(self, block: ListBlock) -> str | None:
        """Why a list is remarks on the section's code ("LRemove 함수가 주솟값을 반환", "`x` holds
        the weights"), or None."""
        if _each_shown_in_code(block):
            return None
        if self.code and 2 * sum(_cites_code(item, self.code) for item in block.items) > len(block.items):
            return "remarks on the code around it (a code walkthrough); no notes"
        return None

    def basic(
        self, kind: NoteKind, identity: tuple[str, ...], front: str, back: str, line: int, term: str = ""
    ) -> None:
        if not render.text(back) or not render.text(front):
            return
        if not fits(back, self.limits):
            self.notices.append((line, too_long("the answer", back, self.limits)))
            return
        self.notes.append(
            make_note(
                self.section, kind=kind, identity=identity, front=front, back=back, line=line, term=term
            )
        )


def rule(section: Section, context: PostContext) -> Found:
    out = _Notes(section, context)
    out.code = code_words(section.blocks)
    previous: Block | None = None
    lists_seen = 0
    for block in section.blocks:
        if isinstance(block, ListBlock):
            index, lists_seen = lists_seen, lists_seen + 1
            loose = all(_LOOSE.match(item.inline.md.strip()) for item in block.items) and len(block.items) > 1
            lead_in = _lead_in(previous)
            label = _relative_label(section, previous, lead_in, lists_seen == 1)
            owned = label and subjects.relative_prompt(
                section, context, label, asking_language(section.post, render.block(block.md))
            )
            if owned:
                lead_in = render.escape(owned)  # "Pros:" over a list: "Pros of the EM algorithm"
            glossary = all(split_definition(item, loose) for item in block.items)
            said = previous.inline.text if isinstance(previous, Paragraph) else ""
            if reason := _not_points(block, lead_in, glossary) or _not_taught(said) or out.on_code(block):
                out.notices.append((block.line, reason))
                previous = block
                continue
            # A glossary under a heading is a set of definitions, not a list to recite; and a list
            # whose prompt could not say what it lists is no card (QUALITY.md: "정리 […] […]").
            if lead_in and (subject := _subject(section, context, block, lead_in)):
                lead_in = f"{render.escape(subject)}: {lead_in}"  # "DeceptionNet: The training involves…"
            header = lead_in or _heading_header(section)
            if header and _labels_only(block):
                out.notices.append((block.line, _LABELS_NOTICE))
                header = None
            # A heading that names a topic ("ELU", "Gradient TD methods", "보조동사 구성에 의한 피동표현")
            # does not say what its bullets are: its kinds, its steps, its notes, examples of it (a
            # cloze of them was judged worth keeping 1 time in 6, rounds 1–20). A heading that names
            # a set ("CNN의 특징", "Types of RNNs") does. A numbered list keeps its heading: the
            # points of a lecture or a seminar, in order.
            if not lead_in and header and not block.ordered and not _names_a_set(render.text(header)):
                if not glossary:  # a glossary's terms are asked one by one anyway
                    out.notices.append((block.line, _TOPIC_NOTICE))
                header = None
            identity = ("list", str(index))
            if not lead_in and _outline(block.items):
                # "## 34일차 학습 정리" + "- 프로토타입 / - 장점 / - Ipywidget", each with its points:
                # a table of contents; the points under each heading are asked on their own.
                out.notices.append((block.line, _OUTLINE_NOTICE))
                header = None
            # A glossary under a heading that names its set ("RNN의 문제점", "Types of layers") is
            # both: the set is asked for, and each term on its own below.
            recited = lead_in or not glossary or (header and _names_its_terms(render.text(header)))
            made = bool(header and recited) and _enumeration(
                out, block.items, str(header), identity, "list", block.ordered, loose, led=bool(lead_in)
            )
            if not made and lead_in and not glossary and (owned or _announces(previous)):
                _listed(out, block, lead_in, identity)
            elif (
                not made
                and not lead_in
                and header
                and not glossary
                and _SAYS_ITS_SET.search(render.text(header))  # a set, not a question (its own card)
                and not _AIMS.search(render.text(header))
            ):
                # "## 리스트를 반환하는 함수의 문제점" over two sentences: the heading says what they
                # are, and one card asks for them, each by its first sentence.
                _listed(out, block, header, identity)
            answers = _answers_what(block.items, loose) if glossary else None
            out.named = _named_before(section, block)
            out.claims = any(
                _SET_OF_CLAIMS.search(_EMOJI.sub("", render.text(text)).strip())
                for text in (lead_in or "", said, section.title)
            )
            for item in block.items:
                _item_notes(out, item, (), loose, block.ordered, answers)
        elif isinstance(block, OtherBlock) and block.kind == "DefinitionList":
            _definition_list(out, block)
        elif isinstance(block, Table):
            _glossary_table(out, block)
        if not _illustration(block):
            previous = block  # a figure between a lead-in and its list does not part them
    # Prose and the text of the bullets are read again by the rules after this one (definitions and
    # papers written in running text).
    prose = [
        b
        for b in section.blocks
        if isinstance(b, Paragraph | ListBlock)
        or (isinstance(b, OtherBlock) and b.kind == "BlockQuote" and shapes.quoted(b.md))
    ]
    rest = with_blocks(section, prose) if prose else None
    return Found(tuple(out.notes), rest=rest, notices=tuple(out.notices))


_BOLD_NAME = re.compile(r"\*\*([^*\n]{2,40}?)\*\*|__([^_\n]{2,40}?)__")
# A name in an English lead-in: a capital inside it, an acronym, a symbol ("The training involves
# two steps:" names nothing; "DQN relies on two mechanisms:" does).
_NAMED_IN = re.compile(r"(?<=\s)[A-Z]|[A-Z]{2}|\d|\\\(")
# A method's name, not a word set in bold: an acronym or a capital inside a word ("POET", "TD-VAE",
# "DeceptionNet", "RoBERTa").
_A_NAME = re.compile(r"[A-Z]{2}|[a-z][A-Z]")


def _subject(section: Section, context: PostContext, block: ListBlock, lead_in: str) -> str | None:
    """What a list is about, for a lead-in that names nothing ("The training involves two
    steps:", "하지만 몇 가지 제약이 있어 바로 쓰지는 못한다."): the first term set in bold in the
    section's prose before the list ("…, also known as **DeceptionNet**, is …"), else the nearest
    heading (or the post's title) that names something."""
    text = render.text(lead_in)
    if not _names_nothing(text):
        return None
    at = section.blocks.index(block)
    for earlier in reversed(section.blocks[max(0, at - 3) : at]):  # the paragraphs just before it
        if isinstance(earlier, Paragraph) and (match := _BOLD_NAME.search(earlier.md)):
            name = render.plain(match.group(1) or match.group(2)).strip()
            if _A_NAME.search(name) and name.casefold() not in text.casefold():
                return name
            break
    found = subjects.subject(section, context, "")
    if found is None or found.casefold() in section.post.title.casefold():
        return None  # the cue shows the post's title above every question
    if found.isascii() and not _NAMED_IN.search(found):
        return None  # "Guided by data": an English heading that names no method
    said = {word.rstrip("s") for word in re.findall(r"\w{3,}", text.casefold())}
    if all(word.rstrip("s") in said for word in re.findall(r"\w{3,}", found.casefold())):
        return None  # "Process states" over "A process moves through five states:"
    return found


# A Korean lead-in that opens by pointing back or joining on ("하지만 몇 가지 제약이 있어…", "이
# 방법의 단계는"): it names what it lists only with what came before it.
_KO_POINTING = re.compile(
    r"^(?:하지만|그러나|그런데|그래서|따라서|또한|그리고|이|그|이러한|그러한|이런|그런|이를|이것|몇\s*가지|여러\s*가지)\s"
)


_ONLY_POINTING = re.compile(
    r"^(?:the\s+)?(?P<set>.+?)(?:\s*(?:은|는|이|가)\s*(?:다음과|아래와)\s*같(?:다|습니다|음)|\s+(?:are|is)(?:\s+as\s+follows)?)"
    r"\s*[.:：]?$",
    re.IGNORECASE,
)


def _relative_label(section: Section, previous: Block | None, lead_in: str | None, first: bool) -> str | None:
    """The label over a list that says only what kind of points it holds, of something named
    elsewhere: a paragraph "Pros:" / "**단점**", or (with no lead-in, for the section's first list)
    a heading "Applications"."""
    if isinstance(previous, Paragraph):
        text = previous.inline.text.strip().rstrip(":：").strip()
        pointing = _ONLY_POINTING.match(text)  # "과정은 다음과 같다.", "The steps are as follows:"
        said = pointing.group("set").strip() if pointing else text
        if subjects.RELATIVE.match(text) or (said != text and subjects.RELATIVE.match(said)):
            return said
        if lead_in is not None:
            return None
    title = section.title.strip()
    if first and lead_in is None and subjects.RELATIVE.match(title):
        return title
    return None


# A method's name in running text: an acronym or a word with a capital inside ("POET", "AutoML-Zero",
# "GShard"), not a capital that starts a sentence.
_METHOD_NAME = re.compile(
    r"(?<![\w\-])[A-Za-z][A-Za-z0-9\-]*(?:[A-Z]{2}|[a-z][A-Z])[A-Za-z0-9\-]*(?![A-Za-z0-9])"
)


def _named_before(section: Section, block: ListBlock) -> str | None:
    """The method named in the paragraph just before a list (or the one before that), so that a
    list of its steps ("1. *Mutation*: …") is asked of it."""
    at = section.blocks.index(block)
    for earlier in reversed(section.blocks[max(0, at - 2) : at]):
        if isinstance(earlier, Paragraph) and (match := _METHOD_NAME.search(earlier.inline.text)):
            return match.group(0)
    return None


_OUTLINE_NOTICE = "an outline whose points hold the notes: no card of its headings"


def _outline(items: tuple[ListItem, ...]) -> bool:
    """Points that are mostly short headings of several points nested under them (a day's notes:
    "- 프로토타입", "- 장점", "- Ipywidget", each with its bullets): a table of contents, not a set to
    recall. A point explained by one sub-point ("1. 멱등성" + what it means) is a point; a label
    ending in a colon ("- Efficiency:" + one point) is a heading still."""
    headed = sum(
        (len(item.subitems) >= 2 or bool(item.subitems and _LABEL_COLON.search(item.inline.text)))
        and shapes.width(item.inline.text) <= 24
        for item in items
    )
    return len(items) >= 2 and 2 * headed > len(items)


_LABEL_COLON = re.compile(r"[:：]\s*$")  # "Efficiency:" over what it says: a label, however few points


def _names_nothing(text: str) -> bool:
    if text.isascii():
        return not _NAMED_IN.search(text)
    return bool(_KO_POINTING.match(text))


def _not_points(block: ListBlock, lead_in: str | None, glossary: bool) -> str | None:
    """Why a list holds nothing to recall, or None: a formula's legend, a catalogue of titles or
    resources, a data dictionary."""
    if _legend(block):
        return "a legend of a formula's symbols, without the formula; no notes"
    if _catalogue(block) or (lead_in and _RESOURCES.search(render.text(lead_in))):
        return "a catalogue of titles (talks, workshops, papers); no notes"
    if glossary and _columns(block):
        return "a list of fields or columns (identifiers and what they hold); no notes"
    if 3 * sum(map(_mostly_link, block.items)) >= 2 * len(block.items):
        return "a list of links (where to read or find more); no notes"
    if _sections_of_a_paper(block):
        return "a paper's table of contents (Abstract, Introduction, …); no notes"
    if _day_summary(block):
        return "what a study day held (events, lectures, tasks, peer sessions): logistics; no notes"
    if (steps := sum(map(_install_step, block.items))) >= 2 and 2 * steps >= len(block.items):
        return "install or run steps (commands, downloads); no notes"
    return None


# The labels of a bootcamp's or a study group's day: "- 행사 : 마스터 클래스", "- 강의 : …", "- P-Stage : …".
_DAY_LABEL = re.compile(
    r"^(?:행사|학습|강의|과제|피어\s*세션|오피스\s*아워|회고|일정|멘토링|[PU]-?\s*stage|events?|lectures?|assignments?|"
    r"homework|tasks?|today|오늘\s*(?:한|배운)\s*(?:일|것|내용))\s*[:：]",
    re.IGNORECASE,
)


def _day_summary(block: ListBlock) -> bool:
    return sum(bool(_DAY_LABEL.match(item.inline.text.strip())) for item in block.items) >= 2


# "chromium 설치: sudo apt install chromium-browser", "ChromeDriver 다운로드": a step of a setup.
_INSTALL_STEP = re.compile(
    r"^[^:：]{1,40}?\s*(?:설치|다운로드|버전\s*확인|version\s*확인)\s*[:：]|^(?:download|install)\b|"
    r"\b(?:sudo\s+\w|apt(?:-get)?\s+install|pip3?\s+install|brew\s+install|conda\s+install|npm\s+install)",
    re.IGNORECASE,
)


def _install_step(item: ListItem) -> bool:
    return bool(_INSTALL_STEP.search(item.inline.text.strip()))


_LABELS_NOTICE = "labels of the points under them (장점, 단점, Pros, Cons); no list card of the labels"


def _labels_only(block: ListBlock) -> bool:
    """Every point is a label of what it says ("- 장점: …", "- 단점: …", or each over its points):
    a cloze of the labels asks nothing; what each says is asked ("UMAP에서 장점은 무엇인가?")."""
    return all(subjects.RELATIVE.match(_label(item)) for item in block.items)


def _label(item: ListItem) -> str:
    """A point's label: its term when it reads as a definition ("**장점**: …"), else its text."""
    split = split_definition(item)
    return (split[0] if split else item.inline.text).strip().rstrip(":：").strip()


# The parts every paper has: a list of them is the paper's (or the post's) table of contents.
_PAPER_PART = re.compile(
    r"^(?:\d+(?:\.\d+)*\.?\s*)?(?:abstract|introduction|intro|related\s+works?|background|preliminar(?:y|ies)|"
    r"methods?|methodology|approach|proposed\s+method|model|experiments?|experimental\s+results?|results?|"
    r"evaluation|analysis|discussion|ablations?(?:\s+stud(?:y|ies))?|optimi[sz]ations?|conclusions?|"
    r"future\s+work|limitations?|references?|appendix|summary|초록|요약|서론|도입|배경|관련\s*연구|방법|방법론|"
    r"제안\s*방법|모델|실험|실험\s*결과|결과|분석|토의|결론|참고\s*문헌|부록)\s*$",
    re.IGNORECASE,
)


def _sections_of_a_paper(block: ListBlock) -> bool:
    """Most items name a standard part of a paper ("Abstract", "Related Work", "결론"): a table
    of contents, whatever heads it."""
    items = block.items
    return len(items) >= 3 and 3 * sum(
        bool(_PAPER_PART.match(i.inline.text.strip())) for i in items
    ) >= 2 * len(items)


def _mostly_link(item: ListItem) -> bool:
    """An item that is mostly a link ("[the original paper](…)", "Video : https://…"): where to
    look, not what to know."""
    text = item.inline.text
    linked = sum(len(link.text) for link in item.inline.links)
    return shapes.has_url(text) or 5 * linked >= 2 * max(len(text.strip()), 1)


# A list that works one example through ("For example, …:", "첫 번째 시도: …", "Suppose …"), or
# that gives an experiment's settings: the values of one case, not points to recall.
_WORKED_LEAD = re.compile(
    r"^(?:for\s+(?:example|instance)|e\.g\.|as\s+an\s+example|예를\s*들(?:어|면|자면)|가령|예컨대|"
    r"(?:an?\s+)?example\s*\d*\s*[:：]|예시\s*\d*\s*[:：]|예제\s*\d*\s*[:：])|"
    r"\b(?:suppose|let'?s\s+say|as\s+illustrated|illustrated\s+in)\b|"
    r"가정해\s*(?:보자|봅시다|보겠)|가정하자|가정합시다|(?:첫|두|세)\s*번째\s*시도|"
    r"^(?:연습\s*)?문제\s*\d|\bfind\s+the\s+following\b|^exercises?\b|"
    r"\b(?:this|that|the\s+above|our)\s+(?:sentence|table|example|scores?\s+table)\b|"
    r"\bexperiment(?:al)?\s+(?:setup|settings?|details|environment|configuration)\b|\bhyper-?\s*parameters?\b|"
    r"실험\s*(?:셋팅|세팅|설정|환경|조건)|하이퍼\s*파라미터|학습\s*(?:설정|세팅|셋팅|조건)",
    re.IGNORECASE,
)
# A list of what the post will cover ("본 글에서는 아래의 내용을 알아본다", "In this post we will
# cover:"): the post's outline, blog meta.
_OUTLINE_LEAD = re.compile(
    r"(?:본|이번|이|오늘의?)\s*(?:글|포스트|포스팅|게시물|게시글|시간|강의)에서(?:는)?|"
    r"\b(?:in|through|with)\s+this\s+(?:post|article|tutorial|blog(?:\s+post)?|series|notebook|chapter)\b|"
    r"\bwe\s+will\s+(?:illustrate|cover|see|discuss|explore|go\s+through|look\s+at)\b|"
    r"(?:이번|오늘)\s*(?:실습|강의|시간|세션)을\s*통해|얻어\s*가실|"
    r"\bthis\s+(?:post|article|tutorial)\s+(?:covers|will|is\s+about|explains)\b|\bdisclaimers?\b",
    re.IGNORECASE,
)


def _not_taught(lead: str) -> str | None:
    """Why the sentence over a list says its items are not points to recall, or None."""
    if _WORKED_LEAD.search(lead):
        return "a worked example or an experiment's settings (by the sentence over it); no notes"
    if _OUTLINE_LEAD.search(lead):
        return "what the post will cover (its outline); no notes"
    if _INSTALL_LEAD.search(lead):
        return "what to install or set up (by the sentence over it); no notes"
    if _COLUMNS_LEAD.search(lead):
        return "a dataset's columns or classes (by the sentence over it); no notes"
    return None


# "The five feature columns of the data set are:", "The data set contains three target classes":
# what one dataset holds, not points to recall.
_COLUMNS_LEAD = re.compile(
    r"\bfeatures?\s+columns?\b|\bcolumns?\s+(?:of\s+(?:the|this)\s+(?:data|table)|that\s+require)|"
    r"\bdata\s*set\s+(?:contains|has|consists)|컬럼|칼럼|데이터\s*셋의\s*(?:특징|구성)",
    re.IGNORECASE,
)


# "설치를 해야하는데, 필요한 것들은", "You need to install the following:", "Prerequisites:": setup.
_INSTALL_LEAD = re.compile(
    r"설치(?:를|가|해야|하려면|할|하기|방법)|다운로드(?:하려면|하기|받으려면)|"
    r"\b(?:install(?:ed|ing)?|prerequisites|requirements|to\s+download)\b",
    re.IGNORECASE,
)


def code_words(blocks: tuple[Block, ...]) -> frozenset[str]:
    """The words of a section's code when the section walks through code (at least two code
    blocks, and at least twice as many lines of code as of prose and bullets); else none."""
    code: list[str] = []
    text_lines = 0
    pending = list(blocks)
    while pending:
        block = pending.pop()
        if isinstance(block, OtherBlock) and block.kind == "CodeBlock":
            code.append(block.md)
        elif isinstance(block, Paragraph):
            text_lines += block.md.count("\n") + 1
        elif isinstance(block, ListBlock):
            for item in block.items:
                text_lines += item.inline.md.count("\n") + 1
                pending.extend(item.children)
    if len(code) < 2 or sum(c.count("\n") + 1 for c in code) < 2 * text_lines:
        return frozenset()
    return frozenset(_WORD.findall("\n".join(code)))


_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]+")
# Code in a bullet: a call, a pointer, a statement's end, snake_case or camelCase.
_CODEISH = re.compile(r"\w\(|->|;|#include|\b[a-z]+_[a-z0-9_]+\b|\b[a-z]+[A-Z]\w*")


def _cites_code(item: ListItem, code: frozenset[str]) -> bool:
    """A bullet that names the code: inline code, code's shape, or (in Korean prose, where an
    English word stands out) a word of the code."""
    text = item.inline.text
    if "`" in item.inline.md or _CODEISH.search(text):
        return True
    return shapes.HANGUL.search(text) is not None and any(word in code for word in _WORD.findall(text))


# Headings that say where a list is, not what it lists: "정리 […] […]" asks nothing.
_GENERIC_HEADING = re.compile(
    r"^(?:정리|요약|내용|개요|소개|기타|메모|노트|핵심|핵심\s*정리|포인트|결론|서론|본론|들어가며|용어|용어\s*정리|키워드|"
    r"terms|terminology|glossary|definitions|vocabulary|keywords|introduction|intro|"
    r"summary|notes?|noted\s+items|items|overview|misc(?:ellaneous)?|details|key\s+points|highlights|conclusions?|"
    r"background|main|body|part\s*\d+|step\s*\d+|\d+)$",
    re.IGNORECASE,
)


_IMAGE_ONLY = re.compile(
    r"^\s*(?:<(?:img|br|figure|figcaption|center|p|div)\b[^>]*>|</\w+>|!\[[^\]]*\]\([^)]*\)|\s)*$", re.I
)


def _illustration(block: Block) -> bool:
    """An image (Markdown or HTML) standing alone between paragraphs."""
    return isinstance(block, OtherBlock | Paragraph) and bool(_IMAGE_ONLY.match(block.md))


def _announces(block: Block | None) -> bool:
    """A paragraph in words that says a list follows (a colon, "다음과 같다", "three kinds"), not a
    formula or a bare label over it."""
    if not isinstance(block, Paragraph):
        return False
    text = block.inline.text.strip()
    return _points_at_list(text) and shapes.wordy(text) and not text.startswith(("\\(", "\\["))


def _listed(out: _Notes, block: ListBlock, lead_in: str, identity: tuple[str, ...]) -> None:
    """A list of sentences that a lead-in announces ("…에는 3가지 제약조건이 있다"): one card that
    asks for what it lists, the items as the answer (shortened, the rest in Extra)."""
    texts = [item.inline.text for item in block.items]
    if (
        not 2 <= len(texts) <= out.limits.max_enumeration
        or all(shapes.is_command(t) or shapes.is_numbered_label(t) for t in texts)
        or _open_questions(texts)
    ):
        return
    answer, rest = _each_first_sentence(block, out.limits)
    if not answer:
        answer, rest = summary([block], out.limits, brief=True)
    if not render.text(answer):
        return
    note = make_note(out.section, kind="list", identity=identity, front=lead_in, back=answer, line=block.line)
    out.notes.append(replace(note, extra=rest) if rest else note)


_LABEL = re.compile(
    r"^(?:\*\*(?P<label>[^*\n]{2,60})\*\*|<strong>(?P<html>[^<\n]{2,60})</strong>)\s*[.:：—–-]?\s+\S"
)


def _each_first_sentence(block: ListBlock, limits: Limits) -> tuple[str, str]:
    """Every item of the list by its first sentence, when that fits an answer (the whole list in
    Extra): all of what is listed, each said shortly ("Bottom-up pathway is the normal
    feedforward computation. • Top-down pathway goes in the inverse direction…"), rather than
    the first items whole and the rest cut off. ("", "") when even that is too long."""
    labels = [_LABEL.match(item.inline.md.strip()) for item in block.items]
    numbered = any(
        m and _NUMBER_LABEL.fullmatch((m.group("label") or m.group("html") or "").strip()) for m in labels
    )
    if all(labels) and not numbered:  # "**(1)** Reshape …": a number, not what is listed
        # "**Fine-grained recognition.** ImageNet has many breeds of dogs …": the labels say what
        # is listed; each paragraph after its label is the Extra's.
        firsts = [(m.group("label") or m.group("html")).strip().rstrip(".:：") for m in labels if m]
    else:
        firsts = [shapes.first_sentence(item.inline.md.strip()) for item in block.items]
    if not all(firsts):
        return "", ""
    answer = "<ul>" + "".join(f"<li>{render.inline(md)}</li>" for md in firsts) + "</ul>"
    if len(render.text(answer)) > limits.max_answer_chars:
        return "", ""
    whole = render.block(block.md)
    return answer, (whole if render.text(whole) != render.text(answer) else "")


_WORDS = re.compile(r"[A-Za-z가-힣]{2,}")
# A bold label that heads notes rather than naming a term: an emoji, or a plural topic ("Efficient
# Techniques", "Limitations of …", "Key Highlights").
_HEADING_LABEL = re.compile(
    r"^(?:key\s+|main\s+)?(?:limitations|challenges|highlights|takeaways|considerations|tips|trends|insights|"
    r"findings)\b",
    re.IGNORECASE,
)
# A point's text that opens by pointing elsewhere: what is said is about something else.
_POINTS_AWAY = re.compile(
    r"^(?:these|those)\b(?!\s+are\b)|^(?:here|there|in\s+this|여기서는|이번에는)\b|"
    r"^this\b(?!\s+(?:is|method|term|refers|means|technique|approach|function|model|layer|operation|step)\b)",
    re.IGNORECASE,
)
_NUMBER_LABEL = re.compile(r"\(?(?:\d+|[A-Za-z]|[ivx]+)[.)]?\)?[.:：]?")


# A figure's credit above a lead-in ("사진 출처: gaussian37", "참조: Scipy.org"): not part of it.
_CREDIT = re.compile(
    r"^(?:사진\s*)?(?:출처|참조|참고|image\s+source|source|credit)\s*[:：][^\n]*(?:\n|$)\s*", re.I
)


def _lead_in(block: Block | None) -> str | None:
    """The sentence just before a list that says what it lists ("The three types are:"), trimmed
    to the clause that names them, whatever its punctuation."""
    if not isinstance(block, Paragraph):
        return None
    md, text = block.inline.md.strip(), block.inline.text.strip()
    if credit := _CREDIT.match(md):
        md = md[credit.end() :]  # "사진 출처: …" on a line of its own above the lead-in
        text = render.text(render.inline(md))
    elif _CREDIT.match(text):  # after an image: "<img …><br>사진 출처: WIKI"
        md, text = "", _CREDIT.sub("", text)
    if text.endswith(("->", "→", "=>")):
        return None  # "… 결과는 다음 그림과 같다 ->": a caption pointing at a figure
    # A lead-in points at the list (a colon, "다음과 같다", "the following"), or is one short
    # sentence left open ("The three stages of onboarding are"); a paragraph of prose is not.
    open_ended = shapes.sentences(text) == 1 and shapes.width(text) <= 100 and not text.endswith((".", "。"))
    if not (_points_at_list(text) or open_ended):
        return None
    clause = shapes.lead_in(text)
    words = shapes.MATH.sub("", clause or "").strip()
    if (
        clause is None
        or not words
        or not shapes.wordy(words)
        or (words != clause.strip() and len(_WORDS.findall(words)) < 3)
    ):
        # a formula over a list ("\[B \propto \epsilon\]", "\(z = [d, s]\) (note that …):") says nothing of
        # what it lists
        return None
    if clause == text and md:
        return render.inline(md)  # the whole paragraph: keep its markup (math, code)
    return render.text_with_math(clause)


def _points_at_list(text: str) -> bool:
    """Text that announces what follows: a colon, "다음과 같다", "the following", "… are"."""
    return text.endswith((":", "：")) or bool(_POINTING.search(text))


def _heading_header(section: Section) -> str | None:
    """The section's title as a list's prompt, when it names something: not a generic word. (A
    heading that repeats the post's title is left out of the cue instead.)"""
    title = section.title.strip()
    if not title or _GENERIC_HEADING.match(title) or shapes.width(title) > 80:
        return None
    return render.text_with_math(title)


# A heading that names a set ("CNN의 특징", "두 가지 방법", "Activation functions", "Types of
# joins"): a prompt for the list under it. A heading that names a topic ("ELU", "Decoder",
# "Missing Values") does not say what its bullets are, and a cloze of them asks for whole notes.
_SET_WORDS = (
    r"types?|kinds?|ways?|methods|steps|stages|phases|features|properties|characteristics|advantages|"
    r"disadvantages|pros|cons|benefits|drawbacks|limitations|conditions|requirements|components|elements|parts|"
    r"principles|rules|assumptions|categories|classes|examples|reasons|causes|goals|challenges|problems|issues|"
    r"differences|applications|uses|strategies|techniques|approaches|functions|operations|models|algorithms|"
    r"variants|families|layers|levels|modes|states|patterns|metrics|losses|takeaways|highlights|lessons|"
    r"contributions|ideas"
)
_NAMES_A_SET = re.compile(
    r"(?:가지|종류|방법|단계|특징|장점|단점|장단점|조건|요소|원칙|규칙|유형|과정|절차|차이점?|한계점?|문제점|목표|"
    r"목적|기능|성질|속성|역할|원인|이유|분류|예시|사례|구성|연산|기법|모델|알고리즘|기여|공헌|계층|레벨|상태)(?:들|은|는)?(?:\s*\(.*\))?$|"
    r"^(?:대표적인|주된|다양한|여러)\s|\d+\s*가지|[한두세네]\s*가지|"
    # English: the set is the heading's head noun ("Activation functions", "Types of joins"), not a
    # word inside a name ("Gradient TD methods" is one method's family, "Feature extraction" a step).
    rf"(?:^|\s)(?:{_SET_WORDS})\s*(?:\(.*\))?$|^(?:{_SET_WORDS})\s+(?:of|in|for|to)\s|"
    r"^(?:two|three|four|five|six|several|common|main|key)\s",
    re.IGNORECASE,
)
# A heading that says what its sentences are ("…의 문제점", "Advantages of X", "Types of joins"): the
# kinds of set whose members are statements; not a family of methods or models ("Gradient TD
# methods", "Latent Variable Models"), whose notes are not its members.
_SAYS_ITS_SET = re.compile(
    r"(?:가지|종류|단계|절차|과정|특징|장점|단점|장단점|조건|원칙|규칙|유형|차이점?|한계점?|문제점|원인|이유|가정|성질|속성|역할)"
    r"(?:들|은|는)?(?:\s*\(.*\))?$|"
    r"\b(?:types|kinds|ways|steps|stages|phases|advantages|disadvantages|pros|cons|benefits|drawbacks|limitations|"
    r"conditions|requirements|principles|rules|assumptions|properties|characteristics|features|differences|"
    r"reasons|causes|challenges|problems|issues)\b",
    re.IGNORECASE,
)
# What a lesson or a project sets out to do, or a recap ("강의 목표", "Key takeaways"): logistics or a
# summary to reread, not a set to recall.
_AIMS = re.compile(
    r"목표|목적|\b(?:goals?|objectives?|aims?|takeaways?|highlights?|lessons?|(?:main|key)\s+ideas?)\b", re.I
)
_TOPIC_NOTICE = (
    "a list under a heading that names a topic, not what the list holds (its kinds? steps?): no list card"
)


# Item texts that head examples, code or remarks, not points of their own.
_NOT_A_TOPIC = re.compile(
    r"^(?:예|예시|예제|보기|코드|소스|결과|출력|입력|참고|참고\s*(?:글|자료|링크|문헌)|출처|링크|주의|설치|실행|"
    r"note|notes|example|examples|e\.g\.?|code|output|input|result|results|tip|todo|etc\.?|references?|"
    r"sources?|links?|install(?:ation)?|setup|usage|papers?|논문|slides?|video|영상|발표\s*자료)\s*[:：]?$",
    re.IGNORECASE,
)


def _names_a_set(heading: str) -> bool:
    """A heading a list's prompt can be: it names a set ("CNN의 특징", "Activation functions"), or
    asks a question the list answers ("What can you do with GCP?")."""
    return heading.rstrip().endswith(("?", "？")) or bool(_NAMES_A_SET.search(heading))


def _names_its_terms(heading: str) -> bool:
    """A heading that names the set a glossary's terms make ("RNN의 문제점", "Types of layers"): not a
    recap ("Key ideas", "Takeaways") nor a question, whose terms are not what it asks for."""
    return not heading.rstrip().endswith(("?", "？")) and _names_a_set(heading) and not _AIMS.search(heading)


def _item_header(item: ListItem, ordered: bool) -> str | None:
    """A list item as the prompt for the points nested under it: a label ("개발 기본기 갖추기"),
    or a sentence that leads in to them ("…은 아래와 같이 두 가지로 나뉨:"). A sentence of notes
    with details under it is neither."""
    text = item.inline.text.strip()
    if _NOT_A_TOPIC.match(text) or text.endswith(("?", "？")) or _PSEUDOCODE.match(text):
        return None
    # A bullet that is a sentence is a note with details under it; a numbered point may be
    # phrased as one ("2. 개발자의 역할은 시간이 지남에 따라 달라진다.") and still head its sub-points.
    if shapes.is_topic(text) or (ordered and shapes.is_label(text)):
        return render.inline(item.inline.md)
    clause = shapes.lead_in(text) if _points_at_list(text) else None
    if clause is None:
        return None
    return render.inline(item.inline.md) if clause == text else render.text_with_math(clause)


# A line of pseudo-code over its body ("For every misclassified point:", "If the prediction is 0 :",
# "repeat:"): a step of an algorithm, whose body is not a set of points.
_PSEUDOCODE = re.compile(
    r"^(?:for|if|else|elif|while|repeat|until|do|foreach)\b(?:[^:：.。]|\.(?!\s))*[:：]\s*$", re.IGNORECASE
)


_POINTING = re.compile(
    r"다음과|아래와|아래\s*(?:의|처럼|에|는)|as\s+follows|the\s+following|following\s*:|below\b|(?:are|include)\s*[:：]?\s*$|"
    r"\d+\s*가지|[한두세네]\s*가지|(?:다섯|여섯|일곱|여러|몇)\s*가지|"
    r"\b(?:two|three|four|five|six|seven|several)\s+(?:\w+\s+){0,3}(?:kinds|types|ways|steps|parts|reasons|"
    r"approaches|methods|components|properties|stages|phases|categories|principles|ideas|problems|issues)\b|"
    # "행렬의 랭크는 중요한 성질이 있다.", "X has some important properties.": the set the list holds
    r"^.{0,30}(?:성질|특징|특성|장점|단점|종류|단계|요소|조건|과정|규칙|원칙|이유|문제점|한계|한계점|가정)(?:들)?[이가]\s*"
    r"(?:있다|있음|있습니다)\s*[.。]?$|\bha(?:s|ve)\s+(?:some|several|a\s+few|important|key|the\s+following|\w+\s+important)\s+"
    r"(?:\w+\s+)?(?:properties|advantages|drawbacks|limitations|steps|components|features|assumptions)\s*[.:]?$",
    re.IGNORECASE,
)


_MAYBE_REFERENCE = re.compile(r"[\"“”]|(?:19|20)\d\d")  # cheap: a reference has quotes or a year


def split_definition(item: ListItem, loose: bool = False) -> tuple[str, str] | None:
    """(term, definition as Markdown) when the item reads as a definition."""
    return _split_definition(item.inline.md.strip(), loose)


_ENUMERATED = re.compile(r"^\d{1,3}[.)]\s+")


@functools.lru_cache(maxsize=4096)
def _split_definition(md: str, loose: bool) -> tuple[str, str] | None:
    # Cached: a list's items are asked several times (glossary, enumeration, notes), each a render.
    match = _DEFINITION.match(md) or (_LOOSE.match(md) if loose else None) or _NAMED_KIND.match(md)
    if not match or (_MAYBE_REFERENCE.search(md) and shapes.is_title(render.plain(md))):
        return None  # "“Faster r cnn : Towards real time object detection …”, 2015 NIPS": a reference
    groups = match.groupdict()
    forms = ("bold", "bold_colon", "under", "italic", "term", "dashed")
    term_md = next((groups[form] for form in forms if groups.get(form)), "")
    if not _balanced(term_md):
        return None  # the colon or dash is inside a link, a formula or brackets: not a split
    # "🧩 Tiling": Tiling; "**1. `__init__`**: …", a numbered label: `__init__`
    term = _ENUMERATED.sub("", _EMOJI.sub("", render.plain(term_md.strip())).strip())
    # A term has a letter (1NF, ETL) or is math; "2019 - 2020 …" is a date range, not a term.
    if not term or len(term.split()) > 6 or not (any(c.isalpha() for c in term) or term.startswith("\\(")):
        return None
    definition = match.group("definition").strip()
    if groups.get("bold_colon") and not _LABEL_SAYS_WHAT.match(render.plain(definition)):
        return None  # "**Performance:** torch.compile was faster …": a label over a statement
    if not shapes.is_term(term) or "$$" in term_md or not shapes.wordy(term):
        return None  # "5x5", "|A[0]", "$$T_r": a formula or a code, not a term
    # "learning rate : 3e-4", "발표 : 10:20 - 11:00", "코드 : model.py": a value, not a definition.
    if not shapes.describes(render.plain(definition)):
        return None
    if groups.get("dashed") and len(_CHAIN.findall(definition)) >= 2:
        # "문제 설정 - 데이터 수집 -모델 개발 -배포": a chain of steps, not a term and its meaning
        return None
    if _CONDITION.match(render.plain(definition)):
        return None  # "규칙적인 간격 - 만약 아니라면 점으로 표시": advice, not what it is
    return term, definition


# After a label in bold with its colon inside ("**기울기 폭발:** …"), what makes it a term's
# definition: Korean that ends as a statement or a noun. In English the form heads a finding far
# more often than a definition ("**Adoption:** Baichuan 2 and OLMo 2 have adopted this."; most of
# the 1,067 such points of one lecture-notes blog, read in the measured set), so it is no glossary.
_LABEL_SAYS_WHAT = re.compile(r"^(?=[^\n]*[가-힣])[^\n]*[가-힣]\.?$")


_IDENTIFIER = re.compile(
    r"^`?[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+`?$|^`?[a-z]+(?:[A-Z][a-z0-9]*)+`?$|^`[^`]+`$"
)


def _columns(block: ListBlock) -> bool:
    """A dataset's columns or a config's fields: most terms are identifiers (snake_case,
    camelCase, `code`), the way a data dictionary is written."""
    terms = [
        (_DEFINITION.match(i.inline.md.strip()) or _LOOSE.match(i.inline.md.strip())) for i in block.items
    ]
    names = [
        m.groupdict().get("bold") or m.groupdict().get("italic") or m.groupdict().get("term") or ""
        for m in terms
        if m
    ]
    code = sum(bool(_IDENTIFIER.match(name.strip())) for name in names)
    if len(names) < 3 or code < 0.5 * len(names):
        return False
    return not _each_shown_in_code(block)


def _each_shown_in_code(block: ListBlock) -> bool:
    """Most points carry their own code example ("- `chain`: 여러 이터레이터를 하나로 합친다." + its
    snippet): an API's glossary to learn, not a table's columns or remarks on code elsewhere."""
    shown = sum(
        any(isinstance(child, OtherBlock) and child.kind == "CodeBlock" for child in item.children)
        for item in block.items
    )
    return 2 * shown >= len(block.items)


# "Great learning resources include:", "참고 자료는 다음과 같다": where to read more, not what to know.
_RESOURCES = re.compile(
    r"\b(?:learning|useful|great|good|additional|recommended|further|more)\s+(?:resources|reading|references|courses|"
    r"books|tutorials|links)\b|\breading\s+list\b|\bthese\s+(?:references|links|resources|books|courses)\b|"
    r"참고\s*(?:자료|문헌|링크|글)|읽을\s*거리|추천\s*(?:강의|도서|자료)",
    re.IGNORECASE,
)


# An item that names a formula's symbol and says what it stands for: "\(O\): Size of output image",
# "$$r_{ui}$$는 사용자 u의 평점", "t represents the time".
_SYMBOL_ITEM = re.compile(
    r"^\s*(?:\*\*|__|`)?(?:\\\(.{1,80}?\\\)|\$\$?[^$]{1,80}\$\$?|[A-Za-z](?:_\{?\w+\}?)?)(?:\*\*|__|`)?"
    r"\s*(?:[:：=]|는|은|represents\s|denotes\s)"
)


def _legend(block: ListBlock) -> bool:
    """Most items say what a formula's symbol stands for: a legend, which means nothing without
    the formula above it (and a cloze would hide the symbol with its meaning)."""
    items = block.items
    return len(items) >= 2 and 3 * sum(bool(_SYMBOL_ITEM.match(item.inline.md)) for item in items) >= 2 * len(
        items
    )


def _catalogue(block: ListBlock) -> bool:
    """A list of titles, or of topics each over its titles (an award list: "Best Paper" over
    “Title” by Authors): a catalogue to look up, not points to recall."""
    if len(block.items) >= 3 and shapes.is_catalogue([item.inline.text for item in block.items]):
        return True
    if not any(item.subitems for item in block.items):
        return False
    leaves: list[str] = []

    def gather(item: ListItem) -> None:
        if not item.subitems:
            leaves.append(item.inline.text)
        for sub in item.subitems:
            gather(sub)

    for item in block.items:
        gather(item)
    return shapes.is_catalogue(leaves)


def _setting(item: ListItem) -> bool:
    """`name : value` where the value is a number, a label or a file: a setting, not a point."""
    match = _DEFINITION.match(item.inline.md.strip()) or _LOOSE.match(item.inline.md.strip())
    return match is not None and shapes.is_value(render.plain(match.group("definition")))


def _balanced(md: str) -> bool:
    return (
        md.count("[") == md.count("]")
        and md.count("(") == md.count(")")
        and md.count("$") % 2 == 0
        and md.count("`") % 2 == 0
    )


def _definition_list(out: _Notes, block: OtherBlock) -> None:
    """kramdown's definition lists: `Term` on one line, `: definition` on the next."""
    for match in _DEFINITION_LIST.finditer(block.md):
        term = render.plain(match.group("term"))
        definitions = [ln[1:].strip() for ln in match.group("defs").splitlines() if ln.strip()]
        back = render.block("\n".join(f"- {d}" for d in definitions)) if len(definitions) > 1 else ""
        back = back or render.inline(definitions[0])
        line = block.line + block.md[: match.start()].count("\n")
        asked = subjects.definition_question(
            out.section, out.context, asking_language(out.section.post, back), term
        )
        if asked is None:
            out.notices.append((line, subjects.VAGUE.format(term=term)))
            continue
        front = render.escape(asked)
        out.basic("definition", ("definition", term), front, back, line, term)


def _glossary_table(out: _Notes, table: Table) -> None:
    """A table of two columns, a term and what it is or does, a row each ("\\n | 줄바꿈",
    "Gram matrix | the m×m matrix of kernel values"): each row a definition. Not a table of values
    or settings, nor one whose rows are not mostly such pairs."""
    rows = [row for row in table.rows if len(row) == 2]
    if len(table.header) != 2 or len(rows) < 2 or len(rows) < len(table.rows):
        return
    first, second = (render.plain(cell.md).strip() for cell in table.header)
    if (first or second) and not (_TERMS_COLUMN.match(first) or _SAYS_COLUMN.search(second)):
        # "Operation | What Triton does", "Misconception | Reality": a comparison or a table of
        # facts about each row, asked as "What is <row>?" it was judged a misread 12 times in 19.
        return
    pairs = []
    for term_cell, said_cell in rows:
        term = render.plain(term_cell.md).strip()
        said = render.plain(said_cell.md).strip()
        if (
            not term
            or len(term.split()) > 5
            or not shapes.describes(said)
            or shapes.is_value(said)
            or not shapes.is_term(term)
            or shapes.is_sentence(term)
            or shapes.MATH.search(term_cell.md)
            or len(term) < 2  # "a", "g": a key of a menu, not a term
            or ("\\" in term and not term.startswith("\\"))  # a formula's source, not an escape code
        ):
            continue
        pairs.append((term, said_cell))
    if 2 * len(pairs) <= len(rows):
        return  # mostly values, labels or numbers: a table of data, not a glossary
    korean = [said for _, said in pairs if shapes.HANGUL.search(said.text)]
    if korean and 2 * sum(shapes.is_sentence(said.text) for said in korean) > len(korean):
        return  # "명사 | 진이는 시골 풍경을 좋아한다.": examples of each, not what each is
    for term, said_cell in pairs:
        answer = render.inline(said_cell.md)
        lang = asking_language(out.section.post, answer)
        asked = subjects.definition_question(out.section, out.context, lang, term, said=said_cell.text)
        if asked:
            out.basic(
                "definition", ("definition", "table", term), render.escape(asked), answer, table.line, term
            )


# The header of a glossary's columns: the terms ("용어", "Term", "Data type"), and what each is
# ("설명", "Meaning", "Description").
_TERMS_COLUMN = re.compile(
    r"^(?:용어|개념|단어|이름|약어|키워드|명령어|함수|메서드|자료형|데이터\s*타입|타입|"
    r"terms?|concepts?|names?|words?|keywords?|abbreviations?|acronyms?|commands?|functions?|methods?|"
    r"(?:data\s+)?types?|symbols?|notations?|operators?)$",
    re.IGNORECASE,
)
_SAYS_COLUMN = re.compile(
    r"설명|의미|정의|뜻|역할|기능|용도|description|meaning|definition|explanation|purpose|role|"
    r"what\s+it\s+(?:is|does|means)",
    re.IGNORECASE,
)


def _open_questions(texts: list[str]) -> bool:
    """Most items are questions ("What other costs exist?"): things to wonder about, not to recall."""
    return 2 * sum(t.rstrip().endswith(("?", "？")) for t in texts) >= len(texts)


def _recallable(texts: list[str], limits: Limits, ordered: bool) -> bool:
    """Points to recite as a set: at least two, each short. A list of sentences is notes (a
    numbered one may be a lecture's outline, phrased as sentences); commands and bare labels
    ("Step 1", "Step 2") are nothing to recall."""
    return (
        len(texts) >= 2
        and not _open_questions(texts)
        and not any(t.lstrip().startswith(("&", "\\\\")) for t in texts)  # a matrix's rows, split
        and all(shapes.is_point(t, limits.max_item_chars) and not shapes.has_url(t) for t in texts)
        and (ordered or not any(shapes.is_sentence(t) and shapes.width(t) > 45 for t in texts))
        and not all(shapes.is_command(t) or shapes.is_numbered_label(t) for t in texts)
    )


def _enumeration(
    out: _Notes,
    items: tuple[ListItem, ...],
    header: str,
    identity: tuple[str, ...],
    kind: NoteKind,
    ordered: bool,
    loose: bool = False,
    led: bool = True,
) -> bool:
    """Cloze notes that ask for the items one at a time (a card per item); a long list is split
    into even parts of at most `max_enumeration` items, so no card shows a wall of text.

    Under a bare heading or label (not `led` in by a sentence that says what is listed), only
    short points are asked for ("relu: [doesn't saturate] [computationally efficient]"): notes
    written as sentences under a topic ("작은 batch 사이즈: [업데이트 횟수가 많음] […]") ask for
    whole sentences to a prompt that does not say what they are."""
    definitions = [split_definition(item, loose) for item in items]
    if any(_setting(item) for item in items):
        return False  # "learning rate : 0.045", "batch size : 96": settings, not points to recall
    if all(definitions):
        # A list of definitions: the enumeration asks for the terms; each definition gets a note.
        shown = [render.escape(d[0]) for d in definitions if d]
    else:
        shown = [render.inline(item.inline.md) for item in items]
    texts = [render.text(html) for html in shown]
    if not _recallable(texts, out.limits, ordered) or all(_BARE_LABEL.match(text) for text in texts):
        return False  # too long to recite, or labels whose content is a link ("일과 : ", "과제 : ")
    if not led and not ordered and any(shapes.is_sentence(t) for t in texts):
        return False
    if all(t.casefold() in render.text(header).casefold() for t in texts):
        return False  # "…either deterministic or stochastic: [Deterministic] [Stochastic]"
    kept = [(item, html) for item, html in zip(items, shown, strict=True) if render.text(html)]
    meant = [(item, html) for item, html in kept if not _FILLER.match(render.text(html).strip())]
    kept = meant if len(meant) >= 2 else kept  # "Cells can be 2 types: Markdown, Code": a member
    if len(kept) < 2:
        return False
    parts = math.ceil(len(kept) / out.limits.max_enumeration)
    size = math.ceil(len(kept) / parts)
    for part in range(parts):
        chunk = kept[part * size : (part + 1) * size]
        start = part * size + 1
        span = (start, start + len(chunk) - 1, len(kept)) if parts > 1 else None
        text = render.enumeration(header, [html for _, html in chunk], span)
        # The first part keeps the list's identity: a list that grows past the limit keeps its note.
        part_identity = identity if part == 0 else (*identity, f"part {part + 1}")
        line = chunk[0][0].line
        out.notes.append(
            make_note(out.section, kind=kind, identity=part_identity, front=text, cloze=True, line=line)
        )
    return True


# An item that labels what follows it (code, a figure, a summary table) or trails off: nothing to
# ask for in a cloze ("퀵 정렬: [시간 복잡도 O(n log n)] [코드]", "[…]").
_BARE_LABEL = re.compile(r"^[^:：]{1,12}[:：]\s*$")
_FILLER = re.compile(
    r"^(?:코드|소스\s*코드|구현|구현\s*코드|알고리즘|예시|예제|참고\s*(?:글|자료)?|그림|결과|"
    r"(?:pytorch|tensorflow|keras|python|c\+\+)?\s*(?:code|implementation)|[\w-]+\s+summary|"
    r"\.{2,}|…|etc\.?|등등?)\s*[:：]?$|"
    rf"{_BARE_LABEL.pattern}",  # a label and nothing after it ("일과 : " before a badge link)
    re.IGNORECASE,
)


def _only_child(
    out: _Notes, item: ListItem, only: ListItem, header: str, path: tuple[str, ...], ordered: bool
) -> None:
    """A point with one sub-point: "X — what does it say?". Asked only of a numbered point (a
    lecture's outline); under a bullet the question says too little to be worth a card. Not of a
    value or a command ("개발 기간 — 2년 반", "ex. git pull origin master")."""
    if not ordered or not shapes.describes(only.inline.text) or shapes.is_command(only.inline.text):
        return
    if not _names_a_term(item.inline.text):
        # "Define Problems — what does it say?", "제출 버튼 누르기 — …": a step or a sentence
        # heads it, and the question asks nothing a reader could answer.
        out.notices.append((item.line, "a point with one sub-point, headed by a step or a sentence: no card"))
        return
    lang = asking_language(out.section.post, render.inline(only.inline.md))
    front = phrasing.question(lang, "children", item=header)
    # One fact a card: what is nested deeper gets cards of its own.
    back = render.inline(only.inline.md) if only.subitems else render.block(only.md)
    out.basic("children", ("children", *path), front, back, item.line)


_STEP_ENDING = re.compile(r"(?:하기|누르기|[가-힣]기|[:：])\s*$")


def _names_a_term(text: str) -> bool:
    """A point's text names something or states a claim about it ("멱등성", "Network in Network
    (NiN)", "개발자의 역할은 … 달라진다."): not a step ("Define problems", "버튼 누르기", "reObj를
    만든다."), a lead-in ending in a colon, or a sentence that opens by pointing ("이 함수를 …")."""
    text = text.strip()
    first = text.split()[0] if text.split() else ""
    return (
        0 < shapes.width(text) <= 60
        and not _STEP_ENDING.search(text)
        and not _KO_OBJECT.search(text)
        and not _STEP_OR_LABEL.match(text)
        and not _IMPERATIVE.match(text)
        and not shapes.is_command(text)
        and shapes.is_term(first)
    )


_KO_OBJECT = re.compile(r"[\w)'’](?:을|를)\s")


# An English point that opens with a verb in the imperative: a step of a procedure.
_IMPERATIVE = re.compile(
    r"^(?:define|use|set|let|see|read|note|keep|avoid|make|build|run|add|get|put|give|show|train|test|"
    r"evaluate|measure|compare|consider|assume|start|stop|prepare|split|sort|merge|write|draw|plot)\s",
    re.IGNORECASE,
)


def _says_what(definition: tuple[str, str]) -> bool:
    return shapes.says_what(definition[0], render.plain(definition[1]))


def _answers_what(items: tuple[ListItem, ...], loose: bool) -> bool:
    """A glossary's definitions say what each term is, most of them ("1NF: atomic values" among
    "2NF: no partial dependency on a key"…), or name a trait of each ("MP3: high compression",
    "WAV: larger file sizes"): a comparison, not definitions. Judged as one list, so a glossary
    keeps or loses its cards together."""
    definitions = [d for item in items if (d := split_definition(item, loose))]
    return 2 * sum(map(_says_what, definitions)) >= len(definitions)


# Terms that mean nothing without what they belong to: "장점", "단점", "Pros", "Limitations".
_TRAIT_WORDS = (
    r"장점|단점|한계|한계점|특징|목적|목표|문제점|의의|효과|pros|cons|advantages?|disadvantages?|limitations?|"
    r"goals?|purpose|benefits?|drawbacks?"
)
_RELATIVE_TERM = re.compile(rf"^(?:{_TRAIT_WORDS}|features?|strengths?|weaknesses?)$", re.IGNORECASE)


# A step of a procedure ("Build it", "Initialize random weights", "Know the model") or a label
# ("H2", "A1"): what follows is not what it is.
_STEP_OR_LABEL = re.compile(
    r"^(?:[A-Z]\d{1,2}|(?:Build|Repeat|Detect|Initiali[sz]e|Know|Does|Do|Adopt|Compute|Get|Make|Run|Apply|Add|"
    r"Remove|Create|Find|Take|Choose|Select|Load|Save|Write|Call|Update|Check|Print|Install|Download|Import|"
    r"Open|Go|Try|Fill|Drop|Convert|Move|Fix|Pick|Collect|Send|Understanding)(?:\s[^(]*)?)$"
)
# One adjective ("Deterministic", "synchronous"): a kind of the thing above it, asked in its context.
_ADJECTIVE = re.compile(r"^[A-Za-z][a-z]+(?:ic|ous|ive|able|ible|al)$")


def _bare_label(label: str) -> bool:
    """A point's label that says nothing until it says whose ("학습", "Shortcomings", "Stronger",
    "수식"): a plain word or a comparative, alone."""
    return subjects.generic(label) or subjects.comparative(label) or label in _KO_BARE


# Korean section words that need an owner, beyond the common nouns subjects knows ("학습", "구조").
_KO_BARE = frozenset(["수식", "파이프라인", "추론", "훈련", "개선"])


def _owner_above(parents: tuple[str, ...]) -> str | None:
    """The nearest point above that names something ("YOLOv2", "Faster R-CNN"); None when none
    does (the cue then shows the heading)."""
    for parent in reversed(parents):
        if (found := subjects.as_subject(parent)) is not None:
            return found
    return None


# The parts of a paper or a report that give settings and findings, not terms.
_FINDINGS = re.compile(
    r"^(?:\d+(?:\.\d+)*\.?\s*)?(?:results?|experiments?|experimental\s+(?:results?|setup|settings?|details)|"
    r"evaluation|findings|observations|ablations?(?:\s+stud(?:y|ies))?|implementation\s+details|training\s+details|"
    r"hyper-?\s*parameters?|setup|결과|실험|실험\s*결과|실험\s*설정|성능\s*평가)\s*[:：]?$",
    re.IGNORECASE,
)
_FINDING_NOTICE = "a labelled point under results or experiments (a setting or a finding): no definition"


def _explained(item: ListItem) -> Paragraph | None:
    """The paragraph under a point that names a term and nothing else ("1. Super block" + "file
    system의 global한 정보들을 담는 block으로 …"): the lecture-note way to define a list of terms."""
    if item.subitems or not item.children or not isinstance(item.children[0], Paragraph):
        return None
    text = item.inline.text.strip()
    if not (shapes.is_topic(text, 40) and shapes.is_term(text) and _names_a_term(text)) or subjects.generic(
        text
    ):
        return None
    return item.children[0]


# A paragraph that shows rather than says: an example ("ex) 아테네 : 그리스"), a formula alone,
# a pointer to read elsewhere ("… 참고").
_NOT_SAYING = re.compile(r"^(?:ex\)|e\.g\.|예\)|예\s*[:：]|예시|\\\[|\$\$|see\b)|참고\.?$", re.IGNORECASE)


_SHOWN = re.compile(
    r"\b(?:sentences?|examples?|samples?|output|input)\b|문장|예시|예제|님$|차이", re.IGNORECASE
)


# A Korean point that says what kind of thing its term is: it ends on the kind ("numpy array를
# 합치는 함수", "각 마크를 변경할 수 있는 요소들", "고정된 가중치 행렬이다").
_KO_ENDS_ON_KIND = re.compile(
    r"[가-힣A-Za-z)]\s*(?:함수|방법|방법론|방식|기법|요소|행렬|벡터|구조|자료\s*구조|모델|알고리즘|값|개념|집합|지표|연산|"
    r"네트워크|레이어|계층|과정|기술|규칙|분포|공간|도구|라이브러리|프레임워크|현상|문제|변수|파라미터|매개변수|함수형|"
    r"것)(?:들)?(?:이다|입니다|임)?\s*[.。]?(?:\s*\([^)]*\))?$"
)
# An English point that says what kind of thing its term is: "a function that …", "X is a …".
_EN_SAYS_KIND = re.compile(r"^an?\s+(?![\w\-]+\s+(?:is|are|has|have|was)\b)[\w\-]", re.IGNORECASE)


def _explained_by_point(item: ListItem) -> str | None:
    """The first sub-point under a point that names a term and nothing else, when it says what
    kind of thing the term is ("- 커널" + "- 커널은 고정된 가중치 행렬이다.", "- concatenate" +
    "- numpy array를 합치는 함수"): the lecture-note way to define terms in an outline. Its other
    sub-points (uses, examples, caveats) are left to the rules that read them."""
    if len(item.sublists) != 1 or not isinstance(item.children[0], ListBlock):
        return None
    text = item.inline.text.strip()
    if not (shapes.is_topic(text, 40) and shapes.is_term(text) and _names_a_term(text)):
        return None
    if (
        subjects.generic(text)
        or subjects.RELATIVE.match(text)
        or _bare_label(text)
        or _RELATIVE_TERM.match(text)
    ):
        return None
    if _KO_CLAUSE_HEAD.search(text) or re.search(r"\w_\w|[,，]$|면$", text):  # or "dl_data", code's
        return None  # "저의 경우에는", "간선에 가중치가 있는 경우": a clause's head, not a term
    md = shapes.first_sentence(item.sublists[0].items[0].inline.md)
    said = render.plain(md).strip()
    if (labelled := _LOOSE.match(said)) is not None:
        if labelled.group("term").strip().casefold() != text.casefold():
            return None  # "하향식 알고리즘: Girvan-Newman": a term of its own, read as a glossary
        md = md.split(":", 1)[-1].split("：", 1)[-1].strip()  # "Dynamic Typing: 실행 시에 …"
        said = render.plain(md).strip()
    subject = re.match(r"^(\S+?)(?:은|는|이란|란)\s", said)
    if subject and not text.casefold().startswith(subject.group(1).casefold()):
        return None  # "다이나믹은 …" under "시간복잡도": what it says is of something else
    head = re.split(r",|\s(?:that|which|where|who|whose)\s", said, maxsplit=1)[0]
    says_kind = said.isascii() and (
        (_EN_SAYS_KIND.match(said) and not re.search(r"\s(?:is|are|was|were|has|have)\s", head))
        or re.match(rf"(?:the\s+)?{re.escape(text)}\s+(?:is|are)\s+(?:an?|the)\s", said, re.IGNORECASE)
    )
    if not (_KO_ENDS_ON_KIND.search(said) or says_kind):
        return None
    return md


# What a list of labelled points holds when its labels are no terms: pros and cons, reasons, the
# situations or examples of something, the steps of a procedure (said by its heading or lead-in).
_SET_OF_CLAIMS = re.compile(
    r"(?:장점|단점|장단점|이유|상황|예시|사례|활용\s*(?:사례|예시?)|적용\s*(?:사례|예시?)|과정|단계|절차|순서)(?:들)?"
    r"(?:[은는이가]\s*(?:다음과|아래와)\s*같(?:다|습니다|음))?\s*[:：.]?$|"
    r"^(?:(?:the\s+)?(?:main|key)\s+)?(?:pros(?:\s+and\s+cons)?|cons|advantages|disadvantages|benefits|drawbacks|reasons|"
    r"examples|use\s+cases|applications|steps|stages)\b",
    re.IGNORECASE,
)
# A label in English that names something ("Fraud Detection", "Hierarchical-Z", "Pre-training"): among
# a list of use cases or steps it is still a term.
_NAMED_LABEL = re.compile(r"^(?=[^가-힣]*$)(?=.*[A-Z])[A-Za-z][\w\-]*(?:[ /&+][\w\-()]+){0,5}$")
_CLAIM_NOTICE = "a labelled point among pros, reasons, examples or steps: its label is no term, no definition"
_TRAITS = re.compile(rf"(?:{_TRAIT_WORDS}|역할|roles?)$", re.IGNORECASE)  # "Distillation 역할"


# The head of a Korean clause, not a term: a particle or "경우"/"때" at its end.
_KO_CLAUSE_HEAD = re.compile(r"[가-힣](?:은|는|이|가|을|를|에|에는|에서|에서는|의|도|로)$|(?:경우|때)$")


def _term_over_paragraph(
    out: _Notes, item: ListItem, parents: tuple[str, ...], said: Paragraph | str
) -> None:
    """The point's term, asked what it is; the answer is the paragraph's (or the sub-point's)
    first sentence."""
    term = _EMOJI.sub("", render.plain(item.inline.md)).strip()
    first = shapes.first_sentence(said if isinstance(said, str) else said.inline.md)
    plain = render.plain(first).strip()
    if not shapes.describes(plain) or _POINTS_AWAY.match(plain) or _NOT_SAYING.search(plain):
        return
    if len(plain.split()) < 3 or any(mark in term for mark in ("→", "->", ":", "：")) or _SHOWN.search(term):
        return  # "4 bytes per element", "New user 4 추가 → …", "output sentence": a value, a step, a sample
    answer = render.inline(shapes.without_figure_pointer(first))
    lang = asking_language(out.section.post, answer)
    asked = subjects.definition_question(
        out.section, out.context, lang, term, parents=parents, said=render.plain(first)
    )
    if asked is None:
        out.notices.append((item.line, subjects.VAGUE.format(term=term)))
        return
    out.basic(
        "definition",
        ("definition", *parents, item.inline.text),
        render.escape(asked),
        answer,
        item.line,
        term,
    )


def _item_notes(
    out: _Notes,
    item: ListItem,
    parents: tuple[str, ...],
    loose: bool,
    ordered: bool,
    answers: bool | None = None,
) -> None:
    path = (*parents, item.inline.text)
    definition = split_definition(item, loose)
    if definition is not None and _STEP_OR_LABEL.match(definition[0].strip()):
        definition = None  # "Build it: …", "Repeat: …", "H2: …": a step or a label, not a name
    if definition is not None and _HEADING_LABEL.search(definition[0]):
        definition = None  # "⚠️ Limitations of Standard ViTs: …", "Key Highlights: …": a heading
    if definition is not None and _POINTS_AWAY.match(render.plain(definition[1])):
        definition = None  # "Sentiment Analysis: These experiments are performed on …": not what it is
    if definition is not None and any(_FINDINGS.match(title.strip()) for title in out.section.path):
        # "ImageNet: 84.2% top-1", "learning rate: increased linearly …", "Multiclass classification:
        # E+ and E- come from …": under Results or Experiments a label names a setting or a finding,
        # not a term (judged worth keeping 5 times in 17).
        out.notices.append((item.line, _FINDING_NOTICE))
        definition = None
    if definition is not None and out.claims and not _NAMED_LABEL.match(definition[0].strip()):
        # "## 👍 장점" + "- **유연한 키**: 문자열, 숫자 등 …", "…이 중요한 이유는 다음과 같다" + "- **금융
        # 거래**: …", "## 동작 과정" + "1. **초기화**: …": the labels of pros, reasons, examples or
        # steps, not terms; the list is asked as a set.
        out.notices.append((item.line, _CLAIM_NOTICE))
        definition = None
    if definition is not None and (answers if answers is not None else _says_what(definition)):
        term = definition[0]
        answer = render.inline(shapes.without_figure_pointer(definition[1]))
        lang = asking_language(out.section.post, answer)
        where = (parents[-1] if parents else out.section.title).strip().lstrip("-*•·– ").strip()
        relative = _RELATIVE_TERM.match(term) is not None or _ADJECTIVE.match(term) is not None
        where = subjects.as_subject(where, term) or ""  # not a sentence the point sits under
        if (relative or (parents and term.isascii() and term.islower())) and where and shapes.is_label(where):
            # "backward : compute gradient on image" under "DeepDream", "장점 : …" under "Soft
            # attention": asked in its context.
            front = render.escape(phrasing.question(lang, "definition-in", term=term, where=where))
        elif asked := subjects.definition_question(
            out.section,
            out.context,
            lang,
            term,
            parents=parents or ((out.named,) if out.named else ()),  # "POET … : 1. *Mutation*: …"
            said=render.plain(definition[1]),
        ):
            front = render.escape(asked)  # "Reward : …" under "Meta-RL": "In Meta-RL, what is reward?"
        else:
            out.notices.append((item.line, subjects.VAGUE.format(term=term)))
            front = ""
        out.basic(
            "definition",
            ("definition", *parents, definition[0]),
            front,
            answer,
            item.line,
            term,
        )
    # Under results, or under what something is good for ("Distillation 역할" / "성능 향상"), a
    # point names a finding or a trait, not a term.
    claims = (
        out.claims
        or any(_FINDINGS.match(title.strip()) for title in out.section.path)
        or bool(parents and _TRAITS.search(parents[-1].strip().rstrip(":：")))
    )
    if definition is None and (said := _explained(item) or (not claims and _explained_by_point(item))):
        _term_over_paragraph(out, item, parents, said)
    children = item.subitems
    header = _item_header(item, ordered) if children else None
    label = item.inline.text.strip().rstrip(":：").strip()
    if (
        header is not None
        and subjects.RELATIVE.match(label)
        and (owner := subjects.subject(out.section, out.context, "", parents))
    ):
        # "- Voila / - 장점 / - …": "Voila의 장점", asked as a list that says what it lists.
        lang = asking_language(out.section.post, render.block(item.md))
        header = render.escape(subjects.owned(label, owner, lang))
        led_by_owner = True
    else:
        led_by_owner = False
        bare = _bare_label(re.split(r"\s[:：]\s", label, maxsplit=1)[0])  # "Stronger : 더 많은 클래스"
        if header is not None and bare and (owner := _owner_above(parents)):
            # "- YOLOv2 / - Stronger / - …": "YOLOv2: Stronger", the point it belongs to named.
            header = f"{render.escape(owner)}: {header}"
    if header is not None:
        if len(children) == 1:
            _only_child(out, item, children[0], header, path, ordered)
        else:
            numbered = all(block.ordered for block in item.sublists)
            led = led_by_owner or _points_at_list(item.inline.text)
            reasons = [
                _not_points(b, item.inline.md, False)
                or out.on_code(b)
                or (_labels_only(b) and _LABELS_NOTICE)
                or None
                for b in item.sublists
            ]
            if reason := next((r for r in reasons if r), None) or _not_taught(item.inline.text):
                out.notices.append((item.line, reason))
            elif not led and not ordered and _outline(children):  # a numbered point heads its
                out.notices.append((item.line, _OUTLINE_NOTICE))
            else:
                made = _enumeration(out, children, header, ("children", *path), "children", numbered, led=led)
                if not made and led_by_owner and len(item.sublists) == 1:
                    _listed(out, item.sublists[0], header, ("children", *path))  # "Voila의 장점" + sentences
    for block in item.sublists:
        for child in block.items:
            _item_notes(out, child, path, False, block.ordered)
