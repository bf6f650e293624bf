"""Definitions written in prose: the sentence that says what a term is.

Explainer posts define terms in running text, not in lists. Three forms are read, each one a
sentence that names its term as its subject:

- a bolded term and a defining verb: "**승산(odds)**이란 …입니다.", "A **hash table** is a …";
- a term the author marks with 이란/란: "선형결합이란 벡터들을 … 연산입니다.";
- a heading that names a term, and the first sentence under it opens with that term:
  "## Document Frequency (DF)" + "Document Frequency(DF)는 … 나타냅니다."

A sentence that only mentions a bolded word ("… **Kullback-Leibler divergence**라는 것이 있습니다")
is not a definition of it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Sequence

from flashgen.extract import shapes, subjects
from flashgen.extract.common import Found, PostContext, asking_language, fits, make_note
from flashgen.model import Block, ListBlock, Note, OtherBlock, Paragraph, Section
from flashgen.read import render

_BOLD = r"(?:\*\*(?P<b1>[^*\n]{1,60}?)\*\*|<strong>(?P<b2>[^<\n]{1,60}?)</strong>|__(?P<b3>[^_\n]{1,60}?)__)"
# Korean: the topic or a defining particle right after the term; English: a defining verb.
_KO_DEFINES = r"\s*(?:이란|란|은|는|이라\s*함은|라\s*함은|이라는\s*것은|라는\s*것은)\s"
_EN_DEFINES = (
    r"\s*(?:\([^)]{1,40}\)\s*)?(?:,[^,]{1,60},\s*)?(?:is|are|refers\s+to|means|denotes|is\s+defined\s+as)\s"
)
_BOLD_SUBJECT = re.compile(rf"^(?:(?:an?|the)\s+)?{_BOLD}(?:{_KO_DEFINES}|{_EN_DEFINES})", re.IGNORECASE)
_MARKED = re.compile(
    r"^(?P<term>[^\s*$`<>\[\]().,]{1,20}?(?:\s[^\s*$`<>\[\]().,]{1,20}?){0,2}?)"
    r"(?P<gloss>\s?\([^()]{1,30}\))?(?P<particle>이란|란),?\s"  # "서술어(predicate)란 …", "X이란, …"
)
# A sentence that ends as a statement: "…입니다.", "…이다.", "…을 말한다", "… a structure."
_STATEMENT = re.compile(r"(?:[다함임음됨]|니다|습니다)\s*[.。]?\s*$|[A-Za-z)\]$]\s*\.\s*$")
_POINTS_ON = re.compile(
    r"다음(?:과|이|을|의|와)|아래(?:와|의|에|처럼)|as\s+follows|the\s+following|below|[?:：]\s*$|"
    # "비모수 검정은 아래 표를 보면 …", "… 항은 아래 식을 의미한다": what it is is in the table
    r"(?:아래|다음)\s*(?:표|식|코드)(?:를|을|으로|로|에서)?\s*(?:보면|참고|참조|확인|의미|구할|나타)",
    re.IGNORECASE,
)
# "이를 X라고 부릅니다", "This is called X": the term is named after it is described.
_NAMED_BACK = re.compile(
    r"^(?:이를|이것을|이런\s*것을|이와\s*같은\s*것을|이러한\s*\S+을|이러한\s*\S+를)\s+(?P<term>[^.]{1,40}?)\s*"
    r"(?:이라고|라고|이라|라)\s*(?:부릅니다|부른다|합니다|한다|칭합니다|칭한다|말합니다|한답니다)\.?$"
    r"|^(?:this|that|such\s+an?\s+\w+)\s+is\s+(?:called|known\s+as|termed)\s+(?:an?\s+|the\s+)?(?P<en>[^.]{1,40}?)\.?$",
    re.IGNORECASE,
)
# "Robustness는 outlier가 … 영향을 받는지를 뜻하는 용어", "Overfitting refers to …": the predicate
# itself says the sentence is a definition of its subject.
_DEFINING_SUBJECT = re.compile(
    r"^(?P<term>[^\s,.()]{1,25}?(?:\s[^\s,.()]{1,20}?){0,3}?)(?:\s*\([^)]{1,40}\))?(?:은|는|이란|란)\s"
    r"|^(?:[Aa]n?\s+)?(?!(?:[Tt]he|[Aa]|[Aa]n|[Tt]his|[Tt]hat|[Ii]t|this|that|it|these|those|they|we|which|such|some|any|each|every|our|their|its|his|"
    r"her|recall|note|notice|remember|here|there|what|all|one|two|three)\b)"
    r"(?P<en>[A-Za-z][\w\-]*(?:\s[\w\-]+){0,4}?)(?:\s*\([^)]{1,40}\))?\s+(?:refers\s+to|is\s+defined\s+as|stands\s+for|"
    r"means(?!\s+(?:that|we|you|it|the\s+same))|is\s+(?:a\s+)?(?:term|name)\s+(?:for|given\s+to)|"
    r"can\s+be\s+defined\s+as|(?:occurs|happens|arises)\s+when)\s"
)
# What a Korean definition says its term is a kind of: "…하는 기법이다", "…을 나타내는 지표입니다".
# A Korean modifier ending: a syllable closed by ㄴ or ㄹ ("향상시킨", "줄이는", "사용할"), 의, 적.
_MODIFIER_END = "".join(chr(c) for c in range(0xAC00, 0xD7A4) if (c - 0xAC00) % 28 in (4, 8))
_KO_GENUS = (
    rf"(?:[{_MODIFIER_END}]|는|의|적)\s+(?:[가-힣A-Za-z]+\s+)?(?:기법|방법론?|방식|모델|알고리즘|개념|현상|구조|함수|지표|척도|기술|분포|"
    r"공식|방정식|"
    r"신경망|네트워크|연산|규칙|전략|프레임워크|아키텍[처쳐]|레이어|계층|자료\s*구조|법칙|정리|원리|기준|과정|절차|학습법|"
    r"손실\s*함수|확률|통계량|추정량|algorithm|model|method|technique|structure|function|system|framework|"
    r"architecture|metric|network|protocol)(?:이다|입니다|이며|임|이에요|예요)\s*[.。]?$"
)
_DEFINING_END = re.compile(
    r"(?:뜻하는|의미하는|말하는|가리키는|일컫는)\s*(?:용어|말|개념|것|단어)(?:이다|임|입니다)?\.?$|"
    # "디코더는 … 되돌리는 역할을 합니다": what it does, in one short clause (not "중요한 역할")
    r"^[^,，]{4,70}?(?:[" + _MODIFIER_END + r"]|는)"
    r"(?<!중요한)(?<!주요한)(?<!핵심적인)(?<!같은)(?<!동일한)(?<!비슷한)(?<!큰)(?<!중대한)(?<!결정적인)"
    r"\s+역할을\s*(?:한다|함|합니다|해요)\s*[.。]?$|"
    r"(?:뜻함|의미함|말함|가리킴|뜻한다|의미한다|말한다|가리킨다|일컫는다|뜻합니다|의미합니다|말합니다|가리킵니다)\.?$|"
    r"\b(?:refers\s+to|is\s+defined\s+as|stands\s+for|means(?!\s+(?:that|we|you|it|the\s+same))|"
    r"is\s+(?:a\s+)?(?:term|name)\s+(?:for|given\s+to)|can\s+be\s+defined\s+as|(?:occurs|happens|arises)\s+when)\b|"
    # "드롭아웃은 … 과적합을 줄이는 기법이다.": a kind and what sets it apart
    rf"{_KO_GENUS}"
)
_WE_DEFINE = re.compile(
    r"^(?:we|one)\s+define\s+(?:the\s+|an?\s+)?(?P<en>[A-Za-z][\w\-]*(?:\s[\w\-]+){0,4}?)"
    r"(?:\s+\\\(.{1,30}?\\\)|\s+[A-Z](?:_\w+)?)?\s+as\s+(?:the|an?)\s",
    re.IGNORECASE,
)
# Cheap signs, on the Markdown, that a sentence may define something: only these are rendered.
_CANDIDATE = re.compile(
    r"^(?:(?:an?|the)\s+)?(?:\*\*|__|<strong>|[*_][^*_\s])|^[^\s]{1,25}(?:\s[^\s]{1,20}){0,3}?\s?(?:이란|란),?\s|"
    r"^\[[^\]]{1,40}\]\([^)\s]*\)\s?(?:이란|란)\s|"
    r"(?:뜻|의미|말|가리|일컫)(?:하는|함|한다|합니다|키는|킴|킨다|킵니다|는)|refers\s+to|defined\s+as|stands\s+for|"
    r"(?:occurs|happens|arises)\s+when|^(?:we|one)\s+define\s|역할을\s*(?:한다|함|합니다)|"
    r"\smeans\s|(?:term|name)\s+(?:for|given)|\sis\s+an?\s|(?:기법|방법|방식|모델|알고리즘|개념|현상|구조|함수|지표|척도|기술|분포|공식|방정식|"
    r"신경망|네트워크|연산|규칙|전략|프레임워크|아키텍|레이어|계층|법칙|정리|원리|기준|과정|절차|학습법|확률|통계량|추정량|"
    r"algorithm|model|method|technique|structure|function|system|framework|architecture|metric|network|protocol)"
    r"(?:이다|입니다|이며|임)",
    re.IGNORECASE,
)
# What every candidate has, looked for as plain substrings before the pattern (most sentences have none).
_SIGNS = (
    "*",
    "_",
    "<strong>",
    "란",
    "뜻",
    "의미",
    "말",
    "가리",
    "일컫",
    "refers to",
    "defined as",
    "stands for",
    " means ",
    " occurs when",
    " happens when",
    " arises when",
    "term for",
    "name for",
    "name given",
    " is a",
    "define ",
    "역할",
    "이다",
    "입니다",
    "이며",
    "임",
)
# A sentence whose subject points back ("This issue is known as …", "Such a model is called …").
_ANAPHOR = re.compile(
    r"^(?:this|that|these|those|such|it|they|its|their|the\s+(?:corresponding|same|former|latter|above))\b",
    re.IGNORECASE,
)
_BACK_CANDIDATE = re.compile(r"^(?:이를|이것을|이런|이와|이러한|this|that|such)\b", re.IGNORECASE)
_MAX_SENTENCE = 300  # a definition is one sentence a learner can say back


def rule(section: Section, context: PostContext) -> Found | None:
    notes: list[Note] = []
    notices: list[tuple[int, str]] = []
    seen: set[str] = set()
    labelled = [
        *_glossary(section.blocks),
        *(
            (line, term, said)
            for line, label, said in _bold_labels(section.blocks)
            if (term := _term(label)) and not subjects.generic(term) and _says_what_it_is(said, label)
        ),
    ]
    for line, term, said in labelled:
        # "RBMs: …" lines, and a term in bold over its explanation: the term given, its text said
        answer = render.inline(said)
        asked = subjects.definition_question(section, context, asking_language(section.post, answer), term)
        if term.casefold() in seen or asked is None or not fits(answer, context.limits):
            continue
        seen.add(term.casefold())
        notes.append(_definition(section, term, asked, answer, line))
    code = _names_code(section)
    for position, (line, md) in enumerate(_texts(section.blocks)):
        sentences = shapes.split_sentences(md)
        for index, sentence in enumerate(sentences):
            heading_term = section.title if position == 0 and index == 0 else None
            term = _defined_term(sentence, heading_term, code=code)
            if term is None and index == 0:
                term = _title_term(sentence, section.post.title)
            said = sentence
            if (
                term is None
                and index > 0
                and _BACK_CANDIDATE.match(sentence)
                and (named := _NAMED_BACK.match(render.plain(sentence)))
            ):
                # "…는 일이 생깁니다. 이를 **충돌**이라고 부릅니다.": the sentence before defines it.
                term, said = _term(named.group("term") or named.group("en")), sentences[index - 1]
                if term is not None and not _STATEMENT.search(render.plain(said)):
                    term = None
            named_here = _named_in(sentence) if term is None else None
            if named_here is not None and _ANAPHOR.match(render.plain(sentence)):
                # "This issue is known as the deadly triad.": the sentence before says which issue.
                before = sentences[index - 1] if index else ""
                if not before or len(render.plain(before)) > _MAX_SENTENCE // 2:
                    continue
                named_here = (named_here[0], f"{render.inline(before)} {named_here[1]}")
            if named_here is not None and named_here[0].casefold() not in seen:
                # "…predict the next word — a task called *Language Modeling*.": the name is the
                # blank, the sentence around it the cue.
                seen.add(named_here[0].casefold())
                notes.append(
                    make_note(
                        section,
                        kind="definition",
                        identity=("named", named_here[0]),
                        front=named_here[1],
                        cloze=True,
                        line=line + md[: md.find(sentence)].count("\n"),
                    )
                )
                continue
            if term is None or term.casefold() in seen or _asked_by(section.title, term):
                continue
            better = _said_better(said, sentences[index + 1 : index + 1 + _LOOK_AHEAD], term)
            if better is None:
                notices.append(
                    (line, f"what is said first of {term} is its story, not what it is: no definition")
                )
                continue
            said = better
            seen.add(term.casefold())
            answer = render.inline(shapes.without_figure_pointer(said))
            if not fits(answer, context.limits):
                continue
            # "Actions are operations that …": asked as "What are Actions?".
            plain = render.plain(said)
            # A pattern made for each term costs a compile (most are Korean, with no "are" at all).
            plural = "are" in plain.lower() and re.match(
                rf"(?:the\s+)?{re.escape(term)}\s+are\b", plain, re.IGNORECASE
            )
            asked = subjects.definition_question(
                section,
                context,
                asking_language(section.post, answer),
                _with_article(said, shapes.without_outline_number(term)),
                plural=bool(plural),
            )
            at = line + md[: md.find(said)].count("\n")
            if asked is None:
                notices.append((at, subjects.VAGUE.format(term=term)))
                continue
            notes.append(_definition(section, term, asked, answer, at))
    if not notes and not notices:
        return None
    return Found(tuple(notes), rest=section, notices=tuple(notices))


_LOOK_AHEAD = 3  # sentences after a term's first, in its paragraph, that may say what it is
# What a sentence tells of its subject's story, not what it is: "…은 LLM이 등장하면서 더욱 주목받게
# 되었다", "X has become popular", "X is not a new concept", "X was introduced in 2014".
_STORY = re.compile(
    r"(?:되었다|됐다|되었습니다|됐습니다|받았다|받았습니다|받고\s*있다|받고\s*있습니다|알려져\s*있다|등장했다|나왔다)\s*[.。]?$|"
    r"\b(?:has|have)\s+(?:become|been|gained|attracted|received)\b|\bis\s+not\s+(?:a\s+)?new\b|"
    r"\b(?:was|were)\s+(?:first\s+)?(?:introduced|proposed|invented|popularized|developed)\b",
    re.IGNORECASE,
)
_IT_IS_A = re.compile(r"^it\s+is\s+an?\s", re.IGNORECASE)
_IS_A = re.compile(
    r"^(?:an?\s+|the\s+)?[\w\-]+(?:\s[\w\-]+){0,3}?(?:\s*\([^)]{1,40}\))?\s+is\s+an?\s", re.IGNORECASE
)


def _says_its_kind(text: str) -> bool:
    """ "…를 조정하는 방법이다", "… is a technique that …", "… refers to …": what kind of thing."""
    return bool(_DEFINING_END.search(text) or _EN_GENUS.match(text) or _IS_A.match(text))


def _said_better(said: str, after: Sequence[str], term: str) -> str | None:
    """The sentence that says what `term` is: the first one, unless it only tells the term's story
    ("파인 튜닝은 LLM이 등장하면서 더욱 주목받게 되었다.", "Self-Training is not a new concept"):
    then one of the next few, opening with the term again (or "It is a"), that says what kind of
    thing it is, or None."""
    plain = render.plain(said)
    if not _STORY.search(plain) or _says_its_kind(plain):
        return said
    word = term.casefold()
    for sentence in after:
        text = render.plain(sentence).strip()
        if not (text.casefold().startswith(word) or _IT_IS_A.match(text)) or len(text) > _MAX_SENTENCE:
            continue
        if _says_its_kind(text):  # "It is an iterative algorithm …" is one too
            return sentence
    return None


# A paragraph that is only a term in bold, used as a small heading: "**Passage Retrieval**",
# "**BM25 란?**", "**Homogeneous Solution (Null Space Solution)**".
_GAP = 2  # lines from a label in bold to the text it heads: the next line, or one blank line between
_BOLD_LABEL = re.compile(
    r"^(?:\*\*|__)(?P<term>[^*_\n]{2,60}?)\s*(?:이란|란)?\s*[?？:：]?\s*(?:\*\*|__)\s*[:：]?$"
)
# A Korean note that stops mid-sentence ("…라는 가정하에서", "…하고"): it does not say what anything is.
_TRAILS_OFF = re.compile(r"(?:에서|에서는|하고|하며|지만|는데|으며|[고서면,])\s*$")


def _bold_labels(blocks: tuple[Block, ...]) -> Iterator[tuple[int, str, str]]:
    """(line, term, what is said of it) for a term in bold on a line of its own over the text that
    explains it: the next paragraph's first sentence, or the first point of the list below."""
    for block, after in itertools.pairwise(blocks):
        if not isinstance(block, Paragraph) or not block.md.startswith(("**", "__")):
            continue
        match = _BOLD_LABEL.match(block.md.strip())
        if match is None:
            continue
        if after.line > block.line + block.md.count("\n") + _GAP:
            continue  # "**종료**" + a code block (read by no rule, so not among these blocks) + "**…**"
        if isinstance(after, Paragraph) and _BOLD_LABEL.match(after.md.strip()):
            continue  # a label over another label: two headings, not a term and what it is
        if isinstance(after, Paragraph):
            said = shapes.split_sentences(after.inline.md.strip())[0]
        elif isinstance(after, ListBlock) and len(after.items) <= 3:
            said = after.items[0].inline.md.strip()
        else:
            continue
        yield block.line, match.group("term").strip(), said


