"""One-time: verdicts/judged.tsv, the cards the verdicts judged, kept as digests of their text.

    python benchmarks/quality/snapshot_verdicts.py            # build each round's cards, write judged.tsv
    python benchmarks/quality/snapshot_verdicts.py --fresh    # build them again even when dumped before

The card texts were never stored (the blogs' texts may not be committed), so each round's cards are
made again by that round's own code: README.md's "Judged by hand" table names the commit of each
round, which is checked out with `git worktree add --detach /tmp/wt-<sha>` and run from /tmp with
PYTHONPATH on it (never the flashgen installed from this repository: checked by flashgen.__file__).
Its own benchmarks/quality/run.py measure() builds every blog the round judged, and the notes whose
GUID a verdict of the round names are dumped (GUID, blog, kind, front and back HTML) to
/tmp/flashgen-verdicts/round<N>-<sha>.json. Then today's run.py turns each into card_digest(kind,
front, back), the digest `run.py --regress` computes for today's cards, and judged.tsv gets one
line per card judged in a round: guid, blog, round, verdict, kind, digest. A card judged twice in
one round (two seeds drew its post) whose verdicts differ keeps the harsher one. Verdicts whose
card could not be made again are counted by reason and left out.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import subprocess
import sys
import tomllib
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
DUMPS = Path("/tmp/flashgen-verdicts")
_ROUND_FILE = re.compile(r"^round(\d+)-.*\.tsv$")
_README_ROW = re.compile(r"^\|\s*(\d+)\s*\([^|]*\)\s*\|\s*([0-9a-f]{7,40})\b")
_SEVERITY = {"KEEP": 0, "FIX": 1, "JUNK": 2}

# Run by the round's own Python, from /tmp, with PYTHONPATH on the round's worktree.
_CHILD = r"""
import importlib.util, json, sys, time
from pathlib import Path

tree, blogs, out = Path(sys.argv[1]).resolve(), Path(sys.argv[2]), Path(sys.argv[3])
wanted = json.loads(sys.stdin.read())  # blog -> GUIDs judged in this round
import flashgen
where = Path(flashgen.__file__).resolve()
if not where.is_relative_to(tree):
    sys.exit(f"flashgen imported from {where}, not from {tree}")
spec = importlib.util.spec_from_file_location("round_run", tree / "benchmarks" / "quality" / "run.py")
run = importlib.util.module_from_spec(spec)
sys.modules["round_run"] = run
spec.loader.exec_module(run)
manifest = {b.name: b for b in run.load_manifest(tree / "benchmarks" / "quality" / "manifest.toml")}
built, cards = {}, []
for name in sorted(wanted):
    if name not in manifest:
        built[name] = {"error": "not in this commit's manifest"}
        continue
    started = time.perf_counter()
    measured = run.measure(manifest[name], blogs)
    if measured is None:
        built[name] = {"error": "not checked out"}
        continue
    _, notes = measured
    guids = set(wanted[name])
    built[name] = {"notes": len(notes), "seconds": round(time.perf_counter() - started, 1)}
    for note in notes:
        if note.guid in guids:
            cards.append({
                "guid": note.guid, "blog": name, "kind": note.kind, "front": note.front,
                "back": note.back, "path": str(note.ref.path), "line": note.ref.line,
            })
out.write_text(json.dumps({"flashgen": str(where), "blogs": built, "cards": cards}, ensure_ascii=False))
"""


@dataclass(frozen=True)
class Verdict:
    guid: str
    blog: str
    verdict: str
    round: int
    file: str


def round_commits(readme: Path) -> dict[int, str]:
    """Round → commit, from README.md's "Judged by hand" table."""
    out: dict[int, str] = {}
    for line in readme.read_text(encoding="utf-8").splitlines():
        row = _README_ROW.match(line)
        if row:
            out[int(row.group(1))] = row.group(2)
    return out


def load_verdicts(folder: Path) -> dict[int, list[Verdict]]:
    """Every verdict, by round (the number in its file's name)."""
    out: dict[int, list[Verdict]] = defaultdict(list)
    for path in sorted(folder.glob("round*.tsv")):
        match = _ROUND_FILE.match(path.name)
        if not match:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            guid, blog, verdict = line.split("\t")[:3]
            out[int(match.group(1))].append(Verdict(guid, blog, verdict, int(match.group(1)), path.name))
    return dict(out)


def worktree(sha: str) -> Path:
    """The commit checked out in /tmp/wt-<sha> (made once, then reused)."""
    tree = Path(f"/tmp/wt-{sha}")
    if not (tree / "flashgen").is_dir():
        subprocess.run(
            ["git", "-C", str(REPO), "worktree", "add", "--detach", str(tree), sha],
            check=True,
            capture_output=True,
        )
    return tree


