"""Papers summarised in a paragraph of a survey post: the paragraph opens by naming a method and
citing its paper, and goes on to say what it does.

    VQ-VAE-2 ([Razavi et al. 2019](https://arxiv.org/abs/1906.00446)) is a two-level hierarchical …
    [Robnik-Sikonja and Kononenko (2008)](…paper.pdf) proposed to explain the model prediction …

A link further into a paragraph is a citation in passing, not a summary of that paper.
"""

from __future__ import annotations

import re

from flashgen import phrasing
from flashgen.extract.common import (
    Found,
    PaperRef,
    PostContext,
    asking_language,
    make_note,
    summary,
    with_blocks,
)
from flashgen.extract.papers import extra_field, named_title, paper_id
from flashgen.model import Block, ListBlock, Note, Paragraph, Section
from flashgen.read import render

_CAPTION = re.compile(r"^(?:fig(?:ure)?\.?|table|tab\.|그림|표|\(image source)\s*\d*", re.IGNORECASE)
_NOT_A_NAME_START = re.compile(
    r"^(?:to|for|as|we|this|that|these|it|its|our|since|when|if|while|although|however|then|also|here|one|"
    r"both|each|unlike|similar|following|based|using|compared|given|after|before|with|without|by|on|from|during|"
    r"through|instead|inspired|motivated|building|there|some|many|several|most|others|researchers|people|"
    r"authors|\w+ly|i|subsequent|prior|in\s+addition|recall|note)\b",
    re.IGNORECASE,
)
# "다음 소개드릴 방법론은 ([…](…))": a Korean clause ending in a particle, not a method's name.
# A Korean clause ending on a modifier ("…에 발표한", "…에 공개된", "제안된"): it describes the link after it.
_MODIFIES_THE_LINK = re.compile(r"(?:[가-힣](?:한|된|던|인|는|은)|[가-힣]\s*제안한)$")
_KOREAN_CLAUSE = re.compile(
    r"[가-힣](?:은|는|이|가|을|를|로|으로|에서|에|도|와|과|의|로는|에는)$|[가-힣]+\s+[가-힣]+\s+[가-힣]+"
)
# Words that say in which order papers are introduced, not what they are called.
_ORDINAL = re.compile(
    r"^(?:우선|먼저|다음으로|다음(?:은|으로는)?|이번(?:에는|엔)?|마지막으로|끝으로|(?:첫|두|세|네)\s*번째로|"
    r"그래서|그리고|또한|즉|한편|반면(?:에)?|하지만|그러나|물론|(?:이전|기존|선행|관련)\s*연구(?:로는|에서는|는|인)?|"
    r"(?:다음에\s*)?소개(?:드릴|할)|first(?:ly)?|second(?:ly)?|next|finally|lastly)"
    r"(?:\s+(?:소개(?:드릴|할)|논문은?|방법은?))*\s*",
    re.IGNORECASE,
)
_OPENING = 80  # the citation must come within the paragraph's first characters
_MIN_TEXT = 80  # a paragraph shorter than this names a paper without summarising it
_NOT_A_NAME_END = re.compile(
    r"(?:^|\s)(?:by|in|of|from|as|and|the|a|an|to|with|see|e\.g\.|i\.e\.|proposed|introduced)$", re.I
)


_LEADING_WORDS = re.compile(
    r"^(?:(?:further|moreover|also|similarly|besides|additionally|likewise|meanwhile)\s*,?\s+)?"
    r"(?:(?:the|an?)\s+)?(?:(?:initial|original|basic|main|core|key|modern)\s+)?"
    r"(?:idea|design|form|task|approach|development|concept|notion|family|version|days)\s+of\s+(?=[A-Z])|"
    r"^(?:further|moreover|also|similarly|besides|additionally|likewise|meanwhile)\s*,\s*",
    re.IGNORECASE,
)
# A citation that is only its authors and year: "Morin and Bengio (2005)", "Kim et al. (2016)".
_ONLY_AUTHORS = re.compile(
    r"^[A-Z][\w'’\-]+(?:\s+(?:and|&)\s+[A-Z][\w'’\-]+|\s+et\s+al\.?)?,?\s*\(?(?:19|20)\d\d[a-z]?\)?$"
)
_AUTHORS_ONLY = re.compile(r"[A-Z][\w'’\-]+(?:\s+(?:and|&)\s+[A-Z][\w'’\-]+|\s+et\s+al\.?)")
_AUTHOR_YEAR = re.compile(r"\bet\s+al\b|(?:19|20)\d\d")
# The name a paper gives its method: "…, named VAAL (…)", "…, called expected gradient length (EGL)".
_NAMED = re.compile(
    r"\b(?:named|called|dubbed|termed|coined)\s+[\"“]?(?:(?P<acronym_first>[A-Z][\w-]*[A-Z][\w-]*)\b|"
    r"[^()]{0,60}?\((?P<acronym>[A-Z][A-Za-z0-9-]*[A-Z][A-Za-z0-9-]*)\))|"
    r"\b(?:named|called|dubbed|termed|coined)\s+[\"“]?(?P<name>[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,3})"
)