# A label that names a step or a part of the notes, not a term ("파일 이동", "Training & Inference time
# 비교", "Fine-tuning details", "Layer Fusion? Overview"), and an answer that is a step, a value or a
# pointer ("… 인덱스 만들기", "Push 명령어 입력", "RepeatDataset: …", "참고 논문: …").
_NOT_A_TERM_LABEL = re.compile(
    r"[?？:：;&→|!]|^[(\[]?\d|^\([a-z]\)|\s\d+\.?$|[가-힣]\d+$|\(\d+\)|^(?:step|day|week|part|chapter|lecture|lab|ex)\s*\d|[^\w\s\-().,/'’]|\bvs\.?\b|(?:비교|이동|추가|분석|소개|적용|설정|과정|흐름|구현|정리|요약|생성|설치|실행|결과|방법|방식|예시|"
    r"예제|실습|코드|차이|[가-힣]기|details?|settings?|overview|basics|results?|setup|push|pull)\s*$",
    re.IGNORECASE,
)
_NOT_AN_ANSWER = re.compile(
    r"[:：]|https?://|^[<\"'“‘(\[]|(?:[가-힣]기|입력|출력|생성|빌드|추가|이동|실행|설치|예시|예)\s*[.。]?$"
)


def _says_what_it_is(said: str, label: str) -> bool:
    """The text under a term in bold says what it is, as the first sentence under a heading that
    names a term would ("BART" + "… pre-training을 위한 denoising autoencoder", "Drop Out" + "몇몇
    뉴런의 값을 0으로 바꿔주는 것"), not a claim of its own ("data는 많을수록 좋다")."""
    text = render.plain(said)
    if _NOT_A_TERM_LABEL.search(label) or _NOT_A_TERM_HEADING.search(label) or _NOT_AN_ANSWER.search(text):
        return False
    if _defined_term(said, label) is not None:
        return True
    # A Korean noun phrase ("…문서를 찾는 것", "…을 위한 denoising autoencoder"): what the term is, never
    # a claim about it (a sentence under a label is mostly a report: "… 실험하였다.").
    return bool(
        shapes.HANGUL.search(text)
        and len(text.split()) >= 3
        and len(text) <= _MAX_SENTENCE
        and (not _KO_PREDICATE.search(text) or bool(_DEFINING_END.search(text)))  # "… 방법이다." says a kind
        and not (_KO_NARRATION.search(text) or _TRAILS_OFF.search(text))
        and not (_NOT_WHAT.search(text) or _POINTS_ON.search(text) or _PERSONAL.search(text))
    )


