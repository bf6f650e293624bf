"""Card quality on real study blogs: coverage of annotated units, junk proxies, zero-card posts.

    python benchmarks/quality/run.py                 # every blog checked out under blogs/
    python benchmarks/quality/run.py --prepare       # how to check the blogs out
    python benchmarks/quality/run.py --save after.json --compare before.json
    python benchmarks/quality/run.py --sample 40 --seed 1 > sample.tsv   # cards to judge by hand
    python benchmarks/quality/run.py --regress -v    # today's cards against the hand-judged ones
    python benchmarks/quality/run.py --save-regress after-r.json --compare-regress before-r.json

Blogs are named in manifest.toml (repo@commit); annotations/<blog>.json say, for a sample of
their posts, which units a learner wants cards for and which regions must make none
(ANNOTATING.md). A blog whose checkout is absent is skipped with a line saying so.
--regress matches each card with verdicts/judged.tsv (snapshot_verdicts.py) by GUID and the
digest of its text, on the tuning, held-out and fresh blogs only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flashgen import api
from flashgen.model import Note
from flashgen.read import render
from flashgen.read.config import Config

HERE = Path(__file__).resolve().parent
UNIT_TYPES = ("paper", "list", "definition")
PAPER_POSTS = ("paper-review", "one-paper", "conference-guide")
_SKIPPED_ON_PURPOSE = re.compile(r"contest problem|install or setup guide|project log|flashgen: false")
_DATED = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}-")

# ── proxies: cards that are wrong on their face, whatever a reader would say of the rest ──
# Markdown or LaTeX left raw in what the reader sees (rendered math is \( … \) and is fine).
_RAW = re.compile(
    r"\*\*|\]\(|\$\$|(?<![\w\\])\$[^$\s][^$]*\$|`|\{:|\{%|(?:^|\s)#{1,6}\s|</?[a-z]+[^>]*>|\[\^\d+\]|<!--",
    re.I,
)
_GENERIC_TITLE = re.compile(
    r"^(?:paper|pdf|arxiv|link|here|code|github|this|이곳|여기|링크|논문|논문\s*링크|원문)$|"
    r"^\s*(?:\d+[.)]|\(\d+\)|#\d+)(?:\s|$)|\((?:oral|spotlight|poster)\)|^(?:arXiv|doi|OpenReview|ACL|post):|"
    r"^paper\s*\d+\s*:|\sby\s+[A-Z]\w+(?:\s+et\s+al)?",
    re.I,
)
_QUOTED_TITLE = re.compile(r"[“「](.+?)[”」]")
_AUTHORS_ASKED = re.compile(r"^(?:What did (.+) propose\?|(.+)의 핵심 기여는\?)")
_VALUE = re.compile(
    # 3e-4, 10:20 - 11:00, 5%, 3개
    r"^(?:[-+~≈<>≤≥=]?\s*[\d.,:%×x*/eE+\-–~ ]+\s*(?:[a-zA-Z%]{0,4}|[가-힣]{0,2})\.?"
    r"|https?://\S+|[\w\-./]+\.(?:py|ipynb|csv|json|ya?ml|txt|md|sh|png|jpe?g|gif|pdf|h5|pt|zip)"  # URL, file
    r"|[A-Z0-9_]{1,12}|(?:true|false|none|null|yes|no|o|x)"  # a label, a flag
    r")$",
    re.I,
)
_HANGUL = re.compile(r"[가-힣]")
_LATIN = re.compile(r"[A-Za-z]")
_KO_TEMPLATE = re.compile(r"무엇인가|핵심 내용은|어떤 내용인가|논문의 ")
_EN_TEMPLATE = re.compile(r"^What is |what does it say\?|^In “|^What is the paper")


def seen_text(front: str, back: str) -> tuple[str, str]:
    """A card's question and answer (HTML) as a reader sees them, list items kept apart by " • "."""

    def seen(html: str) -> str:
        # A nested list ends two items at once: one separator, not "• •".
        flat = render.text(html.replace("</li>", " • </li>"))
        return re.sub(r"•(\s*•)+", "•", flat).rstrip(" •")

    return seen(front), seen(back)


def _text(note: Note) -> tuple[str, str]:
    """A card's question and answer as a reader sees them."""
    return seen_text(note.front, note.back)