def python_for(sha: str, tree: Path) -> str:
    """This Python when it can import the commit's flashgen; else a venv in /tmp with the commit's
    own dependencies."""
    probe = [sys.executable, "-c", "import flashgen.api, flashgen.config"]
    env = {**os.environ, "PYTHONPATH": str(tree)}
    if subprocess.run(probe, cwd="/tmp", env=env, capture_output=True, check=False).returncode == 0:
        return sys.executable
    venv = Path(f"/tmp/venv-{sha}")
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        deps = tomllib.loads((tree / "pyproject.toml").read_text())["project"]["dependencies"]
        subprocess.run([str(python), "-m", "pip", "install", "-q", *deps], check=True)
    return str(python)


def dump(number: int, sha: str, verdicts: list[Verdict], blogs: Path, roles: dict[str, str]) -> Path:
    """Build the blogs judged in one round with the round's own code; dump the judged notes."""
    out = DUMPS / f"round{number}-{sha}.json"
    tree = worktree(sha)
    wanted: dict[str, list[str]] = defaultdict(list)
    for verdict in verdicts:
        if roles.get(verdict.blog, "unseen") != "unseen":
            wanted[verdict.blog].append(verdict.guid)
    env = {**os.environ, "PYTHONPATH": str(tree)}
    command = [python_for(sha, tree), "-c", _CHILD, str(tree), str(blogs.resolve()), str(out)]
    subprocess.run(command, cwd="/tmp", env=env, input=json.dumps(wanted), text=True, check=True)
    return out


def _today_run() -> ModuleType:
    spec = importlib.util.spec_from_file_location("quality_run", HERE / "run.py")
    assert spec and spec.loader
    run = importlib.util.module_from_spec(spec)
    sys.modules["quality_run"] = run
    spec.loader.exec_module(run)
    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--blogs", type=Path, default=HERE / "blogs", help="where the blogs are checked out")
    parser.add_argument("--fresh", action="store_true", help="build every round again, even if dumped")
    parser.add_argument("--out", type=Path, default=HERE / "verdicts" / "judged.tsv")
    args = parser.parse_args(argv)
    run = _today_run()  # today's code: seen_text and card_digest
    roles = {blog.name: blog.role for blog in run.load_manifest(HERE / "manifest.toml")}
    commits = round_commits(HERE / "README.md")
    rounds = load_verdicts(HERE / "verdicts")
    DUMPS.mkdir(exist_ok=True)
    rows: dict[tuple[int, str, str], tuple[str, str, str]] = {}  # (round, blog, guid) → verdict, kind, digest
    missed: Counter[str] = Counter()
    examples: dict[str, list[str]] = defaultdict(list)
    conflicts = 0
    for number in sorted(rounds):
        verdicts = rounds[number]
        if number not in commits:
            missed["round has no commit in README.md"] += len(verdicts)
            continue
        sha = commits[number]
        out = DUMPS / f"round{number}-{sha}.json"
        if args.fresh or not out.is_file():
            print(f"round {number}: building with {sha}", file=sys.stderr, flush=True)
            dump(number, sha, verdicts, args.blogs, roles)
        dumped = json.loads(out.read_text(encoding="utf-8"))
        made = {(c["blog"], c["guid"]): c for c in dumped["cards"]}
        by_guid = {c["guid"]: c["blog"] for c in dumped["cards"]}
        for verdict in verdicts:
            card = made.get((verdict.blog, verdict.guid))
            if roles.get(verdict.blog, "unseen") == "unseen":
                reason = "blog unseen or not in today's manifest"
            elif "error" in dumped["blogs"].get(verdict.blog, {}):
                reason = f"blog {dumped['blogs'][verdict.blog]['error']}"
            elif card is None and verdict.guid in by_guid:
                reason = "made under another blog"
            elif card is None:
                reason = "GUID not made by the round's code"
            else:
                key = (number, verdict.blog, verdict.guid)
                digest = run.card_digest(card["kind"], card["front"], card["back"])
                if key in rows and rows[key][0] != verdict.verdict:
                    conflicts += 1
                    if _SEVERITY[verdict.verdict] < _SEVERITY[rows[key][0]]:
                        continue
                rows[key] = (verdict.verdict, card["kind"], digest)
                continue
            missed[reason] += 1
            examples[reason].append(f"round {number} {verdict.blog} {verdict.guid} ({verdict.file})")
    lines = ["guid\tblog\tround\tverdict\tkind\tdigest"]
    for (number, blog, guid), row in sorted(rows.items()):
        lines.append("\t".join((guid, blog, str(number), *row)))
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    total = sum(len(v) for v in rounds.values())
    print(f"{total} verdicts in {len(rounds)} rounds; {len(rows)} judged cards written to {args.out}")
    print(f"  {conflicts} cards judged twice in one round with different verdicts (the harsher kept)")
    for reason, count in missed.most_common():
        print(f"  not matched, {reason}: {count}")
        for example in examples[reason][:5]:
            print(f"    {example}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