_KO_PREDICATE = re.compile(r"(?:다|요|[음함됨임짐])\s*[.。!]?$")


def _definition(section: Section, term: str, asked: str, answer: str, line: int) -> Note:
    """The note of a definition in prose: its identity is the term, so it survives rewording."""
    return make_note(
        section,
        kind="definition",
        identity=("prose-definition", term),
        front=render.escape(asked),
        back=answer,
        line=line,
        term=term,
    )


def _with_article(sentence: str, term: str) -> str:
    """A common noun asked as the sentence names it: "A kernel is defined as …" asks "What is a
    kernel?"."""
    match = re.match(
        r"^(an?)\s+(?=\S)", render.plain(_FIELD.sub("", sentence.strip())).strip(), re.IGNORECASE
    )
    if match is None or not term[:1].islower():
        return term
    return f"{match.group(1).lower()} {term}"


# A term named inside the sentence that describes it, marked as a name: "(which is technically
# called *generating unconditional samples*)", "…을 **과적합**이라고 한다".
_CALLED = re.compile(
    r"\b(?:called|known\s+as|termed|referred\s+to\s+as|dubbed)\s+(?:an?\s+|the\s+)?(?P<en>\*\*[^*\n]{2,40}\*\*|"
    r"\*[^*\n]{2,40}\*|_[^_\n]{2,40}_|\"[^\"\n]{2,40}\"|“[^”\n]{2,40}”)"
    r"|(?P<ko>\*\*[^*\n]{2,30}\*\*|'[^'\n]{2,30}'|\"[^\"\n]{2,30}\"|‘[^’\n]{2,30}’|“[^”\n]{2,30}”)"
    # "… **축약사상**<sup>contraction</sup> 이라고 한다": the English name glossed between
    r"(?:\s?<sup>[^<\n]{1,40}</sup>|\s?\([A-Za-z][^()\n]{0,40}\))?\s?"
    r"(?:이?라고|이?라)\s+(?:부른다|부릅니다|합니다|한다|칭한다|칭합니다|불린다|불립니다|정의한다|정의합니다)"
    # "…하는 방법을 정규방정식이라고 한다.": the name, unmarked, at the sentence's end
    r"|(?<=[을를])\s+(?P<ko2>(?:[^\s]+\s+){0,2}?[가-힣A-Za-z][가-힣A-Za-z0-9\-()]{1,24}?)(?<![적것])(?:이)?라고\s+"
    r"(?:부른다|부릅니다|합니다|한다|칭한다|칭합니다)\.?\s*$",
    re.IGNORECASE,
)


