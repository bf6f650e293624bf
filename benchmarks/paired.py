"""Cold builds of the real blogs by two flashgen trees, alternated: CPU per post, before and after.

    python benchmarks/paired.py BEFORE_TREE AFTER_TREE [BLOG ...]

Each tree is a checkout (a `git worktree` of a commit, say); each blog of the quality benchmark
that is checked out is built cold (`--no-cache`) twice by each tree, in the order A B B A, each
build in its own process, and its CPU (with its workers') divided by its posts.
"""

from __future__ import annotations

import sys
import tempfile
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from real import cold_cpu

HERE = Path(__file__).resolve().parent
BLOGS = HERE / "quality" / "blogs"


def cold(tree: str, source: Path) -> tuple[float, int]:
    """CPU seconds of one cold build of `source` by the flashgen in `tree`, and its posts."""
    with tempfile.TemporaryDirectory() as out:
        return cold_cpu(source, Path(out), Path(tree))


def main() -> None:
    first, second, *names = sys.argv[1:]
    manifest = tomllib.loads((HERE / "quality" / "manifest.toml").read_text(encoding="utf-8"))["blog"]
    print(f"{'blog':<14} {'posts':>5} {'before ms/post':>14} {'after ms/post':>13} {'after/before':>12}")
    total_before = total_after = 0.0
    for blog in manifest:
        source = BLOGS / blog["name"] / blog.get("posts", "_posts")
        if (names and blog["name"] not in names) or not source.is_dir():
            continue
        a1, posts = cold(first, source)
        b1, _ = cold(second, source)
        b2, _ = cold(second, source)
        a2, _ = cold(first, source)
        before, after = (a1 + a2) / 2, (b1 + b2) / 2
        total_before += before
        total_after += after
        per_post = f"{before / posts * 1000:>14.1f} {after / posts * 1000:>13.1f}"
        print(f"{blog['name']:<14} {posts:>5} {per_post} {after / before:>12.2f}")
    print(f"all: after/before CPU {total_after / max(total_before, 1e-9):.2f}")


if __name__ == "__main__":
    main()
