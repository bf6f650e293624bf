"""Obsidian-flavoured Markdown (Obsidian vaults, Quartz sites) as the Markdown the rest reads.

- `[[Note]]`, `[[Note|alias]]`, `[[Note#Heading]]` become their text (the alias, else the note's
  name, with ` › Heading`);
- `![[image.png]]` and `![[image.png|300]]` become images, found as Obsidian finds them: beside
  the note, then in the vault's attachment folder (`.obsidian/app.json`), then anywhere in the
  vault by name; `![[Other note]]` (a note embedded) becomes its name;
- `> [!note] Title` callouts become a quote box led by their title in bold;
- inline `#tags` join the note's tags (a line of tags alone is left out of the text);
- `%%comments%%`, on one line or many, are left out.

Code (fenced or inline) and formulas are left as they are.
"""

from __future__ import annotations

import functools
import json
import os
import re
from pathlib import Path

from flashgen.read import kramdown

_COMMENT = re.compile(r"%%.*?%%", re.DOTALL)
_EMBED = re.compile(r"!\[\[([^\[\]|#^]+)(?:#[^\[\]|]*)?(?:\|([^\[\]]*))?\]\]")
_LINK = re.compile(r"\[\[([^\[\]|#^]*)(?:#\^?([^\[\]|]*))?(?:\|([^\[\]]*))?\]\]")
_CALLOUT = re.compile(r"^(\s*(?:>\s*)+)\[!([\w-]+)\][+-]?[ \t]*(.*)$")
# A tag: `#` after a space (or at the start), then letters, digits, `_`, `-`, `/`, not all digits.
_TAG = re.compile(r"(?<!\S)#([^\W\d][\w/-]*|\d+[^\W\d][\w/-]*)")
_TAGS_ONLY = re.compile(r"^\s*(?:#[^\W\d][\w/-]*\s*)+$")
_CODE_OR_MATH = re.compile(r"(`+)(?:.+?)\1|\$\$.+?\$\$|\$[^$\n]+\$")
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".bmp", ".avif"})


def preprocess(body: str, note: Path, vault: Path) -> tuple[str, list[str], list[tuple[int, str]]]:
    """The note's body as plain Markdown, its inline tags, and warnings (line, message)."""
    body = _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), body)  # lines keep their numbers
    tags: list[str] = []
    warnings: list[tuple[int, str]] = []
    out: list[str] = []
    fence: str | None = None
    for number, line in enumerate(body.split("\n"), start=1):
        was, fence = fence, kramdown.after_fence_line(line, fence)
        if was is not None or fence is not None:  # a fence line, or code inside one
            out.append(line)
            continue
        if _TAGS_ONLY.match(line) and not line.lstrip().startswith("# "):
            tags.extend(_TAG.findall(line))
            out.append("")
            continue
        if callout := _CALLOUT.match(line):
            prefix, kind, title = callout.groups()
            line = f"{prefix}**{title.strip() or kind.capitalize()}**"
        out.append(
            kramdown.outside(
                _CODE_OR_MATH,
                line,
                functools.partial(_inline, note=note, vault=vault, line=number, tags=tags, warnings=warnings),
            )
        )
    return "\n".join(out), tags, warnings


def _inline(
    text: str, note: Path, vault: Path, line: int, tags: list[str], warnings: list[tuple[int, str]]
) -> str:
    def embed(match: re.Match[str]) -> str:
        target = match.group(1).strip()
        if Path(target).suffix.lower() not in IMAGE_SUFFIXES:
            return _escaped(Path(target).name)  # a note embedded: its name
        found = find_attachment(target, note, vault)
        if found is None:
            warnings.append((line, f"the embedded image {target!r} is not in the vault; left out"))
            return ""
        relative = Path(os.path.relpath(found, note.parent)).as_posix()
        return f"![{_escaped(Path(target).stem)}](<{relative}>)"

    def link(match: re.Match[str]) -> str:
        target, heading, alias = match.group(1).strip(), (match.group(2) or "").strip(), match.group(3)
        if alias is not None and alias.strip():
            return _escaped(alias.strip())
        name = Path(target).name if target else ""
        shown = " › ".join(part for part in (name, heading) if part)
        return _escaped(shown)

    if "#" in text and not text.lstrip().startswith("#"):
        tags.extend(_TAG.findall(text))
    return _LINK.sub(link, _EMBED.sub(embed, text))


def _escaped(text: str) -> str:
    """Text put into Markdown as it reads: its `*`, `_`, `[`, `]` and backquotes not markup."""
    return re.sub(r"([\\`*_\[\]<>])", r"\\\1", text)


def find_attachment(target: str, note: Path, vault: Path) -> Path | None:
    """The file an embed names, looked for as Obsidian does: a path from the vault's root or
    beside the note, then in the vault's attachment folder, then anywhere in the vault by name
    (the first in path order when two share it)."""
    name = Path(target).name
    folder = _attachments(vault)
    candidates = [vault / target, note.parent / target, note.parent / name]
    if folder is not None:
        base = note.parent if folder.startswith("./") else vault
        candidates.append(base / folder.removeprefix("./") / name)
    for candidate in candidates:
        if candidate.is_file() and candidate.resolve().is_relative_to(vault.resolve()):
            return candidate
    return _by_name(vault).get(name.casefold())


def _attachments(vault: Path) -> str | None:
    """The vault's attachment folder (Obsidian's settings), when it names one."""
    try:
        settings = json.loads((vault / ".obsidian" / "app.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    folder = settings.get("attachmentFolderPath") if isinstance(settings, dict) else None
    return folder if isinstance(folder, str) and folder not in ("", "/") else None


@functools.lru_cache(maxsize=8)
def _by_name(vault: Path) -> dict[str, Path]:
    """Every file in the vault by its name (case folded), the first in path order kept; folders
    starting with `.` (`.obsidian`, `.trash`, `.git`) are not looked in."""
    every: list[Path] = []
    for folder, folders, files in os.walk(vault):
        folders[:] = [f for f in folders if not f.startswith(".")]
        every.extend(Path(folder) / file for file in files)
    found: dict[str, Path] = {}
    for path in sorted(every):
        found.setdefault(path.name.casefold(), path)
    return found
