"""Sections → notes, by an ordered list of rules.

Each rule reads what the rules before it left of a section: explicit cards take their blocks
first, then a paper or question heading may settle the section, and the lists rule reads the
rest. So where rules overlap the earlier one wins, the same way on every build.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from flashgen.extract import (
    answers,
    cited_papers,
    clozes,
    lists,
    navigation,
    offtopic,
    paper_parts,
    papers,
    prose_definitions,
    qa,
    question_headings,
    reflections,
    skipped,
    terms,
)
from flashgen.extract.common import PostContext, Rule, gives_away, stable_guid
from flashgen.extract.quality import question_text, unique_questions, well_formed
from flashgen.model import Block, ListBlock, Note, OtherBlock, Paragraph, Post, Section, Table, pickled_fast
from flashgen.read import media, render
from flashgen.settings import RULE_NAMES, Limits, Settings

# In order. To add a rule, write a module with `rule(section, context)` and list it here.
RULES: tuple[tuple[str, Rule], ...] = (
    ("skipped", skipped.rule),  # <!-- flashgen: skip -->
    # The author's explicit cards come first: no section title ("Links", "회고") overrules them.
    ("qa", qa.rule),  # Q: … / A: …
    ("clozes", clozes.rule),  # {{c1::…}}, ==highlight==
    ("terms", terms.rule),  # question :: answer
    ("reflections", reflections.rule),  # 회고, retrospective: no notes
    ("offtopic", offtopic.rule),  # install/setup, release notes, contest problems: no notes
    ("navigation", navigation.rule),  # tables of contents, references, link lists: no notes
    ("question_headings", question_headings.rule),  # ## Why …?
    ("papers", papers.rule),  # a section about a paper
    ("paper_parts", paper_parts.rule),  # the sections of a post about one paper
    ("lists", lists.rule),  # enumerations, sub-points, definitions
    ("cited_papers", cited_papers.rule),  # "VQ-VAE-2 ([Razavi et al. 2019](arxiv…)) is …"
    ("prose_definitions", prose_definitions.rule),  # "**X**란 …이다.", "## X" + "X는 …이다."
)

__all__ = [
    "RULES",
    "RULE_NAMES",
    "Extracted",
    "Limits",
    "Settings",
    "extract_notes",
    "notes_of",
    "unique_questions",
    "with_media",
]


@pickled_fast
@dataclass(frozen=True, slots=True)
class Extracted:
    """A post's notes, and what the author may want to know: warnings (to fix) and notices (what
    was left out on purpose, shown with --verbose). Both are (line, message)."""

    notes: tuple[Note, ...]
    warnings: tuple[tuple[int, str], ...] = ()
    notices: tuple[tuple[int, str], ...] = ()
    errors: tuple[tuple[int, str], ...] = ()  # images that cannot be packed (with_media): the post fails


def extract_notes(post: Post, sections: Sequence[Section], settings: Settings | None = None) -> Extracted:
    """The notes of one post, their images packed and links made absolute."""
    return with_media(post, notes_of(post, sections, settings), (settings or Settings()).limits)


def with_media(
    post: Post, extracted: Extracted, limits: Limits | None = None, media_cache: Path | None = None
) -> Extracted:
    """Pack the notes' local images (read from disk on every build: an image may change while
    its post does not), those larger or heavier than the limits to be re-encoded smaller (into
    `media_cache`, where packing the deck finds them), and make site-relative links absolute.
    An image that cannot be packed is one of the result's `errors`."""
    limits = limits or Limits()
    named: dict[Path, str | media.ImageError] = {}
    packed = [
        media.attach(note, post, limits.max_image_px, limits.max_image_kb, media_cache, named)
        for note in extracted.notes
    ]
    untouched = zip(packed, extracted.notes, strict=True)
    if all(p.note is n and not p.media and not p.warnings and not p.errors for p, n in untouched):
        return extracted  # no images, no site links: the usual case, kept cheap
    notes = tuple(replace(p.note, media=p.media) if p.media else p.note for p in packed)
    warnings = (*extracted.warnings, *(w for p in packed for w in p.warnings))
    errors = (*extracted.errors, *(e for p in packed for e in p.errors))
    return Extracted(notes, warnings, extracted.notices, errors)