_CONDITION_BELOW = re.compile(
    r"(?:다음|아래)(?:이|을|를|과|와|의)\s*(?:성립|만족)|\bthe\s+following\b", re.IGNORECASE
)
_TELLS_THE_READER = re.compile(
    r"^\W*(?:in\s+this\s+(?:post|article|blog|tutorial)|we\s+(?:will|'ll|are\s+going\s+to)|let'?s|here,?\s+we|"
    r"이번\s*(?:글|포스팅)에서는|이\s*글에서는)|\bthe\s+above\b",
    re.IGNORECASE,
)
_NOT_A_NAME = re.compile(r"(?:는|은|며|고|서|면|한|된)\s|^(?:우리|이|그|저)\s|[보어아해]$")
_CALLED_WORDS = ("called", "known as", "termed", "referred to", "dubbed", "라고 ", "라 ")


def _named_in(sentence: str) -> tuple[str, str] | None:
    """(term, cloze HTML) when the sentence describes something and names it, marked, within it;
    None when it opens with the name or says too little around it."""
    low = sentence.lower()
    if not any(word in low for word in _CALLED_WORDS):
        return None  # cheap: none of the naming words
    match = _CALLED.search(sentence)
    if match is None:
        return None
    if _TELLS_THE_READER.search(sentence):
        return None  # "In this post, we will explore … called “FastText”": the post's plan, not a fact
    if _CONDITION_BELOW.search(sentence):
        return None  # "다음이 성립하는 c가 존재하면 … 축약사상이라고 한다": the condition is not shown
    marked = match.group("en") or match.group("ko") or match.group("ko2") or ""
    if match.group("ko2") and _NOT_A_NAME.search(marked):
        return None  # "{{우리는 1차 이웃}}이라고 부른다", "sota를 {{찍은 모델}}이라고 한다": not a name
    term = _term(marked.strip("*_\"'“”‘’"))
    described = render.plain(sentence[: match.start()] + sentence[match.end() :])
    if term is None or len(described.split()) < 6 or match.start() < 12:
        return None
    start = sentence.index(marked, match.start())
    before, after = sentence[:start], sentence[start + len(marked) :]
    space_before = " " if before[-1:].isspace() else ""
    space_after = " " if after[:1].isspace() else ""
    blank = render.cloze(1, render.inline(marked))
    html = render.inline(before) + space_before + blank + space_after + render.inline(after)
    return term, html


# "RBMs: undirected models with …" on a line of its own, a term and what it is.
_GLOSS = re.compile(r"^(?:\*\*|__)?(?P<term>[^:：*_\n]{1,40}?)(?:\*\*|__)?\s*[:：]\s+(?P<said>\S.{12,})$")


# A line's label that is no term: a reference ("[3] Ren, “Faster R-CNN"), an outline's letter or
# number ("아. …", "2)"), an exercise ("문제 1", "Q2").
_NOT_GLOSSED = re.compile(
    r"[\[\]“”\"$\\]|^(?:[가-하]|[a-z]|\d+)[.)]\s|^(?:문제|풀이|problem|question|exercise|solution|q)\s*\d*$",
    re.IGNORECASE,
)


_SETTING = re.compile(r"\w\s*=\s*[\d.]|\d\s*(?:epochs?|steps?|k\b|%)", re.IGNORECASE)  # "lr=0.005", "2.5k"


