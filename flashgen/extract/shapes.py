"""What a piece of text reads as: a point to recall, a label, a sentence of notes, a value.

Real study notes mix lists of short points (worth a cloze each) with lists of sentences (notes to
read, not a set to recite), and `Term : value` lines whose value is a setting, not a definition.
These tests decide which is which, for Korean and English alike.
"""

from __future__ import annotations

import re

from flashgen.read import render

HANGUL = re.compile(r"[가-힣]")
# The endings Korean note-takers close a sentence with (…다, …함, …음, …임, …됨, 요), and the
# sentence punctuation of both languages.
_SENTENCE_END = re.compile(r"(?:[.!?。]|[다함음임됨짐옴봄냄줌김림]|[니세어아해에예]요|죠)\s*[)\]'\"”’]?\s*$")
# Not the end of a sentence: "et al.", "i.e.", "e.g.", "Fig.", "vs.", an initial ("J. Smith").
_ABBREVIATION = (
    r"(?<!\bal\.)(?<!\bi\.e\.)(?<!\be\.g\.)(?<!\bFig\.)(?<!\bvs\.)(?<!\bEq\.)(?<!\bcf\.)(?<!\b[A-Z]\.)"
    r"(?<!\bi\.i\.d\.)(?<!\bex\.)"
)
SENTENCE_END = re.compile(rf"(?<=[.!?。]){_ABBREVIATION}\s+(?=\S)")
_SENTENCE_BREAK = re.compile(rf"(?<=[.!?。]){_ABBREVIATION}\s+(?=\S)|(?<=[다함음임됨]),\s+(?=\S)")
# A lead-in that only points at what follows, in the words people use for it.
_POINTER = re.compile(
    r"\s*(?:(?:은|는|이|가)\s*)?(?:다음과\s*같(?:다|음|습니다|이)?|아래와\s*같(?:다|음|습니다|이)?|"
    r"(?:are|is|include|includes|as\s+follows|the\s+following)\s*)?[:：]?\s*$",
    re.IGNORECASE,
)
# A value, not a description: a number or setting, a time slot, a rank, a URL, a file, a label.
_VALUE = re.compile(
    r"^(?:[-+~≈<>≤≥=]?\s*[\d.,:%×x*/eE+\-–~ ()]+\s*(?:[a-zA-Z%]{0,5}|[가-힣]{0,2})\.?"
    r"|(?:https?://|www\.)\S+"
    r"|[\w\-./]+\.(?:py|ipynb|csv|tsv|json|ya?ml|txt|md|sh|png|jpe?g|gif|pdf|h5|pt|pth|ckpt|zip|tar|gz)"
    r"|[A-Z]|[A-Z0-9\-.]*[0-9_][A-Z0-9_\-.]*"  # a class label, a code: "B", "A1", "CLASS_2"
    r"|(?:true|false|none|null|yes|no|o|x|on|off|예|아니오|있음|없음)"
    r"|[0-9]+\s*(?:위|등|번째|st|nd|rd|th)"
    r"|[A-Za-z][\w\-]{0,11}\s*[:=]?\s*[-+]?[\d.,]+\s*%?"  # a metric and its number: "BLEU 28.4", "mAP 37%"
    # a key combination: "Shift + Enter", "Ctrl+C"
    r"|(?:(?:ctrl|control|shift|alt|option|opt|cmd|command|meta|fn|win)\s*\+\s*)+[\w\s]{1,12}"
    # two values said to be equal: "이진수 101 = 십진수 5", "1 KB = 1024 bytes"
    r"|[^=\n]{0,20}\d[^=\n]{0,12}=\s*[^=\n]{0,20}\d[^=\n]{0,12}"
    r")(?:이다|입니다|임)?\.?$",
    re.IGNORECASE,
)


def width(text: str) -> int:
    """How long a text reads: a Hangul syllable counts as two letters."""
    return len(text) + len(HANGUL.findall(text))


def sentences(text: str) -> int:
    """How many sentences `text` holds (at least one when it holds anything)."""
    text = text.strip()
    if not text:
        return 0
    return 1 + len(_SENTENCE_BREAK.findall(text.rstrip(".!?。 ")))


