"""What a definition is about: a term that cannot stand alone is asked in its subject.

"What is Reward?" asks nothing until it says whose reward; "의미는 무엇인가?" nothing until it says
of what. A term that is a plain word ("Reward", "Scaling", "의미", "모양") or a generic label ("Key
takeaway", "Main idea") is asked in its subject: the list point above it, the nearest heading that
names something, the paper the post reviews, or the post's own title ("In meta-RL, what is the
reward?"). When none of those names anything specific, no card is made and `-v` says so (Woźniak's
context cue; Matuschak's "precise"). A term that names something itself ("LSTM", "Batch
normalization", "드롭아웃 기법") is asked as it is.
"""

from __future__ import annotations

import re

from flashgen import phrasing
from flashgen.extract import shapes
from flashgen.extract.common import PostContext
from flashgen.model import Section

# Labels that name a part of any text, not a subject: "Key takeaway", "Main idea", "Intuition".
_GENERIC_PHRASE = re.compile(
    r"^(?:(?:the\s+)?(?:key|main|core|basic|big|general|overall)\s+(?:takeaways?|ideas?|points?|concepts?|insights?|"
    r"contributions?|components?|results?|findings?|problems?|questions?|intuitions?)|takeaways?|intuitions?|"
    r"motivations?|ideas?|summary|overview|notes?|examples?|problems?|solutions?|results?|goals?|approach|"
    r"methods?|setup|settings?|inputs?|outputs?|definitions?|details|background|basics|conclusions?|"
    r"limitations?|advantages?|disadvantages?|pros|cons|benefits?|drawbacks?|features?|purpose|"
    r"how\s+it\s+works|what\s+it\s+does|the\s+idea|the\s+problem|the\s+solution)$",
    re.IGNORECASE,
)
# Korean words that need an owner: "의미", "모양", "방법", "결과" (a short list of the common ones; a
# longer compound such as "배치 정규화" names its subject).
_KO_GENERIC = frozenset(
    """
    의미 모양 방법 방식 결과 과정 구조 개념 정의 목적 목표 역할 원리 문제 문제점 해결
    해결책 차이 차이점 종류 예시 예 특성 성질 값 크기 형태 기능 단계 입력 출력 모델
    데이터 학습 손실 보상 정책 상태 행동 변수 함수 가정 조건 비용 성능 속도 핵심 요약 풀이
    특징 한계 한계점 장점 단점 아이디어 동기 배경 환경 설정 그룹 셀 실행 결론 의의 효과
    용도 이유 원인 방향 범위 구성 구성요소 요소 방안 전략 기법 기준 규칙 순서 절차 점
    부분 전체 내용 정보 설명 결과물 실험 평가 지표 시간 공간
    """.split()  # noqa: SIM905 (a list of words, read as one)
)
# English words that need an owner: "Reward" (whose?), "Loss" (of what?), "Learn", "Size". A word
# not listed ("Precision", "Adam", "Softmax") names a concept of its own.
_EN_GENERIC = frozenset(
    """
    reward loss value policy state action model input output size scale scaling shape result goal idea
    problem solution method approach setup data dataset training learning learn test testing evaluation
    performance speed cost error function parameter feature weight layer network structure process step
    stage phase task target label score metric objective query key architecture system component module
    block unit node edge graph tree set group type kind class category version level mode option
    direction magnitude distance similarity difference relation connection interaction combination
    representation context memory time space order sequence pattern rule condition constraint assumption
    hypothesis example case sample batch iteration update optimization optimisation connect combine
    reduce map filter sort join split merge run build use apply compute length width height depth
    number count rate ratio quality quantity amount range limit bound threshold source destination
    format content information detail note summary overview background motivation intuition definition
    concept theory property characteristic aspect factor element item object entity instance variable
    term expression equation formula notation symbol operation operator transformation transform mapping
    encoding decoding encoder decoder generator discriminator agent environment observation trajectory
    episode experience planning selection random owner development production deployment implementation
    application usage interpretation conclusion discussion analysis remark takeaway configuration
    """.split()  # noqa: SIM905 (a list of words, read as one)
)
_PLAIN_WORD = re.compile(r"^[A-Za-z][a-z]+$")
_NUMBERED_LABEL = re.compile(
    r"^(?:level|step|stage|phase|case|type|option|part|method|approach|example|rule|condition|experiment|"
    r"setting|scenario|round|trial|variant|model)\s*(?:\d{1,2}|[A-D])$",
    re.IGNORECASE,
)
_VERSION = re.compile(r"^v(?:er(?:sion)?)?\s?\d+(?:\.\d+)*$", re.IGNORECASE)  # "v3", "version 2"
# What a post describes, never defines: its data; and adjectives alone ("simple", "fast").
_NO_DEFINITION = re.compile(
    r"^(?:(?:[Tt]he\s+)?(?:[Dd]ata|[Dd]atasets?|[Dd]ata\s+set)|데이터|데이터셋|데이터\s*세트|자료|"
    r"(?i:simple|easy|hard|fast|slow|good|bad|new|old|basic|general|normal|main|big|small|large|notes?|notice|"
    r"description|default|returns?|arguments|args|params|parameters|설명|기본값|반환값|"
    # a credit or a pointer, not a term: "참조: tf.feature_column 사용법", "출처: …"
    r"참조|참고|출처|사진\s*출처|references?|sources?|credits?))$"
)
# An adverb or adjective alone ("Syntactically", "3-dimensional"): no concept at all.
_MODIFIER = re.compile(r"^[\w\-]+(?:ly|ive|ous|ic|able|ible|al|ful|less)$", re.IGNORECASE)
# Headings that name a part of a text, not a subject, so cannot be one.
_NOT_A_SUBJECT = re.compile(
    r"^(?:정리|요약|내용|개요|소개|기타|메모|노트|핵심|핵심\s*정리|포인트|결론|서론|본론|들어가며|마치며|용어|용어\s*정리|키워드|"
    r"배경|방법|방법론|실험|결과|실험\s*결과|제안\s*방법|관련\s*연구|초록|부록|참고|예시|예제|"
    r"terms|terminology|glossary|definitions|vocabulary|keywords|introduction|intro|abstract|background|"
    r"summary|notes?|overview|misc(?:ellaneous)?|details|key\s+(?:points|ideas|concepts|components|takeaways)|"
    r"highlights|conclusions?|discussion|main|body|basics|preliminar(?:y|ies)|setup|method(?:s|ology)?|"
    r"approach|results?|experiments?|evaluation|related\s+work|appendix|references|q\s*&\s*a|faq|"
    r"part\s*\d+|step\s*\d+|chapter\s*\d+|\d+)$",
    re.IGNORECASE,
)
_NUMBERING = re.compile(
    r"^\s*(?:(?:ch(?:apter)?|part|lecture|lec|week|day|section|강|장)\.?\s*\d+[.:)]?|\d+(?:[.\-]\d+)*[.)]?|[IVX]+\.)\s+",
    re.IGNORECASE,
)
_ARTICLE = re.compile(r"^(?:the|a|an)\s+(?=\S)", re.IGNORECASE)
# A heading that is a step ("Launch the job", "Install Spark"), not a thing a term belongs to.
_STEP = re.compile(
    r"^(?:launch|run|install|build|create|make|set|setting|use|using|get|getting|add|load|write|read|open|start|"
    r"define|train|test|check|compute|implement|implementing|import|download|deploy|configure|let's|how\s+to)\b",
    re.IGNORECASE,
)
_TITLE_TAIL = re.compile(r"\s*(?:[:：|]|\s[-–—]\s).*$")
_MAX_SUBJECT = 40  # width: a subject the question can carry