def card_digest(kind: str, front: str, back: str) -> str:
    """What a judged card said, without its text: sha256 of its kind and its seen question and
    answer (`seen_text` of the HTML), first 16 hex digits."""
    return _digest(kind, *seen_text(front, back))


def _digest(kind: str, front_text: str, back_text: str) -> str:
    seen = "\x1f".join((kind, front_text, back_text))
    return hashlib.sha256(seen.encode("utf-8")).hexdigest()[:16]


def proxies(note: Note) -> set[str]:
    """The proxy failures of one card: raw markup, a generic/numbered title, a value taken for a
    definition, a question in another language than its answer."""
    front, back = _text(note)
    found: set[str] = set()
    visible = re.sub(r"\{\{c\d+::|\}\}", " ", front + " " + back)
    if _RAW.search(visible):
        found.add("raw markup")
    if note.kind in ("paper", "paper-part"):
        # "What is the paper “X” about?", or "What did Kim et al. (2016) propose?"
        match = _QUOTED_TITLE.search(front) or _AUTHORS_ASKED.match(front)
        title = next((group for group in match.groups() if group), "") if match else ""
        if not title or _GENERIC_TITLE.search(title.strip()):
            found.add("generic title")
    if note.kind == "definition" and _VALUE.match(back.strip()):
        found.add("value as definition")
    if not note.cloze:
        letters = _HANGUL.findall(back), _LATIN.findall(back)
        korean_answer = len(letters[0]) > 0.3 * (len(letters[0]) + len(letters[1]) or 1)
        if (_KO_TEMPLATE.search(front) and not letters[0] and len(letters[1]) > 20) or (
            _EN_TEMPLATE.search(front) and korean_answer
        ):
            found.add("wrong language")
    return found


# ── reading the blogs and their annotations ──


@dataclass
class Blog:
    name: str
    repo: str
    commit: str
    posts: str
    lang: str
    role: str
    what: str = ""

    def root(self, blogs: Path) -> Path:
        return blogs / self.name


@dataclass
class Unit:
    type: str
    lines: tuple[int, int]
    what: str = ""

    def holds(self, line: int) -> bool:
        return self.lines[0] <= line <= self.lines[1]


@dataclass
class Annotation:
    type: str
    units: list[Unit]
    nocard: list[Unit]


@dataclass
class Report:
    blog: str
    role: str
    posts: int = 0
    cards: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    zero_card: int = 0
    zero_card_unexplained: int = 0
    zero_card_on_purpose: int = 0  # contest problems, `flashgen: false`: nothing to card, by design
    proxies: Counter[str] = field(default_factory=Counter)
    annotated: int = 0
    units: Counter[str] = field(default_factory=Counter)
    covered: Counter[str] = field(default_factory=Counter)
    annotated_cards: int = 0
    cards_in_nocard: int = 0
    cards_outside_units: int = 0
    paper_posts: int = 0
    paper_posts_without_paper_card: int = 0
    seconds: float = 0.0

    def figures(self) -> dict[str, float | int]:
        out: dict[str, float | int] = {
            "posts": self.posts,
            "cards": self.cards,
            "zero-card posts %": _pct(self.zero_card, self.posts),
            "  of the rest": _pct(
                self.zero_card - self.zero_card_on_purpose, self.posts - self.zero_card_on_purpose
            ),
            "zero-card without reason": self.zero_card_unexplained,
            "proxy failures %": _pct(sum(self.proxies.values()), self.cards),
        }
        for name in ("raw markup", "generic title", "value as definition", "wrong language"):
            out[f"  {name}"] = self.proxies[name]
        out["annotated posts"] = self.annotated
        for unit in UNIT_TYPES:
            out[f"{unit} units covered %"] = _pct(self.covered[unit], self.units[unit])
            out[f"  {unit} units"] = self.units[unit]
        out["cards in annotated posts"] = self.annotated_cards
        out["cards in no-card regions %"] = _pct(self.cards_in_nocard, self.annotated_cards)
        out["cards outside any unit %"] = _pct(self.cards_outside_units, self.annotated_cards)
        out["paper posts without paper card %"] = _pct(self.paper_posts_without_paper_card, self.paper_posts)
        out["  paper posts"] = self.paper_posts
        return out