def is_sentence(text: str) -> bool:
    """A full sentence of notes ("…을 제안함", "It splits the image.") rather than a label."""
    text = text.strip()
    return bool(_SENTENCE_END.search(text)) and len(text.split()) >= 3


def is_point(text: str, max_width: int = 90) -> bool:
    """A point to recall as one of a set: short, and at most one short sentence (a longer one is
    a note to read, not an item to recite)."""
    text = text.strip()
    if not 0 < width(text) <= max_width or sentences(text) > 1:
        return False
    return not is_sentence(text) or width(text) <= max_width * 0.45


def is_label(text: str, max_width: int = 60) -> bool:
    """A short title-like text that can head a card ("Challenge 1", "개발 기본기 갖추기")."""
    text = text.strip().rstrip(":：").strip()
    return 0 < width(text) <= max_width and (not is_sentence(text) or width(text) <= 45)


# Korean clause endings that leave a bullet mid-thought ("…구현 가능", "…필요하며"): a note, not a topic.
_PREDICATE_END = re.compile(
    r"(?:가능|불가능|필요|있음|없음|하고|하며|하면|하지만|지만|는데|으며|이며|며|고|서|면|됨|함)\s*$"
)
_URL = re.compile(r"https?://|www\.")


def is_topic(text: str, max_width: int = 60) -> bool:
    """A bullet that names a topic ("peek", "소프트 스킬 습득", "Challenge 1"), so its sub-bullets
    can be asked for: short, not a sentence or clause, no comma joining two thoughts."""
    text = text.strip().rstrip(":：").strip()
    return (
        0 < width(text) <= max_width
        and not is_sentence(text)
        and not _PREDICATE_END.search(text)
        and ", " not in text
        and not _URL.search(text)
    )


def has_url(text: str) -> bool:
    return bool(_URL.search(text))


# Words that open a sentence without naming what it is about.
_NOT_A_TERM = re.compile(
    r"^(?:오늘|이번|우선|먼저|다음|또한|그리고|그런데|하지만|그러나|따라서|즉|이|그|저|여기|이것|그것|저것|이는|그는|본|해당|"
    r"this|that|it|these|those|here|there|today|first|then|also|next|finally|so|thus|however|we|i|you|they|"
    r"which|what|since|suppose|consider|assume|given|let|where|because|although|though|whether|how|why|"
    r"who|whose|another|일단|일단은|이번에|이번에는|기존|기존에는|좌측|우측|왼쪽|오른쪽|상단|하단|clearly|simply|obviously|basically|essentially|finally|firstly|secondly|lastly|similarly|"
    r"likewise|additionally|furthermore|moreover|hence|therefore|actually|usually|typically|recently|currently|"
    r"naturally|notably|importantly|interestingly|unfortunately|fortunately|specifically|particularly|briefly|(?-i:[Aa]ll)|핵심|앞으로|위|아래|앞서|앞에서|그러면|그럼|그렇다면|"
    r"(?-i:[Ii]n|[Ff]or|[Oo]r|[Aa]nd|[Bb]ut|[Ww]ith|[Bb]y|[Tt]o|[Oo]n|[Aa]t|[Aa]s|[Ii]f|[Ww]hen|[Tt]aking))$",
    re.IGNORECASE,
)
_RANK = re.compile(
    r"^(?:\d+\s*(?:위|등|번째|st|nd|rd|th|단계)|top\s*\d+|no\.\s*\d+|(?:step|stage|phase|case|단계|상황|경우|예시|예제|접근)\s*\d+|"
    r"(?:첫|두|세|네|다섯|여섯|일곱)\s*번째|(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|final)"
    r"\s+(?:term|step|part|one|case|stage|phase)|(?:시나리오|scenario|케이스|case|유형|type)\s*[0-9A-Z]{1,2}|"
    r"(?:figure|fig\.?|table|tab\.|그림|표|eq\.?|equation|식|algorithm|알고리즘)\s*\d+|"
    r"(?:section|appendix|chapter|part|부록|섹션|챕터)\s*[A-Z0-9]{1,3}(?:\s*[-–~]\s*[A-Z0-9]{1,3})?|"
    # a time slot: "화요일 오후", "Monday morning", "Day 2", "Session 3", "오전"
    r"[월화수목금토일]요일(?:\s*(?:오전|오후|저녁))?|(?:오전|오후|저녁)(?:\s*세션)?|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day(?:\s+(?:morning|afternoon|evening))?|"
    r"(?:day|session|week)\s*\d+|(?:morning|afternoon|evening)(?=\s*$))(?:\b|(?=[가-힣]))",
    re.IGNORECASE,
)


