"""Issue 23: the state file and the deck's store (the rows an in-place build ships, kept in the
user's cache folder) are read as untrusted input. Each attack is run through `flashgen build` on
a blog built once, then tampered with: a damaged store is never a traceback (the build goes the
whole way and the store is made again), a row planted in the store never reaches the deck, and a
malformed state file is an error naming it and its line, with the deck and state left as they were.
"""

from __future__ import annotations

import json
import os
import sqlite3
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from flashgen.cli import main
from tests.conftest import package_notes

POST = "---\ntitle: P{0}\n---\n## Kinds of thing {0}\n\n- Lake{0}\n- Warehouse{0}\n"
POSTS = {f"2024-01-{day:02d}-p{day}.md": POST.format(day) for day in range(1, 13)}
EDITED = "2024-01-05-p5.md"  # the post edited after the tampering: the build goes in place


def _blog(tmp_path: Path) -> Path:
    blog = tmp_path / "blog"
    (blog / "_posts").mkdir(parents=True)
    (blog / "_config.yml").write_text("title: B\n", encoding="utf-8")
    for name, text in POSTS.items():
        (blog / "_posts" / name).write_text(text, encoding="utf-8")
    return blog


def _build(blog: Path) -> Result:
    old = Path.cwd()
    os.chdir(blog)
    try:
        return CliRunner().invoke(main, ["build"])
    finally:
        os.chdir(old)