def generic(term: str) -> bool:
    """A term that says nothing until it says whose: a plain English word, a generic label, or a
    common Korean noun alone."""
    term = term.strip()
    if _common(term) or _VERSION.match(term) or _NUMBERED_LABEL.match(term):
        return True  # "v3은 무엇인가?": a version of what? "Level 0", "Case 2": a label of what?
    if not _PLAIN_WORD.match(term) and not re.fullmatch(r"[\w\-]+", term):
        return False
    word = term.casefold()
    singular = word[:-1] if word.endswith("s") and not word.endswith("ss") else word
    return word in _EN_GENERIC or singular in _EN_GENERIC or bool(_MODIFIER.match(term) and len(term) > 5)


def _common(term: str) -> bool:
    """A label of any text or a common Korean noun ("Summary", "문제"): never named by a title."""
    return bool(_GENERIC_PHRASE.match(term)) or term in _KO_GENERIC


def subject(section: Section, context: PostContext, term: str, parents: tuple[str, ...] = ()) -> str | None:
    """What `term` belongs to, as the post says it: the point above it, the nearest heading that
    names something, the reviewed paper, or the post's title. None when nothing specific does."""
    headings = reversed(section.path)
    paper = (context.post_paper.title,) if context.post_paper and context.post_paper.title else ()
    title = _TITLE_TAIL.sub("", _NUMBERING.sub("", section.post.title)).strip()
    for candidate in (*reversed(parents), *headings, *paper, title):
        if (found := as_subject(candidate, term)) is not None:
            return found
    return None