def is_numbered_label(text: str) -> bool:
    """ "Step 3", "2단계", "Case 1": a label that numbers something, not something to recall."""
    return bool(_RANK.match(text.strip())) and len(text.split()) <= 3


def is_term(term: str) -> bool:
    """A name a definition can be about: words, not an opening adverb, a rank, a command-line flag
    or an assignment ("오늘", "1위", "--model_name", "FLASK_ENV=development")."""
    term = term.strip()
    if term.startswith("\\(") and term.endswith("\\)"):
        return True  # a typeset formula: "\(L = \lambda W\) : the average number in the system…"
    return (
        bool(term)
        and any(c.isalpha() for c in term)
        and not term.startswith(("-", "$", "|"))
        and "=" not in term
        and not _NOT_A_TERM.match(term)
        and not _NOT_A_TERM.match(term.split()[0])  # "그런데 일반 언어 이론", "Then the loss"
        and not _VAGUE_TERM.match(term)
        and not _RANK.match(term)
        and not _WHEN.match(term)  # "2019년 초중반", "2010s": a time, not a term
        and not _ASIDE_OPENING.match(term)  # "Note that the literature often …": an aside, not a term
        and not _STATEMENT_END.search(term)  # "입력값을 원래 shape으로 변경합니다.": a step, not a term
        and "\\" not in MATH.sub("", term)  # "\mathcal{S}i(q{\phi}(z))": a formula's source, not a name
        and not re.search(r"\s(?:is|are)\s", term)  # "Bagging is a technique": a sentence
        and not _KO_CLAUSE_TERM.search(term)  # "명령을 권유로 바꿈", "해체와 해라체": an action, a pair
    )


_ASIDE_OPENING = re.compile(
    r"^(?:note|notice|recall|remember|consider)\s+(?:that|the|this|how|a|an)\b", re.IGNORECASE
)
_WHEN = re.compile(r"^(?:(?:19|20)\d\d\s*(?:년|s\b)|(?:early|mid|late)[\s-]+(?:19|20)\d\d)", re.IGNORECASE)


# Typeset math, as the Markdown writes it: "\(…\)", "\[…\]", "$$…$$", "$…$".
MATH = re.compile(r"\\\(.*?\\\)|\\\[.*?\\\]|\$\$.*?\$\$|\$[^$\n]+\$", re.DOTALL)
_KO_CLAUSE_TERM = re.compile(r"[가-힣'’](?:을|를)\s|[가-힣](?:와|과)\s+[가-힣]")
_STATEMENT_END = re.compile(r"(?:니다|세요|[.!?])\s*$")


# A term that means nothing out of its sentence: "The policy", "an observed one", "(1) Goal …".
_VAGUE_TERM = re.compile(
    r"^(?:the|a|an|our|their|its|his|her|each|every|some|any)\s|^\(?\d+[.)]\s", re.IGNORECASE
)


_COMMAND = re.compile(
    r"^(?:ex\.?\s*|e\.g\.\s*|예\)\s*|\$\s*)?(?:sudo|pip3?|apt(?:-get)?|brew|conda|npm|yarn|git|cd|ls|mkdir|cp|mv|rm|"
    r"python3?|export|source|docker|kubectl|curl|wget|chmod|ssh|make|cmake|gcc|nvidia-smi|tmux|vim?)\b"
)


def is_command(text: str) -> bool:
    """A shell command ("sudo apt-get install tmux", "ex. git pull origin master"): a setup step."""
    return bool(_COMMAND.match(text.strip()))


def is_value(text: str) -> bool:
    """A number, setting, time slot, rank, URL, file name or label: not a definition."""
    return bool(_VALUE.match(text.strip()))


_LETTER = re.compile(r"[^\W\d_]")


def wordy(text: str) -> bool:
    """Mostly letters: words, not a formula, an expression or a number with a unit."""
    visible = re.sub(r"\s", "", text)
    return bool(visible) and len(_LETTER.findall(visible)) >= 0.5 * len(visible)


