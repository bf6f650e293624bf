"""Whether a definition's answer says what its term is, whichever rule found the definition.

The rules find a definition by its shape ("X is …", "**X**: …", a glossary row, "X란 …"). The
sentence they take can have that shape and still not say what X is, and a card of it is a card
judges mend or throw away:

- it leans on the sentence before it: "하지만 TLB에서는 …", "That means, those neurons …",
  "such as weather, events" (a connective opens it, and the term is not what follows);
- it only rates the thing: "K-means is a widely used method in cluster analysis.", "Ubiquitination
  is a big topic." (a word of praise or size, and nothing that says what it does or is for);
- it is an example, quoted whole: "Sentence 1: “John really loves this movie”".

Such a definition makes no card, and `show -v` says which of these it is. One that names
examples of its term ("대칭 동사 : 만나다, 닮다, 싸우다 등", "Roles: sentiment analysis, segmentation,
etc.") is asked as what it is: "대칭 동사의 예는?".
"""

from __future__ import annotations

import re
from dataclasses import replace

from flashgen import phrasing
from flashgen.extract import shapes
from flashgen.model import Note
from flashgen.read import render

# A connective or a pointer back, opening the answer: what it says follows from the sentence before.
_LEANS_BACK = re.compile(
    r"^(?:(?:that|this)\s+means\b|however\b|but\b|so\b|thus\b|therefore\b|hence\b|such\s+as\b|instead\b|"
    r"otherwise\b|moreover\b|in\s+contrast\b|as\s+(?:above|below|before)\b|see\s+(?:above|below)\b|"
    r"하지만|그러나|즉[,\s]|반대로|단[,\s]|이러한|이런|이를|따라서|그래서|그러므로|반면|이\s*경우|이\s*때|대신에?[,\s]|"
    # "[이전 글](…)에서도 잠시 언급했다시피 …": what an earlier post said
    r"\[?(?:이전|앞|지난)\s*(?:글|포스트|포스팅|장|절|강의)(?:\]\([^)]*\))?에서(?:도|는)?|in\s+(?:the|my|a)\s+(?:previous|last|earlier)\s+(?:post|article|chapter))",
    re.IGNORECASE,
)
_ROOM_FOR_TERM = 40  # characters after the connective where the term would stand: "즉, 준지도학습은 …"

# "X is a widely used method …", "… is one of the most popular …", "… is another clustering algorithm
# …": what people think of it or how much there is of it, not what it is.
_RATES_ONLY = re.compile(
    r"^(?:[^.]{0,60}?\s)?(?:is|are)\s+(?:an?\s+|the\s+)?(?:one\s+of\s+the\s+)?(?:very\s+|by\s+far\s+the\s+)?"
    r"(?:widely|commonly|mostly|most|well-known|popular|famous|important|big|nice|basic|another|powerful|"
    r"useful|fundamental|classic|great|naive|leading|major|crucial|essential|critical|recognized|"
    r"important\s+factor)\b",
    re.IGNORECASE,
)
# …unless it goes on to say what the thing does: "a common algorithm to provide region proposals".
_SAYS_MORE = re.compile(
    r"\b(?:that|which|where|whose|who|to\s+\w+|by\s+\w+ing|for\s+\w+ing|using|used\s+to|consisting|"
    r"based\s+on)\b",
    re.IGNORECASE,
)
# "… 병목 구간을 찾아보자.", "… 사용하세요": advice to the reader, not what the term is.
_ADVICE = re.compile(r"(?:[가-힣]자[.!]|(?:보|하|말)자|(?:하|해)세요[.!]?|하십시오[.!]?)\s*$")
ADVICE = "a “definition” that is advice to the reader (“{answer}”): no card"
_QUOTED = re.compile(r"^[\"“‘'][^\"“”‘’]*[\"”’']\s*[.;]?$")