def _owner_nearby(section: Section, term: str, parents: tuple[str, ...]) -> str | None:
    """What a plain word belongs to when the point above it or its own heading is a name ("In
    POET, what is Mutation?", "In MapReduce, what is Shuffle?"); not a topic ("Training",
    "Revisiting Matplotlib"), a heading further up or the post's title (the cue shows them)."""
    for candidate in (*reversed(parents), section.title):
        found = as_subject(candidate, term)
        if found is not None and shapes.width(found) <= _NEAR_SUBJECT and _A_NAME.search(found):
            return found
    return None


_NEAR_SUBJECT = 24  # width of an owner named in a few words: "POET", "PPLM", "ResNet-50"
# A name, not a topic: an acronym, a capital inside a word, a version ("POET", "MapReduce", "CAE-T5").
_A_NAME = re.compile(r"[A-Z]{2}|[a-z][A-Z]|[A-Za-z]-?\d")


# What a list can be of something: its pros, its applications, its steps ("Pros:", "## 장점").
RELATIVE = re.compile(
    r"^(?:(?:main|key|some|the)\s+)?(?:pros(?:\s+and\s+cons)?|cons|trade-?\s*offs?|advantages?|disadvantages?|benefits?|drawbacks?|"
    r"strengths?|weaknesses?|limitations?|applications?|use\s+cases?|uses|steps?|components?|parts|types|kinds|"
    r"properties|characteristics|features|assumptions?|requirements?|variants?|categories|roles|"
    r"장점|단점|장단점|한계|한계점|문제점|응용|응용\s*분야|활용|활용\s*분야|특징|특성|종류|분류|유형|구성\s*요소|구성|단계|"
    r"가정|요구\s*사항|변형|성질|속성|역할|원인|조건|과정|순서|절차|동작\s*과정|학습\s*과정)$",
    re.IGNORECASE,
)


def relative_prompt(section: Section, context: PostContext, label: str, lang: str) -> str | None:
    """A list's prompt for a label that needs an owner ("Pros:", "## Applications"): "Pros of the
    EM algorithm", "EM 알고리즘의 장점"; None when nothing names whose."""
    where = subject(section, context, label)
    return owned(label, where, lang) if where else None


def owned(label: str, where: str, lang: str) -> str:
    """ "Pros of EM algorithm", "Voila의 장점"; under "해시맵의 장단점", "해시맵의 장점"."""
    if _BOTH_SIDES.search(where) and _ONE_SIDE.match(label.strip()):
        where = _BOTH_SIDES.sub("", where).strip() or where
    return f"{where}의 {label}" if lang == "ko" else f"{label[:1].upper()}{label[1:]} of {where}"


# An owner that is itself the set of both sides ("해시맵의 장단점", "Pros and cons of X"), over one side.
_BOTH_SIDES = re.compile(r"(?:의\s*)?장단점$|^pros\s+and\s+cons\s+of\s+", re.IGNORECASE)
_ONE_SIDE = re.compile(r"^(?:장점|단점|pros|cons|advantages?|disadvantages?)$", re.IGNORECASE)


def as_subject(text: str, term: str = "") -> str | None:
    """`text` (a heading, a point) as the subject of `term`, or None when it names nothing
    specific: a generic heading, a sentence, a number, a step."""
    text = _NUMBERING.sub("", text.strip().lstrip("-*•·– ")).strip().rstrip(":：").strip()
    text = _ARTICLE.sub("", text)  # "The Rosenblatt's Perceptron"
    if not text or text.endswith(("?", "？", "!")) or _STEP.match(text):
        return None
    if text.casefold() == term.casefold() or _NOT_A_SUBJECT.match(text):
        return None
    if _common(text) or RELATIVE.match(text):
        return None
    if shapes.is_numbered_label(text) or shapes.is_sentence(text) or not shapes.is_term(text):
        return None
    if shapes.width(text) > _MAX_SUBJECT:
        shorter = _TITLE_TAIL.sub("", text).strip()
        if not shorter or shapes.width(shorter) > _MAX_SUBJECT or shorter == text:
            return None
        text = shorter
    return text


