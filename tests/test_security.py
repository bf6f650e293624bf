"""Cards are HTML that Anki runs in a web view: known XSS payloads must come out inert, images
outside the site are never packed (tests/test_media.py), and a build never touches the network."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from flashgen import api
from flashgen.read import render
from tests.conftest import EXAMPLES

# From the OWASP XSS filter evasion cheat sheet and HTML5 Security Cheatsheet, in the forms a
# Markdown post can carry them.
PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//xss.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<img src=x OnErRoR=alert(1)>",
    '<img src="x" style="width:expression(alert(1))">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>x</details>",
    "<div onmouseover=alert(1)>hover</div>",
    "<input onfocus=alert(1) autofocus>",
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    "<iframe srcdoc='<script>alert(1)</script>'></iframe>",
    "<object data=javascript:alert(1)></object>",
    "<embed src=javascript:alert(1)>",
    "<form action=javascript:alert(1)><input type=submit></form>",
    "<button formaction=javascript:alert(1)>x</button>",
    '<base href="javascript:/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="stylesheet" href="javascript:alert(1)">',
    "<style>@import 'javascript:alert(1)';</style>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<a href="javascript:alert(1)">a</a>',
    '<a href="  JaVaScRiPt:alert(1)">a</a>',
    '<a href="jav&#x09;ascript:alert(1)">a</a>',
    '<a href="vbscript:msgbox(1)">a</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">a</a>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    "[link](javascript:alert(1))",
    "[link](<javascript:alert(1)>)",
    "![img](javascript:alert(1))",
    "[ref][x]\n\n[x]: javascript:alert(1)",
    "<a href=x onclick=alert(1)>a</a>",
    '<img src="x` `<script>alert(1)</script>"` `>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<template><script>alert(1)</script></template>",
    "<marquee onstart=alert(1)>x</marquee>",
]

_ELEMENTS = re.compile(
    r"<\s*/?\s*(script|style|iframe|object|embed|form|button|base|meta|link|svg|math|template|noscript|body|marquee)\b",
    re.IGNORECASE,
)
_EVENT = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
_URL = re.compile(r"""\s(?:href|src|action|formaction|srcdoc)\s*=\s*["']?\s*([^"'\s>]*)""", re.IGNORECASE)


def assert_inert(html: str) -> None:
    assert not _ELEMENTS.search(html), html
    assert not _EVENT.search(html), html
    assert "style=" not in html.lower(), html
    for url in _URL.findall(html):
        assert not re.match(r"(?i)\s*(javascript|vbscript|data):", url), html
    for tag in re.findall(r"<input\b[^>]*>", html, re.IGNORECASE):
        assert 'type="checkbox"' in tag, html


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_sanitiser_leaves_payloads_inert(payload: str) -> None:
    assert_inert(render.block(payload))
    assert_inert(render.inline(payload))


def test_the_checker_catches_what_it_should() -> None:
    for raw in ('<img src=x onerror="alert(1)">', "<script>x</script>", '<a href="javascript:x">', "<input>"):
        with pytest.raises(AssertionError):
            assert_inert(raw)


def test_payloads_in_every_part_of_a_post_give_inert_notes(tmp_path: Path) -> None:
    items = "\n".join(f"- item {n} {p.splitlines()[0]}" for n, p in enumerate(PAYLOADS))
    post = (
        '---\ntitle: "<script>alert(1)</script> Title"\ntags: ["<img src=x onerror=alert(1)>"]\n---\n'
        f"## <img src=x onerror=alert(1)> Kinds of heading\n\n{items}\n\n"
        "## Why <svg onload=alert(1)>?\n\n<iframe src=javascript:alert(1)></iframe> answer\n\n"
        "Q: <script>q</script> question?\nA: <img src=x onerror=alert(1)> answer\n\n"
        "- **<b onclick=alert(1)>Term</b>**: <a href=javascript:alert(1)>definition</a>\n"
        "- x ==<img src=x onerror=alert(1)>== y {{c2::<svg onload=alert(1)>}}\n"
    )
    (tmp_path / "post.md").write_text(post, encoding="utf-8")
    notes = api.build([tmp_path], deck_name="D").notes
    assert len(notes) >= 5
    for note in notes:
        for field in (note.front, note.back, note.context, note.source, note.extra):
            assert_inert(field)
        assert all("<" not in tag and " " not in tag for tag in note.tags)


_NO_NETWORK = """
import socket, sys
def refuse(event, args):
    if event in ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "urllib.Request"):
        raise SystemExit(f"network used: {event} {args!r}")
sys.addaudithook(refuse)
from flashgen.cli import main
sys.argv = ["flashgen", *sys.argv[1:]]
main()
"""


def test_a_build_never_touches_the_network(tmp_path: Path) -> None:
    """Python's audit hooks see every socket a process opens; the build runs with one that stops it."""
    (tmp_path / "post.md").write_text(
        "## Kinds of Remote\n\n- A remote image ![remote](https://example.com/x.png)\n"
        "- The paper [on attention](https://arxiv.org/abs/1706.03762)\n"
        "- An HTML image <img src='http://example.org/y.png'>\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    for source in (tmp_path / "post.md", EXAMPLES):
        done = subprocess.run(
            [sys.executable, "-c", _NO_NETWORK, "build", str(source), "-o", str(out), "--format", "json"],
            capture_output=True,
            text=True,
            cwd=tmp_path,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert json.loads(done.stdout)["notes"] > 0


def test_the_audit_hook_would_see_a_connection(tmp_path: Path) -> None:
    probe = _NO_NETWORK.replace("from flashgen.cli import main", "socket.create_connection(('127.0.0.1', 9))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode != 0 and "network used: socket." in done.stdout + done.stderr


def _linked_blog(tmp_path: Path, site_config: str) -> Path:
    blog = tmp_path / "blog"
    (blog / "_posts").mkdir(parents=True)
    (blog / "_config.yml").write_text(site_config, encoding="utf-8")
    (blog / "_posts" / "2024-01-01-p.md").write_text(
        "---\ntitle: P\n---\n## Kinds of pages\n\n- the [about](/about/) page\n- the [home](/) page\n",
        encoding="utf-8",
    )
    return blog


@pytest.mark.parametrize(
    "site_config",
    [
        'url: "javascript:alert(1)//"\n',
        'url: "https://me.github.io"\nbaseurl: "/blog\\" onclick=\\"alert(1)"\n',
        'url: "data:text/html,<script>alert(1)</script>"\n',
    ],
    ids=["javascript", "attribute-break", "data"],
)
def test_a_site_url_that_is_not_http_is_an_error_naming_the_config(tmp_path: Path, site_config: str) -> None:
    blog = _linked_blog(tmp_path, site_config)
    done = subprocess.run(
        [sys.executable, "-m", "flashgen", "build", "-o", str(tmp_path / "out")],
        cwd=blog,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2, done.stderr
    assert f"{blog / '_config.yml'}: `url` and `baseurl` must make an http(s) address" in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "out").exists()


def test_links_are_made_absolute_only_with_an_http_site_url(tmp_path: Path) -> None:
    from flashgen.read.config import Config

    blog = _linked_blog(tmp_path, 'url: "https://me.github.io"\nbaseurl: "/blog"\n')
    (note,) = api.build([blog / "_posts"], deck_name="D").notes
    assert 'href="https://me.github.io/blog/about/"' in note.front
    assert 'href="https://me.github.io/blog/2024/01/01/p.html"' in note.source
    # An API caller's site URL is checked where each link is written, too.
    bad = Config(site_url="javascript:alert(1)//")
    (note,) = api.build([blog / "_posts"], deck_name="D", config=bad).notes
    for field in (note.front, note.back, note.source, note.extra):
        assert_inert(field)
        assert "javascript" not in field.lower()


def test_a_site_url_in_the_configuration_must_be_http(tmp_path: Path) -> None:
    blog = _linked_blog(tmp_path, "title: B\n")
    (blog / "flashgen.toml").write_text('site_url = "javascript:alert(1)//"\n', encoding="utf-8")
    command = [sys.executable, "-m", "flashgen", "build"]
    done = subprocess.run(command, cwd=blog, capture_output=True, text=True)
    assert done.returncode == 2 and "`site_url` must be an http(s) address" in done.stderr


def test_a_site_url_written_without_its_scheme_is_read_as_https(tmp_path: Path) -> None:
    blog = _linked_blog(tmp_path, 'url: "me.github.io"\nbaseurl: "/blog"\n')
    (note,) = api.build([blog / "_posts"], deck_name="D").notes
    assert 'href="https://me.github.io/blog/about/"' in note.front