# "이 모델", "두 방법", "해당 layer": a term that points at one the text named before.
_POINTING_TERM = re.compile(
    r"^(?:이|그|저|두|세|네|어떤|여러|해당|모든)\s|^(?:example|예시|예제)\s*\d+$", re.I
)
POINTING_TERM = "a definition of “{term}”, which points at something named before it: no card"
# "peak라는", "Meena 는 한참 뛰어넘은": words of the sentence around a term, taken with it.
_BROKEN_TERM = re.compile(
    r"(?:라는|이라는|라고)$|\s(?:는|은|이|가|를|을)\s|\s(?:는|은|를|을)$|[가-힣\w)](?:를|을)\s"
)
BROKEN_TERM = "a definition whose term takes in the words around it (“{term}”): no card"
# "train_step 메서드", "evaluate method": a method of the post's own code, said what it does.
_CODE_METHOD = re.compile(r"^`?[a-z_][a-z0-9_]*(?:\(\))?`?\s*(?:메서드|메소드|method)$")
CODE_METHOD = "a method of the post's own code (“{term}”), not a concept: no card"
# "최대값 찾기", "리스트 만들기", "데이터 나누기": a step of a procedure, not a thing.
_STEP_TERM = re.compile(
    r"(?:찾기|구하기|만들기|넣기|빼기|바꾸기|나누기|합치기|정하기|세우기|그리기|고르기|옮기기|설치|확인|다운로드|접속)$"
)
STEP_TERM = "a step of a procedure (“{term}”), not a term: no card"
CIRCULAR = "a definition that says its term again and little more (“{answer}”): no card"
_WORD = re.compile(r"[A-Za-z]{3,}|[가-힣]{2,}")
# Words that add nothing to a term said again: a kind, a verb of being or doing, a particle.
_SAYS_NOTHING = re.compile(
    r"^(?:기법|방법|방식|것|개념|의미|의미한다|의미합니다|뜻|뜻한다|말한다|하는|한다|합니다|하기|입니다|이다|"
    r"the|and|that|which|technique|method|way|thing|process|doing|called)$"
)
_LITERALLY = re.compile(r"(?:말|이름)\s*(?:그대로|처럼)|\bliterally\b|\bas\s+the\s+name\s+suggests\b", re.I)


def _circular(term: str, answer: str) -> bool:
    """ "Label smoothing: label을 smoothing하는 기법", "정확도는 얼마나 정확하게 예측하는지": once the
    term is set aside, what is left is short and made of the term's own words."""
    rest = answer
    if rest.casefold().startswith(term.casefold()):  # "Label smoothing은 …": what follows the term
        rest = re.sub(r"^\s*(?:은|는|이란|란|이|가|is|are|means)?\s*", "", rest[len(term) :], flags=re.I)
    if (literally := _LITERALLY.search(rest)) and len(rest[literally.end() :].strip()) <= 30:
        return True  # "이름 그대로 tokenize", "그룹화는 말 그대로 그룹으로 묶어주는 것"; not "… 말 그대로
        # 반복샘플링을 통해 분포에 대한 가정없이 p-value를 계산할 수 있는 기법"
    words = {w.casefold() for w in _WORD.findall(term)}
    if not words or len(rest) > 40:
        return False
    said = rest.casefold().replace(term.casefold(), " ")
    if not _WORD.search(rest) or "\\" in rest or "=" in rest:
        return False  # a formula says what it says: "π(s) = a"
    new = [w for w in _WORD.findall(said) if w not in words and not _SAYS_NOTHING.match(w)]
    return not new  # "label을 smoothing하는 기법": nothing but the term's words and a kind


# "Discriminator를 최적화하는 D는 다음과 같다.", "… is given as follows:": the answer is what comes next
# (a formula, a figure), which the card does not show.
_ANNOUNCES = re.compile(
    r"(?:다음|아래)(?:과|와)\s*같(?:다|습니다|이\s*정의)[^.。]{0,12}[.。:]?\s*$|(?:as\s+follows|the\s+following)\s*[.:]?\s*$|"
    # "Applies SVD to split weights into:", "Represented as z = conv(x, w), where:": not "A technique for
    # scaling LLMs with low inference costs:", which says what it is before its colon
    r"\b(?:into|on|as|by|via|like|with|where|of|in|to|is|are|e\.g\.|includes?|including)\s*[:：]\s*$|^\W*(?:\S+\s+){0,5}\S+\s*[:：]\s*$",
    re.IGNORECASE,
)
ANNOUNCES = (
    "a definition whose answer announces what follows it (“{answer}”), which the card does not show: no card"
)
LEANS_BACK = "a definition whose answer leans on the sentence before it (it opens with “{opening}”): no card"
RATES_ONLY = "a definition whose answer only rates the term (“{answer}”), not what it is: no card"
QUOTED = "a “definition” that is a quoted example (“{answer}”): no card"


