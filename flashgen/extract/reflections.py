"""Personal reflections (회고, retrospective…) are the author's story, not study material."""

from __future__ import annotations

import re

from flashgen.extract.common import Found, PostContext
from flashgen.model import Section

_REFLECTION = re.compile(
    r"회고|소감|후기|느낀\s*점|느낀점|감상|일기|생각\s*정리|마치며|마무리|아쉬운\s*점|좋았던\s*점|배운\s*점|"
    r"앞으로의\s*계획|다짐|여담|잡담|사담|끝으로|글을\s*마치며|나가며|맺음말|한\s*줄\s*평|"
    r"\b(?:retrospective|retro|reflections?|diary|journal|personal\s+notes?|my\s+(?:thoughts|take)|"
    r"takeaways?\s+for\s+me|closing\s+thoughts|final\s+thoughts|afterword|wrap[\s-]*up|lessons\s+learned|"
    r"personal\s+(?:thoughts|opinion|experience)|my\s+experience|epilogue|what\s+i\s+learned|postscript)\b",
    re.IGNORECASE,
)


def is_reflection(section: Section) -> bool:
    return bool(section.title and _REFLECTION.search(section.title))


def rule(section: Section, context: PostContext) -> Found | None:
    """Settle a reflection section with no notes; its subsections are judged on their own."""
    return Found() if is_reflection(section) else None