def _glossary(blocks: Iterable[Block]) -> Iterator[tuple[int, str, str]]:
    """Terms written as a glossary in plain paragraphs, a line each ("RBMs: …", "NCE: …"): at
    least two such lines in a row, each a term and a description of it."""
    run: list[tuple[int, str, str]] = []
    for block in (*blocks, None):
        lines = block.inline.md.strip().split("\n") if isinstance(block, Paragraph) else []
        found = [(i, match) for i, text in enumerate(lines) if (match := _GLOSS.match(text.strip()))]
        if lines and len(found) == len(lines):
            for i, match in found:
                raw, said = match.group("term").strip(), match.group("said").strip()
                term = None if _NOT_GLOSSED.search(raw) else _term(raw)
                plain = render.plain(said)
                if (
                    term is None
                    or not shapes.describes(plain)
                    or len(said.split()) < 4
                    or shapes.sentences(plain) > 2
                    or _PERSONAL.search(plain)
                    or _SETTING.search(plain)
                    or said.startswith(("*", "_"))
                ):
                    run.append((0, "", ""))  # a label and a value: the run is no glossary
                else:
                    run.append((block.line + i, term, said))  # type: ignore[union-attr]
            continue
        if len(run) >= 2 and all(term for _, term, _ in run):
            yield from run
        run = []


def _asked_by(title: str, term: str) -> bool:
    """The section's heading already asks what the term is ("## What is HDFS?"): its own card."""
    return title.rstrip().endswith(("?", "？")) and bool(
        re.search(rf"(?<!\w){re.escape(term)}(?!\w)", title, re.IGNORECASE)
    )


def _texts(blocks: Iterable[Block]) -> Iterator[tuple[int, str]]:
    """The section's running text in order, as (line, Markdown): paragraphs, and the text of every
    list item (notes kept as bullets define terms too: "- Robustness는 …를 뜻하는 용어")."""
    for block in blocks:
        if isinstance(block, Paragraph):
            yield block.line, block.inline.md.strip()
        elif (
            isinstance(block, OtherBlock)
            and block.kind == "BlockQuote"
            and (quoted := shapes.quoted(block.md))
        ):
            yield block.line, quoted
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield item.line, item.inline.md.strip()
                yield from _texts(item.children)


def _defined_term(sentence: str, heading: str | None, *, code: bool = False) -> str | None:
    """The term `sentence` defines, or None. `heading` is the section's title when the sentence
    opens the section's first paragraph."""
    sentence = sentence.strip()
    appositive = heading
    if heading and not _starts_with_word(_OPENER.sub("", sentence), heading):
        heading = None
    if not (
        heading or appositive or (any(sign in sentence for sign in _SIGNS) and _CANDIDATE.search(sentence))
    ):
        return None  # no sign of a definition: skip rendering it (most sentences)
    text = render.plain(sentence)
    if appositive and not heading and _what_it_is(text, appositive, does=code):
        return _term(appositive)  # "## SOM" + "an unsupervised technique used to …"
    defining = bool(_DEFINING_END.search(text))
    if (
        not sentence
        or len(text) > _MAX_SENTENCE
        or _POINTS_ON.search(text)
        or _SAYS_NOT_WHAT.search(text)
        or len(text.split()) < 4
    ):
        return None  # "클러스터링의 목적은 간단합니다.": too short to say what anything is
    if not (_STATEMENT.search(text) or defining):
        return None  # a question, an unfinished thought, or "…은 다음과 같다": the rest is elsewhere
    if len(text.split()) <= 10 and _HAPPENS.search(text):
        return None  # "Split B is chosen.": a step of a worked example, not what Split B is
    if _POINTS_BACK.search(text):
        return None  # "paging은 이러한 단점들을 해결하기 위해 …": says what only with what came before
    if match := _BOLD_SUBJECT.match(_FIELD.sub("", sentence)):
        term = match.group("b1") or match.group("b2") or match.group("b3") or ""
        return _term(term)
    if (match := _DEFINING_SUBJECT.match(_OPENER.sub("", text))) and _DEFINING_END.search(text):
        return _term(match.group("term") or match.group("en"))
    if (match := _WE_DEFINE.match(text)) and (term := _term(match.group("en"))):
        return term  # "We define the activation energy as the difference in energy between …"
    if match := _MARKED.match(text):
        term = match.group("term")
        if match.group("particle") == "이란" and _open_syllable(term[-1]) and not match.group("gloss"):
            term += "이"  # "고양이란": 고양이 + 란 (이란 follows a closed syllable: "선형성이란")
        return _term(term)
    if heading and _opens_with(_OPENER.sub("", text), heading) and not _NOT_WHAT.search(text):
        return _term(heading)
    # Last, so that a term the forms above name keeps its name (and its note its id).
    plain_kind = not (_NOT_WHAT.search(text) or _PERSONAL.search(text) or _PRAISE.search(text))
    if plain_kind and (match := _EN_GENUS.match(text)) and len(text.split()) >= 8:
        return _term(match.group("en"))
    if plain_kind and (match := _BOLD_DOES.match(sentence)):
        return _term(match.group("b1") or match.group("b2") or match.group("b3") or "")
    return None