def _pct(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def load_manifest(path: Path) -> list[Blog]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [Blog(**entry) for entry in data["blog"]]


def load_annotations(blog: str) -> dict[str, Annotation]:
    path = HERE / "annotations" / f"{blog}.json"
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    out = {}
    for post, entry in data["posts"].items():
        units = [
            Unit(u["type"], (int(u["lines"][0]), int(u["lines"][1])), u.get("what", ""))
            for u in entry["units"]
        ]
        nocard = [Unit(r["kind"], (int(r["lines"][0]), int(r["lines"][1]))) for r in entry.get("nocard", [])]
        out[post] = Annotation(entry.get("type", "other"), units, nocard)
    return out


def dated_posts(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.rglob("*")
        if p.suffix in (".md", ".markdown") and _DATED.match(p.name) and p.is_file()
    )


# ── measuring ──


def measure(blog: Blog, blogs: Path) -> tuple[Report, list[Note]] | None:
    import time

    root = blog.root(blogs)
    folder = root / blog.posts
    if not folder.is_dir():
        return None
    report = Report(blog.name, blog.role)
    posts = dated_posts(folder)
    started = time.perf_counter()
    result = api.build([folder], config=Config(cache=None))
    report.seconds = time.perf_counter() - started
    by_post: dict[Path, list[Note]] = defaultdict(list)
    for note in result.notes:
        by_post[note.ref.path.resolve()].append(note)
    explained = {p.path.resolve() for p in result.problems if p.severity in ("info", "error")}
    on_purpose = {
        p.path.resolve() for p in result.problems if p.line == 0 and _SKIPPED_ON_PURPOSE.search(p.message)
    }
    report.posts = len(posts)
    for post in posts:
        notes = by_post.get(post.resolve(), [])
        report.cards += len(notes)
        report.kinds.update(note.kind for note in notes)
        for note in notes:
            report.proxies.update(proxies(note))
        if not notes:
            report.zero_card += 1
            report.zero_card_unexplained += post.resolve() not in explained
            report.zero_card_on_purpose += post.resolve() in on_purpose
    for rel, annotation in load_annotations(blog.name).items():
        path = (root / rel).resolve()
        if not path.is_file():
            continue
        notes = by_post.get(path, [])
        report.annotated += 1
        report.annotated_cards += len(notes)
        lines = [note.ref.line for note in notes]
        for unit in annotation.units:
            report.units[unit.type] += 1
            report.covered[unit.type] += any(unit.holds(line) for line in lines)
        for line in lines:
            report.cards_in_nocard += any(region.holds(line) for region in annotation.nocard)
            report.cards_outside_units += not any(unit.holds(line) for unit in annotation.units)
        if annotation.type in PAPER_POSTS and any(u.type == "paper" for u in annotation.units):
            report.paper_posts += 1
            report.paper_posts_without_paper_card += not any(n.kind in ("paper", "paper-part") for n in notes)
    return report, list(result.notes)


def sample_cards(notes: Iterable[Note], seed: int, posts: int, per_post: int) -> list[Note]:
    """QUALITY.md's sampling: a few posts at random (fixed seed), at most `per_post` cards each."""
    by_post: dict[Path, list[Note]] = defaultdict(list)
    for note in notes:
        by_post[note.ref.path].append(note)
    rng = random.Random(seed)
    chosen = rng.sample(sorted(by_post), min(posts, len(by_post)))
    out: list[Note] = []
    for path in chosen:
        cards = by_post[path]
        out.extend(rng.sample(cards, min(per_post, len(cards))))
    return out


def explain(blog: Blog, blogs: Path, notes: list[Note]) -> None:
    """Each annotated post: its units (covered or not) and its cards (in a unit, a no-card region
    or neither), to see what a change did."""
    by_post: dict[Path, list[Note]] = defaultdict(list)
    for note in notes:
        by_post[note.ref.path.resolve()].append(note)
    for rel, annotation in load_annotations(blog.name).items():
        cards = by_post.get((blog.root(blogs) / rel).resolve(), [])
        print(f"\n## {blog.name}/{rel} ({annotation.type})")
        for unit in annotation.units:
            mark = "+" if any(unit.holds(n.ref.line) for n in cards) else "-"
            print(f"  {mark} {unit.type} {unit.lines[0]}-{unit.lines[1]} {unit.what}")
        for note in cards:
            front, back = _text(note)
            line = note.ref.line
            where = (
                "JUNK-REGION"
                if any(r.holds(line) for r in annotation.nocard)
                else ("unit" if any(u.holds(line) for u in annotation.units) else "outside")
            )
            print(f"    [{where}] {line} {note.kind}: {front[:110]} => {back[:90]}")


def print_table(reports: list[Report], baseline: dict[str, dict[str, float]] | None) -> None:
    names = [r.blog + {"holdout": "*", "fresh": "**", "measured": "†"}.get(r.role, "") for r in reports]
    rows = [r.figures() for r in reports]
    width = max(len(k) for k in rows[0]) if rows else 10
    print(f"{'':{width}}  " + "  ".join(f"{n:>12}" for n in names))
    for key in rows[0] if rows else []:
        cells = []
        for report, row in zip(reports, rows, strict=True):
            value = row[key]
            before = (baseline or {}).get(report.blog, {}).get(key)
            cell = f"{value:g}" if before is None or before == value else f"{before:g}→{value:g}"
            cells.append(f"{cell:>12}")
        print(f"{key:{width}}  " + "  ".join(cells))
    print(
        "(* held out: no rule tuned on it, its judged cards read; ** fresh: only sampled and judged; "
        "† measured unseen once, then read)"
    )


# ── the hand-judged cards as a regression check (verdicts/judged.tsv, from snapshot_verdicts.py) ──

JUDGED = HERE / "verdicts" / "judged.tsv"
VERDICTS = ("KEEP", "FIX", "JUNK")
REGRESS_ROLES = ("tuning", "holdout", "fresh", "measured")  # never "unseen": those blogs are not built at all


@dataclass(frozen=True)
class Judged:
    """One card judged in one round, known by its GUID and the digest of its text (card_digest)."""

    guid: str
    blog: str
    round: int
    verdict: str  # KEEP, FIX or JUNK
    kind: str
    digest: str


@dataclass(frozen=True)
class Card:
    """One of today's cards as --regress sees it: its digest and its seen question and answer."""

    blog: str
    guid: str
    kind: str
    digest: str
    front: str
    back: str


@dataclass
class Regress:
    """Today's cards against the judged ones. A card carries the verdict of the latest round that
    judged its GUID with its digest; lost, changed and unchanged are read against the latest round
    that judged its GUID at all."""

    cards: int = 0
    carried: Counter[str] = field(default_factory=Counter)
    keep_lost: list[Judged] = field(default_factory=list)
    keep_changed: list[tuple[Judged, Card]] = field(default_factory=list)
    gone: list[Judged] = field(default_factory=list)  # FIX and JUNK cards no longer made
    changed: list[tuple[Judged, Card]] = field(default_factory=list)  # FIX and JUNK cards made otherwise
    junk_unchanged: list[tuple[Judged, Card]] = field(default_factory=list)
    # today's card of every judged GUID: the card, the verdict it carries (or None), the latest judgment
    judged_cards: dict[str, tuple[Card, str | None, Judged]] = field(default_factory=dict)

    def figures(self) -> dict[str, int]:
        return {
            "cards": self.cards,
            "cards carrying a verdict": sum(self.carried.values()),
            **{f"  {v}": self.carried[v] for v in VERDICTS},
            "KEEP cards lost (GUID no longer made)": len(self.keep_lost),
            "KEEP cards changed (GUID made, text differs)": len(self.keep_changed),
            "FIX/JUNK cards gone": len(self.gone),
            "  FIX gone": sum(j.verdict == "FIX" for j in self.gone),
            "  JUNK gone": sum(j.verdict == "JUNK" for j in self.gone),
            "FIX/JUNK cards changed": len(self.changed),
            "JUNK cards still made unchanged": len(self.junk_unchanged),
        }


def load_judged(path: Path) -> list[Judged]:
    """judged.tsv: guid, blog, round, verdict, kind, digest (a header line first)."""
    out: list[Judged] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("guid\t"):
            continue
        guid, blog, number, verdict, kind, digest = line.split("\t")
        out.append(Judged(guid, blog, int(number), verdict, kind, digest))
    return out


def cards_of(blog: str, notes: Iterable[Note]) -> list[Card]:
    """Today's notes of one blog with their digests, computed as snapshot_verdicts.py did."""
    out: list[Card] = []
    for note in notes:
        front, back = _text(note)
        out.append(Card(blog, note.guid, note.kind, _digest(note.kind, front, back), front, back))
    return out


def regress(judged: Iterable[Judged], cards: Iterable[Card], blogs: Iterable[str]) -> Regress:
    """Match today's cards (of `blogs`, the ones built) with the judged ones."""
    built = set(blogs)
    exact: dict[tuple[str, str, str], Judged] = {}
    latest: dict[tuple[str, str], Judged] = {}
    for one in sorted(judged, key=lambda j: j.round):  # a later round overwrites an earlier one
        if one.blog in built:
            exact[(one.blog, one.guid, one.digest)] = one
            latest[(one.blog, one.guid)] = one
    today = {(card.blog, card.guid): card for card in cards if card.blog in built}
    result = Regress(cards=len(today))
    for key, card in today.items():
        carried = exact.get((card.blog, card.guid, card.digest))
        if carried:
            result.carried[carried.verdict] += 1
        if key in latest:
            result.judged_cards[f"{card.blog}/{card.guid}"] = (
                card,
                carried.verdict if carried else None,
                latest[key],
            )
    for key, last in sorted(latest.items()):
        now = today.get(key)
        if now is None:
            (result.keep_lost if last.verdict == "KEEP" else result.gone).append(last)
        elif now.digest != last.digest:
            (result.keep_changed if last.verdict == "KEEP" else result.changed).append((last, now))
        elif last.verdict == "JUNK":
            result.junk_unchanged.append((last, now))
    return result


def _card_line(label: str, blog: str, guid: str, kind: str, front: str, back: str) -> str:
    return f"    {label} {blog} {guid} {kind}: {front[:120]} => {back[:120]}"


def print_regress(result: Regress, judged: int, baseline: dict[str, int] | None, verbose: bool) -> None:
    """The figures (before→after with a baseline) and, verbose, one line per card behind them."""
    print(f"\nJudged cards ({judged} judgments in {JUDGED.name}) against today's:")
    for key, value in result.figures().items():
        before = (baseline or {}).get(key)
        cell = f"{value}" if before is None or before == value else f"{before}→{value}"
        print(f"  {key:46} {cell:>10}")
    if not verbose:
        return
    for title, gone in (("KEEP cards lost", result.keep_lost), ("FIX/JUNK cards gone", result.gone)):
        print(f"\n  {title} (the round of the latest verdict):")
        for one in gone:
            print(f"    {one.verdict} r{one.round} {one.blog} {one.guid} {one.kind}: no longer made")
    made = (
        ("KEEP cards changed", result.keep_changed),
        ("FIX/JUNK cards changed", result.changed),
        ("JUNK cards still made unchanged", result.junk_unchanged),
    )
    for title, pairs in made:
        print(f"\n  {title} (the round of the latest verdict; today's text):")
        for one, card in pairs:
            label = f"{one.verdict} r{one.round}"
            print(_card_line(label, card.blog, card.guid, card.kind, card.front, card.back))


def regress_snapshot(result: Regress) -> dict[str, Any]:
    """What --save-regress writes: the figures, and today's card of every judged GUID."""
    return {
        "figures": result.figures(),
        "cards": {
            key: {
                "kind": card.kind,
                "digest": card.digest,
                "verdict": verdict,
                "judged": last.verdict,
                "front": card.front[:120],
                "back": card.back[:120],
            }
            for key, (card, verdict, last) in sorted(result.judged_cards.items())
        },
    }


def compare_regress(before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]]) -> list[str]:
    """The judged cards a change touched that carry a verdict before or after it: a count of each
    way they changed, then one line per card ("changed", "gone" or "new", verdict before→after)."""
    moves: Counter[str] = Counter()
    lines: list[str] = []
    for key in sorted(before.keys() | after.keys()):
        old, new = before.get(key), after.get(key)
        if old and new and old["digest"] == new["digest"]:
            continue
        was = (old or {}).get("verdict") or "-"
        now = (new or {}).get("verdict") or "-"
        if was == now == "-":
            continue
        status = "changed" if old and new else ("gone" if old else "new")
        shown = new or old or {}
        blog, guid = key.split("/", 1)
        move = f"{status} {was}→{now}"
        moves[move] += 1
        lines.append(_card_line(move, blog, guid, shown["kind"], shown["front"], shown["back"]))
    counts = [f"  {move:24} {count:>6}" for move, count in sorted(moves.items())]
    return counts + lines