def describes(text: str) -> bool:
    """Reads as a description of something (worth asking "what is X?" for): words, not a value
    or an expression, and not a question."""
    text = text.strip()
    formula = text.startswith(("\\(", "\\["))  # a formula the author typeset defines its term
    if (
        not text
        or is_value(text)
        or is_command(text)
        or not (wordy(text) or formula)
        or text.endswith(("?", "？"))
    ):
        return False
    if _MEASURED.search(text) or _NAMES.fullmatch(text) or " > " in MATH.sub("", text):
        # also "여기 앉으십시오. > 여기 앉으시지요.": an example of a change, not a description
        return False  # "\(L=12, H=768\). 전체 parameter 수: 110M", "약 5000장 / 1GB", "value 0.1"
    words = text.split()
    # One word describes only as an acronym ("Stack : LIFO"); "optimizer : Adam" is a setting.
    return len(words) >= 2 or width(text) >= 8 or (text.isupper() and text.isalpha() and len(text) >= 2)


# Settings, sizes and scores written out: an assignment of a number, "약 5000장", "of value 0.1",
# "BLEU 28.4" at the end of a phrase.
_MEASURED = re.compile(
    r"^\\\(\s*[A-Za-z_]\w*\s*=\s*\d|^약\s*[\d.,]+|\bof\s+value\b|\bvalue\s+(?:of\s+)?\\?\(?[\d.]|"
    r"^\\[\[(][^a-zA-Z]{0,40}\d\.\d|"  # a formula with fitted numbers: "\[(1-0.8085)(1-B)X_t …\]"
    r"\b(?:BLEU|mAP|AP|accuracy|top-?[15]|F1|AUC|perplexity)\s*(?:score\s*)?(?:of\s*)?[\d.]+%?\s*$|"
    # sizes: "18k 클래스 및 303M 이미지", "1.2M images, 1000 classes"
    r"^[^.]{0,12}\d[\d.,]*\s*[kKMBG]?\s*[가-힣A-Za-z]{1,8}\s*(?:및|과|와|and|,)\s*\d[\d.,]*\s*[kKMBG]?\s*[가-힣A-Za-z]{1,8}\.?$",
    re.IGNORECASE,
)
# A list of names for a value ("IMAGENET, CIFAR10, LSUN-BEDROOM", "ResNet-50, ViT-B/16"): which
# ones were used, not what something is.
_NAMES = re.compile(
    r"(?:[A-Z0-9][\w\-/.+]*(?:\s[A-Z0-9][\w\-/.+]*)?)(?:\s*,\s*[A-Z0-9][\w\-/.+]*(?:\s[A-Z0-9][\w\-/.+]*)?)+"
)
_VAGUE_SUBJECT = re.compile(
    r"^(?:because|since|so|thus|therefore|then|also|here|it|they|this|that|these|those|their\s+\w+|its\s+\w+|"
    r"the\s+(?:paper|method|model|approach|authors?)|for\s+[\d(),\s]+use|즉|정리하자면|요약하면|따라서|그래서|이를|이는)\b",
    re.IGNORECASE,
)

# A lead-in that narrates the post ("Let's recap what we did", "I want us to come out with", "A few
# things to point out", "위 방법은 다음과 같다") or points back at something ("solutions to this"):
# it does not say what is listed, so the heading is the prompt, or there is none.
_NARRATING = re.compile(
    r"^(?:and|or|but|so|now|next|finally|here|one\s+way|according\s+to|at\s+the\s+end|in\s+particular|specifically|"
    r"namely|for\s+(?:example|instance)|that\s+is|in\s+summary|to\s+summari[sz]e|overall|inside|"
    r"we\s+(?:perform|have|do|use|need|get|see|then|now|also)|"
    r"(?:a\s+few|some|several|many)\s+(?:(?:other|more|interesting|important)\s+)?(?:things|points|notes|remarks|"
    r"observations|highlights|examples)|"
    r"before|after\s+(?:that|this)|recall|remember|note\s+that|notice|as\s+(?:we|you)|"
    r"위|위의|위와|이러한|이런|그런|그러한|여기서|여기에서|이때|앞서|앞에서|오늘|오늘은|이번|이번에는|지금부터)(?=\s|\W|$)"
    r"|(?<![\w'’\\(])(?:(?-i:I)|i'm|i'll|i've|i'd|i’d|i’m|i’ll|i’ve|we'll|we've|we're|we’ll|we’ve|we’re|us|our|"
    r"let['’]s|let\s+us)(?![\w'’])"
    r"|\b(?:imply|implies|point\s+out|(?:to|of|for|about|with)\s+(?:this|that|it|them|these|those))\s*$"
    r"|(?:^|\s)(?:저는|제가|저희|우리는|우리가|우리의|여러분이|여러분은|여러분의)(?=\s)"
    r"|(?:정리하면|살펴보면|소개하면|요약하면|보면|말하면)\s*$",
    re.IGNORECASE,
)