def rule(section: Section, context: PostContext) -> Found | None:
    if context.post_paper is not None:
        return None  # a post about one paper: its citations are the paper's background
    notes: list[Note] = []
    used: set[int] = set()
    for index, block in enumerate(section.blocks):
        if (
            not isinstance(block, Paragraph)
            or len(block.inline.text) < _MIN_TEXT
            or _CAPTION.match(block.inline.text)
        ):
            continue
        found = _cited(block)
        if found is None:
            continue
        ref, title = found
        summarised: list[Block] = [block]
        following = section.blocks[index + 1] if index + 1 < len(section.blocks) else None
        if block.inline.text.rstrip().endswith((":", "：")) and isinstance(following, ListBlock):
            summarised.append(following)  # "…solves it with two main modifications:" and the two
            used.add(index + 1)
        answer, rest = summary(summarised, context.limits, idea=True)
        # "Morin and Bengio (2005)" names who wrote it, not what it is: asked what they proposed.
        template = "paper-by" if _ONLY_AUTHORS.match(title) else "paper"
        question = render.escape(
            phrasing.question(asking_language(section.post, answer), template, title=title)
        )
        notes.append(
            make_note(
                section,
                kind="paper",
                identity=(ref.pid,),
                front=question,
                back=answer,
                extra=extra_field(ref, rest),
                line=block.line,
            )
        )
        used.add(index)
    if not notes:
        return None
    kept: list[Block] = [b for i, b in enumerate(section.blocks) if i not in used]
    return Found(tuple(notes), rest=with_blocks(section, kept))


def _cited(block: Paragraph) -> tuple[PaperRef, str] | None:
    """The paper a paragraph opens by citing, and the title to ask about: the method's name and
    its citation ("VQ-VAE-2 (Razavi et al. 2019)"), or the citation alone."""
    text = block.inline.text
    for link in block.inline.links:
        pid = paper_id(link.url)
        if pid is None or not link.text.strip():
            continue
        where = text.find(link.text)
        if where < 0 or where > _OPENING:
            return None
        name = re.sub(r"^(?:in|the)\s+", "", text[:where].split("(")[0].strip(" ;,:"), flags=re.I).strip()
        name = _ORDINAL.sub("", name).strip()  # "우선 [Denoising Autoencoder](…)는": the link names it
        if re.fullmatch(r"(?:19|20)\d\d", name):
            name = ""  # "In 2013, [Mikolov et al.](…) introduced …": a year, not a name
        if re.search(r"\b(?:authors?|we|they)\b|저자", name, re.IGNORECASE):
            return None  # "In the paper, the authors used [ResNet-50](…)": about the post's paper
        if re.fullmatch(
            r"(?:(?:a|the|their|his|her|its|this)\s+)?paper|(?:참조|참고)\s*논문|논문\s*(?:참조|참고)",
            name,
            re.I,
        ):
            name = ""  # "In their paper [Word Embeddings …](…)", "논문 참조: [YOLO](…)": the link names it
        cite = link.text.strip().strip("\"“”'‘’ ")  # a quoted title: the title, not its quotes
        if not name and _AUTHORS_ONLY.fullmatch(cite):
            return None  # "[Mikolov et al.](…)": only its authors, no title to ask about
        if name and (
            _NOT_A_NAME_END.search(name)
            or _NOT_A_NAME_START.match(name)
            or len(name.split()) > 5
            or _KOREAN_CLAUSE.search(name)
            or "$" in name
        ):
            return None  # "This idea was proposed by [X]": the sentence is not about the paper
        # "Further, Episodic LSTM", "The idea of Variational Autoencoder": the name is what is named.
        name = _LEADING_WORDS.sub("", name).strip()
        if _MODIFIES_THE_LINK.search(name):
            name = ""  # "Microsoft Research에서 2015년 NIPS에 발표한 [X](…)": a clause about X, not its name
        if named_title(cite) is None and (not name or len(name) < 3):
            return None  # "[here](…)", "w ([here](…))": a link in passing, nothing names the paper
        cite = named_title(cite) or cite
        if not name and _AUTHOR_YEAR.search(cite) and (named := _NAMED.search(text[where:])):
            # "Sinha et al. (2019) proposed a GAN-like setup, named VAAL (…)": ask about VAAL.
            name = named.group("acronym_first") or named.group("acronym") or named.group("name") or ""
        within = re.sub(r"\s*\(([^()]*)\)", r" \1", cite)  # "UnNAS (Liu et al 2020)", not "(… (2020))"
        title = f"{name} ({within})" if name and name != cite else cite
        return PaperRef(pid, link.url, title), title
    return None
