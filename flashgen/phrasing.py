"""Question templates per language. Short questions: the context cue is shown beside them."""

from __future__ import annotations

import re

_TEMPLATES: dict[str, dict[str, str]] = {
    "en": {
        "paper": "What is the paper “{title}” about?",
        "paper-by": "What did {title} propose?",
        "stands-for": "What does {term} stand for?",
        "paper-section": "What is the {part} of “{title}”?",
        "paper-sections": "What are the {part} of “{title}”?",
        "children": "{item} — what does it say?",
        "definition": "What is {term}?",
        "definitions": "What are {term}?",
        "definition-in": "In {where}, what is {term}?",
        "definitions-in": "In {where}, what are {term}?",
        "examples": "What are examples of {term}?",
        "reverse": "Which term is defined here?",
    },
    "ko": {
        "paper": "「{title}」 논문의 핵심 내용은?",
        "paper-by": "{title}의 핵심 기여는?",
        "stands-for": "{term}{particle} 무엇의 약자인가?",
        "paper-section": "「{title}」 논문의 {part}{particle}?",
        "paper-sections": "「{title}」 논문의 {part}{particle}?",
        "children": "{item} — 어떤 내용인가?",
        "definition": "{term}{particle} 무엇인가?",
        "definitions": "{term}{particle} 무엇인가?",
        "definition-in": "{where}에서 {term}{particle} 무엇인가?",
        "definitions-in": "{where}에서 {term}{particle} 무엇인가?",
        "examples": "{term}의 예는?",
        "reverse": "어떤 용어의 정의인가?",
    },
}


# Letters and digits as Koreans read them in an acronym or number: ending in a consonant (엘, 엠, 엔,
# 알; 영, 일, 삼, 육, 칠, 팔) takes 은; the rest take 는.
_CLOSED_ENDINGS = set("LMNR013678")


def _topic_particle(word: str) -> str:
    """은/는 for a Korean topic, chosen by the last syllable's final consonant."""
    word = re.sub(r"\s*\([^()]*\)$", "", word.strip()) or word  # "체이닝(chaining)": read as 체이닝
    last = word.rstrip()[-1:] if word.strip() else ""
    if "\uac00" <= last <= "\ud7a3":
        return "은" if (ord(last) - 0xAC00) % 28 else "는"
    token = word.split()[-1] if word.split() else ""
    if token.isascii() and token.isalnum() and token.upper() == token:  # ETL, CDC, GPT4
        return "은" if last in _CLOSED_ENDINGS else "는"
    return "은(는)"


_HANGUL = re.compile(r"[가-힣]")
_LATIN = re.compile(r"[A-Za-z]")


def language_of(post_lang: str, given: bool, answer: str) -> str:
    """The language to ask in: the post's, unless it was only detected and the answer is clearly
    in the other one (bilingual notes: English terms, Korean explanations, or the reverse)."""
    if given or post_lang not in ("ko", "en"):
        return post_lang
    hangul, latin = len(_HANGUL.findall(answer)), len(_LATIN.findall(answer))
    if post_lang == "en" and hangul * 2.5 >= 0.5 * (hangul * 2.5 + latin) and hangul >= 4:
        return "ko"
    if post_lang == "ko" and hangul == 0 and latin >= 20:
        return "en"
    return post_lang


def question(lang: str, kind: str, **values: str) -> str:
    """The question for a note of `kind`, in `lang` (English where the language has no templates)."""
    templates = _TEMPLATES.get(lang, _TEMPLATES["en"])
    topic = values.get("term", values.get("part"))
    if topic is not None:
        values = {**values, "particle": _topic_particle(topic)}
    return templates[kind].format(**values)


# The definition templates read backwards: "In POET, what is Mutation?", "UMAP에서 장점은 무엇인가?".
_DEFINITION_ASKED = re.compile(
    r"^(?P<en_in>in\s+.+?,\s+)?what\s+(?:is|are)\s+(?P<en>.+?)\?"
    r"|^(?P<ko_in>.+?에서\s+)?(?P<ko>.+?)(?:은\(는\)|은|는)\s+무엇인가\?",
    re.IGNORECASE,
)


def definition_asked(question_text: str) -> tuple[str, str, bool] | None:
    """The term a definition's question (plain text) asks about, its language, and whether it is
    asked in a subject ("In X, what is Y?"); None for a question of another form."""
    match = _DEFINITION_ASKED.match(question_text.strip())
    if match is None:
        return None
    if match.group("en"):
        return match.group("en").strip(), "en", bool(match.group("en_in"))
    return match.group("ko").strip(), "ko", bool(match.group("ko_in"))
