"""Paper summaries: a section about a paper; its body is the summary.

A section is about a paper when its heading links one, when its first line is a paper link, or
when its title is the title a table or link list elsewhere in the post gives a paper.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator, Mapping

from flashgen import phrasing
from flashgen.extract import shapes
from flashgen.extract.common import Found, PaperRef, PostContext, asking_language, make_note, summary
from flashgen.model import Block, Inline, ListBlock, OtherBlock, Paragraph, Post, Section, Table
from flashgen.read import jekyll, render

_ARXIV = re.compile(r"arxiv\.org/(?:abs|pdf|html)/([a-z\-]+/\d{7}|\d{4}\.\d{4,5})(?:v\d+)?", re.I)
_DOI = re.compile(r"(?:dx\.)?doi\.org/(10\.\d{4,9}/[^\s?#]+)", re.I)
_OPENREVIEW = re.compile(r"openreview\.net/(?:forum|pdf)\?id=([\w\-]+)", re.I)
_ACL = re.compile(r"aclanthology\.org/([\w.\-]+?)(?:\.pdf)?/?$", re.I)
_PDF = re.compile(r"^https?://\S+\.pdf(?:[?#]\S*)?$", re.I)
_BARE_URL = re.compile(r"https?://[^\s<>|)\]]+")
_PROCEEDINGS = re.compile(r"(?:proceedings\.neurips\.cc|papers\.nips\.cc|proceedings\.mlr\.press)/\S+", re.I)
_ARXIV_ID = re.compile(r"^(?:arxiv:\s*)?(\d{4}\.\d{4,5})(?:v\d+)?$", re.I)
# Link texts that name the link, not the paper, matched with their spaces taken out ("Link to the
# paper", "이 곳", "논문 링크", "[PDF]").
_GENERIC = re.compile(
    r"^\[?(?:(?:the|this|a|our)?(?:original|full|official|published)?(?:paper|pdf|arxiv|archive|link|here|clickhere|code|github|"
    r"projectpage|openreview|doi|abs|source|slides?|video|blog|post|article)(?:link|page|here|version)?|"
    r"(?:link|links)to(?:the|this)?(?:original|full)?(?:paper|pdf|arxiv|article|post)|"
    r"(?:read|see|view|download|get)(?:the|this)?(?:full)?(?:paper|pdf|article)(?:here)?|"
    r"(?:논문|원문|원본|페이퍼|paper|pdf|arxiv)(?:링크|보기|원문|원본|바로가기|주소|pdf|파일)?|"
    r"링크|여기|여기서|여기를클릭|이곳|이곳에서|이곳을클릭|클릭|바로가기)\]?[.:!]?$",
    re.IGNORECASE,
)
# A review's block of the paper's metadata: its links, venue and submission date ("## Paper Info").
PAPER_META = re.compile(
    r"^(?:paper\s*info(?:rmation)?|논문\s*정보|paper\s*details|metadata|메타\s*데이터|bibliographic\s+info)$",
    re.IGNORECASE,
)
# A reference with its title in quotes: 'Chen, Xi, et al. "Variational lossy autoencoder." arXiv …'.
_CITED_TITLE = re.compile(
    r"\bet\s+al\.?,?\s+[\"“]([^\"”]{8,200}?)[.,]?[\"”]"
    # "K. Fragkiadaki의 \"Recurrent Network Models for Human Dynamics\"": who wrote it, then the title
    r"|^[A-Z][\w.\s\-]{0,40}?의\s+[\"“]([^\"”]{8,200}?)[.,]?[\"”]\s*$"
)
# A link text that is its authors and year ("Mnih, et al., 2016", "Morin and Bengio 2005"): who wrote
# it, not its title ("ZFNet, 2013" names a method).
_CITATION_ONLY = re.compile(
    r"^[A-Z][\w'’\-]+(?:,?\s+(?:and|&)\s+[A-Z][\w'’\-]+|,?\s+et\s+al\.?|(?:,\s*[A-Z][\w'’\-]+){1,4}),?\s*\(?(?:19|20)\d\d[a-z]?\)?$"
)
# "[논문 리뷰] Title", "[Paper Review] Title", "Paper review: Title": the post title minus its label.
_REVIEW_LABEL = re.compile(
    r"^\s*(?:\[[^\]]{0,30}\]|\([^)]{0,30}\)|(?:paper\s+(?:review|summary|notes?)|논문\s*(?:리뷰|정리|요약))\s*[:：-]|"
    # a series' label and number: "Paper Summary #3 - …", "PPML Series #3 - …"
    r"[\w .&/]{0,30}?\b(?:summary|series|review|notes?|리뷰|정리)\s*#\s*\d+\s*[:：\-–—|])\s*",
    re.IGNORECASE,
)
_FIRST_LINE_MAX = 160  # a "Paper: [link]" line under a heading, not a paragraph that cites one


def paper_id(url: str) -> str | None:
    """A short, stable id for a paper URL ("arXiv:1706.03762"), or None if it is not a paper."""
    url = url.strip()
    if match := _ARXIV_ID.match(url):
        return "arXiv:" + match.group(1)
    if match := _ARXIV.search(url):
        return "arXiv:" + match.group(1)
    if match := _DOI.search(url):
        return "doi:" + match.group(1).rstrip(".")
    if match := _OPENREVIEW.search(url):
        return "OpenReview:" + match.group(1)
    if match := _ACL.search(url):
        return "ACL:" + match.group(1)
    if _PDF.match(url) or _PROCEEDINGS.search(url):
        return re.sub(r"^https?://", "", url).split("#")[0]
    return None


def paper_url(url: str) -> str:
    """A link for an id or URL given in front matter (`arxiv: 1706.03762` → its abstract page)."""
    match = _ARXIV_ID.match(url.strip())
    return f"https://arxiv.org/abs/{match.group(1)}" if match else url.strip()


def named_title(text: str) -> str:
    """A link text as a paper title, or "" when it only names the link ("paper", "논문", a URL)."""
    if (quoted := _CITED_TITLE.search(text)) is not None:
        text = quoted.group(1) or quoted.group(2)  # 'Chen, Xi, et al. "Variational lossy autoencoder."'
    text = _DECORATION.sub("", text.strip()).strip()
    if (
        not text
        or _GENERIC.match(re.sub(r"\s+", "", text))
        or _CITATION_ONLY.match(text)
        or text.startswith(("http://", "https://"))
        or paper_id(text)
    ):
        return ""
    return text


# Around a title, not part of it: a numbering, quotes, and how the talk was given ("(Spotlight)").
_DECORATION = re.compile(
    r"^(?:\d+[.)]|\(\d+\)|#\d+)\s+|^[“\"'「『]+|[”\"'」』]+$|"
    r"\s*[(\[](?:oral|spotlight|poster|highlight|best\s+paper[^)\]]*)[)\]]\s*$",
    re.IGNORECASE,
)


# ── what the whole post knows of its papers ──


def known_papers(sections: Iterable[Section]) -> tuple[dict[str, PaperRef], dict[str, str]]:
    """Every paper the post links (by id), from its tables first, then any link; and titles → id."""
    papers: dict[str, PaperRef] = {}
    blocks = [block for section in sections for block in section.blocks]
    for table in (b for b in blocks if isinstance(b, Table)):
        for ref in _table_papers(table):
            papers.setdefault(ref.pid, ref)
    for inline in (i for section in sections for i in (section.heading, *_inlines(section.blocks))):
        for url, text in _urls(inline):
            if (pid := paper_id(url)) and pid not in papers:
                papers[pid] = PaperRef(pid, url, named_title(text))
    titles = {ref.title.casefold(): pid for pid, ref in papers.items() if len(ref.title) >= 8}
    return papers, titles


def _inlines(blocks: Iterable[Block]) -> Iterator[Inline]:
    for block in blocks:
        if isinstance(block, Paragraph):
            yield block.inline
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield item.inline
                yield from _inlines(item.children)
        elif isinstance(block, Table):
            for row in (block.header, *block.rows):
                yield from row


def _urls(inline: Inline) -> Iterator[tuple[str, str]]:
    yield from ((link.url, link.text) for link in inline.links)
    if "http" in inline.text:
        yield from ((url, "") for url in _BARE_URL.findall(inline.text))


def _table_papers(table: Table) -> Iterator[PaperRef]:
    """Rows that link a paper: the link's own text or the longest other cell is its title, the
    other cells its details."""
    headers = [cell.text for cell in table.header]
    for row in table.rows:
        found = [
            (i, url, text, pid)
            for i, cell in enumerate(row)
            for url, text in _urls(cell)
            if (pid := paper_id(url))
        ]
        url_cells = {i for i, _, _, _ in found}
        others = [(i, cell.text) for i, cell in enumerate(row) if i not in url_cells and cell.text]
        for _, url, text, pid in found:
            title_index, title = -1, named_title(text)
            if not title and others:
                title_index, title = max(others, key=lambda pair: len(pair[1]))
            details = tuple(
                f"{headers[i]}: {cell}" if i < len(headers) and headers[i] else cell
                for i, cell in others
                if i != title_index
            )
            if title:
                yield PaperRef(pid, url, title, details)


def post_paper(
    post: Post, sections: tuple[Section, ...], papers: Mapping[str, PaperRef], titles: Mapping[str, str]
) -> PaperRef | None:
    """The one paper a post is about: front matter `paper:`, else, when no section is itself about
    a paper, a paper link in its first screen, or (with no link there) two signs of a review: the
    title, categories or tags say so (paper, 논문, review, 리뷰), an authors line opens it, its
    headings are a paper's parts (Abstract, Method, Experiments…). A link given only in its
    references is then taken as the paper's."""
    if post.paper is not None:
        url = paper_url(post.paper.url)
        pid = paper_id(url) or url
        known = papers.get(pid)
        title = post.paper.text or (known.title if known else "") or _post_title(post)
        return PaperRef(pid, url, title, known.details if known else ())
    about = [(s, found) for s in sections if s.level > 0 and (found := _section_paper(s, papers, titles))]
    if len(about) == 1 and (is_title_heading(about[0][0]) or PAPER_META.match(about[0][0].title)):
        # "# FitNets" + "Original paper: arxiv…" heading the whole post: the post is the review.
        ref = about[0][1][0]
        return PaperRef(ref.pid, ref.url, named_title(ref.title) or _post_title(post), ref.details)
    if about:
        return None
    screen = _first_screen(post, sections)
    headings = _matched_headings(_PAPER_HEADING, sections)
    asked = {s.title.strip().rstrip("?？").strip().casefold() for s in sections}
    # "## WHY?" / "## WHAT?" / "## So?": a reviewer's template for one paper, a sign as strong as two
    template = {"why", "what"} <= asked and bool(asked & {"so", "so what", "result", "results"})
    cites_itself = any(_cites_title(inline.text, post.title) for inline in screen)
    lecture = bool(_NOT_ONE_PAPER.search(post.title))
    folders = jekyll.categories_from_path(post.label.replace("\\", "/"))  # "paper-summaries/_posts/…"
    signs = (
        (
            bool(_REVIEW_WORDS.search(" ".join((post.title, *post.categories, *post.tags, *folders))))
            or any(_VENUE_TAG.match(tag) for tag in (*post.categories, *post.tags))  # "NIPS 2014"
            or any(_ABOUT_THE_PAPER.search(inline.text) for inline in screen)  # "The paper studies …"
        )
        and not lecture,
        cites_itself
        or template
        or any(len(inline.text) <= 120 and _AUTHORS.search(inline.text) for inline in screen),
        len(headings) >= 2 or "abstract" in headings or "초록" in headings or template,
    )
    # A paper link opening the post ("Paper: [link]" before any heading) names its paper; one
    # further down the first screen does when the post also reads as a review.
    opening = {id(i) for s in sections[:1] if s.level == 0 for b in s.blocks[:2] for i in _inlines([b])}
    for inline in screen:
        line = _link_line(inline) and (id(inline) in opening or any(signs)) and not lecture
        if _NOT_A_PAPER_LINK.search(inline.text):
            continue  # "강의 슬라이드 : [링크](…lecture5.pdf)": a lecture's slides, not a paper
        for url, text in _urls(inline):
            if not (line or _same_title(named_title(text), post.title)):
                continue  # prose that cites a paper in passing is not a review of it
            if found_id := paper_id(url):
                known = papers.get(found_id)
                title = named_title(text) or (known.title if known else "") or _post_title(post)
                return PaperRef(found_id, url, title, known.details if known else ())
    # "Neural Collaborative Filtering 논문 리뷰", "Paper review: …": a title that says the post reviews
    # one paper is sign enough.
    says_so = bool(_ONE_REVIEW_TITLE.search(post.title)) and not lecture
    if (sum(signs) < 2 and not cites_itself and not says_so) or _GUIDE_TITLE.match(post.title):
        return None  # not a review; nor is "A guide to Inception Model in Keras", whatever it cites
    # A review that links its paper only further down (in its references, say) is about it when
    # it links no other paper.
    if len(papers) == 1:
        (ref,) = papers.values()
        return PaperRef(ref.pid, ref.url, _post_title(post), ref.details)
    return PaperRef("post:" + post.key, "", _post_title(post))