# The kinds of thing a definition says its term is: "… is a regularisation *technique* that …".
_EN_KINDS = (
    r"(?:technique|method|algorithm|model|function|measure|metric|approach|framework|architecture|"
    r"network|layer|distribution|estimator|statistic|procedure|process|strategy|mechanism|operation|operator|"
    r"data\s+structure|structure|quantity|property|principle|theorem|rule|criterion|loss|objective|regulari[sz]er|"
    r"family|class|type|kind|form|variant|generali[sz]ation|extension|paradigm|task|problem|protocol|"
    r"library|tool|language|system|unit|component|module|matrix|vector|tensor|space|set|graph|tree|policy)"
)
# "Dropout is a regularisation technique that …": a term, then the kind of thing it is.
_EN_GENUS = re.compile(
    r"^(?:[Aa]n?\s+)?(?!(?:[Tt]he|[Tt]his|[Tt]hat|[Ii]t|[Tt]here|[Hh]ere|[Ww]hat|[Oo]ne|[Ee]ach|[Oo]ur|[Ii]ts|[Tt]heir|"
    r"[Ss]uch|[Ss]ome|[Aa]ll|[Ww]e|[Ii]|[Yy]ou|[Tt]hey|[Hh]e|[Ss]he)\b)"
    r"(?P<en>[A-Za-z][\w\-]*(?:\s[\w\-]+){0,3}?)(?:\s*\([^)]{1,40}\))?\s+(?:is|are)\s+(?:an?|the)\s+"
    rf"(?:(?:[\w\-]+\s+){{0,3}}?{_EN_KINDS}s?\b(?!\s+(?:of\s+(?:the|this)|we|I)\b)"
    # any kind, said with what sets it apart: "Tofersen is an ASO designed to lower …", "Tertiary
    # structure is the packing of these elements …"
    r"|(?:[\w\-]+\s+){0,3}?[\w\-]+\s+(?:that|which|designed|used|whose|where|of|for)\s)"
)
# Under a heading that names a term, its first point says what it is without naming it again:
# "## Self-organizing map (SOM)" + "* an unsupervised technique used to produce …", "## SOM-CPC" +
# "* a representation learning model that …", "* 시계열을 2D 격자에 대응시키는 표현 학습 모델".
_WHAT_IT_IS = re.compile(
    rf"^an?\s+(?:(?!(?:is|are|was|were|has|have)\b)[\w\-]+\s+){{0,6}}?{_EN_KINDS}s?\b"
    r"(?:\s+(?:that|which|used|for|to|of|in|where|whose)\b|,)"
    # a Korean note that is a noun phrase, not a sentence: "…를 제거하는 방법", "…하는 알고리즘임"
    r"|^[^.\n]{6,150}(?:는|은|인|한|하는|된|되는|적인)\s+(?:[가-힣A-Za-z]+\s+)?(?:기법|방법론?|방식|모델|알고리즘|개념|구조|함수|"
    r"지표|기술|분포|신경망|네트워크|연산|프레임워크|아키텍[처쳐]|레이어|자료\s*구조|학습법|손실\s*함수)(?:임)?\s*[.。]?$",
    re.IGNORECASE,
)
# A Korean sentence with no subject that says what kind of thing the heading's term is: "(NodePort)
# 노드의 고정 포트를 사용하기 위한 service type이다.", "(Mix-in) 메서드 몇 개만 정의하는 클래스이다."
_KO_KIND = re.compile(
    rf"^[^.\n]{{6,150}}(?:[{_MODIFIER_END}]|는|적인)\s+(?:[가-힣A-Za-z]+\s+){{0,2}}[가-힣A-Za-z]+(?:이다|입니다|임)\s*[.。]?$"
)
# A topic or a subject of its own ("… 방법은", "DCGAN은", "ReLU이다"): not a bare kind. 하는/되는/있는/
# 없는 are a verb's modifier, not a topic.
_KO_SUBJECT = re.compile(r"(?<![하되있없])[은는]\s|란\s|[가이]\s(?!(?:아니|되))|[A-Za-z)]이다|[A-Za-z)]는\s")
# Nor a sentence of the post's narration: what comes next ("이제 … 설정해줄 차례입니다", "…할 것이다"), what
# a part of the post holds ("… 첫 번째에 대한 내용이다", "… 비교한 결과이다"), what was done ("… 알아본
# 것이다"; "…하는 것이다" says what the term does).
_KO_NARRATION = re.compile(
    r"^(?:이제|자,|앞으로|드디어|먼저|다음으로|마지막으로|그럼|그러면|아까|정말|첫\s?번째로|두\s?번째로)|(?:내용|차례|시간|예정|결과|부분|이야기|설명|순서|때|"
    r"상황|경우|단계|장|절|글)(?:이다|입니다|임)\s*[.。]?$|"
    rf"[{_MODIFIER_END.replace('는', '')}]\s+것(?:이다|입니다|임)\s*[.。]?$"
)
# A sentence that speaks of the writer or the reader, or praises ("a great library", "매우 유용한
# 기술"): an opinion, not what the thing is.
_PERSONAL = re.compile(r"\b(?:I|my|I'm|I've)\b|저는|제가")
_PRAISE = re.compile(
    r"\b(?:great|powerful|simple|useful|nice|good|popular|important|crucial|cool|amazing|fun|interesting|"
    r"famous|awesome|neat|handy|key|vital|essential|widely\s+used|well-known|commonly\s+used)\s+(?:[\w\-]+\s+)?(?:\w+)\b(?=[^.]{0,40}$)|"
    r"\bone\s+of\s+the\s+(?:best|finest|greatest)\b|\b(?:my|our)\s+favou?rite\b|최고의|"
    r"(?:유용한|중요한|좋은|강력한|유명한|훌륭한|간단한|쉬운|어려운|흥미로운|재미있는|핵심적인)\s+(?:[가-힣]+\s+)?[가-힣]+(?:이다|입니다|임)"
)
# "**Ridge** adds an L2 penalty …": a bolded term and what it does, the verb said of it.
_BOLD_DOES = re.compile(
    rf"^(?:(?:[Aa]n?|[Tt]he)\s+)?{_BOLD}(?:\s*\([^)]{{1,40}}\))?\s+(?!(?:is|was|has|always|thus|perhaps|sometimes|"
    r"also|its|this|was|does|seems|appears|plus|less)\b)[a-z]+(?<![su])s\s+\S"
)
_TITLE_SUBJECT = re.compile(
    r"^(?:the\s+)?(?P<term>[A-Za-z][\w\-']*(?:\s[\w\-']+){0,4}?)\s+(?:is|are)\s+(?:an?|the|one\s+of\s+the)\s+\w",
    re.IGNORECASE,
)


# What a function or a command the heading names does, said with no subject in the present tense:
# "## `zip` 내장 함수" + "- 둘 이상의 이터레이터를 … 묶어준다.", "## top()" + "스택의 맨 위 원소를
# 반환한다." (Under a heading that names a concept or a part of a paper, such a sentence was most often
# a step or a finding: "## Ablation Study" + "… 효과를 검증한다.") Not a report of
# what was done ("… 개선했다"), advice ("…하자", "…하라"), or a guess ("…일 것이다").
_KO_DOES = re.compile(rf"(?:[{_MODIFIER_END[0::2]}]다|[가-힣]는다|있다|없다|[가-힣][함됨])\s*[.。]?$")
_KO_NOT_DOES = re.compile(
    r"(?:었|았|였|했|겠|됐|웠)(?:다|음)\s*[.。]?$|(?:하자|하라|해라|하세요|합시다|한다고|된다고|봐야\s*한다|"
    r"해야\s*한다|하면\s*된다|할\s*수\s*있다|수\s*있다|것\s*같다|(?:ㄹ|을|를)\s*것이다)\s*[.。]?$"
)


_KO_DEFINES_IT = re.compile(
    r"(?:것|일|상태|현상|방법|과정|개념|정도|값)(?:을|를)\s*(?:의미|뜻|말|가리|일컫)(?:한다|합니다|함|킨다|킵니다|는다|습니다)\s*[.。]?$"
)


def _names_code(section: Section) -> bool:
    """The heading names a function, a method or a command ("`zip` 내장 함수", "platform.system()",
    "top()"): its first point says what it does."""
    md = section.heading.md
    return "`" in md or bool(re.search(r"\w\(\)", md))


