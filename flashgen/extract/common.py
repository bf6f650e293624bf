"""What every extraction rule shares: the per-post context, the rule signature, note making."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from flashgen import render
from flashgen.model import Note, NoteKind, Post, Section, SourceRef

CONTEXT_SEPARATOR = " › "


@dataclass(frozen=True, slots=True)
class PaperRow:
    """A row of a table elsewhere in the post that links a paper."""

    title: str
    details: tuple[str, ...]  # the row's other cells ("10:20 - 11:00"), with their headers


@dataclass(frozen=True, slots=True)
class PostContext:
    """What a rule may know of the whole post beside the section it reads."""

    post: Post
    sections: tuple[Section, ...]
    paper_rows: dict[str, PaperRow]  # by paper id


# A rule reads one section. It returns None when the section is not its kind (the next rule
# then reads it), or the notes it makes (possibly none), which settles the section.
Rule = Callable[[Section, PostContext], "list[Note] | None"]


def stable_guid(*parts: str) -> str:
    """A GUID from where a note is (post, rule, heading, item), never from its answer."""
    digest = hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=9).digest()
    return base64.b64encode(digest, altchars=b"-_").decode("ascii")


def section_key(section: Section) -> str:
    """A section's identity: its pinned `{#id}` if it has one, else its heading path."""
    if section.anchor:
        return "#" + section.anchor
    return CONTEXT_SEPARATOR.join(section.path)


def source_field(post: Post) -> str:
    """The post, linked to where it is published when that is known."""
    if post.url:
        return f'<a href="{render.escape(post.url)}">{render.escape(post.title)}</a>'
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
) -> Note:
    """A note of `section`. Its GUID is the post's key, the rule's kind, the section's identity
    (unless `scoped` is False: a paper is the same note under any heading) and `identity`."""
    post = section.post
    where = (section_key(section),) if scoped else ()
    cue = CONTEXT_SEPARATOR.join((post.title, *section.path))
    return Note(
        guid=stable_guid(post.key, kind, *where, *identity),
        kind=kind,
        cloze=cloze,
        front=front,
        back=back,
        context=render.escape(cue),
        source=source_field(post),
        extra=extra,
        tags=post.tags,
        ref=SourceRef(post.path, line or section.line),
        origin=post.label,
    )
