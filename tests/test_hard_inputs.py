"""Hard inputs, end to end through `flashgen build`: each bad post is an error naming its file
(and line where known) with a non-zero exit, the other posts still build, and nothing that
existed is lost. Odd but valid posts just work, with a warning where something was left out."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from benchmarks.generate import generate
from flashgen import api
from flashgen.cli import main
from flashgen.write import state
from tests.conftest import import_package

GOOD = "---\ntitle: Good\ntags: [t]\n---\n## Types\n\n- alpha\n- beta\n"
BAD = "2024-02-02-bad.md"
ODD_TAGS = "---\ntags: [1, 2024-01-01, null, {a: b}, true]\ncategories: 3\n---\n## Kinds of A\n\n- x\n- y\n"


def _build(tmp_path: Path, content: str | bytes | None, *extra: str):
    """A blog with one good post and `content` as a second one; build it; return the result,
    the parsed JSON report, the path of the second post and the output folder."""
    posts = tmp_path / "blog" / "_posts"
    posts.mkdir(parents=True, exist_ok=True)
    (posts / "2024-01-01-good.md").write_text(GOOD, encoding="utf-8")
    bad = posts / BAD
    if isinstance(content, bytes):
        bad.write_bytes(content)
    elif content is not None:
        bad.write_text(content, encoding="utf-8", newline="")
    out = tmp_path / "decks"
    args = ["build", str(posts), "-o", str(out), "--deck", "D", "--no-cache", "--format", "json", *extra]
    result = CliRunner().invoke(main, args)
    return result, json.loads(result.stdout), bad, out


@pytest.mark.parametrize(
    ("content", "line", "words"),
    [
        ("---\ntitle: [unclosed\n---\n- a\n- b\n", 2, "invalid YAML front matter"),
        ("---\n- a list\n- not a mapping\n---\nbody\n", 2, "must be a mapping"),
        ("---\ntitle: never closed\n\n## Kinds of A\n\n- x\n- y\n", 1, "never closed by a second '---'"),
        (
            b"---\ntitle: x\n---\n## Kinds of A\n\n- caf\xe9\n- b\n",
            6,
            "not UTF-8 (byte 0xe9); save it as UTF-8",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 0, "binary file, not Markdown"),
        (
            "---\ntitle: x\ndate: 2024-02-30\n---\n## Kinds of A\n\n- x\n- y\n",
            3,
            "invalid date in the front matter",
        ),
        ('+++\ntitle = "x"\ntags = [\n+++\n## A\n', 2, "invalid TOML front matter"),
        ('+++\ntitle = "x"\n## Kinds of A\n\n- x\n- y\n', 1, "never closed by a second '+++'"),
        ('{\n  "title": "x",\n  "tags": [\n}\n## A\n', 4, "invalid JSON front matter"),
    ],
    ids=[
        "invalid-yaml",
        "not-a-mapping",
        "unclosed",
        "not-utf8",
        "binary",
        "bad-date",
        "bad-toml",
        "toml-unclosed",
        "bad-json",
    ],
)
def test_a_bad_post_is_an_error_and_the_others_build(tmp_path: Path, content, line: int, words: str) -> None:
    result, report, bad, out = _build(tmp_path, content)
    assert result.exit_code == 1
    ((error,),) = [report["errors"]]
    assert error["path"] == str(bad) and error["line"] == line and words in error["message"]
    where = f"{bad}:{line}" if line else str(bad)
    assert f"error: {where}: " in result.stderr and "Traceback" not in result.output
    assert report["notes"] == 1 and report["decks"][0]["written"]  # the good post's note
    assert (out / "D.apkg").is_file()


def test_an_unreadable_file_is_an_error(tmp_path: Path) -> None:
    posts = tmp_path / "blog" / "_posts"
    posts.mkdir(parents=True)
    (posts / BAD).symlink_to(tmp_path / "gone.md")  # a dangling link: the file cannot be read
    if os.geteuid() != 0:  # root reads anything: a mode of 000 stops only other users
        locked = posts / "2024-03-03-locked.md"
        locked.write_text(GOOD, encoding="utf-8")
        locked.chmod(0)
    result, report, bad, _ = _build(tmp_path, None)
    assert result.exit_code == 1
    assert any(e["path"] == str(bad) and "cannot read the file" in e["message"] for e in report["errors"])
    assert report["notes"] == 1


@pytest.mark.parametrize(
    ("content", "notes", "warning"),
    [
        ("\ufeff---\r\ntitle: Windows\r\n---\r\n## Kinds of A\r\n\r\n- x\r\n- y\r\n", 2, None),
        ("", 1, "the file is empty"),
        ("---\ntitle: Only front matter\n---\n", 1, "front matter but no text"),
        (
            "---\ntags: [1, 2024-01-01, null, {a: b}, true]\ncategories: 3\n---\n## Kinds of A\n\n- x\n- y\n",
            2,
            "mapping",
        ),
    ],
    ids=["bom-crlf", "empty", "front-matter-only", "odd-tag-values"],
)
def test_odd_but_valid_posts_just_work(tmp_path: Path, content: str, notes: int, warning: str | None) -> None:
    result, report, bad, _ = _build(tmp_path, content)
    assert result.exit_code == 0, result.output
    assert report["notes"] == notes and report["errors"] == []
    if warning:
        assert any(w["path"] == str(bad) and warning in w["message"] for w in report["warnings"])
    else:
        assert report["warnings"] == []


def test_odd_tag_values_become_tags(tmp_path: Path, collection) -> None:
    _, _, _, out = _build(tmp_path, ODD_TAGS)
    import_package(collection, out / "D.apkg")
    assert set(collection.tags.all()) == {"1", "2024-01-01", "True", "3", "t"}


def test_deep_nesting_big_tables_and_a_10_mb_post_build(tmp_path: Path) -> None:
    posts = tmp_path / "blog" / "_posts"
    posts.mkdir(parents=True)
    (posts / "a-deep-list.md").write_text(
        "## Deep\n\n" + "".join("   " * i + f"1. the point at depth {i}\n" for i in range(1000)),
        encoding="utf-8",
    )
    (posts / "b-deep-quote.md").write_text(
        "## Quote?\n\n" + "".join(">" * i + f" q{i}\n" for i in range(1, 1001)), encoding="utf-8"
    )
    rows = "".join(f"| r{i} | {i} |\n" for i in range(100_000))
    (posts / "c-table.md").write_text(f"## T\n\n| a | b |\n|---|---|\n{rows}\n- x\n- y\n", encoding="utf-8")
    section = "## Kinds of S{0}\n\n- a{0}\n- b{0}\n\n" + "word " * 200 + "\n\n"
    big = "---\ntitle: Big\n---\n" + "".join(section.format(i) for i in range(10_000))
    assert len(big.encode()) > 10_000_000
    (posts / "d-big.md").write_text(big, encoding="utf-8")
    result, report, _, _ = _build(tmp_path, None)
    assert result.exit_code == 0, result.output
    assert report["errors"] == [] and "Traceback" not in result.output
    assert report["kinds"]["children"] >= 20  # the deep list's first levels became cards
    assert report["notes"] > 10_000  # the big post's 10,000 lists, and the good post


def test_two_notes_with_one_identity_are_kept_apart_with_a_warning(tmp_path: Path) -> None:
    result, report, bad, _ = _build(
        tmp_path, "## Kinds of Same\n\n- a\n- b\n\n## Kinds of Same\n\n- c\n- d\n"
    )
    assert result.exit_code == 0
    assert report["notes"] == 3
    warnings = report["warnings"]
    assert any(w["path"] == str(bad) and w["line"] == 8 and "same identity" in w["message"] for w in warnings)


def test_a_symlink_loop_in_the_sources_does_not_trap_the_build(tmp_path: Path) -> None:
    posts = tmp_path / "blog" / "_posts"
    posts.mkdir(parents=True)
    (posts / "loop").symlink_to(posts, target_is_directory=True)
    (posts / "sub").mkdir()
    (posts / "sub" / "back").symlink_to(posts / "sub", target_is_directory=True)
    result, report, _, _ = _build(tmp_path, None)
    assert result.exit_code == 0 and report["notes"] == 1
    # The two linked folders are not walked into, and each says so.
    assert sum("a linked folder is not followed" in w["message"] for w in report["warnings"]) == 2


def test_a_post_linked_from_outside_the_site_is_not_read_and_a_linked_folder_is_named(tmp_path: Path) -> None:
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.md").write_text(GOOD.replace("alpha", "secret"), encoding="utf-8")
    posts = tmp_path / "blog" / "_posts"
    posts.mkdir(parents=True)
    (tmp_path / "blog" / "_config.yml").write_text("title: B\n", encoding="utf-8")
    (tmp_path / "blog" / "notes").mkdir()
    (tmp_path / "blog" / "notes" / "2024-05-05-inner.md").write_text(GOOD, encoding="utf-8")
    (posts / "2024-03-03-secret.md").symlink_to(tmp_path / "outside" / "secret.md")
    (posts / "2024-04-04-inside.md").symlink_to(tmp_path / "blog" / "notes" / "2024-05-05-inner.md")
    (posts / "linked").symlink_to(tmp_path / "blog" / "notes", target_is_directory=True)
    result, report, _, out = _build(tmp_path, None)
    assert result.exit_code == 0
    messages = {Path(w["path"]).name: w["message"] for w in report["warnings"]}
    assert "links to a file outside the site" in messages["2024-03-03-secret.md"]
    assert "a linked folder is not followed" in messages["linked"]
    assert report["notes"] == 2  # the good post and the link inside the site
    with zipfile.ZipFile(out / "D.apkg") as package:
        assert b"secret" not in package.read("collection.anki2")


def test_an_output_folder_that_cannot_be_written_loses_nothing(tmp_path: Path) -> None:
    _, _, _, out = _build(tmp_path, None)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (tmp_path / "blog" / "_posts" / "2024-01-01-good.md").write_text(GOOD.replace("beta", "gamma"), "utf-8")
    (out / "D.state.json").unlink()
    (out / "D.state.json").mkdir()  # where the state file must go, something that is not a file
    result = CliRunner().invoke(
        main, ["build", str(tmp_path / "blog" / "_posts"), "-o", str(out), "--deck", "D"]
    )
    assert result.exit_code == 1 and "D.state.json" in result.stderr and "Traceback" not in result.output
    assert (out / "D.apkg").read_bytes() == before["D.apkg"] or zipfile.is_zipfile(out / "D.apkg")
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_a_build_killed_midway_leaves_whole_files_and_the_next_build_recovers(
    tmp_path: Path, collection
) -> None:
    """Kill builds at moments spread over their run; after each, the deck and its state are
    whole (the old or the new), and a last build writes a deck Anki imports."""
    generate(tmp_path / "corpus", 300, seed=2)
    posts, out = tmp_path / "corpus" / "_posts", tmp_path / "decks"
    command = [sys.executable, "-m", "flashgen", "build", str(posts), "-o", str(out), "--deck", "K", "-q"]
    subprocess.run(command, check=True, cwd=tmp_path)
    started = time.perf_counter()
    subprocess.run(command, check=True, cwd=tmp_path)
    duration = time.perf_counter() - started
    for round_ in range(6):
        victim = posts / sorted(p.name for p in posts.iterdir())[round_]
        victim.write_text(
            victim.read_text(encoding="utf-8").replace("main points", f"points {round_}"), "utf-8"
        )
        process = subprocess.Popen([*command, "--no-cache"], cwd=tmp_path)
        time.sleep(duration * (0.4 + 0.25 * round_))
        process.send_signal(signal.SIGKILL)
        process.wait()
        with zipfile.ZipFile(out / "K.apkg") as package:
            assert package.testzip() is None
        state.load(out / "K.state.json")  # raises if the state file is damaged
    subprocess.run(command, check=True, cwd=tmp_path)
    assert sorted(p.name for p in out.iterdir()) == ["K.apkg", "K.state.json"]
    log = import_package(collection, out / "K.apkg")
    assert len(log.log.new) > 1000


ALIAS_BOMB = (
    "---\ntitle: Bomb\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    + "".join(
        f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + "tags: [*i]\n---\n## Kinds of A\n\n- x\n- y\n"
)


def _good_posts(tmp_path: Path) -> Path:
    posts = tmp_path / "blog" / "_posts"
    posts.mkdir(parents=True)
    (posts / "2024-01-01-good.md").write_text(GOOD, encoding="utf-8")
    return posts


def _flashgen_build(posts: Path, out: Path, *extra: str) -> list[str]:
    """`flashgen build` in a process of its own (signals, time-outs and locks are its own)."""
    return [sys.executable, "-m", "flashgen", "build", str(posts), "-o", str(out), "--no-cache", *extra]


def test_a_yaml_alias_bomb_is_an_error_not_a_hang(tmp_path: Path) -> None:
    posts = _good_posts(tmp_path)
    (posts / BAD).write_text(ALIAS_BOMB, encoding="utf-8")
    command = _flashgen_build(posts, tmp_path / "out")
    # Nine aliases of nine, nine deep: a billion tags if expanded. Without a bound this runs for
    # hours at full CPU; the timeout makes that a failure, not a hang of the test suite.
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert done.returncode == 1
    assert f"{posts / BAD}:2: the front matter expands to more than" in done.stderr
    assert (tmp_path / "out").glob("*.apkg")


@pytest.mark.parametrize(
    "post",
    [
        '+++\ntitle = "Hugo in TOML"\ntags = ["hugo", "toml"]\ndate = 2024-05-01\n+++\n## Kinds of A\n\n- x\n- y\n',  # noqa: E501
        '{\n  "title": "Hugo in JSON",\n  "tags": ["hugo", "json"]\n}\n## Kinds of A\n\n- x\n- y\n',
    ],
    ids=["toml", "json"],
)
def test_toml_and_json_front_matter_give_the_title_and_tags(tmp_path: Path, post: str) -> None:
    result, report, bad, _ = _build(tmp_path, post)
    assert result.exit_code == 0, result.output
    assert report["notes"] == 2 and not report["warnings"]
    (note,) = api.build([bad], deck_name="D").notes
    assert "hugo" in note.tags and ("toml" in note.tags or "json" in note.tags)
    assert note.context.startswith("Hugo in") and "+++" not in note.front and '"title"' not in note.front


def test_ctrl_c_ends_a_build_with_130_and_leaves_the_deck_whole(tmp_path: Path) -> None:
    generate(tmp_path / "corpus", 300, seed=3)
    posts, out = tmp_path / "corpus" / "_posts", tmp_path / "decks"
    command = [sys.executable, "-m", "flashgen", "build", str(posts), "-o", str(out), "--deck", "K", "-q"]
    subprocess.run(command, check=True, cwd=tmp_path)
    started = time.perf_counter()
    subprocess.run([*command, "--no-cache"], check=True, cwd=tmp_path)
    duration = time.perf_counter() - started
    # Ctrl-C in a terminal signals the whole process group: the build and its workers.
    process = subprocess.Popen(
        [*command, "--no-cache"], cwd=tmp_path, start_new_session=True, stderr=subprocess.PIPE, text=True
    )
    time.sleep(duration * 0.5)
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr
    with zipfile.ZipFile(out / "K.apkg") as package:
        assert package.testzip() is None
    state.load(out / "K.state.json")


def test_a_second_build_into_the_same_folder_waits_for_the_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build holds its output folder while it writes: another build into it waits, so neither
    reads a state file the other is replacing or cleans up the other's temporary files."""
    from flashgen.write.package import output_lock

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))  # this test's and the build's
    posts, out = _good_posts(tmp_path), tmp_path / "decks"
    out.mkdir()
    held = output_lock(out)
    held.__enter__()  # as a first build writing into the folder would
    command = _flashgen_build(posts, out, "--deck", "D")
    process = subprocess.Popen(
        command, cwd=tmp_path, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
    )
    try:
        time.sleep(3)
        assert process.poll() is None  # still waiting
        assert not (out / "D.apkg").exists()
    finally:
        held.__exit__(None, None, None)  # the first build is done
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    assert "another build is writing to" in stderr and (out / "D.apkg").is_file()