def _what_it_is(text: str, heading: str, *, does: bool = False) -> bool:
    """The section's first sentence says what the heading's term is, without naming it ("## SOM"
    + "an unsupervised technique used to …"), and names no subject of its own ("KNN은 …")."""
    if (
        not shapes.is_label(heading, 40)
        or heading.endswith(("?", "？"))
        or not shapes.is_term(heading)
        or _NOT_A_TERM_HEADING.search(heading)
        or subjects.generic(heading)
    ):
        return False
    # "## 군집화(Clustering)" + "비슷한 개체끼리 한 그룹으로 … 묶어서 구분하는 것을 의미한다.": a defining
    # verb, and no subject of its own where a subject would stand (its first words).
    opening = " ".join(text.split()[:3]) + " "
    narration = bool(_KO_NARRATION.search(text))
    korean_defines = bool(_KO_DEFINES_IT.search(text)) and not (_KO_SUBJECT.search(opening) or narration)
    korean_kind = korean_defines or (
        bool(_KO_KIND.match(text) or (does and _KO_DOES.search(text)))
        and not (_KO_SUBJECT.search(text) or narration or _KO_NOT_DOES.search(text))
    )
    if not (
        len(text.split()) >= 5 and len(text) <= _MAX_SENTENCE and (_WHAT_IT_IS.match(text) or korean_kind)
    ):
        return False
    if re.match(r"^[^:：]{1,40}[:：]\s", text):
        return False  # "ETL: 추출 후 …": a term of its own, read as a glossary
    first = text.split()[0]
    if re.search(r"[가-힣]", text):
        return not first.endswith(("은", "는", "이란", "란"))  # "KNN은 … 알고리즘": its own subject
    return True


# Headings that name a part of a text about a term, not the term: "덱의 이해", "Abstract", "모델 개요",
# "원형 큐의 구현: 함수의 정의".
_NOT_A_TERM_HEADING = re.compile(
    r"[:：]|(?:의\s*)?(?:이해|소개|개요|구현|정리|설명|예제|예시|요약|목적|목적의식|문제의식|배경|동기|관련\s*연구.*)$|"
    r"(?:는|한|은)\s*(?:방법|방식)$|[가-힣]하기$|주의\s*사항$|\[?방법\s*\d+\]?|^(?:용어|용어\s*정리|키워드|terms|terminology|glossary|vocabulary|keywords|notes?)$|"
    r"^(?:정의|definition|abstract|introduction|"
    r"overview|summary|background|motivation|conclusions?|results?|experiments?|method(?:s|ology)?|related\s+works?|"
    r"acknowledge?ments?|q\s*&?\s*a|qna|examples?|(?:main|key)\s+ideas?|서론|본론|결론|메인\s*아이디어|"
    r"project\s+\w+|pre-?training\s+\w+)\b",
    re.IGNORECASE,
)


def _title_term(sentence: str, post_title: str) -> str | None:
    """The subject of a paragraph's opening sentence "<X> is a …" when the post's title names X
    ("Markov Chain Monte Carlo is a powerful method with which we can estimate …" in a post titled
    "Markov Chain Monte Carlo"): an explainer defining what it is about, in plain prose."""
    if " is " not in sentence and " are " not in sentence:
        return None
    opened = _OPENER.sub("", sentence.strip())
    words = opened.split(maxsplit=2)
    first = words[1] if len(words) > 1 and words[0].casefold() == "the" else (words[0] if words else "")
    if not first or first.strip("*_[").casefold() not in post_title.casefold():
        return None  # cheap: the subject's first word is not in the title
    text = render.plain(opened)
    if (
        len(text) > _MAX_SENTENCE
        or len(text.split()) < 6
        or not _STATEMENT.search(text)
        or _NOT_WHAT.search(text)
    ):
        return None
    match = _TITLE_SUBJECT.match(text)
    if match is None:
        return None
    term = match.group("term")
    if len(term) < 4 or not re.search(rf"(?<!\w){re.escape(term)}(?!\w)", post_title, re.IGNORECASE):
        return None
    return _term(term)


# A sentence that recaps the post ("지금까지 우리는 벡터란 무엇인지 알아보았다"), points at a numbered
# formula ("…란 식 (6)에 해당한다") or says only how hard the idea is ("진폭은 어려운 개념이 아니다"):
# it names the term without saying what it is.
_SAYS_NOT_WHAT = re.compile(
    r"(?:알아|살펴|다뤄\s*)(?:보았|보고|보자|보겠|봤|봅시다|보도록)|(?:수)?식\s*\(\d+\)|\beq(?:uation|\.)\s*\(?\d+|어렵지\s*않|어려운\s*개념이\s*아니|"
    r"\bis\s+not\s+(?:hard|difficult)\b|\bnothing\s+more\s+than\b",
    re.IGNORECASE,
)
# A definition that leans on the sentences before it ("이러한 단점들을 해결하기 위해", "to solve these
# problems"): the card would not show what "these" are.
_POINTS_BACK = re.compile(
    r"이러한|이런\s|그러한|(?:앞서|앞에서|위에서)\s*(?:언급|설명|말|살펴)|\b(?:these|those|the\s+above|aforementioned)\b|"
    r"\bsuch\b(?!\s+as)",
    re.IGNORECASE,
)
# What happens to something in a worked example or a walkthrough ("Split B is chosen.", "x is set to
# 3.", "이 값이 선택된다."): an event, not a definition.
_HAPPENS = re.compile(
    r"\b(?:is|was|are|were|gets|got)\s+(?:then\s+)?(?:chosen|selected|picked|used|applied|removed|added|updated|"
    r"computed|calculated|obtained|returned|printed|shown|assigned|set\s+to|initiali[sz]ed|executed|run)\b"
    r"[^,;]{0,12}\.?\s*$|(?:선택|사용|적용|제거|추가|갱신|계산|출력|반환|호출|실행)(?:된다|됩니다|되었다|됐다|됨)\.?\s*$",
    re.IGNORECASE,
)
# A sentence that gives a reason, a contrast or a consequence about its subject ("GraphSAGE는 …를
# 추출하기 때문에 …", "X is fast, but …"): a property, not what the subject is.
_NOT_WHAT = re.compile(
    r"때문에|므로|지만|\bbecause\b|\bsince\b|\bhowever\b|\bbut\b|\bso\s+that\b|"
    # a likeness, not what it is: "tanh는 sigmoid와 유사하게 생겼다", "X looks like Y"
    r"(?:와|과)\s*(?:유사|비슷|닮)|\b(?:is\s+similar\s+to|looks\s+like|resembles)\b",
    re.IGNORECASE,
)


# "In probability theory and statistics, a **covariance matrix** is …", "At a high level, a **tool**
# is …": the field or the level the definition is given in, before its term in bold.
_FIELD = re.compile(
    r"^(?!(?:in|at|for)\s+(?:contrast|addition|particular|practice|this|that|these|those|our|my|other|the\s+same|"
    r"example|instance|short|fact|turn|general)\b)(?:in|at|within)\s+[^,*_]{3,50},\s*(?=(?:an?\s+|the\s+)?(?:\*\*|__))",
    re.IGNORECASE,
)
# "Roughly speaking, inverse document frequency is …": a manner of speaking before the term.
_OPENER = re.compile(
    r"^(?:roughly|simply|informally|formally|intuitively|basically|essentially|in\s+short|in\s+other\s+words|"
    r"put\s+simply|simply\s+put|in\s+a\s+nutshell|at\s+its\s+core|first(?:\s+of\s+all)?|to\s+begin\s+with|"
    r"in\s+general|generally)(?:\s+speaking)?\s*,\s*",
    re.IGNORECASE,
)


