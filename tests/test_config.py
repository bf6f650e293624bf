"""Configuration: every key checked where it is read, CLI options over the file, site defaults."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from flashgen import api
from flashgen.cli import main
from flashgen.errors import ConfigError
from flashgen.read import config
from tests.conftest import POSTS, import_package, write_deck


def test_the_starter_file_parses_to_the_defaults() -> None:
    text = config.starter(["_posts"], 'My "blog"')
    parsed = config.parse(tomllib.loads(text), Path("/blog/flashgen.toml"))
    assert parsed.sources == (Path("/blog/_posts"),) and parsed.deck == 'My "blog"'  # pinned
    assert parsed.output == Path("/blog/decks")
    assert parsed.split == "one" and parsed.tag_prefix == "" and parsed.cache == Path("/blog/.flashgen-cache")
    assert parsed.settings == config.Config().settings


@pytest.mark.parametrize(
    ("toml", "names"),
    [
        ("colour = 'blue'", "`colour` is not a flashgen setting"),
        ("output = 3", "`output` must be a string, not int 3"),
        ("split = 'tag'", "`split` must be one of one, category, post"),
        ("publish = 'pages'", "`publish` must be one of commit, release"),
        ("sources = [1]", "`sources` must list folders or files"),
        ("[rules]\nlist = false", "`rules.list` is not a rule"),
        ("[rules]\nlists = 'no'", "`rules.lists` must be true or false"),
        ("[limits]\nmax_answer_chars = 0", "`limits.max_answer_chars` must be a whole number above 0"),
        ("[limits]\nmax_words = 5", "`limits.max_words` is not a limit"),
        ("cache = 5", "`cache` must be a folder name, or false"),
    ],
)
def test_a_wrong_key_or_type_is_an_error_naming_it(toml: str, names: str, tmp_path: Path) -> None:
    path = tmp_path / "flashgen.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        config.load(path)
    assert names in str(caught.value) and str(path) in str(caught.value)


def test_pyproject_table_is_found_and_its_errors_name_the_table(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.flashgen]\nsplit = 'post'\n", encoding="utf-8")
    found = config.find(tmp_path)
    assert found == tmp_path / "pyproject.toml" and config.load(found).split == "post"
    (tmp_path / "pyproject.toml").write_text("[tool.flashgen]\nsplitt = 'post'\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"`tool.flashgen.splitt` is not a flashgen setting"):
        config.load(config.find(tmp_path))
    (tmp_path / "flashgen.toml").write_text("split = 'category'\n", encoding="utf-8")
    assert config.find(tmp_path) == tmp_path / "flashgen.toml"  # flashgen.toml first


def test_a_configuration_error_exits_2_and_says_which_key(tmp_path: Path) -> None:
    (tmp_path / "_posts").mkdir()
    (tmp_path / "flashgen.toml").write_text("[limits]\nmax_enumeration = -1\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--config", str(tmp_path / "flashgen.toml")])
    assert result.exit_code == 2
    assert "limits.max_enumeration" in result.output and "flashgen.toml" in result.output


def _blog(tmp_path: Path) -> Path:
    blog = tmp_path / "blog"
    (blog / "_posts").mkdir(parents=True)
    (blog / "_config.yml").write_text("title: Study Notes\nurl: https://me.github.io\n", encoding="utf-8")
    for name in ("2024-09-02-운영체제-덱.md", "2024-04-10-os-lecture-3.md", "2024-05-11-논문-읽기-모임.md"):
        (blog / "_posts" / name).write_bytes((POSTS / name).read_bytes())
    return blog


def test_options_override_the_file_and_the_site_names_the_deck(tmp_path: Path, monkeypatch) -> None:
    blog = _blog(tmp_path)
    (blog / "flashgen.toml").write_text(
        'output = "built"\ntag_prefix = "blog::"\n[rules]\nlists = false\n', encoding="utf-8"
    )
    monkeypatch.chdir(blog)
    runner = CliRunner()
    result = runner.invoke(main, ["build", "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [d["path"] for d in report["decks"]] == ["built/Study-Notes.apkg"]
    assert report["kinds"] == {"paper": 3}  # the lists rule is off
    result = runner.invoke(main, ["build", "-o", "elsewhere", "--deck", "Mine", "-q"])
    assert result.exit_code == 0 and result.stdout == ""
    assert (blog / "elsewhere" / "Mine.apkg").is_file()
    notes = api.build([blog / "_posts"], config=config.load(blog / "flashgen.toml")).notes
    assert {tag.split("::")[0] for n in notes for tag in n.tags} == {"blog"}


def test_split_by_category_makes_subdecks_in_one_package(tmp_path: Path, collection) -> None:
    blog = _blog(tmp_path)
    result = api.build([blog / "_posts"], config=config.Config(split="category", cache=None))
    assert result.decks[0].name == "Study Notes"
    package = write_deck(result.decks[0], tmp_path / "decks")
    import_package(collection, package)
    names = {d.name for d in collection.decks.all_names_and_ids()}
    # The post with categories goes to its subdeck; front matter `deck:` wins over the split.
    assert {"Study Notes", "Study Notes::스터디", "공부::운영체제"} <= names
    assert collection.find_cards('"deck:Study Notes::스터디"')


def test_hugo_content_and_page_bundles(tmp_path: Path, monkeypatch) -> None:
    site = tmp_path / "hugo-site"
    bundle = site / "content" / "posts" / "raft-notes"
    bundle.mkdir(parents=True)
    (site / "hugo.toml").write_text(
        'title = "Hugo Notes"\nbaseURL = "https://example.org/"\n', encoding="utf-8"
    )
    (bundle / "index.md").write_text(
        "---\ntitle: Raft\n---\n## Parts\n\n- Election\n- Replication\n", encoding="utf-8"
    )
    other = site / "content" / "posts" / "paxos"
    other.mkdir()
    (other / "index.md").write_text(
        "---\ntitle: Paxos\n---\n## Kinds of Roles\n\n- Proposer\n- Acceptor\n", encoding="utf-8"
    )
    monkeypatch.chdir(site)
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 0, result.output
    assert (site / "decks" / "Hugo-Notes.apkg").is_file()
    notes = api.build([site / "content"]).notes
    assert len({n.guid for n in notes}) == 2  # two bundles named index.md keep apart


def test_show_uses_the_same_settings_as_build(tmp_path: Path, monkeypatch) -> None:
    blog = _blog(tmp_path)
    (blog / "flashgen.toml").write_text('tag_prefix = "b::"\n[rules]\nlists = false\n', encoding="utf-8")
    monkeypatch.chdir(blog)
    result = CliRunner().invoke(main, ["show", "_posts", "--format", "json"])
    assert result.exit_code == 0, result.output
    notes = json.loads(result.stdout)["notes"]
    assert {n["kind"] for n in notes} == {"paper"}
    assert all(tag.startswith("b::") for n in notes for tag in n["tags"])


def test_the_rule_names_the_configuration_knows_are_the_rules_that_run() -> None:
    """settings.RULE_NAMES lets the configuration be read without importing the rules; it must
    name exactly the rules extract/ runs, in their order."""
    from flashgen.extract import RULES
    from flashgen.settings import RULE_NAMES

    assert tuple(name for name, _ in RULES) == RULE_NAMES
