"""Sections the author opted out of with `<!-- flashgen: skip -->` give no notes."""

from __future__ import annotations

from flashgen.extract.common import Found, PostContext
from flashgen.model import Section


def rule(section: Section, context: PostContext) -> Found | None:
    return Found() if section.skip else None
