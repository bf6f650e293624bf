"""Hostile posts timed: one post of many `## …?` headings, and one paragraph of many highlights.

    python benchmarks/hostile.py [--sizes 2000 8000 20000]

Each post is built cold (`--no-cache`) in its own process, as a user would run it, and its wall
time printed with the ratio to the smallest. Work in proportion to the post gives a ratio near
the sizes' ratio; before the fix of issue 23, 20,000 headings took 64-102 s (5,000: 4 s), and
10,001 highlights were an internal error. tests/test_hostile_posts.py checks the same by
counting function calls, which a busy machine does not change.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def headings(count: int) -> str:
    return "---\ntitle: Many\n---\n" + "".join(f"## Question {n}?\n\nAnswer {n}.\n\n" for n in range(count))


def highlights(count: int) -> str:
    return "---\ntitle: Marks\n---\n## Many\n\n" + " ".join(f"word ==mark{n}==" for n in range(count)) + "\n"


def build_seconds(text: str, work: Path) -> float:
    folder = Path(tempfile.mkdtemp(dir=work))
    (folder / "2024-01-01-post.md").write_text(text, encoding="utf-8")
    command = [sys.executable, "-m", "flashgen", "build", str(folder), "-o", str(folder / "out")]
    start = time.perf_counter()
    subprocess.run([*command, "--no-cache", "-q"], check=False, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 8000, 20000])
    sizes = parser.parse_args().sizes
    with tempfile.TemporaryDirectory() as work:
        for name, make in (("headings", headings), ("highlights", highlights)):
            times = [build_seconds(make(size), Path(work)) for size in sizes]
            for size, seconds in zip(sizes, times, strict=True):
                print(f"{name:>10} {size:>7,} {seconds:7.2f}s {seconds / times[0]:6.1f}x")


if __name__ == "__main__":
    main()
