"""Paper summaries: a heading that links to a paper; the section's body is the summary."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from flashgen import phrasing, render
from flashgen.extract.common import PaperRow, PostContext, make_note
from flashgen.model import Inline, Note, Section, Table

_ARXIV = re.compile(r"arxiv\.org/(?:abs|pdf|html)/([a-z\-]+/\d{7}|\d{4}\.\d{4,5})(?:v\d+)?", re.I)
_DOI = re.compile(r"(?:dx\.)?doi\.org/(10\.\d{4,9}/[^\s?#]+)", re.I)
_OPENREVIEW = re.compile(r"openreview\.net/(?:forum|pdf)\?id=([\w\-]+)", re.I)
_ACL = re.compile(r"aclanthology\.org/([\w.\-]+?)(?:\.pdf)?/?$", re.I)
_PDF = re.compile(r"^https?://\S+\.pdf(?:[?#]\S*)?$", re.I)
_BARE_URL = re.compile(r"https?://[^\s<>|)\]]+")
_PROCEEDINGS = re.compile(r"(?:proceedings\.neurips\.cc|papers\.nips\.cc|proceedings\.mlr\.press)/\S+", re.I)


def paper_id(url: str) -> str | None:
    """A short, stable id for a paper URL ("arXiv:1706.03762"), or None if it is not a paper."""
    url = url.strip()
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


def paper_rows(tables: Iterable[Table]) -> dict[str, PaperRow]:
    """Rows of the post's tables that link a paper, by paper id: titles and details to reuse."""
    rows: dict[str, PaperRow] = {}
    for table in tables:
        headers = [cell.text for cell in table.header]
        for row in table.rows:
            found = [(i, pid) for i, cell in enumerate(row) for pid in _cell_papers(cell)]
            if not found:
                continue
            url_cells = {i for i, _ in found}
            others = [(i, cell.text) for i, cell in enumerate(row) if i not in url_cells and cell.text]
            if not others:
                continue
            title_index, title = max(others, key=lambda pair: len(pair[1]))
            details = tuple(
                f"{headers[i]}: {text}" if i < len(headers) and headers[i] else text
                for i, text in others
                if i != title_index
            )
            for _, pid in found:
                rows.setdefault(pid, PaperRow(title, details))
    return rows


def _cell_papers(cell: Inline) -> Iterator[str]:
    urls = [link.url for link in cell.links] + _BARE_URL.findall(cell.text)
    seen: set[str] = set()
    for url in urls:
        pid = paper_id(url)
        if pid and pid not in seen:
            seen.add(pid)
            yield pid


def _fuller(title: str, row_title: str) -> str:
    """The table's title when it is the heading's title written out in full."""
    short, full = title.casefold(), row_title.casefold()
    return row_title if len(full) > len(short) and short and short in full else title


def rule(section: Section, context: PostContext) -> list[Note] | None:
    links = [(link, paper_id(link.url)) for link in section.heading.links]
    papers = [(link, pid) for link, pid in links if pid]
    if not papers:
        return None
    link, pid = papers[0]
    summary = render.block(section.md)
    if not render.text(summary):
        return []  # a paper named but not summarised: nothing to learn from
    title = section.title or link.text or pid
    details: tuple[str, ...] = ()
    row = context.paper_rows.get(pid)
    if row is not None:
        title = _fuller(title, row.title)
        details = row.details
    lang = section.post.lang
    extra = " · ".join(
        [f'<a href="{render.escape(link.url)}">{render.escape(pid)}</a>']
        + [render.escape(d) for d in details]
    )
    note = make_note(
        section,
        kind="paper",
        identity=(pid,),
        scoped=False,
        front=render.escape(phrasing.question(lang, "paper", title=title)),
        back=summary,
        extra=render.sanitise(extra),
    )
    return [note]
