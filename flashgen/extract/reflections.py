"""Personal reflections (회고, retrospective…) are the author's story, not study material."""

from __future__ import annotations

import re

from flashgen.extract.common import Found, PostContext
from flashgen.model import Section

_REFLECTION = re.compile(
    r"회고|소감|후기|느낀\s*점|느낀점|감상|일기|생각\s*정리|마치며|마무리|"
    r"\b(?:retrospective|retro|reflections?|diary|journal|personal\s+notes?|my\s+(?:thoughts|take)|"
    r"takeaways?\s+for\s+me|closing\s+thoughts|afterword)\b",
    re.IGNORECASE,
)


def is_reflection(section: Section) -> bool:
    return bool(section.title and _REFLECTION.search(section.title))


def rule(section: Section, context: PostContext) -> Found | None:
    """Settle a reflection section with no notes; its subsections are judged on their own."""
    return Found() if is_reflection(section) else None
