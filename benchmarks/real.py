"""The speed of a cold build on real study blogs: CPU per post, and the slowest posts.

    python benchmarks/real.py [--blogs NAME ...] [--slowest 3]

The blogs are the quality benchmark's (benchmarks/quality/manifest.toml), checked out under
benchmarks/quality/blogs/ by `python benchmarks/quality/run.py --prepare` (not committed: their
licences differ). For each blog present it reports, all measured in this one run:

- the cold build's CPU per post: `flashgen build --no-cache` in its own process, the CPU of it
  and of every process it waited for (its pool of workers), divided by the posts it read;
- each post's own CPU, read and carded alone in this process (parser, rules, images), and the
  slowest ones. A post's cost apart from the others is what a rebuild after editing it pays.

The synthetic corpus of run.py never has a post of 20 paper sections or 500 formulas; these do.
Issue 24's targets: at most 8 ms of CPU a post on every blog, and no post over 100 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "quality" / "manifest.toml"
BLOGS = HERE / "quality" / "blogs"


def cold_cpu(source: Path, work: Path, tree: Path | None = None) -> tuple[float, int]:
    """CPU seconds of a cold build of `source` in its own process, and the posts it read; with
    `tree`, by the flashgen in that checkout (`-m` imports it from the folder it runs in)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    shown = subprocess.run(
        [
            sys.executable,
            "-m",
            "flashgen",
            "build",
            str(source),
            "-o",
            str(work),
            "--no-cache",
            "--format",
            "json",
        ],
        env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "XDG_CACHE_HOME": str(work / "xdg")},
        capture_output=True,
        text=True,
        check=False,
        cwd=tree,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, int(json.loads(shown.stdout)["posts"])


def post_costs(source: Path) -> list[tuple[float, Path]]:
    """Each post's CPU seconds, read, split and carded alone (images packed), slowest first."""
    from flashgen.building import whole
    from flashgen.building.cache import Cache
    from flashgen.read.config import Config
    from flashgen.read.posts import read_bytes
    from flashgen.read.sources import posts_to_read
    from flashgen.results import Problem

    config = Config(cache=None)
    settings = config.settings
    digest = Cache(None, whole.cache_salt(settings, config.lang)).digest
    costs = []
    for path, root, site in posts_to_read([source]):
        start = time.process_time()
        try:
            raw = read_bytes(path)
            job = whole.Job(
                0, path, root, site, raw, digest(raw, str(path), str(root), repr(site)), settings, None
            )
            found = whole.read_one(job)
            if not isinstance(found, Problem):
                whole.notes_of_post(path, found.post, found, settings, None, [])
        except Exception:  # a post that breaks here is the build's error to report, not this timer's
            pass
        costs.append((time.process_time() - start, path))
    return sorted(costs, key=lambda cost: -cost[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--blogs", nargs="*", help="only these blogs (names in the manifest)")
    parser.add_argument("--slowest", type=int, default=3)
    args = parser.parse_args()
    manifest = tomllib.loads(MANIFEST.read_text(encoding="utf-8"))["blog"]
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(
        f"{'blog':<14} {'posts':>5} {'cold ms/post':>12} {'alone ms/post':>13} {'over 100 ms':>11}  slowest"
    )
    rows = []
    for blog in manifest:
        source = BLOGS / blog["name"] / blog.get("posts", "_posts")
        if (args.blogs and blog["name"] not in args.blogs) or not source.is_dir():
            continue
        with tempfile.TemporaryDirectory() as folder:
            cpu, posts = cold_cpu(source, Path(folder))
        costs = post_costs(source)
        alone = sum(cost for cost, _ in costs) / max(len(costs), 1)
        over = sum(1 for cost, _ in costs if cost > 0.1)
        slowest = ", ".join(f"{path.name[:40]} {cost * 1000:.0f} ms" for cost, path in costs[: args.slowest])
        rows.append(
            {
                "blog": blog["name"],
                "posts": posts,
                "cold_ms_per_post": cpu / max(posts, 1) * 1000,
                "alone_ms_per_post": alone * 1000,
                "over_100ms": over,
                "slowest": [[str(p.name), c * 1000] for c, p in costs[: args.slowest]],
            }
        )
        figures = f"{posts:>5} {cpu / max(posts, 1) * 1000:>12.1f} {alone * 1000:>13.1f} {over:>11}"
        print(f"{blog['name']:<14} {figures}  {slowest}")
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