_SUMMING_UP = re.compile(r"\s*(?:을|를)?\s*(?:정리하면|요약하면|살펴보면|소개하면|나열하면|보면)$")


def _clauses(text: str) -> list[str]:
    """`text` cut at its commas and semicolons, but not inside parentheses ("(DeepMDP; Gelada, et
    al. 2019) simplifies …" is one clause)."""
    out, depth, start = [], 0, 0
    for at, char in enumerate(text):
        depth += (char in "([（" and 1) or ((char in ")]）" and depth > 0 and -1) or 0)
        if depth == 0 and char in ",;，" and text[at + 1 : at + 2].isspace():
            out.append(text[start:at])
            start = at + 1
    return [*out, text[start:]]


_HERE_IS = re.compile(r"^here\s+(?:is|are)\s+(?=the\s+(?!following|key|main)\w+)", re.IGNORECASE)


def lead_in(paragraph_text: str, max_width: int = 160) -> str | None:
    """The clause of a paragraph that names the list after it: its last sentence, without the
    "as follows" pointer words, cut to the last clause when long. None when nothing is left."""
    text = " ".join(paragraph_text.split())
    if not text:
        return None
    parts = [p for p in _SENTENCE_BREAK.split(text) if p.strip()]
    last = parts[-1].strip() if parts else text
    if width(last) > max_width:
        clauses = [c.strip() for c in _clauses(last) if c.strip()]
        last = clauses[-1] if clauses else last
    if width(last) > max_width:
        return None
    if here := _HERE_IS.match(last):  # "Here is the rejection sampling algorithm for …:" names it
        last = last[here.end() :][:1].upper() + last[here.end() + 1 :]
    named = _POINTER.sub("", last.rstrip(" .。")).strip().rstrip(",;:：").strip()
    # "본 논문의 Contribution을 정리하면 (다음과 같다)": what is summed up is what is listed.
    named = _SUMMING_UP.sub("", named).strip()
    if _NARRATING.search(named) or (named != last.rstrip() and _NARRATING.search(last)):
        return None  # "Let's recap what we did:", "There are several solutions to this:": whose?
    if width(named) < 12 or _VAGUE_SUBJECT.match(named):
        # "그 두 가지는 다음과 같음:", "because:", "Their method works like this:" name nothing
        # alone: the sentence before says what they are, or there is no lead-in.
        if len(parts) > 1 and width(parts[-2] + last) <= max_width:
            return f"{parts[-2].strip()} {last.strip()}"
        return None
    return last.rstrip()


def shortened(blocks_html: list[str], limit: int, room: int = 0) -> tuple[str, str]:
    """Blocks of HTML as an answer of at most `limit` visible characters and the rest (for Extra).

    Whole blocks are kept while they fit; a list is cut between its items; a paragraph between its
    sentences. The first block is always at least partly kept. An answer that would end on a
    colon ("…with two main modifications:") keeps the block the colon announces when the answer
    then fits in `room` characters."""
    kept: list[str] = []
    rest: list[str] = []
    used = 0
    for block in blocks_html:
        size = len(render.text(block))
        if rest:
            rest.append(block)
        elif size <= limit - used:
            kept.append(block)
            used += size
        else:
            # Cut the block that does not fit when it is the first, or while much room is left.
            cut = not kept or used < limit * 0.6
            head, tail = _split_block(block, limit - used) if cut else ("", block)
            if not kept and not head:
                head, tail = block, ""  # an answer is never empty: an uncuttable first block stays
            if head:
                kept.append(head)
                used += len(render.text(head))
            if tail:
                rest.append(tail)
    announces = kept and rest and render.text(kept[-1]).rstrip().endswith((":", "："))
    if announces and used + len(render.text(rest[0])) <= room:
        kept.append(rest.pop(0))
    return "\n".join(kept), "\n".join(rest)


