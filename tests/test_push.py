"""`flashgen push` against a stand-in for AnkiConnect: a local HTTP server that speaks the add-on's
documented protocol (`{"action", "version": 6, "params"}` → `{"result", "error"}`) for the
actions flashgen uses, `version`, `importPackage`, `modelFieldNames`, `findNotes`, `notesInfo` and
`deleteNotes`, on a
real collection with Anki's own engine. (Anki desktop with the add-on itself is not run in the
tests: it needs a screen, the GUI packages and the add-on from AnkiWeb, which this machine cannot
reach.)"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner

from flashgen.cli import main
from tests.conftest import EXAMPLES, import_package


class _AnkiConnect(BaseHTTPRequestHandler):
    collection: ClassVar[object] = None
    requests: ClassVar[list[dict]] = []
    refuse: ClassVar[str | None] = None  # an error to answer every action with

    def do_POST(self) -> None:
        request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append(request)
        result: object = None
        error = type(self).refuse
        if error is None and request.get("version") != 6:
            error = "unsupported version"
        elif error is None and request["action"] == "version":
            result = 6
        elif error is None and request["action"] == "importPackage":
            import_package(type(self).collection, Path(request["params"]["path"]))
            result = True
        elif error is None and request["action"] == "findNotes":
            result = list(type(self).collection.find_notes(request["params"]["query"]))
        elif error is None and request["action"] == "notesInfo":
            notes = [type(self).collection.get_note(i) for i in request["params"]["notes"]]
            result = [
                {
                    "noteId": n.id,
                    "fields": {k: {"value": v, "order": i} for i, (k, v) in enumerate(n.items())},
                }
                for n in notes
            ]
        elif error is None and request["action"] == "deleteNotes":
            type(self).collection.remove_notes(request["params"]["notes"])
        elif error is None and request["action"] == "modelFieldNames":
            model = type(self).collection.models.by_name(request["params"]["modelName"])
            if model is None:
                error = f"model was not found: {request['params']['modelName']}"
            else:
                result = [field["name"] for field in model["flds"]]
        elif error is None:
            error = "unsupported action"
        body = json.dumps({"result": result, "error": error}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def anki_connect(collection) -> Iterator[str]:
    _AnkiConnect.collection, _AnkiConnect.requests, _AnkiConnect.refuse = collection, [], None
    server = ThreadingHTTPServer(("127.0.0.1", 0), _AnkiConnect)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _blog(tmp_path: Path) -> Path:
    blog = tmp_path / "blog"
    (blog / "_posts").mkdir(parents=True)
    text = (EXAMPLES / "aiffel-retrospective.md").read_text(encoding="utf-8")
    (blog / "_posts" / "2023-07-21-aiffel.md").write_text(text, encoding="utf-8")
    (blog / "flashgen.toml").write_text('sources = ["_posts"]\ndeck = "Aiffel"\n', encoding="utf-8")
    return blog


def _run(blog: Path, *args: str):
    old = Path.cwd()
    os.chdir(blog)
    try:
        return CliRunner().invoke(main, list(args))
    finally:
        os.chdir(old)


def test_push_imports_the_decks_and_a_rebuild_updates_them_in_place(
    tmp_path: Path, collection, anki_connect: str
) -> None:
    blog = _blog(tmp_path)
    assert _run(blog, "build", "-q").exit_code == 0
    pushed = _run(blog, "push", "--url", anki_connect)
    assert pushed.exit_code == 0, pushed.output
    assert "decks/Aiffel.apkg: imported into Anki" in pushed.output
    notes = collection.find_notes("")
    assert len(notes) == 19
    assert [r["action"] for r in _AnkiConnect.requests] == ["version", "importPackage"]
    assert Path(_AnkiConnect.requests[1]["params"]["path"]).is_absolute()
    assert all(set(r) == {"action", "version", "params"} for r in _AnkiConnect.requests)  # no key

    post = blog / "_posts" / "2023-07-21-aiffel.md"
    post.write_text(post.read_text(encoding="utf-8").replace("기업 적합성", "기업 적합도"), encoding="utf-8")
    assert _run(blog, "build", "-q").exit_code == 0
    assert _run(blog, "push", "--url", anki_connect).exit_code == 0
    assert sorted(collection.find_notes("")) == sorted(notes)  # updated in place, nothing added
    assert collection.find_notes("기업 적합도")


def test_push_says_what_to_do_when_anki_is_not_running(tmp_path: Path) -> None:
    blog = _blog(tmp_path)
    assert _run(blog, "build", "-q").exit_code == 0
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = _run(blog, "push", "--url", f"http://127.0.0.1:{port}")
    assert result.exit_code == 1
    assert "is Anki running, with the AnkiConnect add-on installed?" in result.output
    assert "2055492159" in result.output


def test_push_reports_what_ankiconnect_refuses(tmp_path: Path, anki_connect: str) -> None:
    blog = _blog(tmp_path)
    assert _run(blog, "build", "-q").exit_code == 0
    _AnkiConnect.refuse = "valid api key must be provided"
    result = _run(blog, "push", "--url", anki_connect)
    assert result.exit_code == 1
    assert "AnkiConnect refused `version`: valid api key must be provided" in result.output


def test_push_asks_only_this_machine_and_needs_a_built_deck(tmp_path: Path) -> None:
    blog = _blog(tmp_path)
    remote = _run(blog, "push", "--url", "http://192.0.2.1:8765")
    assert remote.exit_code == 2 and "must be on this machine" in remote.output
    assert _run(blog, "push", "--url", "https://localhost:8765").exit_code == 2
    nothing = _run(blog, "push")
    assert nothing.exit_code == 2 and "run `flashgen build` first" in nothing.output


def test_push_deletes_the_removed_notes_only_when_asked_and_agreed(
    tmp_path: Path, collection, anki_connect: str
) -> None:
    blog = _blog(tmp_path)
    (blog / "_posts" / "2024-01-01-extra.md").write_text(
        "---\ntitle: Extra\n---\n## Kinds of fruit\n\n- apple\n- pear\n", encoding="utf-8"
    )
    assert _run(blog, "build", "-q").exit_code == 0
    assert _run(blog, "push", "--url", anki_connect).exit_code == 0
    before = set(collection.find_notes(""))
    (blog / "_posts" / "2024-01-01-extra.md").unlink()  # its note is removed: shipped once more, tagged
    assert _run(blog, "build", "-q").exit_code == 0
    gone = set(collection.find_notes("Kinds of fruit"))
    assert len(gone) == 1

    listed = _run(blog, "push", "--url", anki_connect, "--delete-removed", "--dry-run")
    assert listed.exit_code == 0, listed.output
    assert f"Aiffel: 1 note in Anki no post makes any more:\n  {gone.pop()}" in listed.output
    assert "nothing deleted" in listed.output and set(collection.find_notes("")) == before
    assert collection.find_notes("tag:flashgen::removed")  # the import tagged it

    declined = _run_with_input(blog, "n\n", "push", "--url", anki_connect, "--delete-removed")
    assert declined.exit_code == 0 and "Nothing deleted." in declined.output
    assert set(collection.find_notes("")) == before

    agreed = _run_with_input(blog, "y\n", "push", "--url", anki_connect, "--delete-removed")
    assert (
        agreed.exit_code == 0 and "Aiffel: 1 note deleted in Anki; now run `flashgen build" in agreed.output
    )
    assert not collection.find_notes("tag:flashgen::removed")
    assert len(set(collection.find_notes(""))) == len(before) - 1
    assert [r["action"] for r in _AnkiConnect.requests][-3:] == ["findNotes", "notesInfo", "deleteNotes"]
    assert _AnkiConnect.requests[-3]["params"]["query"] == '"deck:Aiffel" tag:flashgen::removed'

    # The deck ships the note until a build forgets it; then nothing is left to delete.
    assert _run(blog, "build", "-q", "--forget-removed").exit_code == 0
    again = _run(blog, "push", "--url", anki_connect, "--delete-removed", "--yes")
    assert again.exit_code == 0 and "no note in Anki is tagged flashgen::removed" in again.output


def _run_with_input(blog: Path, text: str, *args: str):
    old = Path.cwd()
    os.chdir(blog)
    try:
        return CliRunner().invoke(main, list(args), input=text)
    finally:
        os.chdir(old)


def test_push_refuses_a_deck_whose_note_type_gained_reverse_cards_until_it_is_merged_once(
    tmp_path: Path, collection, anki_connect: str
) -> None:
    """AnkiConnect imports with Anki's default options, which leave every note already in Anki
    as it was when the note type gained fields: push says to import once by hand, merging."""
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    blog = _blog(tmp_path)
    post = blog / "_posts" / "first.md"
    post.write_text(
        "---\ntitle: Terms\n---\n## Terms\n\n- **Dropout**: a regulariser that zeroes random "
        "activations during training.\n",
        encoding="utf-8",
    )
    assert _run(blog, "build", "-q").exit_code == 0
    assert _run(blog, "push", "--url", anki_connect).exit_code == 0  # as before: no reverse cards
    assert "modelFieldNames" not in [r["action"] for r in _AnkiConnect.requests]

    (blog / "flashgen.toml").write_text(
        (blog / "flashgen.toml").read_text(encoding="utf-8") + "reverse = true\n", encoding="utf-8"
    )
    assert _run(blog, "build", "-q").exit_code == 0
    refused = _run(blog, "push", "--url", anki_connect)
    assert refused.exit_code != 0
    assert "Merge note types" in refused.output and "Always" in refused.output
    assert "Aiffel.apkg" in refused.output
    assert not collection.find_notes("card:Reverse")  # nothing imported

    deck = blog / "decks" / "Aiffel.apkg"
    from anki.import_export_pb2 import IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_ALWAYS as ALWAYS

    options = ImportAnkiPackageOptions(merge_notetypes=True, update_notes=ALWAYS)
    request = ImportAnkiPackageRequest(package_path=str(deck.resolve()), options=options)
    collection.import_anki_package(request)
    collection.models._clear_cache()
    assert collection.find_notes("card:Reverse")  # the reverse card, on the note imported before
    time.sleep(1.1)  # edited later than merged: Anki updates a note "if newer", to the second
    post.write_text(post.read_text(encoding="utf-8").replace("random", "random hidden"), encoding="utf-8")
    assert _run(blog, "build", "-q").exit_code == 0
    pushed = _run(blog, "push", "--url", anki_connect)
    assert pushed.exit_code == 0, pushed.output
    assert collection.find_notes("hidden")  # updated in place through AnkiConnect from then on