def stands_for(term: str, said: str) -> bool:
    """`said` is what the acronym `term` abbreviates, and no more ("SVM: Support Vector Machine")."""
    letters = re.sub(r"[^A-Za-z]", "", term)
    words = re.findall(r"[A-Za-z]+", said)
    if not (2 <= len(letters) <= 8 and letters.isupper() and 2 <= len(words) <= 8) or len(said) > 80:
        return False
    small = {"of", "for", "the", "and", "a", "an", "to", "in", "on", "with", "by"}
    initials = "".join(word[0] for word in words if word.casefold() not in small).upper()
    return initials == letters.upper() or initials == letters.upper().replace("O", "")


def names_itself(section: Section, context: PostContext, term: str) -> bool:
    """The post or the section is about the term ("Dropout" in a post titled "Dropout explained",
    under "## Reward"): it is its own subject."""
    term = term.casefold()
    return any(_stands_in(title.casefold(), term) for title in (context.post.title, *section.path))


def _stands_in(text: str, word: str) -> bool:
    """`word` in `text`, not as part of a longer word."""
    start = text.find(word)
    while start >= 0:
        end = start + len(word)
        if not (text[start - 1 : start].isalnum() or text[end : end + 1].isalnum()):
            return True
        start = text.find(word, start + 1)
    return False


def definition_question(
    section: Section,
    context: PostContext,
    lang: str,
    term: str,
    *,
    plural: bool = False,
    parents: tuple[str, ...] = (),
    said: str = "",
) -> str | None:
    """The question a definition of `term` asks (plain text), in its subject when the term cannot
    stand alone; None when it cannot and nothing names its subject. `said` is the definition's
    text: "(Actions) are operations …" asks "what are Actions?"."""
    opening = said.strip().casefold()
    plural = plural or bool(
        _ACRONYMS.match(term)
        or opening.startswith("are ")
        or opening.removeprefix("the ").startswith(f"{term.casefold()} are ")
    )
    if _NO_DEFINITION.match(term):
        return None  # "데이터: 경남 창원시 … 측정된 초미세먼지": a dataset's description, not a term
    if symbols(term) or comparative(term):
        return None  # "M, N은 …", "v와 w는 서로 다른 두 frame을 의미한다": a formula's names
    if stands_for(term, said):
        return phrasing.question(lang, "stands-for", term=term)  # "HOG: Histogram of Oriented Gradients"
    plain = phrasing.question(lang, "definitions" if plural else "definition", term=term)
    bare = _ARTICLE.sub("", term)  # "a kernel" (as the sentence named it): "kernel"
    if not _common(bare) and names_itself(section, context, bare):
        return plain
    if not generic(bare):
        # One plain word ("Caching", "Mutation", "Uncertainty", "top-down"): asked in what it
        # belongs to when something names it, as it is when nothing does.
        where = _owner_nearby(section, bare, parents) if _ONE_WORD.match(bare) else None
        if where is None:
            return plain
        asked = "definitions-in" if plural else "definition-in"
        return phrasing.question(lang, asked, term=term, where=where)
    where = subject(section, context, bare, parents)
    if where is None:
        return plain if context.vague_terms else None
    return phrasing.question(lang, "definitions-in" if plural else "definition-in", term=term, where=where)


_ACRONYMS = re.compile(r"^[A-Z][A-Za-z0-9\-]*[A-Z]s$")  # "RBMs", "GANs", "CNNs"
_ONE_WORD = re.compile(r"^[A-Za-z][a-z]+(?:-[a-z]+)?$")  # "Caching", "top-down"; not "LSTM", "ReLU"

_NAMES = re.compile(r"\s*(?:,|/|&|\band\b|와|과)\s*")
_SYMBOL = re.compile(r"^[A-Za-z](?:'|_\w)?$")


# A comparative alone ("Better", "Faster", "Stronger"): how one thing improves on another, not a term.
_COMPARATIVE = re.compile(
    r"^(?:better|faster|stronger|larger|smaller|deeper|wider|higher|lower|cheaper|simpler|easier|harder|"
    r"lighter|heavier|longer|shorter)$",
    re.IGNORECASE,
)


def comparative(term: str) -> bool:
    return bool(_COMPARATIVE.match(term.strip()))


def symbols(term: str) -> bool:
    """A formula's symbols ("D", "M, N", "v와 w"): they mean something only beside their formula.
    (R and C, alone, are as often the languages.)"""
    parts = [p for p in _NAMES.split(term.strip()) if p]
    return bool(parts) and all(_SYMBOL.match(p) for p in parts) and term.strip() not in ("R", "C")


VAGUE = (
    "a definition of a term that cannot stand alone (“{term}”: a plain word or a label, with nothing "
    "around it naming its subject, or a formula's symbol): no card "
    "(`vague_terms = true` makes the plain words' cards)"
)