_LI = re.compile(r"<li\b[^>]*>|</li>")
_LIST = re.compile(r"\A\s*<(ul|ol)\b([^>]*)>(.*)</\1>\s*\Z", re.DOTALL)
_PARAGRAPH = re.compile(r"\A\s*<p>(.*)</p>\s*\Z", re.DOTALL)


def _split_block(block: str, room: int) -> tuple[str, str]:
    """A list or paragraph cut where `room` characters run out; ("", block) when it can't be."""
    if match := _LIST.match(block):
        tag, attrs, body = match.groups()
        items = _top_items(body)
        if len(items) < 2:
            return "", block
        taken: list[str] = []
        used = 0
        for item in items:
            size = len(render.text(item))
            if taken and used + size > room:
                break
            taken.append(item)
            used += size
        left = items[len(taken) :]
        head = f"<{tag}{attrs}>{''.join(taken)}</{tag}>"
        tail = f"<{tag}{attrs}>{''.join(left)}</{tag}>" if left else ""
        return head, tail
    if match := _PARAGRAPH.match(block):
        body = match.group(1)
        if "<" in body:  # markup inside: cutting between sentences could break a tag
            return ("", block)
        pieces = re.split(r"(?<=[.!?。다음함임됨])\s+", body)
        taken = []
        used = 0
        for piece in pieces:
            if taken and used + len(piece) > room:
                break
            taken.append(piece)
            used += len(piece) + 1
        if len(taken) == len(pieces):
            return block, ""
        return f"<p>{' '.join(taken)}</p>", f"<p>{' '.join(pieces[len(taken) :])}</p>"
    return "", block


def _top_items(body: str) -> list[str]:
    """The top-level `<li>…</li>` of a list's body, nested lists kept inside their item."""
    items: list[str] = []
    depth, start = 0, 0
    for tag in _LI.finditer(body):
        if tag.group(0).startswith("</"):
            depth -= 1
            if depth == 0:
                items.append(body[start : tag.end()])
        else:
            if depth == 0:
                start = tag.start()
            depth += 1
    return items


# Words a title keeps in lower case ("Learning from Limited Labeled Data", "AI for Social Good").
_TITLE_SMALL = re.compile(
    r"^(?:a|an|and|as|at|by|for|from|in|into|of|on|or|the|to|via|vs|with|without|meets|beyond|using)$",
    re.IGNORECASE,
)
_CITATION = re.compile(r"^[\"“'‘]?.{8,}[\"”'’]\s*(?:[,.]\s*)?(?:by|\(|et\s+al|[A-Z][a-z]+,|(?:19|20)\d\d\b)")


_VENUE = re.compile(r"^[^()\s][^()]{0,60}\(\s*[A-Za-z][A-Za-z&-]*\s*['’]?\s*(?:19|20)?\d\d\s*\)$")


def is_title(text: str) -> bool:
    """The title of a talk, workshop, paper or product, not a point: four or more words, each
    capitalised but the small ones ("Safe Machine Learning: Specification, Robustness, and
    Assurance"), or a quoted title with its authors ("“SinGAN: …” by Tamar Rott Shaham, …")."""
    text = text.strip()
    if _VENUE.match(text):
        return True  # "FCOS (ICCV'2019)": a method and where it appeared, an entry of a catalogue
    if text.count(" ") < 3 or not (text[0].isupper() or text[0].isdigit() or text[0] in "\"“'‘"):
        return False  # fewer than four words, or not opening as a title does (cheap, before any pattern)
    if _CITATION.match(text):
        return True
    words = re.findall(r"[A-Za-z][\w'’&-]*", re.sub(r"\([^)]*\)", " ", text))
    if len(words) < 4 or is_sentence(text) or HANGUL.search(text):
        return False
    big = [w for w in words if not _TITLE_SMALL.match(w)]
    return len(big) >= 3 and all(w[0].isupper() or w[0].isdigit() for w in big)