def notes_of(post: Post, sections: Sequence[Section], settings: Settings | None = None) -> Extracted:
    """The notes the rules make of one post (a pure function of the post and the settings)."""
    settings = settings or Settings()
    if post.skip:
        why = "front matter says `flashgen: false`; no notes" if post.body else "not read; no notes"
        return Extracted((), post.warnings, ((0, why),))
    known, titles = papers.known_papers(sections)
    context = PostContext(
        post=post,
        sections=tuple(sections),
        papers=known,
        paper_titles=titles,
        post_paper=papers.post_paper(post, tuple(sections), known, titles),
        limits=settings.limits,
        skipped_post=offtopic.post_reason(post, tuple(sections)),
        vague_terms=settings.vague_terms,
    )
    rules = [rule for name, rule in RULES if name not in settings.disabled]
    notes: list[Note] = []
    warnings: list[tuple[int, str]] = list(post.warnings)
    notices: list[tuple[int, str]] = []
    for section in sections:
        left: Section | None = section
        for rule in rules:
            if left is None:
                break
            found = rule(left, context)
            if found is not None:
                notes.extend(found.notes)
                warnings.extend(found.warnings)
                notices.extend(found.notices)
                left = found.rest
    shown: list[Note] = []
    for note in filter(well_formed, notes):
        asked = answers.checked(note)
        if isinstance(asked, str):
            notices.append((note.ref.line, asked))
        elif gives_away(asked):
            notices.append(
                (
                    note.ref.line,
                    "a cloze whose hidden words stand in its own text or the post's title: no card",
                )
            )
        else:
            shown.append(asked)
    unique, duplicates = _unique_guids(_once_a_term(shown, notices))
    if not unique and not any(line == 0 for line, _ in notices):
        blocks = [block for section in sections if not section.skip for block in section.blocks]
        reasons = (_held_in_tables(blocks), _left_out(notices) or _why_no_notes(blocks))
        notices.insert(0, (0, "no notes: " + "; ".join(reason for reason in reasons if reason)))
    return Extracted(unique, (*warnings, *duplicates), tuple(notices))


_VERDICT = re.compile(r"(?:[:;,]\s*)?(?:no (?:card|notes|list card|definition)\b.*)$")


def _left_out(notices: Sequence[tuple[int, str]]) -> str | None:
    """Why a post made no card when the rules read something in it and left it out: the reasons,
    the most frequent first ("what the rules read was left out: a list under a heading
    that names a topic (3×); …"), so the author sees what to mend, not that nothing was found."""
    counts: dict[str, int] = {}
    for _, message in notices:
        reason = _VERDICT.sub("", message).strip().rstrip(":;,").strip()
        if reason:
            counts[reason] = counts.get(reason, 0) + 1
    if not counts:
        return None
    ranked = sorted(counts.items(), key=lambda pair: -pair[1])[:3]
    said = "; ".join(f"{reason} ({n}×)" if n > 1 else reason for reason, n in ranked)
    more = f"; and {len(counts) - 3} more reasons (see the notices)" if len(counts) > 3 else ""
    return (
        f"what the rules read was left out: {said}{more}; if it holds what you want to "
        "recall, mark it (Q:/A:, ==cloze==, term :: answer)"
    )