_ASKS_WHAT = re.compile(r"^\s*what\s+(?:is|are)\b.*[?？]\s*$|.+(?:이란|란)\s*[?？]\s*$", re.IGNORECASE)
# A tutorial's title, not a paper's: the post explains a topic, it does not review one paper.
_GUIDE_TITLE = re.compile(
    r"^\s*(?:an?\s+)?(?:(?:complete|full|quick|short|gentle|practical|beginner'?s?)\s+)?(?:guide|introduction|intro|"
    r"tutorial|overview|primer|walkthrough)\s+(?:to|of|on)\b|^\s*how\s+to\b",
    re.IGNORECASE,
)
# A talk, a course or a conference written up: "ICCV 2019 참석 후기", "CS231n Lecture 5", "3주차 강의 정리"
# (unless the title says it reviews a paper).
_NOT_ONE_PAPER = re.compile(
    r"^(?!.*(?:paper\s*(?:review|리뷰)|논문\s*(?:리뷰|요약|정리|설명))).*(?:후기|참석|강의|강좌|수업|lecture|course|seminar|"
    r"workshop|conference|학회|컨퍼런스|\b(?:week|day)\s*\d|\d+\s*(?:주차|일차)|cs\s*\d{3})",
    re.IGNORECASE,
)
_SCREEN_LINES = 25  # what a reader sees first: the first lines of the body, after the front matter
# A post tagged with a venue and year ("NIPS 2014", "ICLR 2020", "CVPR'19"): about a paper there.
_VENUE_TAG = re.compile(
    r"^(?:CVPR|ICCV|ECCV|NeurIPS|NIPS|ICML|ICLR|AAAI|IJCAI|ACL|EMNLP|NAACL|COLING|KDD|SIGIR|WWW|WSDM|RecSys|"
    r"Interspeech|ICASSP|CoRL|RSS|UAI|AISTATS|COLT|TACL|JMLR|TPAMI)\s*'?(?:19|20)?\d\d$",
    re.IGNORECASE,
)
# A review's own words for what it reviews: "The paper proposes / studies …", "이 논문은 …".
_ABOUT_THE_PAPER = re.compile(
    r"^\W*(?:the|this)\s+paper\s+(?:proposes|presents|introduces|studies|investigates|explores|shows|describes|"
    r"analy[sz]es|compares|argues|considers|extends|revisits|evaluates)\b|^\W*(?:이|본)\s*논문(?:은|에서는|에서)\s",
    re.IGNORECASE,
)
# The label of a link to a talk's or a course's material ("강의 슬라이드", "Slides", "Lecture video").
_NOT_A_PAPER_LINK = re.compile(
    r"슬라이드|강의|영상|발표\s*자료|\b(?:slides?|lecture|video|talk|course|homework)\b", re.I
)
_REVIEW_WORDS = re.compile(r"paper|논문|review|리뷰|arxiv|세미나\s*발표|reading", re.IGNORECASE)
# A title that says the post reviews one paper, not a roundup of several ("논문 리뷰 모음", "papers",
# "관계 추출 관련 논문 읽기") nor one part of a series ("… paper review (3)").
_ONE_REVIEW_TITLE = re.compile(
    r"^(?!.*(?:모음|목록|리스트|list|papers|roundup|digest|weekly|주간|\d+\s*(?:편|개)|top\s*\d+|관련|\(\d+\)\s*$))"
    r".*(?:논문\s*(?:리뷰|요약|정리|소개)|paper\s+(?:review|summary|notes?)|\breview\s+of\s+(?:the\s+)?paper)",
    re.IGNORECASE,
)
_AUTHORS = re.compile(
    r"\bet\s+al\b|^\s*authors?\s*[:：]|저자\s*[:：]|\((?:[A-Za-z ]+\s)?(?:19|20)\d\d(?:\s*[,)]|\))|"
    r"\b(?:CVPR|ICCV|ECCV|NeurIPS|NIPS|ICML|ICLR|AAAI|IJCAI|ACL|EMNLP|NAACL|KDD|SIGIR|WWW|arXiv)\s*'?\d{2,4}\b",
    re.IGNORECASE,
)
_PAPER_HEADING = re.compile(
    r"^(?:abstract|introduction|related\s+works?|background|method(?:s|ology)?|proposed\s+method|approach|"
    r"experiments?|experimental\s+results?|results?|evaluation|conclusions?|contributions?|limitations?|"
    r"초록|서론|관련\s*연구|제안\s*방법|방법론?|실험|실험\s*결과|결과|결론|기여|한계)\b",
    re.IGNORECASE,
)