def test_a_full_disk_leaves_no_begun_files_behind(tmp_path: Path) -> None:
    """Writes that fail part way (here a file-size limit stands in for a full disk) leave no
    temporary files in the cache or the output folder, and no traceback."""
    import resource

    generate(tmp_path / "corpus", 60, seed=4)
    posts, out = tmp_path / "corpus" / "_posts", tmp_path / "decks"

    def small_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    command = [sys.executable, "-m", "flashgen", "build", str(posts), "-o", str(out), "--deck", "K"]
    done = subprocess.run(command, cwd=tmp_path, preexec_fn=small_disk, capture_output=True, text=True)
    assert "Traceback" not in done.stderr
    begun = [p for p in tmp_path.rglob("*.tmp")]
    assert begun == [], begun


def test_explicit_cards_are_kept_whatever_section_they_are_in(tmp_path: Path) -> None:
    post = (
        "---\ntitle: L\n---\n## Links\n\n- [A](https://a.example)\n- [B](https://b.example)\n\n"
        "Q: What does CAP stand for?\nA: Consistency, availability, partition tolerance.\n\n"
        "## 회고\n\n이번 주는 힘들었다. ==캐시== 는 중요했다.\n"
    )
    result, report, _, _ = _build(tmp_path, post)
    assert result.exit_code == 0
    assert report["notes"] == 3  # the good post's, the Q/A and the cloze


def _children(pid: int) -> set[int]:
    """The processes whose parent is `pid` (read from /proc)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_a_killed_builds_workers_end_with_it(tmp_path: Path) -> None:
    """A build killed outright (SIGKILL: the OOM killer, a cancelled CI job) leaves no worker
    behind; before, each forked worker waited forever on a pipe it held open itself."""
    generate(tmp_path / "corpus", 400, seed=3)
    posts = tmp_path / "corpus" / "_posts"
    command = [sys.executable, "-m", "flashgen", "build", str(posts), "-o", str(tmp_path / "d"), "-q"]
    subprocess.run(command, check=True, cwd=tmp_path)  # a deck to rebuild, as in CI
    process = subprocess.Popen([*command, "--no-cache"], cwd=tmp_path)
    workers: set[int] = set()
    deadline = time.monotonic() + 60
    while not workers and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
        workers = _children(process.pid)
    assert workers, "the build read its posts without a pool of workers"
    time.sleep(0.3)  # the workers at their work, waiting on the pipe between posts
    process.send_signal(signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in workers)
