"""Issue 11: the rules that keep junk out of real blogs' decks, corrections that last, and the
quality benchmark's own plumbing. The golden fixtures (tests/data/posts/2024-11-*) pin whole posts;
these tests pin one mechanism each."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from flashgen import api
from flashgen.cli import main
from flashgen.extract import Limits, Settings, extract_notes, prose_definitions, shapes
from flashgen.read import config, render
from flashgen.read.posts import read_post
from flashgen.read.sections import split_sections

ROOT = Path(__file__).resolve().parent.parent


def _notes(text: str, tmp_path: Path, settings: Settings | None = None):
    path = tmp_path / "post.md"
    path.write_text(text, encoding="utf-8")
    post = read_post(path, tmp_path)
    return extract_notes(post, split_sections(post), settings)


def _cli(cwd: Path, *args: str):
    old = Path.cwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, list(args))
    finally:
        os.chdir(old)


@pytest.mark.parametrize(
    ("lead_in", "expected"),
    [
        ("The three stages of onboarding are", "The three stages of onboarding are"),
        ("Raft splits consensus into three parts:", "Raft splits consensus into three parts:"),
        ("We met on Tuesday. It rained. Then we covered the kinds of locks below.", "kinds of locks below"),
        (
            "발표에서는 세 가지를 강조했다. 그 세 가지는 다음과 같다:",
            "발표에서는 세 가지를 강조했다. 그 세 가지는",
        ),
    ],
)
def test_a_list_is_prompted_by_the_clause_that_leads_in_to_it(
    lead_in: str, expected: str, tmp_path: Path
) -> None:
    found = _notes(f"## Week 3\n\n{lead_in}\n\n- First point\n- Second point\n", tmp_path)
    (note,) = [n for n in found.notes if n.kind == "list"]
    assert expected in render.text(note.front)


def test_a_list_under_a_generic_heading_without_a_lead_in_makes_no_cloze(tmp_path: Path) -> None:
    assert _notes("## 정리\n\n- 첫째 요점\n- 둘째 요점\n", tmp_path).notes == ()
    assert len(_notes("## Kinds of locks\n\n- Mutex\n- Spinlock\n", tmp_path).notes) == 1


def test_a_list_of_sentences_is_notes_not_an_enumeration(tmp_path: Path) -> None:
    sentences = (
        "## Detector\n\n"
        "- FPN은 2017년 공개된 이후 대부분의 object detection 연구에서 사용되고 있음\n"
        "- 하지만 선행 연구들은 서로 다른 input feature들을 구분 없이 단순히 더하는 방식을 사용함\n"
    )
    assert _notes(sentences, tmp_path).notes == ()


def test_values_are_not_definitions_and_a_dash_inside_a_link_is_not_a_split(tmp_path: Path) -> None:
    text = (
        "## Settings and terms\n\n"
        "- learning rate : 3e-4\n"
        "- 발표 시간 : 10:20 - 11:00\n"
        "- 코드 : model.py\n"
        "- [KL (Kullback - Leibler) divergence](https://x.org/kl) measures a distance\n"
        "- Stack : LIFO\n"
    )
    definitions = {render.text(n.front) for n in _notes(text, tmp_path).notes if n.kind == "definition"}
    assert definitions == {"What is Stack?"}


@pytest.mark.parametrize(
    "value", ["3e-4", "10:20 - 11:00", "https://a.b/c", "model.py", "1위", "5%", "CLASS_2"]
)
def test_shapes_tell_values(value: str) -> None:
    assert shapes.is_value(value) and not shapes.describes(value)


def test_a_long_paper_summary_is_shortened_never_dropped(tmp_path: Path) -> None:
    bullets = "\n".join(
        f"- Finding number {n} of the paper is stated here in a full sentence." for n in range(1, 30)
    )
    text = f"## [Attention Is All You Need](https://arxiv.org/abs/1706.03762)\n\n{bullets}\n"
    found = _notes(text, tmp_path, Settings(limits=Limits(max_answer_chars=300)))
    (paper,) = [n for n in found.notes if n.kind == "paper"]
    answer, extra = render.text(paper.back), render.text(paper.extra)
    assert 0 < len(answer) <= 300 and "Finding number 1 " in answer
    assert "Finding number 29" in extra and "Finding number 29" not in answer
    assert any("shortened" in message for _, message in found.notices)


@pytest.mark.parametrize(
    "noise",
    [
        "- Rating: 7 / 7 / 6, avg. 6.67\n- Shortcut connections make very deep networks trainable.\n\n"
        "[본 논문의 방법론 예시]\n",  # a reviewer's rating, a figure's bracketed caption
        "이번 섹션에서는 ResNet을 소개합니다. Shortcut connections make very deep networks trainable.\n\n"
        "- [Demo Video](https://youtu.be/x)\n",  # narration that opens it, a link label
    ],
)
def test_noise_stays_out_of_a_paper_summary(noise: str, tmp_path: Path) -> None:
    text = f"## [Deep Residual Learning](https://arxiv.org/abs/1512.03385)\n\n{noise}"
    (paper,) = _notes(text, tmp_path).notes
    assert render.text(paper.back) == "Shortcut connections make very deep networks trainable."


def test_a_one_paper_review_is_recognised_from_its_categories_and_authors_line(tmp_path: Path) -> None:
    text = (
        "---\ntitle: Deep Residual Learning for Image Recognition\ncategories: papers\n---\n\n"
        "<b>Kaiming He et al. (CVPR 2016)</b>\n\n"
        "## Abstract\n- 층을 깊게 쌓을수록 학습이 어려워지는 문제를 residual learning으로 해결함\n\n"
        "## Method\n- 입력을 출력에 더하는 shortcut connection을 둠\n"
    )
    kinds = [(n.kind, render.text(n.front)) for n in _notes(text, tmp_path).notes]
    assert ("paper", "「Deep Residual Learning for Image Recognition」 논문의 핵심 내용은?") in kinds
    assert any(kind == "paper-part" for kind, _ in kinds)
    # Without the signs of a review, the same sections are not read as a paper's parts.
    plain = text.replace("categories: papers\n", "").replace("<b>Kaiming He et al. (CVPR 2016)</b>\n\n", "")
    assert all(n.kind not in ("paper", "paper-part") for n in _notes(plain, tmp_path).notes)


def test_a_contest_problem_post_makes_no_card_and_says_why(tmp_path: Path) -> None:
    text = "## 문제\n\n- 두 수를 더하시오\n- 큰 수를 구하시오\n\n## 입력\n\n- A와 B\n\n## 출력\n\n- A+B\n"
    found = _notes(text, tmp_path)
    assert found.notes == () and any("contest problem" in message for _, message in found.notices)


def test_every_post_without_a_card_says_why(tmp_path: Path) -> None:
    found = _notes("I went for a walk today. It was nice.\n", tmp_path)
    assert found.notes == () and found.notices and found.notices[0][0] == 0


def test_a_reflection_heading_makes_no_card(tmp_path: Path) -> None:
    assert _notes("## 아쉬운 점\n\n- 시간 관리\n- 체력 관리\n", tmp_path).notes == ()
    assert _notes("## Final thoughts\n\n- Sleep more\n- Read more\n", tmp_path).notes == ()


def test_bold_before_a_korean_particle_is_rendered(tmp_path: Path) -> None:
    found = _notes(
        "## 용어\n\n- 임베딩 : 단어를 **단어 벡터(word vector)**라고 부르는 실수 벡터로 나타낸 것\n", tmp_path
    )
    (note,) = found.notes
    assert "<strong>단어 벡터(word vector)</strong>" in note.back and "**" not in note.back


def test_an_item_marked_skip_makes_no_card_and_leaves_its_list(tmp_path: Path) -> None:
    text = "## Kinds of cache misses\n\n- Compulsory\n- Capacity <!-- flashgen: skip -->\n- Conflict\n"
    (note,) = _notes(text, tmp_path).notes
    assert "Capacity" not in note.front and "{{c2::Conflict}}" in note.front


def test_ignored_note_ids_stay_out_of_every_build(tmp_path: Path) -> None:
    (tmp_path / "_posts").mkdir()
    (tmp_path / "_posts" / "a.md").write_text("## Stack\n\n- Stack : LIFO\n- Queue : FIFO\n", "utf-8")
    shown = _cli(tmp_path, "show", "_posts", "--format", "json")
    ids = {n["question"]: n["guid"] for n in json.loads(shown.stdout)["notes"]}
    (tmp_path / "flashgen.toml").write_text(f'ignore = ["{ids["What is Queue?"]}"]\n', "utf-8")
    notes = api.build([tmp_path / "_posts"], config=config.load(tmp_path / "flashgen.toml")).notes
    assert [render.text(n.front) for n in notes] == ["What is Stack?"]
    (tmp_path / "flashgen.toml").write_text("ignore = [3]\n", "utf-8")
    bad = _cli(tmp_path, "build")
    assert bad.exit_code == 2 and "`ignore`" in bad.output


def test_the_quality_benchmark_skips_absent_blogs_and_measures_present_ones(tmp_path: Path) -> None:
    import subprocess
    import sys

    script = ROOT / "benchmarks" / "quality" / "run.py"
    empty = subprocess.run(
        [sys.executable, str(script), "--blogs", str(tmp_path)], capture_output=True, text=True, check=False
    )
    assert empty.returncode == 0 and "skipped seongkyun" in empty.stderr
    posts = tmp_path / "seongkyun" / "_posts"
    posts.mkdir(parents=True)
    (posts / "2024-01-01-a.md").write_text("## Kinds of locks\n\n- Mutex\n- Spinlock\n", "utf-8")
    (posts / "2024-01-02-b.md").write_text("Just prose.\n", "utf-8")
    out = tmp_path / "figures.json"
    one = subprocess.run(
        [sys.executable, str(script), "--blogs", str(tmp_path), "--only", "seongkyun", "--save", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert one.returncode == 0, one.stderr
    figures = json.loads(out.read_text())["seongkyun"]
    assert figures["posts"] == 2 and figures["cards"] == 1 and figures["zero-card posts %"] == 50.0
    assert figures["zero-card without reason"] == 0


@pytest.mark.parametrize(
    ("paragraph", "term"),
    [
        ("A **hash table** is a structure that maps keys to values.", "hash table"),
        (
            "Collisions need handling. Two keys landing in one slot at once. This is called a collision.",
            "collision",
        ),
        ("**승산(odds)**이란 사건이 일어날 확률과 일어나지 않을 확률의 비율입니다.", "승산(odds)"),
        ("선형결합이란 벡터들을 스칼라 곱과 덧셈으로 조합하는 연산입니다.", "선형결합"),
        ("- Robustness는 이상치가 등장했을 때 loss가 얼마나 영향을 받는지를 뜻하는 용어", "Robustness"),
        ("- Overfitting refers to a model that fits noise in its training data.", "Overfitting"),
    ],
)
def test_a_definition_in_prose_makes_a_definition_card(paragraph: str, term: str, tmp_path: Path) -> None:
    (note,) = _notes(f"## Notes\n\n{paragraph}\n", tmp_path).notes
    assert note.kind == "definition" and term in render.text(note.front)


@pytest.mark.parametrize(
    "paragraph",
    [
        "두 분포가 얼마나 비슷한지 재는 지표로 **KL divergence**라는 것이 있습니다.",
        "종결어미는 다음과 같은 속성을 지니는 문법부류입니다.",
        "Is a **heap** a tree?",
        "We used **Adam** for every run, which is what the paper did too",
        "오늘은 정말 많은 것을 배운 날이라는 것을 뜻한다.",
        "- 1위는 트랜스포머 논문을 뜻합니다.",
        "- --model_name : 서빙 서버의 이름을 뜻합니다.",
    ],
)
def test_a_mention_in_prose_is_not_a_definition(paragraph: str, tmp_path: Path) -> None:
    assert _notes(f"## Notes\n\n{paragraph}\n", tmp_path).notes == ()


def test_a_unit_separator_in_a_post_does_not_split_a_field_in_anki(tmp_path: Path) -> None:
    from anki.collection import Collection

    from tests.conftest import import_package, write_deck

    (tmp_path / "posts").mkdir()
    text = "## Stack\n\n**Stack**이란 나중에\x1f넣은 것을 먼저 꺼내는 자료구조입니다.\n"
    (tmp_path / "posts" / "post.md").write_text(text, encoding="utf-8")
    result = api.build([tmp_path / "posts"], deck_name="D")
    assert len(result.notes) == 1
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        import_package(col, write_deck(result.decks[0], tmp_path / "decks"))
        (note_id,) = col.find_notes("")
        assert "나중에넣은" in col.get_note(note_id)["Back"]
    finally:
        col.close()


def test_a_list_of_sentences_announced_by_its_lead_in_is_one_card_that_asks_for_it(tmp_path: Path) -> None:
    text = (
        "## DTW\n\n"
        "이 최적화 문제의 목적식은 비용을 최소화하는 것이고, 이때 3가지 제약조건이 존재합니다.\n\n"
        '<img src="/assets/fig6.png">\n\n'
        "- 두 시퀀스의 처음과 끝은 같아야 하며 무조건 좌하단에서 시작해 우상단에서 끝나야 합니다.\n"
        "- x나 y축, 혹은 그 두 축에서 음의 방향으로는 이동하지 않습니다.\n"
        "- 이동할 때는 정해진 스텝 사이즈만큼만 이동할 수 있습니다.\n"
    )
    (note,) = _notes(text, tmp_path).notes
    assert note.kind == "list" and not note.cloze
    assert render.text(note.front).endswith("이때 3가지 제약조건이 존재합니다.")
    assert "음의 방향" in render.text(note.back)
    # Without a lead-in that announces it, the same sentences are notes: no card.
    plain = text.replace(
        "이 최적화 문제의 목적식은 비용을 최소화하는 것이고, 이때 3가지 제약조건이 존재합니다.",
        "비용을 줄인다.",
    )
    assert _notes(plain, tmp_path).notes == ()


def test_a_paragraph_that_opens_by_citing_a_paper_summarises_it(tmp_path: Path) -> None:
    text = (
        "## Hierarchical models\n\n"
        "VQ-VAE-2 ([Razavi et al. 2019](https://arxiv.org/abs/1906.00446)) is a two-level hierarchical "
        "VQ-VAE combined with a self-attention autoregressive prior over its codes.\n\n"
        "To reduce the cost, [Smith et al. (2020)](https://arxiv.org/abs/2001.00001) is cited in passing "
        "by a sentence that is about something else entirely.\n\n"
        "Many later models built on this idea and it became common, as the survey by "
        "[Jones (2021)](https://arxiv.org/abs/2101.00002) explains at length in its second part.\n"
    )
    (note,) = _notes(text, tmp_path).notes
    assert note.kind == "paper"
    assert render.text(note.front) == "What is the paper “VQ-VAE-2 (Razavi et al. 2019)” about?"
    assert "arXiv:1906.00446" in render.text(note.extra)


def test_a_dataset_column_list_makes_no_card(tmp_path: Path) -> None:
    text = (
        "## Dataset\n\n"
        "- `user_id` : the id of the user who placed the order\n"
        "- order_date : the day the order was placed on the site\n"
        "- total_price : what the customer paid, taxes included\n"
    )
    found = _notes(text, tmp_path)
    assert found.notes == () and any("columns" in message for _, message in found.notices)


def test_a_table_of_contents_written_as_plain_text_makes_no_card(tmp_path: Path) -> None:
    text = (
        "## Contents overview\n\nThis post covers the following parts:\n\n"
        "1. Encoder stack\n2. Decoder stack\n3. Positional encoding\n\n"
        "## Encoder stack\n\nSix identical layers, each with two sub-layers.\n\n"
        "## Decoder stack\n\nSix layers with a third sub-layer over the encoder's output.\n\n"
        "## Positional encoding\n\nSines and cosines of different frequencies.\n"
    )
    assert all(n.kind != "list" for n in _notes(text, tmp_path).notes)


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("2. Sanity Checks for Saliency Maps (Spotlight)", "Sanity Checks for Saliency Maps"),
        (
            "“A Baseline for Detecting Misclassified Examples”",
            "A Baseline for Detecting Misclassified Examples",
        ),
        ("이곳", ""),
        ("논문 링크", ""),
        ("here", ""),
    ],
)
def test_a_link_text_as_a_paper_title_loses_its_numbering_quotes_and_generic_words(
    text: str, title: str
) -> None:
    from flashgen.extract.papers import named_title

    assert named_title(text) == title


def test_math_in_a_trimmed_lead_in_and_in_the_cue_is_typeset(tmp_path: Path) -> None:
    text = (
        "## Graph $$G$$\n\n"
        "We start from nodes. Given $$G=(V, E)$$ with $n$ nodes, there are three kinds of edges:\n\n"
        "- Tree edges\n- Back edges\n- Cross edges\n"
    )
    (note,) = _notes(text, tmp_path).notes
    assert "$" not in note.front and "\\(G=(V, E)\\)" in note.front
    assert "$" not in note.context and "\\(G\\)" in note.context


def test_the_language_is_detected_from_prose_not_code_or_urls() -> None:
    from flashgen.read.posts import detect_language

    code = "```python\n" + "def train_model(data_loader, optimizer):\n    return loss\n" * 30 + "```\n"
    assert detect_language("모델을 학습하는 코드는 아래와 같다.\n\n" + code) == "ko"


def test_a_bilingual_post_asks_each_note_in_its_answers_language(tmp_path: Path) -> None:
    text = (
        "## Regularization tricks\n\n"
        "Most of these are covered in the lecture slides and the original papers, in English:\n\n"
        "- DropConnect : 랜덤하게 activation이 아니라 weight를 0으로 만드는 방법\n"
        "- Stochastic depth : randomly drops whole layers during training and uses all of them at test time\n"
    )
    questions = {render.text(n.front) for n in _notes(text, tmp_path).notes if n.kind == "definition"}
    assert questions == {"DropConnect은(는) 무엇인가?", "What is Stochastic depth?"}
    pinned = "---\nlang: en\n---\n" + text
    questions = {render.text(n.front) for n in _notes(pinned, tmp_path).notes if n.kind == "definition"}
    assert questions == {"What is DropConnect?", "What is Stochastic depth?"}


def test_a_review_headed_by_its_title_and_a_paper_link_asks_for_its_parts(tmp_path: Path) -> None:
    text = (
        "---\ntitle: FitNets- Hints for Thin Deep Nets\n---\n\n# FitNets- Hints for Thin Deep Nets\n\n"
        "Original paper: https://arxiv.org/abs/1412.6550\n\nAuthors: Adriana Romero, Yoshua Bengio\n\n"
        "## Abstract\n"
        "- 깊은 네트워크는 학습이 어렵기 때문에 teacher의 hint로 얇고 깊은 student를 학습시킨다.\n\n"
        "## How does the hint help?\n- 중간 layer의 출력을 teacher의 중간 출력에 맞추도록 먼저 학습한다.\n"
    )
    notes = _notes(text, tmp_path).notes
    questions = [(n.kind, render.text(n.front)) for n in notes]
    assert questions[0] == ("paper", "「FitNets- Hints for Thin Deep Nets」 논문의 핵심 내용은?")
    assert questions[1] == ("question", "How does the hint help?")  # the author's own question
    assert "Authors" not in render.text(notes[0].back) and "arXiv:1412.6550" in render.text(notes[0].extra)


def test_a_review_that_opens_by_citing_its_own_title_is_a_paper_card(tmp_path: Path) -> None:
    text = (
        '---\ntitle: "Twin neural network regression is a semi-supervised regression algorithm"\n---\n\n'
        '<b>Wetzel, Sebastian J., et al. "Twin neural network regression is a semi-supervised regression '
        'algorithm." Machine Learning: Science and Technology 3.4 (2022)</b>\n\n'
        "두 샘플의 target 차이를 예측하도록 학습하는 twin network로 semi-supervised regression을 한다.\n"
    )
    (note,) = _notes(text, tmp_path).notes
    assert note.kind == "paper" and render.text(note.back).startswith("두 샘플의 target 차이")


def test_a_bug_on_one_post_is_an_error_for_that_post_and_the_others_build(
    tmp_path: Path, monkeypatch
) -> None:
    from flashgen import extract

    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "a.md").write_text("## Kinds of locks\n\n- Mutex\n- Spinlock\n", "utf-8")
    (tmp_path / "posts" / "b-boom.md").write_text("## Boom\n\n- One\n- Two\n", "utf-8")
    real = extract.notes_of

    def failing(post, sections, settings=None):
        if "boom" in post.path.name:
            raise IndexError("list index out of range")
        return real(post, sections, settings)

    monkeypatch.setattr("flashgen.building.whole.notes_of", failing)
    result = api.build([tmp_path / "posts"], deck_name="D")
    (error,) = result.errors
    assert error.path.name == "b-boom.md" and "internal error (IndexError" in error.message
    assert len(result.notes) == 1


def test_a_heading_that_is_only_a_parenthesis_does_not_break_the_definition_rule(tmp_path: Path) -> None:
    assert _notes("## (KL)\n\nKL divergence measures how two distributions differ.\n", tmp_path).notes == ()


def test_a_paper_named_by_the_posts_title_is_found_in_the_opening_prose(tmp_path: Path) -> None:
    text = (
        '---\ntitle: "EfficientNet: Rethinking Model Scaling for CNNs 리뷰"\n---\n\n'
        '이번 포스팅에서는 <a href="https://arxiv.org/pdf/1905.11946.pdf">EfficientNet: Rethinking Model '
        "Scaling for CNNs</a> 논문을 리뷰하려 합니다. "
        "이 논문은 모델의 깊이, 너비, 해상도를 함께 키우는 방법을 제안합니다.\n"
    )
    (note,) = _notes(text, tmp_path).notes
    assert note.kind == "paper" and "arXiv:1905.11946" in render.text(note.extra)


def test_a_vague_lead_in_gives_way_to_the_heading(tmp_path: Path) -> None:
    (note,) = _notes("## Kinds of locks\n\nbecause:\n\n- Mutex\n- Spinlock\n", tmp_path).notes
    assert render.text(note.front).startswith("Kinds of locks")


def test_vague_terms_and_numbered_labels_make_no_card(tmp_path: Path) -> None:
    text = (
        "## Agents\n\n"
        "- The policy : what the agent does in each state of the world\n"
        "- 그런데 일반 언어 이론 : 모든 언어에 공통된 원리를 찾는 이론\n"
        "- (1) Goal validity : whether a goal can be reached at all\n\n"
        "## Procedure\n\nThe procedure has three steps:\n\n- Step 1\n- Step 2\n- Step 3\n"
    )
    notes = _notes(text, tmp_path).notes
    assert not [n for n in notes if n.kind == "definition"]
    assert not [n for n in notes if "Step 1" in n.front]


def test_a_figure_is_not_a_term(tmp_path: Path) -> None:
    assert (
        _notes("## Results\n\n- Figure 2 : the loss curves of both models over training\n", tmp_path).notes
        == ()
    )


@pytest.mark.parametrize(
    "text",
    [
        "---\ntitle: Ubuntu 18.04 CUDA 설치 및 세팅\n---\n"
        "## 드라이버\n\n- 그래픽 드라이버를 먼저 잡는다\n- 재부팅 후 확인\n",
        "## Server\n\n- sudo apt-get update\n- sudo apt-get install openssh-server\n"
        "- vim /etc/ssh/sshd_config\n- sudo service ssh restart\n",
    ],
)
def test_an_install_or_setup_guide_makes_no_card_and_says_why(text: str, tmp_path: Path) -> None:
    found = _notes(text, tmp_path)
    assert found.notes == () and any("install or setup guide" in message for _, message in found.notices)


def test_a_time_slot_is_not_a_term(tmp_path: Path) -> None:
    text = (
        "## 일정\n\n- 화요일 오후 : Computer Vision 전반의 포스터 세션\n"
        "- Day 2 : talks on generative models all day\n"
    )
    assert not [n for n in _notes(text, tmp_path).notes if n.kind == "definition"]


# ── round 6: the patterns judged after the first rules ──


def test_a_post_filed_under_projects_makes_no_card_and_says_why(tmp_path: Path) -> None:
    found = _notes(
        "---\ntitle: Container dwell time\ncategories: [project]\n---\n\n## Data\n\n"
        "The features available are the following:\n\n- weight : weight of the container\n"
        "- feet : length of the container\n- hazardous : whether the container is dangerous\n",
        tmp_path,
    )
    assert found.notes == ()
    assert any("project" in message for _, message in found.notices)


def test_only_a_papers_own_parts_are_asked_about(tmp_path: Path) -> None:
    text = (
        '---\ntitle: "[Paper Review] Tiny Nets"\ntags: [paper]\n---\n\n'
        "[paper](https://arxiv.org/abs/2001.00001)\n\n"
        "## Abstract\n\nTiny Nets prune every layer to a tenth of its width and keep the accuracy.\n\n"
        "## Contributions\n\nA pruning rule that needs no retraining, shown on three datasets.\n\n"
        "## Related work\n\nPruning has a long history, from optimal brain damage to lottery tickets.\n\n"
        "## Experiments\n\nWe train on CIFAR-10 and ImageNet with the usual schedule for 90 epochs.\n\n"
        "## Results\n\nTable 2 shows the accuracy of every model on both datasets and their sizes.\n"
    )
    fronts = [render.text(n.front) for n in _notes(text, tmp_path).notes]
    assert any("contributions" in f for f in fronts)
    assert not any(word in f for f in fronts for word in ("related work", "experiment", "result"))


def test_a_lead_in_that_narrates_gives_way_to_the_heading(tmp_path: Path) -> None:
    found = _notes(
        "## Kinds of locks\n\nLet's recap what we did:\n\n- Mutex\n- Semaphore\n- Spinlock\n", tmp_path
    )
    (note,) = [n for n in found.notes if n.kind == "list"]
    assert "Kinds of locks" in render.text(note.front)
    assert "recap" not in render.text(note.front)
    assert shapes.lead_in("In order to sample \\(x^{(i)}\\), we follow these steps:") is not None  # not "I"


def test_a_formula_over_a_list_is_not_its_prompt(tmp_path: Path) -> None:
    found = _notes(
        "## Benefits of SGD\n\n$$B \\propto \\frac{\\epsilon}{1-m}$$\n\n- 더 빠른 학습\n- 적은 업데이트\n",
        tmp_path,
    )
    (note,) = found.notes
    assert render.text(note.front).startswith("Benefits of SGD")


def test_a_catalogue_of_titles_makes_no_card(tmp_path: Path) -> None:
    found = _notes(
        "## Workshops\n\nThe workshops were the following:\n\n"
        "- Deep Reinforcement Learning Meets Structured Prediction\n- Debugging Machine Learning Models\n"
        "- Safe Machine Learning: Specification, Robustness, and Assurance\n"
        "- Representation Learning on Graphs and Manifolds\n",
        tmp_path,
    )
    assert found.notes == ()
    assert any("catalogue" in message for _, message in found.notices)
    awards = _notes(
        '## Awards\n\n- Best Paper\n    - "SinGAN: Learning a Generative Model" by Tamar Shaham, Tali Dekel\n'
        '    - "Asynchronous Single-Photon 3D Imaging" by Anant Gupta, Atul Ingle\n'
        '- Best Student Paper\n    - "PLMP - Point-Line Minimal Problems" by Timothy Duff, Kathlen Kohn\n',
        tmp_path,
    )
    assert awards.notes == ()


@pytest.mark.parametrize(
    ("sentence", "question"),
    [
        ("여기서 마스크란 소프트맥스 확률값을 0으로 무시하게 하는 장치를 뜻합니다.", "마스크는 무엇인가?"),
        ("여기에서 사전확률이란 데이터를 관측하기 전 가설로 세운 확률을 뜻합니다.", "사전확률은 무엇인가?"),
        ("수식에서 Z는 teacher의 중간 레이어에서의 feature를 의미한다.", None),
        ("stack이 비게 되는 경우 탐색이 종료됨을 의미한다.", None),
        ("오른쪽 그림의 첫번째 term은 P 분포에 대한 entropy를 의미합니다.", None),
        (
            "원래 r prefix란 이스케이프 문자를 일반 문자로 읽게 하는 접두사를 말합니다.",
            "r prefix은(는) 무엇인가?",
        ),
        ("CLS here stands for Classification.", "What is CLS?"),
        ("tf-idf stands for term frequency-inverse document frequency.", "What is tf-idf?"),
        ("init_dim refers to the original dimension in which the data points live.", None),
        ("such orders refers to the earlier part of the law given by human beings.", None),
        ("가장 좋은 성능을 보였던 Noisy Student는 기존 SOTA를 넘어섰음을 의미한다.", None),
        ("위의 표는 모델별 정확도를 비교한 결과를 의미합니다.", None),
        ("**클러스터링의 목적**은 간단합니다.", None),
    ],
)
def test_a_prose_definition_asks_about_its_term_not_where_it_stands(
    sentence: str, question: str | None, tmp_path: Path
) -> None:
    notes = [n for n in _notes(f"## 개념\n\n{sentence}\n", tmp_path).notes if n.kind == "definition"]
    assert [render.text(n.front) for n in notes] == ([question] if question else [])


def test_a_glossary_of_traits_asks_no_what_is(tmp_path: Path) -> None:
    traits = _notes(
        "## Formats\n\n- MP3: high compression\n- WAV: larger files\n- FLAC: little loss\n", tmp_path
    )
    assert not [n for n in traits.notes if n.kind == "definition"]
    forms = _notes(
        "## Normal forms\n\n- 1NF: atomic values\n- 2NF: no partial dependency on a key\n"
        "- 3NF: no transitive dependency\n",
        tmp_path,
    )
    # Most say what each form is, so the whole glossary is asked, the terse one included.
    assert len([n for n in forms.notes if n.kind == "definition"]) == 3


def test_sentences_under_a_bare_label_are_not_clozed_but_short_points_are(tmp_path: Path) -> None:
    notes = _notes(
        "## 정렬\n\n- 선택정렬\n  - 우선순위가 높은 것을 차례대로 가져와서 넣음\n"
        "  - 선택하는 순간 정렬이 적용됨\n- relu\n  - no saturation\n  - cheap to compute\n",
        tmp_path,
    ).notes
    headers = [render.text(n.front) for n in notes if n.kind == "children"]
    assert len(headers) == 1 and headers[0].startswith("relu")


def test_a_heading_term_is_defined_after_a_manner_of_speaking(tmp_path: Path) -> None:
    found = _notes(
        "## Inverse Document Frequency\n\n"
        "Roughly speaking, inverse document frequency is simply the reciprocal of document frequency.\n",
        tmp_path,
    )
    assert [render.text(n.front) for n in found.notes] == ["What is Inverse Document Frequency?"]


def test_a_definition_is_not_a_size_a_score_or_a_setting() -> None:
    for value in (
        r"\(L=12, H=768, A=12\). 전체 parameter 수: 110M",
        "약 5000장 / 1GB",
        r"label smoothing of value \(\epsilon = 0.1\)",
        "new state of the art BLEU 28.4",
    ):
        assert not shapes.describes(value), value
    assert shapes.describes("a protocol for reliable delivery")


def test_a_term_the_heading_already_asks_about_gets_no_second_card(tmp_path: Path) -> None:
    filler = "It stores files as blocks spread over many machines, each block copied three times. " * 5
    found = _notes(
        f"## What is HDFS?\n\nHDFS stands for Hadoop Distributed File System.\n\n{filler}\n", tmp_path
    )
    assert [(n.kind, render.text(n.front)) for n in found.notes] == [("question", "What is HDFS?")]
    # A longer word that holds the term is another term: "관형사절?" does not ask what 관형사 is.
    assert prose_definitions._asked_by("관형사절?", "관형사절")
    assert not prose_definitions._asked_by("관형사절?", "관형사")


def test_a_survey_names_its_papers_without_ordinals_or_quotes(tmp_path: Path) -> None:
    text = (
        "## Methods\n\n"
        "우선 [Denoising Autoencoder](https://arxiv.org/abs/1000.00001) 는 유명한 방식이며 입력 이미지에 "
        "노이즈를 주고 원래 이미지를 복원하도록 학습하는 방법으로, 복원 과정에서 유용한 표현을 배운다.\n\n"
        "다음은 [”Colorful Image Colorization”](https://arxiv.org/abs/1000.00002) 으로 흑백 이미지에서 "
        "예측하도록 학습하며, 색을 맞히는 과정에서 물체의 의미를 배우게 되는 self-supervised 방법이다.\n"
    )
    titles = [render.text(n.front) for n in _notes(text, tmp_path).notes if n.kind == "paper"]
    assert titles == [
        "「Denoising Autoencoder」 논문의 핵심 내용은?",
        "「Colorful Image Colorization」 논문의 핵심 내용은?",
    ]


def test_a_reading_list_is_no_papers_summary(tmp_path: Path) -> None:
    text = (
        "---\ntitle: Papers I read\ncategories: [paper]\n---\n"
        "* [Generative Adversarial Nets, Goodfellow et al., 2014](https://arxiv.org/abs/1406.2661)\n"
        "* [Densely Connected Convolutional Networks, Huang et al.](https://arxiv.org/abs/1608.06993)\n"
        "* [Batch Normalization, Ioffe and Szegedy, 2015](https://arxiv.org/abs/1502.03167) (read twice)\n"
    )
    assert [n for n in _notes(text, tmp_path).notes if n.kind == "paper"] == []


def test_what_a_colon_announces_stays_in_the_answer(tmp_path: Path) -> None:
    text = (
        "## Models\n\n"
        "[Transformer-XL](https://arxiv.org/abs/1901.02860) solves the context segmentation problem "
        "of fixed-length training with two main modifications:\n\n"
        "- Reusing hidden states between segments.\n- A relative positional encoding for reused states.\n"
    )
    (paper,) = [n for n in _notes(text, tmp_path).notes if n.kind == "paper"]
    assert "Reusing hidden states" in render.text(paper.back)


def test_an_appendix_section_is_not_a_term() -> None:
    assert not shapes.is_term("Section A")
    assert not shapes.is_term("Appendix B")
    assert shapes.is_term("Selective search")


def test_a_list_of_names_and_a_numbered_case_are_not_definitions() -> None:
    assert not shapes.describes("IMAGENET, CIFAR10, LSUN-BEDROOM, CELEBA-HQ")
    assert shapes.describes("a set of images, labelled by hand")
    for label in ("시나리오1", "Scenario 2", "sixth step", "Case B"):
        assert not shapes.is_term(label), label


def test_a_review_with_numbered_translated_headings_and_link_lines_is_carded_from_its_abstract(
    tmp_path: Path,
) -> None:
    text = (
        "---\ntitle: GPT-2 - Language Models are Unsupervised Multitask Learners(GPT2 논문 설명)\n"
        "tags: [Paper_Review]\n---\n\n"
        "# GPT-2 - Language Models are Unsupervised Multitask Learners\n\n"
        "논문 링크: **[GPT-2 - Language Models are Unsupervised Multitask Learners]"
        "(https://arxiv.org/abs/1900.00002)**\n\n"
        "홈페이지: **[OpenAI](https://openai.com/blog/x/)**\n\n"
        "Tensorflow code: **[Official Code](https://github.com/openai/gpt-2)**\n\n"
        "데이터셋, 코드 및 모델: [Project webpage](https://example.org/gpt2)\n\n"
        "## 초록(Abstract)\n\n"
        "언어모델이 지도학습 없이 여러 과제를 풀 수 있음을 보인다. "
        "이 논문은 WebText로 학습한 큰 모델을 제안한다.\n\n"
        "## 2. 접근법(Approach)\n\n핵심은 언어 모델링을 여러 과제의 조건부 확률로 보는 것이다.\n"
    )
    notes = _notes(text, tmp_path).notes
    kinds = [(n.kind, render.text(n.front)) for n in notes]
    assert kinds[0] == (
        "paper",
        "「GPT-2 - Language Models are Unsupervised Multitask Learners」 논문의 핵심 내용은?",
    )
    answer = render.text(notes[0].back)
    assert "홈페이지" not in answer and "webpage" not in answer and "WebText" in answer
    assert (
        "paper-part",
        "「GPT-2 - Language Models are Unsupervised Multitask Learners」 논문의 접근법은?",
    ) in kinds


def test_link_lines_are_left_out_of_a_papers_summary(tmp_path: Path) -> None:
    text = (
        '---\ntitle: "[Paper Review] HowTo100M"\n---\n\n'
        "[paper](https://arxiv.org/abs/1906.03327)\n\n## Abstract\n\n"
        "Tensorflow code: **[Official Code](https://github.com/x/y)**\n\n"
        "데이터셋, 코드 및 모델: [Project webpage](https://example.org/howto)\n\n"
        "A text-video embedding learned from a hundred million narrated clips, with no manual labels.\n"
    )
    (paper,) = [n for n in _notes(text, tmp_path).notes if n.kind == "paper"]
    assert (
        render.text(paper.back)
        == "A text-video embedding learned from a hundred million narrated clips, with no manual labels."
    )


def test_a_reference_alone_is_no_summary_and_a_step_is_no_term(tmp_path: Path) -> None:
    text = (
        '---\ntitle: "Twin neural network regression is a semi-supervised regression algorithm"\n---\n'
        '<b>Wetzel, Sebastian J., Roger G. Melko, and Isaac Tamblyn. "Twin neural network regression is a '
        'semi-supervised regression algorithm." Machine Learning: Science and Technology 3.4 (2022).</b>\n\n'
        "$$F(x_1, x_2) = y_1 - y_2$$\n"
    )
    assert [n for n in _notes(text, tmp_path).notes if n.kind == "paper"] == []
    linked = "## Papers\n\n[Twin networks](https://arxiv.org/abs/2012.14873)\n\n$$F(x_1, x_2) = y_1 - y_2$$\n"
    assert [n for n in _notes(linked, tmp_path).notes if n.kind == "paper"] == []  # a formula alone
    assert not shapes.is_term("입력값을 원래 shape으로 변경합니다.")
    assert shapes.is_term("읽게 하다")


def test_an_explainer_defines_its_titles_subject_in_plain_prose(tmp_path: Path) -> None:
    text = (
        "---\ntitle: Markov Chain Monte Carlo\n---\n\n"
        "Markov Chain Monte Carlo is a powerful method with which we can estimate intractable posteriors. "
        "It is one of the most important tools.\n\n"
        "The sampler is a loop that we run many times.\n"
    )
    fronts = [render.text(n.front) for n in _notes(text, tmp_path).notes]
    assert fronts == ["What is Markov Chain Monte Carlo?"]  # not "the sampler": the title does not name it


def test_a_what_is_heading_is_answered_by_the_sentence_that_says_what_it_is(tmp_path: Path) -> None:
    text = (
        "## What is an inception module?\n\n"
        "“Going deeper” was the motto of 2014.\n\n"
        "In CNNs a large part of the work is to choose the right layer among 1x1, 3x3 and 5x5 filters. "
        "An inception module is a block that applies all of them in parallel and concatenates the results. "
        "It was introduced by GoogLeNet.\n\n"
        "## Why does BatchNorm work?\n\n“Smooth is fast.”\n\n"
        "그렇다면 왜 BatchNorm이 효과적일까? 결론부터 말하면, 손실 함수의 표면을 매끄럽게 만들기 때문이다.\n"
    )
    notes = {render.text(n.front): render.text(n.back) for n in _notes(text, tmp_path).notes}
    assert notes["What is an inception module?"].startswith("An inception module is a block")
    assert notes["Why does BatchNorm work?"].startswith("결론부터 말하면")


def test_narration_opening_a_list_item_is_left_out_of_a_summary(tmp_path: Path) -> None:
    text = (
        "## How does DML work?\n\n"
        "- 이 절에선 DML이 왜 효과가 있는지 설명한다. 여러 모델이 서로를 배우면 넓은 최소점을 찾는다.\n"
    )
    (note,) = _notes(text, tmp_path).notes
    assert render.text(note.back).startswith("여러 모델이")


def test_reading_lists_open_questions_and_matrix_rows_make_no_cloze(tmp_path: Path) -> None:
    for text in (
        "## More\n\nGreat learning resources include:\n\n- Andrew Ng's course\n- The deep learning book\n",
        "## Next\n\nGood questions to ask now include:\n\n- What other costs exist?\n- How is it computed?\n",
        "## CMA-ES\n\nThe update is:\n\n- & b_1 & - \\\\\n- & b_2 & - \\\\\n",
    ):
        assert [n for n in _notes(text, tmp_path).notes if n.kind == "list"] == [], text
    tpu = (
        "## TPU\n\nTPUs are made of several computational resources:\n\n- a matrix unit\n- a unified buffer\n"
    )
    assert [n.kind for n in _notes(tpu, tmp_path).notes] == ["list"]


def test_a_question_that_is_a_papers_title_is_still_a_paper(tmp_path: Path) -> None:
    text = (
        "## Do Better ImageNet Models Transfer Better?\n\n[paper](https://arxiv.org/abs/1805.08974)\n\n"
        "Models that score better on ImageNet also transfer better to twelve other datasets.\n\n"
        "## What is Normalizing Flows?\n\n[paper](https://arxiv.org/abs/1505.05770)\n\n"
        "A normalizing flow transforms a simple density into a complex one through invertible maps.\n"
    )
    kinds = [(n.kind, render.text(n.front)) for n in _notes(text, tmp_path).notes]
    assert ("paper", "What is the paper “Do Better ImageNet Models Transfer Better?” about?") in kinds
    assert ("question", "What is Normalizing Flows?") in kinds
    assert not any("Normalizing" in front for kind, front in kinds if kind == "paper")


def test_a_papers_introduction_in_a_list_of_papers_is_kept_only_when_it_is_all(tmp_path: Path) -> None:
    from flashgen.extract import common

    assert (
        common._without_narration("다음 소개드릴 논문은 2017년 CVPR의 ResNext입니다. 그룹 합성곱을 쓴다.")
        == "그룹 합성곱을 쓴다."
    )
    assert (
        common._without_narration("다음 소개드릴 논문은 ResNext입니다.")
        == "다음 소개드릴 논문은 ResNext입니다."
    )
    assert not shapes.describes("\\[(1-0.8085)(1-B)X_t = Z_t\\]")


def test_a_list_of_quoted_references_is_a_bibliography(tmp_path: Path) -> None:
    text = (
        "### Transfer Learning in various domain\n"
        "- “Comparison of deep transfer learning strategies for digital pathology”, 2018 CVPRW\n"
        "- “Faster r cnn : Towards real time object detection with region proposal networks”, 2015 NIPS\n"
        "- “R fcn : Object detection via region based fully convolutional networks”, 2016 NIPS\n"
        "- Deeplab : Semantic image segmentation with deep convolutional nets ”, 2017 TPAMI\n"
    )
    assert _notes(text, tmp_path).notes == ()


def test_bold_labels_answer_an_announced_list_and_plural_terms_are_asked_as_plural(tmp_path: Path) -> None:
    text = (
        "## Spark\n\nThere are 2 types of Spark RDD operations:\n\n"
        "- **Actions** are operations that return values (collect, count, take).\n"
        "- **Transformations** are operations that can be chained on a dataset (filter, map, union).\n"
    )
    notes = {render.text(n.front): render.text(n.back) for n in _notes(text, tmp_path).notes}
    assert notes["There are 2 types of Spark RDD operations:"] == "Actions Transformations"
    # "Actions" alone could be anyone's: asked in the subject its heading names (issue 22).
    assert notes["In Spark, what are Actions?"].startswith("Actions are operations")


def test_a_term_named_inside_its_description_becomes_a_cloze(tmp_path: Path) -> None:
    text = (
        "## Pretraining\n\n"
        "ELMo learned language from being trained to predict the next word in a sequence of words, "
        "a task called *Language Modeling*.\n\n"
        "심층구조에서 표면구조를 유도할 때 쓰인 규칙을 '변형규칙'이라 합니다.\n\n"
        "This is called **skipgram**.\n"
    )
    fronts = [n.front for n in _notes(text, tmp_path).notes if n.cloze]
    assert len(fronts) == 2
    assert "a task called {{c1::<em>Language Modeling</em>}}." in fronts[0]
    assert "{{c1::'변형규칙'}}" in fronts[1] or "{{c1::‘변형규칙’}}" in fronts[1]


def test_a_question_answered_only_at_length_makes_no_question_card(tmp_path: Path) -> None:
    derivation = "We start from the value function and expand it step by step. " * 6
    text = (
        f"## Why does the critic converge?\n\n{derivation}\n\n"
        "## Why use a heap?\n\nA heap gives the smallest item in constant time.\n"
    )
    found = _notes(text, tmp_path)
    assert [render.text(n.front) for n in found.notes] == ["Why use a heap?"]
    assert any("only at length" in message for _, message in found.notices)


def test_a_question_heading_with_a_papers_link_is_the_paper_not_a_question(tmp_path: Path) -> None:
    text = (
        "## Do Better ImageNet Models Transfer Better?\n\n[paper](https://arxiv.org/abs/1805.08974)\n\n"
        "Better ImageNet models transfer better to twelve other datasets.\n"
    )
    assert [n.kind for n in _notes(text, tmp_path).notes] == ["paper"]


def test_lead_ins_that_only_point_give_way_to_the_heading() -> None:
    for vague in ("In particular:", "We perform two steps:", "Inside, we see that:", "For example, if:"):
        assert shapes.lead_in(vague) is None, vague
    for named in ("We can build a distribution of MDPs by modifying:", "Reformer proposed two main changes:"):
        assert shapes.lead_in(named) is not None, named


def test_advantages_are_asked_of_what_they_belong_to(tmp_path: Path) -> None:
    text = "## Soft attention\n\n- 장점 : 미분 가능해서 역전파로 학습된다\n- 단점 : 계산이 많이 필요하다\n"
    fronts = [render.text(n.front) for n in _notes(text, tmp_path).notes if n.kind == "definition"]
    assert fronts == ["Soft attention에서 장점은 무엇인가?", "Soft attention에서 단점은 무엇인가?"]


def test_an_action_a_pair_or_an_example_of_a_change_is_no_definition() -> None:
    for term in ("명령을 권유로 바꿈", "해체와 해라체"):
        assert not shapes.is_term(term), term
    assert not shapes.describes("여기 앉으십시오. > 여기 앉으시지요.")
    assert shapes.describes("add a power scaling parameter \\(\\alpha > 0\\) to the weights")


def test_a_deployment_guide_makes_no_card_and_a_headings_dash_is_not_its_name(tmp_path: Path) -> None:
    deploy = _notes(
        "---\ntitle: Django 앱 AWS 배포하기\n---\n\n## EC2\n\n- 인스턴스 : 우분투 서버를 만든다\n", tmp_path
    )
    assert deploy.notes == ()
    dashed = _notes(
        "#### - Supervised Anomaly Detection\n\n- 장점 : 정확도가 높다\n- 단점 : 라벨이 필요하다\n", tmp_path
    )
    assert render.text(dashed.notes[0].front) == "Supervised Anomaly Detection에서 장점은 무엇인가?"


def test_a_legend_of_a_formulas_symbols_makes_no_card(tmp_path: Path) -> None:
    text = "## Depthwise convolution\n\n- \\(D_F\\): 입력 map의 너비\n- \\(D_K\\): kernel 크기\n"
    found = _notes(text, tmp_path)
    assert found.notes == ()
    assert any("legend" in message for _, message in found.notices)
    conditions = (
        "## Stationarity\n\n\\(X_t\\) is stationary if:\n\n- \\(\\mu_X(t)\\) is independent of t\n"
        "- \\(\\gamma_X\\) is too\n"
    )
    assert [n.kind for n in _notes(conditions, tmp_path).notes] == ["list"]


def test_a_long_overview_starts_at_what_the_paper_proposes(tmp_path: Path) -> None:
    background = "Recurrent networks read a sentence one word at a time, which is slow to train. " * 5
    text = (
        '---\ntitle: "[Paper Review] Attention"\ntags: [paper]\n---\n\n[paper](https://arxiv.org/abs/1706.03762)\n\n'
        f"## Abstract\n\n{background}\n\nWe propose the Transformer, which relies on attention alone.\n"
    )
    settings = Settings(limits=Limits(max_answer_chars=200))
    (paper,) = [n for n in _notes(text, tmp_path, settings).notes if n.kind == "paper"]
    assert render.text(paper.back).startswith("We propose the Transformer")


def test_a_tutorial_that_cites_a_paper_is_not_a_review_of_it(tmp_path: Path) -> None:
    text = (
        "---\ntitle: A guide to Inception Model in Keras\ntags: [paper, review]\n---\n\n"
        "## Abstract\n\nInception is a deep convolutional architecture introduced in 2014 by Google.\n\n"
        "## Method\n\nIt applies filters of several sizes in parallel and concatenates their outputs.\n"
    )
    assert not [n for n in _notes(text, tmp_path).notes if n.kind in ("paper", "paper-part")]


def test_a_legend_nested_under_a_point_makes_no_card(tmp_path: Path) -> None:
    text = (
        "## Output size\n\n- 각각 기호를 아래와 같이 정의\n  - $O$: Size of output image\n"
        "  - $I$: Size of input image\n  - $K$: Size of kernels\n"
    )
    found = _notes(text, tmp_path)
    assert [n for n in found.notes if n.kind in ("list", "children")] == []
    assert any("legend" in message for _, message in found.notices)


def test_the_bullets_of_a_code_walkthrough_make_no_card_but_its_prose_may(tmp_path: Path) -> None:
    code = "```c\ntypedef struct { int xpos; } Point;\n" + "Point *p = LRemove(&list);\n" * 14 + "```\n"
    text = (
        "## 리스트에 구조체를 저장하는 단계\n\n"
        "재귀함수란 자기 자신을 반복적으로 호출하는 함수입니다.\n\n"
        f"{code}\n- Point 구조체를 정의\n- ADT를 Point.h에 정의\n\n{code}\n"
        "- 저장된 데이터 삭제\n  - xpos가 2인 데이터 삭제\n  - LRemove 함수가 주솟값을 반환\n\n"
        "The two kinds of lists are:\n\n- Lists backed by an array\n- Lists linked by pointers\n"
    )
    found = _notes(text, tmp_path)
    assert sorted(n.kind for n in found.notes) == ["definition", "list"]
    assert "two kinds of lists" in render.text(next(n for n in found.notes if n.kind == "list").front)
    assert sum("code walkthrough" in message for _, message in found.notices) == 2
    # One code block among notes is an illustration, not a walkthrough.
    one = text.replace(code, "", 1)
    assert len([n for n in _notes(one, tmp_path).notes if n.kind in ("list", "children")]) == 3


def test_a_quoted_variable_of_the_code_is_no_term() -> None:
    assert prose_definitions._term("'gradient_fn'") is None
    assert prose_definitions._term("'theta'") is None
    assert prose_definitions._term("'건너풀기'") == "'건너풀기'"


def test_a_list_of_links_makes_no_card(tmp_path: Path) -> None:
    text = (
        "## microgpt\n\nWhere to find it:\n\n- Source code: [microgpt.py](https://gist.github.com/k/1)\n"
        "- Notebook: [Google Colab notebook](https://colab.research.google.com/drive/1)\n"
        "- Web page: https://karpathy.ai/microgpt.html\n"
    )
    found = _notes(text, tmp_path)
    assert found.notes == ()
    assert any("links" in message for _, message in found.notices)
    cited = (
        "## Exploration\n\nThe classic strategies are:\n\n"
        "- [Epsilon-greedy](https://en.wikipedia.org/wiki/Greedy): the agent explores at random at times\n"
        "- [Boltzmann exploration](https://en.wikipedia.org/wiki/Softmax): actions are drawn from a softmax\n"
    )
    assert any(n.kind == "list" for n in _notes(cited, tmp_path).notes)


@pytest.mark.parametrize(
    "lead_in",
    [
        "For example, to find 3 in the array:",
        "Baseline 실험 셋팅은 다음과 같습니다.",
        "When a model processes this sentence, it has to know that:",
        "본 글에서는 AlexNet을 이용하여 아래의 내용을 알아본다.",
        "The content covered in this article is as follows:",
    ],
)
def test_a_worked_example_an_experiments_settings_or_the_posts_outline_make_no_list_card(
    lead_in: str, tmp_path: Path
) -> None:
    body = "- 배열 인덱스의 시작과 끝을 본다\n- 두 값을 더해 2로 나눈다\n- 가운데 값을 비교한다\n"
    found = _notes(f"## Binary search\n\n{lead_in}\n\n{body}", tmp_path)
    assert [n for n in found.notes if n.kind == "list"] == []
    nested = _notes(f"## Binary search\n\n- {lead_in}\n" + body.replace("- ", "  - "), tmp_path)
    assert [n for n in nested.notes if n.kind == "children"] == []
    taught = _notes(f"## Binary search\n\nThe steps of a binary search are:\n\n{body}", tmp_path)
    assert [n.kind for n in taught.notes] == ["list"]


def test_a_bulleted_list_under_a_heading_that_names_only_a_topic_makes_no_cloze(tmp_path: Path) -> None:
    bullets = "- Drop the rows that have gaps\n- Drop the columns with gaps\n- Fill the gaps by imputation\n"
    topic = _notes(f"## Missing Values\n\n{bullets}", tmp_path)
    assert [n for n in topic.notes if n.kind == "list"] == []
    for heading in ("Ways to handle missing values", "CNN의 특징", "How do we handle missing values?"):
        named = _notes(f"## {heading}\n\n{bullets}", tmp_path)
        assert "list" in [n.kind for n in named.notes], heading
    # A numbered list under a topic is a talk's or a lecture's outline: still asked for.
    numbered = bullets.replace("- ", "1. ")
    assert [n.kind for n in _notes(f"## Missing Values\n\n{numbered}", tmp_path).notes] == ["list"]


def test_a_name_given_to_this_or_that_is_asked_with_the_sentence_it_points_back_to(tmp_path: Path) -> None:
    text = (
        "## Deadly triad\n\nOff-policy learning, function approximation and bootstrapping together make "
        "training unstable. This issue is known as the *deadly triad* in reinforcement learning.\n"
    )
    (note,) = _notes(text, tmp_path).notes
    assert render.text(note.front).startswith("Off-policy learning, function approximation")
    alone = "## Deadly triad\n\nThis issue is known as the *deadly triad* in reinforcement learning, sadly.\n"
    assert _notes(alone, tmp_path).notes == ()


def test_a_step_or_a_label_is_no_term_and_an_adjective_is_asked_in_its_context(tmp_path: Path) -> None:
    steps = "## Red teaming\n\n- Build it: a BERT model learns to spot toxic text\n- Repeat: redeploy it\n"
    assert [n for n in _notes(steps, tmp_path).notes if n.kind == "definition"] == []
    labels = "## Assumptions\n\n- H1: Smoothness assumptions say close samples share a label\n"
    assert [n for n in _notes(labels, tmp_path).notes if n.kind == "definition"] == []
    api_terms = "## Spark\n\n- collect() : returns the entire RDD's content to the driver program\n"
    assert [n.kind for n in _notes(api_terms, tmp_path).notes] == ["definition"]
    kinds = "## Policy\n\n- Deterministic: maps a state to an action\n- Stochastic: gives actions a chance\n"
    fronts = [render.text(n.front) for n in _notes(kinds, tmp_path).notes if n.kind == "definition"]
    assert fronts == ["In Policy, what is Deterministic?", "In Policy, what is Stochastic?"]


def test_an_adverb_or_an_adjectives_stem_is_not_a_term() -> None:
    assert prose_definitions._term("낮") is None  # 낮은 에너지는 …
    assert prose_definitions._term("좌측 하단의 파") is None  # 파란 밑줄은 …
    assert prose_definitions._term("조금 더 구체적으로") is None
    assert prose_definitions._term("반면 비제차 미분방정식") == "비제차 미분방정식"
    assert prose_definitions._term("경로") == "경로"


def test_a_label_item_or_an_ellipsis_is_not_asked_for_in_a_cloze(tmp_path: Path) -> None:
    text = "## 정렬 알고리즘의 종류\n\n- 거품 정렬\n- 퀵 정렬\n- 코드\n- ...\n"
    (note,) = _notes(text, tmp_path).notes
    assert "{{c3::" not in note.front and "코드" not in note.front
    two = "## Cells can be two types\n\n- Markdown\n- Code\n"
    (note,) = _notes(two, tmp_path).notes
    assert "{{c2::Code}}" in note.front


def test_a_list_of_methods_with_their_venues_is_a_catalogue(tmp_path: Path) -> None:
    text = "## MMDet\n\nSupported methods:\n\n- RPN (NeurIPS'2015)\n- FCOS (ICCV'2019)\n- DETR (ECCV'20)\n"
    found = _notes(text, tmp_path)
    assert found.notes == ()
    assert any("catalogue" in message for _, message in found.notices)


def test_a_byline_an_affiliation_or_a_pointer_elsewhere_is_not_a_papers_summary(tmp_path: Path) -> None:
    text = (
        "---\ntitle: BART 논문 설명\ntags: [paper]\n---\n\n"
        "## BART: Denoising Sequence-to-Sequence Pre-training\n\n"
        "논문 링크: [BART](https://arxiv.org/abs/1910.13461)\n\n"
        "- Facebook AI Research\n- Mike Lewis, Yinhan Liu, Naman Goyal et al.\n\n"
        "[논문 원본](https://arxiv.org/abs/1910.13461)을 직접 읽어보는 것을 권한다. "
        "코드는 Github에 올려두었으니 참고해도 좋을 것이다.\n\n"
        "seq-to-seq 모델을 사전학습시키기 위한 denoising autoencoder인 BART를 제안한다.\n"
    )
    (paper,) = [n for n in _notes(text, tmp_path).notes if n.kind == "paper"]
    assert render.text(paper.back).startswith("seq-to-seq 모델을 사전학습시키기 위한")


def test_a_paper_cited_by_its_authors_is_asked_by_the_name_it_gives_its_method(tmp_path: Path) -> None:
    def title(paragraph: str) -> str:
        (note,) = _notes(f"## Active learning\n\n{paragraph}\n", tmp_path).notes
        return render.text(note.front)

    named = (
        "[Sinha et al. (2019)](https://arxiv.org/abs/1904.00370) proposed a GAN-like setup, named VAAL "
        "(Variational Adversarial Active Learning), where a discriminator tells labeled from unlabeled data."
    )
    assert title(named) == "What is the paper “VAAL (Sinha et al. 2019)” about?"
    lead = (
        "The idea of Variational Autoencoder ([Kingma & Welling, 2014](https://arxiv.org/abs/1312.6114)) "
        "is actually less similar to all the autoencoder models above, but deeply rooted in graphical models."
    )
    assert title(lead) == "What is the paper “Variational Autoencoder (Kingma & Welling, 2014)” about?"


def test_an_exercise_makes_no_card_and_a_placeholder_answers_nothing(tmp_path: Path) -> None:
    exercise = "## Poisson\n\nFind the following probabilities.\n\n- No claims\n- At most 3 claims\n"
    assert _notes(exercise, tmp_path).notes == ()
    todo = "## 칼만 필터란?\n\n소개 필요\n"
    found = _notes(todo, tmp_path)
    assert found.notes == ()
    assert any("placeholder" in message for _, message in found.notices)


def test_a_sentence_that_only_says_where_to_look_is_left_out_of_a_summary() -> None:
    from flashgen.extract import common

    said = "BART는 denoising autoencoder다. 코드는 Github에 올려두었으니 참고해도 좋을 것이다."
    assert common._without_narration(said) == said  # a pointer after the point stays with it
    assert common._without_narration("코드는 Github에 올려두었으니 참고해도 좋을 것이다.") == ""
    first = "자세한 구현은 Github에서 확인할 수 있습니다. BART는 denoising autoencoder다."
    assert common._without_narration(first) == "BART는 denoising autoencoder다."


def test_a_sentence_that_recaps_points_at_a_formula_or_says_how_hard_it_is_defines_nothing(
    tmp_path: Path,
) -> None:
    for sentence in (
        "지금까지 우리는 벡터란 무엇인지에 대해 알아보고, 행렬과 벡터의 곱에 대해 알아보았다.",
        "제차 미분방정식이란 우리가 본 식 중 식 (6)에 해당한다.",
        "진폭이란 크게 어려운 개념이 아니다.",
    ):
        assert _notes(f"## 복습\n\n{sentence}\n", tmp_path).notes == (), sentence
    summed = "## 벡터\n\n짧게 요약하자면 벡터란 상수배와 덧셈 규칙이 정의되는 원소들이다.\n"
    (note,) = _notes(summed, tmp_path).notes
    assert render.text(note.front).startswith("벡터는 무엇인가?")
    assert not shapes.is_term("In RL") and not shapes.is_term("taking the complete history")
    assert shapes.is_term("OR") and shapes.is_term("AND")


def test_a_lead_in_that_names_nothing_takes_the_name_set_in_bold_just_before_it(tmp_path: Path) -> None:
    text = (
        "## Guided by data\n\nNetwork-driven domain randomization, also known as **DeceptionNet**, learns "
        "which randomizations are useful.\n\nThe training involves two steps:\n\n"
        "1. Fix the recognition network\n2. Fix the deception modules\n"
    )
    (note,) = [n for n in _notes(text, tmp_path).notes if n.kind == "list"]
    assert render.text(note.front).startswith("DeceptionNet: The training involves two steps:")
    plain = text.replace("**DeceptionNet**", "**deception networks**")
    (note,) = [n for n in _notes(plain, tmp_path).notes if n.kind == "list"]
    assert render.text(note.front).startswith("The training involves two steps:")