# A heading's numbering: "1.", "3.1", "IV." ("1. 서론(Introduction)").
NUMBERED = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.?|[IVX]+\.)\s+")


def _matched_headings(pattern: re.Pattern[str], sections: Iterable[Section]) -> set[str]:
    """The distinct heading words of `pattern` the post's sections use ("abstract", "method")."""
    return {m.group(0).casefold() for s in sections if (m := pattern.match(NUMBERED.sub("", s.title)))}


def _letters(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def _same_title(link_text: str, post_title: str) -> bool:
    """The paper a link names is the one the post's title names ("X 리뷰", "[논문] X")."""
    return len(link_text.split()) >= 3 and _letters(link_text) in _letters(post_title)


def is_title_heading(section: Section) -> bool:
    """The post's own title written again as a heading, whole or without what the post's title
    adds to it ("# GPT-2 - Language Models…" in a post titled "GPT-2 - Language Models…(GPT2 논문
    설명)")."""
    if section.level == 0:
        return False
    heading, title = _letters(section.title), _letters(section.post.title)
    return heading == title or (
        len(heading) >= 12 and title.startswith(heading) and len(heading) >= 0.6 * len(title)
    )


def _cites_title(text: str, title: str) -> bool:
    """A citation of the post's own title in its opening ('Hou, Min, et al. "Title." Proceedings …'):
    the post reviews that paper."""
    if len(title.split()) < 4 or len(text) > 400:
        return False
    return title.casefold().strip(' ."') in text.casefold() and bool(_AUTHORS.search(text))


def _first_screen(post: Post, sections: tuple[Section, ...]) -> list[Inline]:
    """The text a reader sees first: headings, paragraphs, bullets and table cells of the first
    lines of the body."""
    last = post.body_line + _SCREEN_LINES
    out: list[Inline] = []
    for section in sections:
        if section.line > last:
            break
        out.append(section.heading)
        for block in section.blocks:
            if block.line > last:
                break
            if isinstance(block, OtherBlock) and block.kind == "HtmlBlock":
                text = re.sub(r"<[^>]+>", " ", block.md)
                out.append(Inline(block.md, " ".join(text.split())))
            else:
                out.extend(_inlines([block]))
    return out


def _post_title(post: Post) -> str:
    title = _REVIEW_SUFFIX.sub("", _REVIEW_LABEL.sub("", post.title)).strip()
    return title or post.title


# "Graphormer 설명", "… (논문 리뷰)", "… 요약 설명", "… paper review": the post's words, not the title's.
_REVIEW_SUFFIX = re.compile(
    r"\s*(?:[-–:|]\s*)?[(\[]?(?:(?:논문|paper)\s*)?(?:요약\s*)?(?:설명|리뷰|정리|요약|review|summary|notes?)[)\]]?\s*$",
    re.IGNORECASE,
)


# ── the rule ──


def _section_paper(
    section: Section, papers: Mapping[str, PaperRef], titles: Mapping[str, str]
) -> tuple[PaperRef, tuple[Block, ...]] | None:
    """The paper a section is about and the blocks that summarise it."""
    for url, text in _urls(section.heading):
        if pid := paper_id(url):
            return papers.get(pid) or PaperRef(pid, url, named_title(text)), section.blocks
    first = section.blocks[0] if section.blocks else None
    if isinstance(first, Paragraph) and _link_line(first.inline):
        for url, text in _urls(first.inline):
            if pid := paper_id(url):
                return papers.get(pid) or PaperRef(pid, url, named_title(text)), section.blocks[1:]
    pid = _title_match(section.title, titles)
    if pid is not None:
        return papers[pid], section.blocks
    return None


def _link_line(inline: Inline) -> bool:
    """A line that gives a link ("Paper: [Title](…)", "논문: https://…"), not a sentence that
    cites one: little text is left once its links are taken out."""
    rest = _BARE_URL.sub("", inline.text)
    for link in inline.links:
        rest = rest.replace(link.text, "", 1)
    return len(inline.text) <= _FIRST_LINE_MAX and len(rest.strip()) <= 40


_PAPER_NUMBER = re.compile(r"^(?:paper|논문|reading)\s*#?\d+\s*[:.)\-–]\s*", re.IGNORECASE)
_BY_AUTHORS = re.compile(r"\s+(?:by|from)\s+[A-Z][\w.'\-]*(?:\s+[A-Z][\w.'\-]*)*(?:\s+et\s+al\.?)?$")


def _as_title(heading: str) -> str:
    """A heading as a paper's title: "Paper 2: Deep Image Prior by Ulyanov et al." → "Deep Image Prior"."""
    return _BY_AUTHORS.sub("", _PAPER_NUMBER.sub("", heading)).strip()


def _title_match(title: str, titles: Mapping[str, str]) -> str | None:
    folded = title.casefold()
    if len(folded) < 8:
        return None
    if folded in titles:
        return titles[folded]
    for known, pid in titles.items():
        # One title inside the other, and most of it: "Attention is all you need" in its fuller
        # form, not "Normalizing Flows" in "Variational Inference with Normalizing Flows".
        shorter, longer = sorted((folded, known), key=len)
        main_title = longer.split(":")[0].strip()  # "Direct Preference Optimization: Your Language…"
        if shorter in longer and (len(shorter) >= 0.6 * len(longer) or shorter == main_title):
            return pid
    return None


def _fuller(title: str, known: str) -> str:
    """The known title when it is the heading's title written out in full."""
    short, full = title.casefold(), known.casefold()
    return known if len(full) > len(short) and short and short in full else title


def extra_field(ref: PaperRef, rest: str = "") -> str:
    """The paper's link and details, then what of its summary did not fit on the answer."""
    parts = [f'<a href="{html.escape(ref.url, quote=True)}">{render.escape(ref.pid)}</a>'] if ref.url else []
    line = " · ".join(parts + [render.escape(d) for d in ref.details])
    return render.sanitise(line + (f'<div class="fg-more">{rest}</div>' if rest else ""))


def rule(section: Section, context: PostContext) -> Found | None:
    if section.level == 0 or _ASKS_WHAT.match(section.title):
        return None  # "What is Normalizing Flows?" is asked as a question, not as a paper
    if context.post_paper is not None and is_title_heading(section):
        return None  # the title of a one-paper review: its sections are the paper's parts
    found = _section_paper(section, context.papers, context.paper_titles)
    if found is None:
        return None
    ref, blocks = found
    title = _fuller(named_title(_as_title(section.title)) or ref.title or ref.pid, ref.title)
    answer, rest = summary(blocks, context.limits, idea=True)
    if not shapes.wordy(render.text(answer)):
        return Found()  # a paper named but not summarised (or only by a formula): nothing to say back
    question = render.escape(phrasing.question(asking_language(section.post, answer), "paper", title=title))
    made = make_note(
        section,
        kind="paper",
        identity=(ref.pid,),
        scoped=False,  # the same paper under a renamed heading is the same note
        front=question,
        back=answer,
        extra=extra_field(ref, rest),
    )
    notices = (
        ((section.line, f"the summary of {ref.pid} was shortened; the rest is in Extra"),)
        if render.text(rest)
        else ()
    )
    return Found((made,), notices=notices)