def _starts_with_word(sentence: str, heading: str) -> bool:
    """A cheap look, on the Markdown, whether the sentence opens with the heading's first word."""
    words = heading.split("(")[0].split()
    word = words[0].casefold() if words else ""
    return bool(word) and _LEADING_MARKUP.sub("", sentence).casefold().startswith(word)


_LEADING_MARKUP = re.compile(r"^(?:\*\*|__|<strong>|\[|\s|(?:an?|the)\s)+", re.IGNORECASE)


def _open_syllable(char: str) -> bool:
    """A Hangul syllable with no final consonant (가, 이), after which 란 (not 이란) follows."""
    return "\uac00" <= char <= "\ud7a3" and (ord(char) - 0xAC00) % 28 == 0


def _opens_with(text: str, heading: str) -> bool:
    """The sentence starts with the heading's term and then says what it is (a topic particle or a
    defining verb within a few words)."""
    word = heading.split("(")[0].strip().casefold()
    if not word or not shapes.is_label(heading, 40) or heading.endswith("?"):
        return False
    folded = text.casefold()
    if not folded.startswith(word):
        return False
    after = text[len(word) :]
    return bool(
        re.match(rf"(?:\s*\([^)]{{1,40}}\))?(?:{_KO_DEFINES}|{_EN_DEFINES})", after + " ", re.IGNORECASE)
    )


# Words before a term that say where it is, not what ("여기서 마스크", "수식에서 Z", "이때 α"), and
# a pronoun glued after it ("Learning rate warmup 이는"): not part of the term.
_WHERE = re.compile(
    r"^(?:(?:여기서|여기에서|이때|이\s*때|한편|또한|특히|물론|반면(?:에)?|(?:짧게\s*|간단히\s*)?(?:요약|정리)하자면|\S+하게|마찬가지로|원래|보통|일반적으로|흔히|주로|참고로|우선|먼저|즉|다시\s*말해|예를\s*들어|결국|따라서|그래서|\S+적으로)\s+(?:(?:말하는|얘기하는|언급한|쓰인|사용된)\s+)?|"
    r"\S*에서(?:는)?\s+)"
)
_TRAILING_PRONOUN = re.compile(
    r"\s+(?:이는|이것은|이란|그것은|here|in\s+this\s+(?:case|post|paper)|which|that|who)$", re.IGNORECASE
)
# A clause read as a term: "stack이 비게 되" + 는 (a verb's ending, not a topic particle), "값을
# 구하" + 는, "model이 작" + 은.
_CLAUSE = re.compile(
    r"[되하있없같않했된였었았겠]$|(?<=[가-힣])다$|이라$|[라다]는$|에게(?:는)?$|\S(?:을|를|에게)\s|[A-Za-z0-9)](?:이|가)\s|경우에?$|"
    # an adverb ("조금 더 구체적으로" + 는), an adjective's stem ("낮" + 은 에너지, "파" + 란 점선)
    r"(?:적|으|예)로$|(?:^|\s)[짧낮높좋작넓좁많깊얕파노빨]$|"
    # "가장 좋" + 은, "뒤의 숫자 10", "아래 코드"
    r"^(?:가장|매우|아주|너무|정말|더|(?:앞|뒤|위|아래|왼쪽|오른쪽)의|아래|위|다음)\s"
)
# A variable of the post's code ("init_dim refers to …", "'theta'는 …"): a code walkthrough, not a term.
_IDENTIFIER = re.compile(r"[A-Za-z]+(?:_[A-Za-z0-9]+)+|'[A-Za-z_][A-Za-z0-9_]*'")
# A symbol of a formula ("Z", "x_t", "α"), and a place in a figure or formula ("오른쪽 그림의
# 첫번째 term"): the card would not show what they belong to.
_SYMBOL = re.compile(r"[A-Za-z](?:_\w+|\d)?|[\u0370-\u03ff]")
_IN_FIGURE = re.compile(
    r"그림|도표|수식|figure|\bfig\b|equation|\btable\s*\d|(?<![가-힣])(?:식|표)(?![가-힣])", re.IGNORECASE
)


_CLAUSE_IN_TERM = re.compile(
    r"\b(?:this|that|these|those|believes?|thinks?|says?|argues?|shows?|suggests?)\b|\s-\s|"
    r"^(?:precisely|shown|given|above|below|as|so|thus)\b",
    re.IGNORECASE,
)


# Words of the sentence read as its term: where or when ("여기서는", "이제 남은"), a manner ("이름만
# 봐서는"). (A credit, "참조", is no term to subjects.definition_question, which every rule asks.)
_NOT_A_TERM = re.compile(
    r"서는$|^(?:이제|그럼|그러면|그래서|결국|이름만|여기서|거기서|이번에는|다음으로)(?:\s|$)|"
    # "While there is …", "Unless the knowledge is …": a subordinate clause, not a name
    r"^(?:while|unless|although|though|since|if|when|because|whereas|once|until|after|before|as)\s"
    r"(?!loops?\b|statements?\b|clauses?\b|blocks?\b)",
    re.IGNORECASE,
)


def _term(raw: str) -> str | None:
    term = " ".join(render.plain(raw).split()).strip(" :：,")
    term = _TRAILING_PRONOUN.sub("", _WHERE.sub("", term)).strip()
    if (
        _IN_FIGURE.search(term)
        or _NOT_A_TERM.search(term)
        or re.search(r"[:：]\s", term)  # "Sample efficiency: 우리": a label and the sentence after it
        or any(quote in term for quote in '"“”')  # "\"난 널 좋아해\"라는": a quoted sentence, not a term
        or term.endswith("라는")
        or re.search(
            r"[A-Za-z)](?:라|이라)\s|(?:^|\s)(?:특히나?|인해서?|위로|아래로)\s", term
        )  # "decoder라 불리"
        or term.endswith(("에서", "에서는"))
        or _SYMBOL.fullmatch(term)
        or _CLAUSE.search(term)
        or _IDENTIFIER.fullmatch(term)
    ):
        return None  # "Z는 … feature를 의미한다": a symbol of a formula the card does not show
    if not shapes.is_term(term) or len(term.split()) > 6 or shapes.width(term) > 50:
        return None
    if _CLAUSE_IN_TERM.search(term):
        return None  # "Aguzzi believes that this", "Standard input - this": a clause, not a name
    return term