def _no_traceback(result: Result) -> None:
    """The build ended as flashgen ends one (an exit code it chose), not with an exception."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output


def _store(tmp_path: Path) -> Path:
    (found,) = (tmp_path / "xdg-cache" / "flashgen" / "decks").glob("*.sqlite")
    return found


def _edit(blog: Path) -> None:
    post = blog / "_posts" / EDITED
    post.write_text(post.read_text(encoding="utf-8").replace("- Lake5", "- Lake5\n- Sea5"), encoding="utf-8")


def _deck_fields(blog: Path) -> list[str]:
    """Every field of every note in the shipped deck."""
    return [field for flds, _ in package_notes(blog / "decks" / "B.apkg") for field in flds.split("\x1f")]


def _sql(statement: str, *params: object) -> Callable[[Path], None]:
    def tamper(store: Path) -> None:
        connection = sqlite3.connect(store)
        connection.execute(statement, params)
        connection.commit()
        connection.close()

    return tamper


def _flip_bytes(store: Path) -> None:
    data = bytearray(store.read_bytes())
    middle = len(data) // 3
    for i in range(middle, middle + 2000):
        data[i] ^= 0x5A
    store.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "tamper",
    [
        _flip_bytes,
        lambda store: store.write_bytes(b"not a database at all" * 100),
        _sql("UPDATE notes SET line = CAST(x'fffe' AS BLOB) WHERE source = ?", EDITED),
        _sql("UPDATE notes SET line = CAST('\"x\": [[[' AS BLOB) WHERE source = ?", EDITED),
        _sql("UPDATE posts SET kinds = '[[[' WHERE path LIKE ?", f"%{EDITED}"),
        _sql("UPDATE posts SET label = CAST(x'fffe' AS TEXT) WHERE path LIKE ?", f"%{EDITED}"),
        _sql("UPDATE meta SET value = '{' WHERE name = 'across'"),
        _sql("UPDATE meta SET value = ? WHERE name = 'note_types'", json.dumps({"1": ["h", 2**63 - 1]})),
        _sql("ALTER TABLE notes ADD COLUMN planted TEXT"),
    ],
    ids=[
        "flipped-bytes",
        "not-a-database",
        "line-not-utf8",
        "line-not-json",
        "kinds-not-json",
        "label-not-utf8",
        "meta-not-json",
        "meta-huge-mod",
        "other-schema",
    ],
)
def test_a_damaged_store_is_made_again_never_a_traceback(
    tmp_path: Path, tamper, request: pytest.FixtureRequest
) -> None:
    blog = _blog(tmp_path)
    assert _build(blog).exit_code == 0
    tamper(_store(tmp_path))
    _edit(blog)
    result = _build(blog)
    _no_traceback(result)
    assert result.exit_code == 0, result.output
    # Said, naming the store, when the in-place build had to drop it; a store of another
    # flashgen's schema is only an upgrade, and a label SQLite hands back as it can still matches
    # its post's record (the build goes in place): neither is said.
    said = "could not be used" in result.output and str(_store(tmp_path).name) in result.output
    assert said == (request.node.callspec.id not in ("other-schema", "label-not-utf8")), result.output
    fields = _deck_fields(blog)
    assert any("Sea5" in field for field in fields) and sum("Warehouse" in field for field in fields) == 12
    # The store was made again: it is a sound database, whose rows are this build's.
    _edit(blog)  # and the next build, in place from it, is sound too
    again = _build(blog)
    _no_traceback(again)
    assert again.exit_code == 0, again.output
    connection = sqlite3.connect(_store(tmp_path))
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert connection.execute("SELECT count(*) FROM notes").fetchone() == (12,)
    finally:
        connection.close()


PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(2)>"


@pytest.mark.parametrize(
    "plant",
    [
        _sql(
            "UPDATE notes SET flds = ? || flds, sfld = ? || sfld WHERE source <> ?", PAYLOAD, PAYLOAD, EDITED
        ),
        _sql("UPDATE notes SET tags = ' <script>alert(1)</script> ' WHERE source <> ?", EDITED),
        _sql("UPDATE notes SET deck = '<img src=x onerror=alert(1)>' WHERE source <> ?", EDITED),
    ],
    ids=["fields", "tags", "deck"],
)
def test_a_row_planted_in_the_store_never_reaches_the_deck(tmp_path: Path, plant) -> None:
    blog = _blog(tmp_path)
    assert _build(blog).exit_code == 0
    plant(_store(tmp_path))
    _edit(blog)  # another post changes: the build goes in place, from the store's rows
    result = _build(blog)
    _no_traceback(result)
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(blog / "decks" / "B.apkg") as archive:
        collection = archive.read("collection.anki2")
    assert b"<script" not in collection and b"onerror" not in collection
    assert any("Sea5" in field for field in _deck_fields(blog))


def test_a_file_planted_as_a_posts_picture_is_not_packed(tmp_path: Path) -> None:
    """A post's record names the pictures to pack as they are: a planted one naming any file on
    the disk (a key, a password file) must not put it into the deck."""
    blog = _blog(tmp_path)
    assert _build(blog).exit_code == 0
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-TOKEN", encoding="utf-8")
    more = json.dumps({"problems": [], "images": [], "media": [["fg-0123456789abcdef0123.png", str(secret)]]})
    _sql("UPDATE posts SET more = ? WHERE path NOT LIKE ?", more, f"%{EDITED}")(_store(tmp_path))
    _edit(blog)
    result = _build(blog)
    _no_traceback(result)
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(blog / "decks" / "B.apkg") as archive:
        assert all(b"TOP-SECRET-TOKEN" not in archive.read(name) for name in archive.namelist())


def _set_first(key: str, value: object) -> Callable[[str], str]:
    def change(text: str) -> str:
        data = json.loads(text)
        next(iter(data["notes"].values()))[key] = value
        return json.dumps(data, indent=1)

    return change


@pytest.mark.parametrize(
    ("change", "words", "of_note"),
    [
        (_set_first("mod", 2**63 - 1), "a mod must be a whole number", True),
        (_set_first("tags", ["two words"]), "a tag must be one word", True),
        (_set_first("tags", ['a"b']), "a tag must be one word", True),
        (
            lambda text: text.replace('"notes": {', '"deep": ' + "[" * 100_000 + ', "notes": {', 1),
            "nested",
            False,
        ),
        (lambda text: "[" * 100_000, "nested too deeply", False),
        (lambda text: text.replace('"notes": {', '"notes": {,', 1), "Expecting", False),
    ],
    ids=["largest-mod", "tag-with-space", "tag-with-quote", "nested-line", "nested-file", "bad-json"],
)
def test_a_malformed_state_file_is_an_error_naming_it_and_its_line(
    tmp_path: Path, change, words, of_note
) -> None:
    blog = _blog(tmp_path)
    assert _build(blog).exit_code == 0
    deck, state_file = blog / "decks" / "B.apkg", blog / "decks" / "B.state.json"
    state_file.write_text(change(state_file.read_text(encoding="utf-8")), encoding="utf-8")
    before = deck.read_bytes(), state_file.read_bytes()
    _edit(blog)
    result = _build(blog)
    _no_traceback(result)
    assert result.exit_code == 1
    where = str(Path("decks") / "B.state.json")
    assert f"{where}:" in result.stderr and "the state file is damaged" in result.stderr
    assert words in result.stderr
    if of_note:  # the line of the note whose record is wrong
        guid = next(iter(json.loads(state_file.read_text(encoding="utf-8"))["notes"]))
        lines = state_file.read_text(encoding="utf-8").splitlines()
        line = next(number for number, text in enumerate(lines, 1) if text.lstrip().startswith(f'"{guid}":'))
        assert f"{where}:{line}: the state file is damaged" in result.stderr
    assert (deck.read_bytes(), state_file.read_bytes()) == before  # nothing that existed is lost


def test_only_the_store_the_last_clean_build_left_goes_unchecked(tmp_path: Path) -> None:
    """The signed record of a clean build notes its store's stamp (size, times, inode): that file
    is used without checking every row's seal; any write to it since (a planted row) changes the
    change time, and then every row is checked."""
    from flashgen.building import unchanged

    blog = _blog(tmp_path)
    assert _build(blog).exit_code == 0
    _edit(blog)
    assert _build(blog).exit_code == 0  # in place, clean: the record notes the store it left
    record = unchanged.load(blog / ".flashgen-cache")
    assert record is not None and unchanged.store_as_recorded(record, _store(tmp_path))
    _sql("UPDATE notes SET mod = mod WHERE source <> ?", EDITED)(_store(tmp_path))  # same rows, a write
    assert not unchanged.store_as_recorded(record, _store(tmp_path))