def prepare(blogs_dir: Path, manifest: list[Blog]) -> None:
    for blog in manifest:
        where = blogs_dir / blog.name
        print(f"git clone https://github.com/{blog.repo} {where} && git -C {where} checkout {blog.commit}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--blogs", type=Path, default=HERE / "blogs", help="where the blogs are checked out")
    parser.add_argument("--prepare", action="store_true", help="print the commands that check the blogs out")
    parser.add_argument("--save", type=Path, help="write the figures as JSON")
    parser.add_argument("--compare", type=Path, help="figures saved by an earlier run, shown as before→after")
    parser.add_argument("--only", action="append", help="only this blog (repeatable)")
    parser.add_argument("--sample", type=int, help="print N sampled posts' cards (TSV) to judge instead")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument(
        "--unseen",
        action="store_true",
        help="also the blogs set aside (role unseen): for the final measurement",
    )
    parser.add_argument("--explain", action="store_true", help="list each annotated post's cards and units")
    parser.add_argument("--regress", action="store_true", help="match today's cards with the judged ones")
    parser.add_argument("--judged", type=Path, default=JUDGED, help="the judged cards (snapshot_verdicts.py)")
    parser.add_argument("--save-regress", type=Path, help="write --regress's figures and cards as JSON")
    parser.add_argument("--compare-regress", type=Path, help="--save-regress of an earlier run: what changed")
    parser.add_argument("-v", "--verbose", action="store_true", help="--regress: one line per card counted")
    args = parser.parse_args(argv)
    args.regress = args.regress or bool(args.save_regress or args.compare_regress)
    if args.regress and not args.judged.is_file():
        print(f"no {args.judged}: run benchmarks/quality/snapshot_verdicts.py first", file=sys.stderr)
        return 1
    manifest = load_manifest(HERE / "manifest.toml")
    if args.prepare:
        prepare(args.blogs, manifest)
        return 0
    reports: list[Report] = []
    sampled: list[tuple[str, Note]] = []
    today: list[Card] = []  # --regress: every card built, with its digest
    for blog in manifest:
        if args.only and blog.name not in args.only:
            continue
        if args.regress and blog.role not in REGRESS_ROLES:
            continue
        if blog.role.startswith("unseen") and not args.unseen:
            continue  # set aside for the final measurement: built only when asked for by name
        measured = measure(blog, args.blogs)
        if measured is None:
            print(
                f"skipped {blog.name}: no checkout at {blog.root(args.blogs)} (see --prepare)",
                file=sys.stderr,
            )
            continue
        report, notes = measured
        reports.append(report)
        if args.explain:
            explain(blog, args.blogs, notes)
        if args.sample:
            sampled.extend((blog.name, n) for n in sample_cards(notes, args.seed, args.sample, 25))
        if args.regress:
            today.extend(cards_of(blog.name, notes))
    if args.sample:
        for name, note in sampled:
            front, back = _text(note)
            where = f"{note.ref.path.resolve().relative_to(args.blogs.resolve())}:{note.ref.line}"
            # The context cue is shown above every question (post title › section): a card is
            # judged with it, as its reader sees it.
            cue = render.text(note.context)
            print("\t".join((name, where, note.kind, note.guid, front[:1000], back[:1000], cue[:200])))
        return 0
    if not reports:
        print("no blog checked out; nothing measured (see --prepare)")
        return 0
    baseline = json.loads(args.compare.read_text()) if args.compare else None
    print_table(reports, baseline)
    if args.save:
        args.save.write_text(json.dumps({r.blog: r.figures() for r in reports}, indent=1) + "\n")
    if args.regress:
        judged = load_judged(args.judged)
        result = regress(judged, today, [r.blog for r in reports])
        earlier = json.loads(args.compare_regress.read_text()) if args.compare_regress else None
        print_regress(result, len(judged), earlier["figures"] if earlier else None, args.verbose)
        snapshot = regress_snapshot(result)
        if earlier:
            print("\nJudged cards this change touched (verdict carried before→after; - none):")
            print("\n".join(compare_regress(earlier["cards"], snapshot["cards"])) or "  none")
        if args.save_regress:
            args.save_regress.write_text(json.dumps(snapshot, ensure_ascii=False, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