def _held_in_tables(blocks: Sequence[Block]) -> str | None:
    """When most of a post's text is in tables (a regex cheat sheet, an API's arguments), what the
    reason must say first: only a two-column glossary table, its header naming a term and its
    meaning, makes cards; other tables are read by no rule."""
    tables = [b for b in blocks if isinstance(b, Table) or (isinstance(b, OtherBlock) and "<table" in b.md)]
    if not tables:
        return None
    in_tables = sum(len(b.md) for b in tables)
    text = sum(len(b.md) for b in blocks if isinstance(b, Paragraph | ListBlock)) + in_tables
    if 2 * in_tables < text:
        return None
    return (
        f"most of its text is in {len(tables)} table{'s' if len(tables) > 1 else ''}, and only a two-column "
        "glossary table whose header names a term and its meaning makes cards"
    )


def _why_no_notes(blocks: Sequence[Block]) -> str:
    """Why a post made no card, in its own terms: what it holds that no rule reads as a card."""
    lists = sum(isinstance(b, ListBlock) for b in blocks)
    prose = sum(isinstance(b, Paragraph) for b in blocks)
    other = len(blocks) - lists - prose
    if not blocks:
        return "the post has no text to make cards of"
    held = ", ".join(
        f"{n} {what}"
        for n, what in (
            (prose, "paragraphs of prose"),
            (lists, "lists"),
            (other, "code, math, tables or HTML blocks"),
        )
        if n
    )
    return (
        f"in {held} the rules found no paper summary, no list with a prompt that says what it "
        'lists and no definition in a form they read ("X is a …", "X란 …", "Term: …"); if it holds '
        "what you want to recall, mark it (Q:/A:, ==cloze==, term :: answer); see the other notices for what "
        "was left out"
    )


_LABEL_REPEATS = 3  # a "term" defined this often in one post, each time differently, is a label


def _once_a_term(notes: list[Note], notices: list[tuple[int, str]]) -> list[Note]:
    """One definition card a term in a post: a term the post defines again (in a summary list, a
    glossary at the end) keeps its first card, and the later ones would only ask it twice. A "term"
    asked three times or more with different answers ("Initialization" under each function of an
    API) is a label of fields, not a concept: it makes no card."""
    asked: dict[str, list[Note]] = {}
    for note in notes:
        if note.kind == "definition":
            asked.setdefault(question_text(note), []).append(note)
    dropped: set[int] = set()
    for alike in asked.values():
        if len(alike) < 2:
            continue
        label = len(alike) >= _LABEL_REPEATS and len({render.text(n.back) for n in alike}) == len(alike)
        for note in alike if label else alike[1:]:
            dropped.add(id(note))
            why = (
                f"a term asked {len(alike)} times in this post, each time differently: a label, "
                "no definition card"
                if label
                else f"defined again (first at line {alike[0].ref.line}): no second definition card"
            )
            notices.append((note.ref.line, why))
    answered: dict[str, int] = {}  # a definition's or a question's answer → the line of its first card
    for note in notes:
        if note.kind not in ("definition", "question") or id(note) in dropped:
            continue
        said = render.text(note.back).strip()
        if not said:
            continue
        if said in answered:
            # "## 동기 처리란?" and "동기 처리는 무엇인가?", both answered "동기 처리는 작업을 …": one card
            dropped.add(id(note))
            notices.append(
                (note.ref.line, f"the same answer as the card at line {answered[said]}: no second card")
            )
        else:
            answered[said] = note.ref.line
    return [note for note in notes if id(note) not in dropped]


def _unique_guids(notes: list[Note]) -> tuple[tuple[Note, ...], list[tuple[int, str]]]:
    """Two notes with one identity (the same heading twice, say) keep apart, in document order."""
    seen: dict[str, int] = {}
    unique: list[Note] = []
    warnings: list[tuple[int, str]] = []
    for note in notes:
        count = seen.get(note.guid, 0)
        seen[note.guid] = count + 1
        if count:
            warnings.append(
                (
                    note.ref.line,
                    f"a second {note.kind} note with the same identity as an earlier one; "
                    "pin its heading with a {#id} attribute to keep it stable",
                )
            )
            note = replace(note, guid=stable_guid(note.guid, str(count)))
        unique.append(note)
    return tuple(unique), warnings
