"""The benchmark: flashgen on a synthetic blog of 1,000 posts and of ten times that, against ankdown.

    python benchmarks/run.py [--posts 1000] [--scales 1 10] [--ankdown PATH] [--work DIR]

For each corpus size it reports, each figure measured in this one run: the cold build (no cache,
no deck yet), a rebuild where nothing changed, a rebuild after one post changed and its peak
memory ("its MB"), the cold build's peak memory (the largest resident set of flashgen's
processes), and notes per CPU second. Where ankdown
is installed (on PATH, or `--ankdown PATH`), it builds the same corpus in its own syntax and the
ratio flashgen/ankdown is printed. Every build runs as its own process, as a user would run it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

# Runs flashgen in the measured process, then reports that process's peak memory and its
# worker processes' (a build of many new posts reads them on every core).
_CHILD = """
import json, os, resource, sys
from flashgen.cli import main
sys.argv = ["flashgen", *sys.argv[1:]]
try:
    main()
except SystemExit as exit:
    code = exit.code or 0
else:
    code = 0
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
with open(os.environ["FLASHGEN_BENCH_OUT"], "w") as out:
    json.dump({"code": code, "own_kb": own, "workers_kb": workers}, out)
"""


CPU: dict[str, float] = {}  # the CPU seconds of the last command timed (its processes and theirs)


def timed(command: list[str], *, env: dict[str, str] | None = None, cwd: Path | None = None) -> float:
    """The command's wall time; its CPU time (user + system, every process it waited for, pool
    workers included) is left in CPU["last"]."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, env=env, cwd=cwd, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU["last"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall


def flashgen(args: list[str], report: Path) -> tuple[float, dict[str, int]]:
    env = {**os.environ, "FLASHGEN_BENCH_OUT": str(report), "SOURCE_DATE_EPOCH": "1700000000"}
    seconds = timed([sys.executable, "-c", _CHILD, *args], env=env)
    result = json.loads(report.read_text())
    if result["code"]:
        raise SystemExit(f"flashgen exited with {result['code']}")
    return seconds, result


def notes_in(output: Path) -> int:
    """The notes in the state file, counted by its lines (one a note) rather than loaded: a
    process started from this one reports this one's largest memory as its own when it is
    larger (Linux keeps the high-water mark across exec), so this one must stay small."""
    state = next(output.glob("*.state.json"))
    with state.open(encoding="utf-8") as lines:
        return sum(1 for line in lines if line.startswith('  "') and line.rstrip().endswith(("},", "}")))


def measure(posts: int, work: Path, ankdown: str | None) -> dict[str, float]:
    corpus = work / f"corpus-{posts}"
    if not corpus.exists():
        generate(corpus, posts, seed=1)
    source, output, cache = corpus / "_posts", work / f"decks-{posts}", work / f"cache-{posts}"
    shutil.rmtree(output, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    report = work / "report.json"
    # flashgen.toml is not read: the corpus folder has none, and options say everything.
    args = ["build", str(source), "-o", str(output), "-q"]
    config = work / f"flashgen-{posts}.toml"
    config.write_text(f'cache = "{cache}"\n', encoding="utf-8")
    args += ["--config", str(config)]

    cold, memory = flashgen(args, report)
    cold_cpu = CPU["last"]
    notes = notes_in(output)
    unchanged, _ = flashgen(args, report)
    edited = source / sorted(p.name for p in source.iterdir())[posts // 2]
    text = edited.read_text(encoding="utf-8")
    edited.write_text(
        text.replace("The main points are:", "The main points, edited, are:", 1), encoding="utf-8"
    )
    one_changed, one_memory = flashgen(args, report)
    edited.write_text(text, encoding="utf-8")
    figures = {
        "posts": posts,
        "notes": notes,
        "cold_s": cold,
        "cold_cpu_s": cold_cpu,
        "no_change_s": unchanged,
        "one_changed_s": one_changed,
        "one_changed_peak_mb": max(one_memory["own_kb"], one_memory["workers_kb"]) / 1024,
        "peak_mb": max(memory["own_kb"], memory["workers_kb"]) / 1024,
        "peak_main_mb": memory["own_kb"] / 1024,
        "notes_per_s": notes / cold,
        "notes_per_cpu_s": notes / cold_cpu,
    }
    if ankdown:
        package = work / f"ankdown-{posts}.apkg"
        package.unlink(missing_ok=True)
        figures["ankdown_s"] = timed([ankdown, "-r", str(corpus / "ankdown"), "-p", str(package)], cwd=work)
        figures["ankdown_cpu_s"] = CPU["last"]
        figures["ratio"] = cold / figures["ankdown_s"]
        figures["cpu_ratio"] = cold_cpu / figures["ankdown_cpu_s"]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--ankdown", default=shutil.which("ankdown"))
    parser.add_argument("--work", type=Path, default=None, help="keep the corpora here between runs")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="flashgen-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; work folder {work}")
    if not args.ankdown:
        print("ankdown: not installed (pip install ankdown, or --ankdown PATH); no ratio")
    rows = [measure(args.posts * scale, work, args.ankdown) for scale in args.scales]
    print()
    header = f"{'posts':>6} {'notes':>7} {'cold':>7} {'cold CPU':>8} {'no-change':>9} {'one-post':>8}"
    header += f" {'its MB':>6} {'peak MB':>8} {'notes/CPU s':>11}"
    if args.ankdown:
        header += f" {'ankdown CPU':>11} {'CPU ratio':>9}"
    print(header)
    for r in rows:
        line = (
            f"{r['posts']:>6} {r['notes']:>7} {r['cold_s']:>6.2f}s {r['cold_cpu_s']:>7.2f}s "
            f"{r['no_change_s']:>8.2f}s {r['one_changed_s']:>7.2f}s {r['one_changed_peak_mb']:>6.0f} "
            f"{r['peak_mb']:>8.0f} "
            f"{r['notes_per_cpu_s']:>11.0f}"
        )
        if "ankdown_s" in r:
            line += f" {r['ankdown_cpu_s']:>10.2f}s {r['cpu_ratio']:>9.2f}"
        print(line)
    if len(rows) > 1:
        scale = rows[-1]["posts"] / rows[0]["posts"]
        print(f"\n{scale:.0f}x the posts took {rows[-1]['cold_s'] / rows[0]['cold_s']:.1f}x the cold time")
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
