"""How extraction is tuned, in a module of its own: the configuration is read (and a build that
changed nothing is answered) without importing the rules themselves."""

from __future__ import annotations

from dataclasses import dataclass, field

# The extraction rules, in the order they run (flashgen/extract/__init__.py pairs each name with
# its rule; a test checks that the two lists agree).
RULE_NAMES = (
    "skipped",
    "qa",
    "clozes",
    "terms",
    "reflections",
    "offtopic",
    "navigation",
    "question_headings",
    "papers",
    "paper_parts",
    "lists",
    "cited_papers",
    "prose_definitions",
)


@dataclass(frozen=True, slots=True)
class Limits:
    """Card-quality limits (SuperMemo's "minimum information principle", made into numbers)."""

    max_answer_chars: int = 600  # an answer's visible text; longer ones are split or left out
    max_enumeration: int = 7  # items a cloze enumeration shows at once; longer lists are split
    max_item_chars: int = 120  # past this a list item is prose, not a point to recall
    max_image_px: int = 1600  # an image wider or taller is scaled down in the deck (the file is not)
    max_image_kb: int = 200  # a heavier image is re-encoded (WebP) in the deck (the file is not)


@dataclass(frozen=True, slots=True, repr=False)
class Settings:
    """How extraction is tuned: which rules run, and the limits."""

    limits: Limits = field(default_factory=Limits)
    disabled: frozenset[str] = frozenset()  # names of rules switched off
    # A definition of a plain word ("Reward", "의미") whose subject nothing names is still made.
    vague_terms: bool = False

    def __repr__(self) -> str:
        # Sorted: a set's order changes from run to run, and this text keys the cache.
        vague = ", vague_terms=True" if self.vague_terms else ""
        return f"Settings(limits={self.limits!r}, disabled={sorted(self.disabled)!r}{vague})"


def language_code(value: str) -> str:
    """The language of a locale (`lang` in the configuration or a post): `ko-KR`, `ko_KR`, `KO`
    → `ko`."""
    return value.strip().lower().replace("_", "-").split("-")[0]