def checked(note: Note) -> Note | str:
    """A definition note as it should be asked (one that names examples of its term asks for
    examples), or why its answer does not say what its term is; any other note as it is. The
    question and the answer are read once here, for every rule's definitions."""
    if note.kind != "definition" or note.cloze:
        return note
    asked = phrasing.definition_asked(render.text(note.front))
    term, lang, in_subject = asked or ("", "", False)
    answer = render.text(note.back).strip()
    if reason := _why_not(term, answer):
        return reason
    if asked and not in_subject and _EXAMPLES.search(answer):
        # "대칭 동사 : 만나다, 닮다, 싸우다 등": what it is, asked as its examples ("In X, what is Y?"
        # keeps its form).
        return replace(note, front=render.escape(phrasing.question(lang, "examples", term=term)))
    return note


# "화질: 8.0/10", "가격 : ★★★☆": a rating in a product review, not what anything is.
_RATING = re.compile(
    r"^\W*(?:\d+(?:\.\d+)?\s*/\s*\d+(?:\.\d+)?(?:\s*점)?|[★☆]{2,}|\d+(?:\.\d+)?\s*점)(?:\W|$)"
)
RATING = "a rating (“{answer}”), not a definition: no card"
# "_posts", ".github/", "_config.yml": a file or a folder of the author's project.
_FILE_TERM = re.compile(
    r"^(?!__\w+__$)[_.][\w.\-]+/?$|/$|\.(?:md|markdown|yml|yaml|json|toml|py|ipynb|html|css|js|ts|txt|csv|sh)$",
    re.I,
)
FILE_TERM = "a file or folder of a project (“{term}”), not a term: no card"
# "Line 9", "Step 3", "Figure 2": a place in an algorithm, a procedure or a figure the card does not show.
_PLACE_TERM = re.compile(r"^(?:line|step|case|figure|fig\.?|table|eq\.?|equation|row|column)\s*\d+$", re.I)
PLACE_TERM = "a place in a figure, a listing or a procedure (“{term}”), not a term: no card"


# What a definition's "term" may be instead, each with its notice, tried in order.
_NO_TERM = (
    (_FILE_TERM, FILE_TERM),
    (_PLACE_TERM, PLACE_TERM),
    (_POINTING_TERM, POINTING_TERM),
    (_BROKEN_TERM, BROKEN_TERM),
    (_CODE_METHOD, CODE_METHOD),
    (_STEP_TERM, STEP_TERM),
)


def _why_not(term: str, answer: str) -> str | None:
    """Why a definition of `term` answered by `answer` (plain text) makes no card, or None."""
    if _RATING.match(answer):
        return RATING.format(answer=_short(answer))
    for shape, why in _NO_TERM:
        if shape.search(term):
            return why.format(term=term)
    if term and _circular(term, answer):
        return CIRCULAR.format(answer=_short(answer))
    if _ANNOUNCES.search(answer) and len(shapes.split_sentences(answer)) == 1:
        return ANNOUNCES.format(answer=_short(answer))
    if (opening := _LEANS_BACK.match(answer)) and not _names_term(term, answer[opening.end() :]):
        return LEANS_BACK.format(opening=opening.group(0).strip(" ,"))
    if _RATES_ONLY.match(answer) and not _SAYS_MORE.search(answer):
        return RATES_ONLY.format(answer=_short(answer))
    if _QUOTED.match(answer):
        return QUOTED.format(answer=_short(answer))
    if _ADVICE.search(answer):
        return ADVICE.format(answer=_short(answer))
    return None


def _names_term(term: str, rest: str) -> bool:
    """The term stands just after the connective ("In other words, the binomial distribution is
    …", "즉, 준지도학습은 …"): the sentence is about it after all."""
    term = re.sub(r"^(?:an?|the)\s+", "", term.casefold())
    return bool(term) and term[:12] in rest[:_ROOM_FOR_TERM].casefold()


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57].rstrip() + "…"


# "만나다, 닮다, 싸우다 등", "Remove silence, add chorus, …", "such as A, B, etc.": examples, open-ended.
_EXAMPLES = re.compile(r",[^()]*(?:\s등|\s등등|\betc\.?|\.\.\.|…)\.*\s*$", re.IGNORECASE)  # not "(…, 등)"
