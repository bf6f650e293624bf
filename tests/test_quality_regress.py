"""The quality benchmark's --regress: today's cards matched with the hand-judged ones
(benchmarks/quality/verdicts/judged.tsv) by GUID and the digest of their text."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from flashgen import api
from flashgen.read.config import Config

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "benchmarks" / "quality" / "run.py"


@pytest.fixture(scope="module")
def run() -> ModuleType:
    spec = importlib.util.spec_from_file_location("quality_run", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["quality_run"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_a_card_carries_the_latest_verdict_of_its_guid_and_digest(run: ModuleType) -> None:
    J, C = run.Judged, run.Card
    judged = [
        J("same", "b", 8, "KEEP", "list", "d1"),
        J("edited", "b", 9, "KEEP", "list", "d2"),
        J("lost", "b", 10, "KEEP", "list", "d3"),
        J("junk", "b", 8, "JUNK", "definition", "d4"),
        J("twice", "b", 12, "KEEP", "paper", "d5"),  # listed before the earlier round on purpose
        J("twice", "b", 8, "FIX", "paper", "d5"),
        J("gone", "b", 8, "JUNK", "list", "d6"),
        J("back", "b", 7, "JUNK", "list", "d7"),  # judged JUNK, then changed and judged KEEP,
        J("back", "b", 11, "KEEP", "list", "d8"),  # and today back to the JUNK text
        J("fixed", "b", 8, "FIX", "list", "d9"),
        J("other", "not-built", 8, "KEEP", "list", "d10"),
    ]
    today = [
        C("b", "same", "list", "d1", "q", "a"),
        C("b", "edited", "list", "d2-new", "q", "a"),
        C("b", "junk", "definition", "d4", "q", "a"),
        C("b", "twice", "paper", "d5", "q", "a"),
        C("b", "back", "list", "d7", "q", "a"),
        C("b", "fixed", "list", "d9-new", "q", "a"),
        C("b", "new", "list", "d11", "q", "a"),
        C("b", "same-digest-other-guid", "list", "d1", "q", "a"),
    ]
    result = run.regress(judged, today, ["b"])
    assert result.figures() == {
        "cards": 8,
        "cards carrying a verdict": 4,
        "  KEEP": 2,  # same, twice (round 12 beats round 8)
        "  FIX": 0,
        "  JUNK": 2,  # junk, back
        "KEEP cards lost (GUID no longer made)": 1,
        "KEEP cards changed (GUID made, text differs)": 2,  # edited, back
        "FIX/JUNK cards gone": 1,
        "  FIX gone": 0,
        "  JUNK gone": 1,
        "FIX/JUNK cards changed": 1,
        "JUNK cards still made unchanged": 1,
    }
    assert [j.guid for j in result.keep_lost] == ["lost"] and [j.guid for j in result.gone] == ["gone"]
    assert sorted(j.guid for j, _ in result.keep_changed) == ["back", "edited"]
    assert result.judged_cards["b/back"][1] == "JUNK" and result.judged_cards["b/twice"][1] == "KEEP"
    assert "b/new" not in result.judged_cards


def test_compare_regress_names_the_judged_cards_a_change_touched(run: ModuleType) -> None:
    def card(digest: str, verdict: str | None) -> dict[str, str | None]:
        return {"kind": "list", "digest": digest, "verdict": verdict, "front": "q", "back": "a"}

    # a: KEEP, now changed; b: JUNK, now gone; c: changed but never carried a verdict;
    # d: unchanged; e: a judged GUID made again with its KEEP text
    before = {"b/a": card("1", "KEEP"), "b/b": card("2", "JUNK"), "b/c": card("3", None)}
    before["b/d"] = card("4", "FIX")
    after = {"b/a": card("1x", None), "b/c": card("3x", None), "b/d": card("4", "FIX")}
    after["b/e"] = card("5", "KEEP")
    lines = run.compare_regress(before, after)
    assert [line.split()[:2] for line in lines if line.startswith("    ")] == [
        ["changed", "KEEP→-"],
        ["gone", "JUNK→-"],
        ["new", "-→KEEP"],
    ]


def test_regress_digests_cards_as_the_snapshot_did(run: ModuleType, tmp_path: Path) -> None:
    posts = tmp_path / "seongkyun" / "_posts"
    posts.mkdir(parents=True)
    post = posts / "2024-01-01-a.md"
    post.write_text("## Kinds of locks\n\n- Mutex\n- Spinlock\n", "utf-8")
    (note,) = api.build([posts], config=Config(cache=None)).notes
    judged = tmp_path / "judged.tsv"
    digest = run.card_digest(note.kind, note.front, note.back)  # what snapshot_verdicts.py writes
    judged.write_text(
        "guid\tblog\tround\tverdict\tkind\tdigest\n"
        f"{note.guid}\tseongkyun\t14\tKEEP\t{note.kind}\t{digest}\n"
        f"lostlostlost\tseongkyun\t14\tKEEP\tlist\t0123456789abcdef\n",
        "utf-8",
    )

    def regress(*extra: str) -> str:
        args = ["--blogs", str(tmp_path), "--only", "seongkyun", "--regress", "--judged", str(judged)]
        done = subprocess.run(
            [sys.executable, str(SCRIPT), *args, *extra], capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def figures(out: str) -> dict[str, str]:
        rows = (re.split(r"\s{2,}", line.strip()) for line in out.split("against today's:")[1].splitlines())
        return {row[0]: row[1] for row in rows if len(row) == 2}

    first = regress("--save-regress", str(tmp_path / "before.json"), "-v")
    assert figures(first)["cards carrying a verdict"] == "1"
    assert figures(first)["KEEP cards lost (GUID no longer made)"] == "1"
    assert "KEEP r14 seongkyun lostlostlost list: no longer made" in first
    saved = json.loads((tmp_path / "before.json").read_text())
    assert saved["cards"][f"seongkyun/{note.guid}"]["verdict"] == "KEEP"

    post.write_text("## Kinds of locks\n\n- Mutex\n- Spinlock\n- Semaphore\n", "utf-8")
    second = regress("--compare-regress", str(tmp_path / "before.json"))
    assert figures(second)["KEEP cards changed (GUID made, text differs)"] == "0→1"
    assert figures(second)["cards carrying a verdict"] == "1→0"
    assert f"changed KEEP→- seongkyun {note.guid} list:" in second