def is_catalogue(texts: list[str]) -> bool:
    """A list of titles (talks, workshops, awarded papers, products): a catalogue to look up, not a
    set of points to recall. Three or more items, three in four of them titles."""
    if len(texts) < 3:
        return False
    allowed = len(texts) - (3 * len(texts) + 3) // 4  # how many may not be titles
    for text in texts:
        if not is_title(text):
            allowed -= 1
            if allowed < 0:
                return False
    return True


def says_what(term: str, definition: str) -> bool:
    """A definition that can answer "what is <term>?": three words or more ("a lossless audio
    format"), a noun with its article, an acronym, or what an abbreviation stands for ("CNN :
    Convolutional Neural Network"). One or two words are a trait or an example ("MP3 : high
    compression", "one to many : image captioning"), not what the thing is."""
    words = definition.split()
    if len(words) >= 3 or HANGUL.search(definition) or re.match(r"(?:an?|the)\s", definition, re.I):
        return True  # or a noun with its article ("TCP : a protocol")
    if all(re.fullmatch(r"[A-Z][A-Z0-9&/-]+", w) for w in words):
        return True  # an acronym for an answer ("Stack : LIFO")
    initials = "".join(w[0] for w in re.findall(r"[A-Za-z]+", definition)).casefold()
    letters = "".join(c for c in term if c.isalpha()).casefold()
    return len(letters) >= 2 and initials.startswith(letters[:2]) and term.strip().isupper()


def split_sentences(text: str) -> list[str]:
    """A paragraph's sentences, in order, each stripped (one when it has no sentence break)."""
    starts = [0, *(m.end() for m in SENTENCE_END.finditer(text))]
    return [text[a:b].strip() for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]


def first_sentence(text: str) -> str:
    """The first sentence of a paragraph or list item's text (Markdown or plain), whole when it
    has one."""
    match = SENTENCE_END.search(text.strip())
    return text.strip()[: match.start()].strip() if match else text.strip()


# "위 그림과 같이, …", "As shown in the figure above, …": the card shows no figure; the rest says it.
_FIGURE_POINTER = re.compile(
    r"^(?:(?:위|아래|앞|다음)(?:의)?\s*(?:그림|표|식|예시)(?:과|와|에서|에서와)?\s*(?:같이|처럼|보듯이)?\s*,?\s*"
    r"|as\s+(?:shown|seen|illustrated|depicted)\s+(?:in|by)\s+(?:the\s+)?(?:figure|fig\.?|table)\s*\d*"
    r"(?:\s+(?:above|below))?\s*,\s*)",
    re.IGNORECASE,
)


def without_figure_pointer(md: str) -> str:
    """A definition without the pointer to a figure it opens with ("위 그림과 같이 인코더는 …")."""
    return _FIGURE_POINTER.sub("", md.strip(), count=1)


# A heading's outline number ("2-1. shape", "[2] functools.partial", "1-14 enumerate"): kept in the
# note's identity (so a note made before keeps its id) but not shown in its question.
_OUTLINE_NUMBER = re.compile(r"^(?:\[\d+\]|\d+(?:[-.](?:\d+|[A-Za-z]\b))+\.?|\d+[.)])\s+(?=\S)")


def without_outline_number(term: str) -> str:
    """The term as a question shows it, without an outline number before it."""
    return _OUTLINE_NUMBER.sub("", term, count=1)


_QUOTE_MARK = re.compile(r"^\s{0,3}>\s?")
_NOT_PROSE = re.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|#|\||```|\$\$|\\\[|!\[|<)")


def quoted(md: str) -> str | None:
    """A quote of one paragraph of prose, its text ("> Hyperparameter optimization (HPO) is the
    process by which …", "## KL-Divergence" + "> 두 확률분포의 차이를 …"): notes set a definition
    apart that way. Not a quote holding a list, a formula, a figure, code or several paragraphs."""
    lines = [_QUOTE_MARK.sub("", line, count=1) for line in md.strip().split("\n")]
    if not all(line.strip() for line in lines) or any(_NOT_PROSE.match(line) for line in lines):
        return None
    if any(line.lstrip().startswith(">") for line in lines):
        return None  # a quote inside a quote
    return " ".join(line.strip() for line in lines)
