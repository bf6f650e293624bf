"""Issue 22: cards that say what they ask about, made from more of what a post teaches. One
mechanism a test; each fails with its mechanism switched off."""

from __future__ import annotations

import base64
import textwrap
from pathlib import Path

from flashgen import api
from flashgen.extract import Settings, extract_notes, shapes
from flashgen.extract.papers import named_title
from flashgen.read import config, render
from flashgen.read.posts import read_post
from flashgen.read.sections import split_sections
from tests.conftest import import_package, write_deck

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def _extract(text: str, tmp_path: Path, settings: Settings | None = None, title: str = "Notes"):
    path = tmp_path / "2024-01-01-post.md"
    path.write_text(f"---\ntitle: {title!r}\n---\n" + textwrap.dedent(text), encoding="utf-8")
    post = read_post(path, tmp_path)
    return extract_notes(post, split_sections(post), settings)


def _cards(text: str, tmp_path: Path, **kwargs) -> dict[str, str]:
    return {render.text(n.front): render.text(n.back) for n in _extract(text, tmp_path, **kwargs).notes}


# ── images ──


def test_a_figure_after_a_question_headings_answer_reaches_anki(tmp_path: Path, collection) -> None:
    blog = tmp_path / "blog"
    (blog / "_posts").mkdir(parents=True)
    (blog / "assets").mkdir()
    (blog / "assets" / "harbour.png").write_bytes(PNG)
    (blog / "_config.yml").write_text("title: Trips\n", encoding="utf-8")
    (blog / "_posts" / "2024-01-01-photos.md").write_text(
        "---\ntitle: Photos of the trip\n---\n## What does photo 1 show?\n\n"
        "The harbour at dawn, with the fishing fleet leaving.\n\n![photo](/assets/harbour.png)\n",
        encoding="utf-8",
    )
    result = api.build([blog / "_posts"], deck_name="Trips")
    (deck,) = result.decks
    (note,) = deck.notes
    assert render.text(note.back) == "The harbour at dawn, with the fishing fleet leaving."
    assert "<img" in note.extra  # the figure has no words to answer with: it is shown in Extra
    (name,) = {name for name, _ in deck.media}
    import_package(collection, write_deck(deck, tmp_path / "decks"))
    (note_id,) = collection.find_notes("")
    assert any(name in field for field in collection.get_note(note_id).fields)
    assert (Path(collection.media.dir()) / name).read_bytes() == PNG


# ── lists ──


def test_a_list_cut_by_a_display_formula_at_the_margin_is_one_list(tmp_path: Path) -> None:
    cards = _cards(
        """\
        ## Kinds of boats

        The kinds of boats in the harbour are:

        - trawlers
        - ferries

        $$ x = y $$

        - yachts
        """,
        tmp_path,
    )
    assert "The kinds of boats in the harbour are: {{c1::trawlers}} {{c2::ferries}} {{c3::yachts}}" in cards


def test_a_korean_lead_in_that_names_nothing_takes_its_heading(tmp_path: Path) -> None:
    cards = _cards(
        """\
        ## 협업 필터링

        하지만 몇 가지 제약이 있어 바로 쓰지는 못한다.

        - 콜드 스타트
        - 희소성
        - 확장성
        """,
        tmp_path,
    )
    prompt = "협업 필터링: 하지만 몇 가지 제약이 있어 바로 쓰지는 못한다."
    assert f"{prompt} {{{{c1::콜드 스타트}}}} {{{{c2::희소성}}}} {{{{c3::확장성}}}}" in cards


def test_a_point_with_one_sub_point_is_asked_only_when_it_names_something(tmp_path: Path) -> None:
    notes = _extract(
        """\
        ## Steps

        1. Define problems
           - Write down what the model must predict.
        2. 테스트 후 제출 버튼 누르기
           - 사이트맵 주소를 넣는다
        3. Idempotence
           - Running a job twice gives the same result.
        """,
        tmp_path,
    )
    fronts = [render.text(n.front) for n in notes.notes if n.kind == "children"]
    assert fronts == ["Idempotence — what does it say?"]
    assert any("headed by a step" in message for _, message in notes.notices)


# ── papers ──


def test_link_words_are_never_a_papers_title() -> None:
    for words in ("Link to the paper", "이 곳", "논문 링크", "[PDF]", "Read the paper here"):
        assert named_title(words) == "", words
    assert named_title("Attention Is All You Need") == "Attention Is All You Need"


def test_a_review_post_is_named_without_its_review_label_and_asked_once(tmp_path: Path) -> None:
    notes = _extract(
        """\
        * The paper introduces BERT, a Transformer encoder pre-trained with masked language modelling.
        * Fine-tuning adds one output layer per task.
        * [이 곳](https://arxiv.org/abs/1810.04805)

        ### Masked LM

        * 15% of the tokens are chosen; 80% of those become the mask token.
        """,
        tmp_path,
        title="BERT paper review",
    )
    papers = [render.text(n.front) for n in notes.notes if n.kind == "paper"]
    assert papers == ["What is the paper “BERT” about?"]


def test_where_to_look_and_credit_lines_are_no_summary(tmp_path: Path) -> None:
    notes = _extract(
        """\
        ## Method

        상세한 내용은 논문 원본을 참고하길 바라며, 본 글에서는 핵심만 정리한다.

        ## Results

        실험 결과에 대해서는 논문 원본을 참조하길 바란다.
        """,
        tmp_path,
        title="[논문 리뷰] GAT",
    )
    assert [n for n in notes.notes if n.kind in ("paper", "paper-part")] == []


# ── definitions ──


def test_definitions_in_more_forms(tmp_path: Path) -> None:
    cards = _cards(
        """\
        ## Penalties

        **Ridge** adds an L2 penalty on the weights to the least-squares loss.

        Elastic net means a mix of the L1 and L2 penalties, weighted by a ratio.

        A kernel is defined as a function that computes an inner product in a feature space.

        Dropout is a regularisation technique that randomly zeroes activations during training.

        드롭아웃은 학습 중에 뉴런의 일부를 무작위로 꺼서 과적합을 줄이는 기법이다.

        ggplot2 is a great plotting library that I use for nearly everything I draw.
        """,
        tmp_path,
        title="Regularised regression",
    )
    assert cards["What is Ridge?"].startswith("Ridge adds an L2 penalty")
    assert cards["What is Elastic net?"].startswith("Elastic net means")
    assert cards["What is a kernel?"].startswith("A kernel is defined as")
    assert cards["What is Dropout?"].startswith("Dropout is a regularisation technique")
    assert cards["드롭아웃은 무엇인가?"].startswith("드롭아웃은 학습 중에")
    assert not any("ggplot2" in front for front in cards)  # praise and the writer's habits


def test_a_term_that_cannot_stand_alone_is_asked_in_its_subject_or_not_at_all(tmp_path: Path) -> None:
    text = """\
        ## Meta-RL

        - Reward: the signal the agent maximises over a whole trial.
        - Horizon: how many steps a trial lasts.
        """
    cards = _cards(text, tmp_path, title="Notes")
    assert "In Meta-RL, what is Reward?" in cards
    # A word that names a concept of its own is asked in the name above it too (issue 22, session 6).
    assert "In Meta-RL, what is Horizon?" in cards
    vague = """\
        ## Overview

        Reward refers to the signal the agent maximises over a whole trial of many episodes.
        """
    notes = _extract(vague, tmp_path, title="Week 3")
    assert [n for n in notes.notes if n.kind == "definition"] == []
    assert any("cannot stand alone" in message for _, message in notes.notices)
    opted = _extract(vague, tmp_path, settings=Settings(vague_terms=True), title="Week 3")
    assert [render.text(n.front) for n in opted.notes] == ["What is Reward?"]


def test_vague_terms_is_a_setting(tmp_path: Path) -> None:
    (tmp_path / "flashgen.toml").write_text("vague_terms = true\n", encoding="utf-8")
    assert config.load(tmp_path / "flashgen.toml").settings.vague_terms is True
    (tmp_path / "flashgen.toml").write_text('vague_terms = "yes"\n', encoding="utf-8")
    try:
        config.load(tmp_path / "flashgen.toml")
    except config.ConfigError as error:
        assert "vague_terms" in str(error)
    else:
        raise AssertionError("a vague_terms that is not true or false must be refused")


def test_a_shortcut_or_two_equal_values_is_no_definition() -> None:
    for value in ("Shift + Enter", "Ctrl+C", "이진수 101 = 십진수 5", "True이다."):
        assert shapes.is_value(value), value
    assert not shapes.is_value("a lossless audio format")


# ── clozes ──


def test_a_cloze_that_shows_what_it_hides_is_no_card_and_a_heading_naming_it_leaves_the_cue(
    tmp_path: Path,
) -> None:
    notes = _extract(
        """\
        ## Mode collapse

        During training the generator may collapse to a setting where it always produces the same
        outputs, a failure commonly referred to as **mode collapse**.
        """,
        tmp_path,
        title="From GAN to WGAN",
    )
    (cloze,) = [n for n in notes.notes if n.cloze]
    assert "mode collapse" not in render.text(cloze.context).casefold()
    given = _extract(
        """\
        ## Hypotheses

        예) 흡연이 뇌 질환에 영향을 미치는지 연구한다고 하면, 두 가설을 세운다:

        - 귀무가설
        - 대립가설
        """,
        tmp_path,
        title="귀무가설과 대립가설",
    )
    assert [n for n in given.notes if n.cloze] == []
    assert any("hidden words stand" in message for _, message in given.notices)


def test_pros_cons_and_applications_are_asked_of_what_they_belong_to(tmp_path: Path) -> None:
    cards = _cards(
        """\
        ## The EM algorithm

        EM alternates two steps until the likelihood stops improving.

        ### Trade-offs

        Pros:

        - Each iteration never decreases the likelihood.
        - No learning rate to tune.

        ### Applications

        - Gaussian mixture models
        - Hidden Markov models
        - Missing data imputation
        """,
        tmp_path,
    )
    assert cards["Pros of EM algorithm"].startswith("Each iteration never decreases the likelihood.")
    assert "Applications of EM algorithm {{c1::Gaussian mixture models}}" in " ".join(cards)


def test_a_glossary_written_as_paragraphs_makes_definitions_but_not_of_settings(tmp_path: Path) -> None:
    cards = _cards(
        """\
        ## Generative models

        RBMs: undirected models with one layer of hidden units and one of visible units.

        NCE: a method that estimates a density by telling data samples from noise samples.

        ## Training

        Video fine-tuning: SGD with momentum=0.9 and a learning rate of 0.005 over 2.5k steps.

        Audio fine-tuning: SGD with momentum=0.9 and a batch of 64 clips for ten epochs.
        """,
        tmp_path,
    )
    assert cards["What are RBMs?"].startswith("undirected models")
    assert cards["What is NCE?"].startswith("a method that estimates")
    assert not any("fine-tuning" in front for front in cards)


def test_a_lecture_or_a_conference_report_is_not_a_papers_review(tmp_path: Path) -> None:
    text = """\
        ## Abstract

        The first keynote covered how large models are trained on many accelerators at once.
        """
    notes = _extract(text, tmp_path, title="ICCV 2019 Review [1] 참석 후기")
    assert [n for n in notes.notes if n.kind in ("paper", "paper-part")] == []
    reviewed = _extract(text, tmp_path, title="Lottery tickets: paper review")
    assert [n.kind for n in reviewed.notes] == ["paper"]


def test_a_papers_setup_section_still_gives_the_definitions_in_its_prose(tmp_path: Path) -> None:
    notes = _extract(
        """\
        ## Implementation details

        - learning rate: 0.1
        - batch size: 256

        Warmup refers to a schedule that raises the learning rate linearly over the first steps.
        """,
        tmp_path,
        title="Training ResNets",
    )
    fronts = [render.text(n.front) for n in notes.notes]
    assert fronts == ["What is Warmup?"]


def test_a_step_of_a_worked_example_is_no_definition(tmp_path: Path) -> None:
    cards = _cards(
        """\
        ## Splitting

        **Split B** is chosen.

        **Gini impurity** is a measure of how often a random sample would be labelled wrongly.
        """,
        tmp_path,
        title="Decision trees",
    )
    assert list(cards) == ["What is Gini impurity?"]


def test_a_headings_term_is_defined_by_a_first_point_that_says_what_it_is(tmp_path: Path) -> None:
    cards = _cards(
        """\
        ## Self-organizing map (SOM)

        * an unsupervised machine learning technique used to produce a low-dimensional map of the data
        * 각 데이터 포인트를 가장 가까운 노드에 할당함

        ## Network Pruning

        - 네트워크의 수많은 파라미터 중 중요하지 않은 파라미터들을 제거하는 방법

        ## 용어

        - **ETL**: 추출 후 변환하여 적재하는 방식
        """,
        tmp_path,
    )
    assert cards["What is Self-organizing map (SOM)?"].startswith(
        "an unsupervised machine learning technique"
    )
    assert cards["Network Pruning은(는) 무엇인가?"].endswith("제거하는 방법")
    assert "용어는 무엇인가?" not in cards


def test_a_paper_cited_only_by_its_authors_asks_what_they_proposed(tmp_path: Path) -> None:
    cards = _cards(
        """\
        ## Hierarchical softmax

        [Morin and Bengio (2005)](https://arxiv.org/abs/1234.56789) proposed hierarchical softmax to make
        the sum calculation faster with the help of a binary tree structure over the vocabulary.
        """,
        tmp_path,
        title="Learning word embedding",
    )
    assert "What did Morin and Bengio (2005) propose?" in cards


def test_steps_are_asked_of_the_method_the_prose_before_them_names(tmp_path: Path) -> None:
    cards = _cards(
        """\
        ## Open-ended learning

        POET pairs the generation of environmental challenges with the optimisation of agents.

        1. *Mutation*: Generate new environments from the currently active environments.
        2. *Optimization*: Train paired agents within their respective environments.
        """,
        tmp_path,
    )
    assert "In POET, what is Optimization?" in cards


def test_a_dataset_description_or_a_date_is_no_definition(tmp_path: Path) -> None:
    cards = _cards(
        """\
        ## 실제 데이터

        - 데이터: 경남 창원시에서 측정된 초미세먼지 농도와 기상 관측 자료
        - 2019년 초중반: 수십억 장의 web-scale 이미지로 학습한 모델들이 나왔다
        """,
        tmp_path,
        title="시계열 분석",
    )
    assert not any(front.startswith(("데이터", "2019년")) for front in cards)


def test_a_lead_in_is_not_cut_inside_its_parentheses() -> None:
    text = "DeepMDP (Deep MDP; Gelada, et al. 2019) simplifies observations in RL, learning two losses:"
    assert shapes.lead_in(text, max_width=90) == "learning two losses:"
    assert "Gelada" not in (shapes.lead_in(text, max_width=90) or "")
    assert shapes._clauses("a (b, c) d, e") == ["a (b, c) d", " e"]


def test_a_day_log_is_carded_by_its_topics_not_its_outline_or_its_logistics(tmp_path: Path) -> None:
    notes = _extract(
        """\
        # 34일차 학습 정리

        <h3 data-toc-skip> Voila </h3>

        - 프로토타입
          - 모델을 개발한 후 사람들과 테스트할 수 있는 프로토타입을 먼저 만듬
          - Notebook 베이스로 프로토타입 만들기
        - 장점
          - Notebook에서 별도의 코드 추가 없이 실행할 수 있음
          - 고유한 템플릿 생성 가능
        - Voila 실습
          - 강의 코드를 따라 실습
          - 대시보드 하나 만들기

        # 피어세션

        - 강의 내용 공유
        - 회의록 작성
        """,
        tmp_path,
        title="Boostcamp 35일차",
    )
    fronts = [render.text(n.front) for n in notes.notes]
    assert "Voila의 장점" in fronts  # the HTML heading names what the pros are of
    assert not any(front.startswith("Voila {{c1::프로토타입}}") for front in fronts)  # no outline cloze
    assert not any("회의록" in front for front in fronts)
    messages = [message for _, message in notes.notices]
    assert any("outline" in m for m in messages) and any("logistics" in m for m in messages)


def test_a_review_tagged_with_its_venue_that_says_what_the_paper_does_is_a_papers_review(
    tmp_path: Path,
) -> None:
    path = tmp_path / "2018-01-06-transferable.md"
    path.write_text(
        "---\ntitle: How transferable are features in deep neural networks\n"
        "tags: ['NIPS 2014', 'Transfer Learning']\n---\n# Introduction\n\n"
        "* When networks are trained on images, their first layers learn Gabor-like filters.\n\n"
        "* The paper studies how the generality of features changes from layer to layer.\n\n"
        "* [Link to the paper](http://papers.nips.cc/paper/5347-how-transferable.pdf)\n",
        encoding="utf-8",
    )
    post = read_post(path, tmp_path)
    notes = extract_notes(post, split_sections(post)).notes
    (paper,) = [n for n in notes if n.kind == "paper"]
    assert (
        render.text(paper.front)
        == "What is the paper “How transferable are features in deep neural networks” about?"
    )


def test_a_term_defined_after_an_opener_or_by_when_it_occurs_and_a_lectures_slides_are_no_paper(
    tmp_path: Path,
) -> None:
    cards = _cards(
        """\
        ## Basics

        First of all, cooperativity can be defined as a phenomenon where elements of a system act together.

        Overfitting occurs when our model predicts the training data well but not new data it has not seen.

        - Planning: Any algorithm that uses additional computation to improve its performance.
        - In some cases, a replay buffer can be seen as a model of the environment.
        """,
        tmp_path,
        title="Notes on learning",
    )
    assert cards["What is cooperativity?"].startswith("First of all, cooperativity can be defined")
    assert cards["What is Overfitting?"].startswith("Overfitting occurs when")
    assert cards["In Notes on learning, what is Planning?"].startswith("Any algorithm that")
    lecture = _extract(
        "* 강의 슬라이드 : [링크](http://cs231n.stanford.edu/slides/2017/cs231n_2017_lecture5.pdf)\n\n"
        "## History\n\n* 1957년에 Mark I Perceptron이라는 기계가 있었음\n",
        tmp_path,
        title="CS231n Lecture 5. Convolutional Neural Networks",
    )
    assert [n for n in lecture.notes if n.kind in ("paper", "paper-part")] == []


def test_round_17s_findings_a_liquid_page_variable_metadata_names_and_tables(tmp_path: Path) -> None:
    review = tmp_path / "2016-08-02-a3c.md"
    review.write_text(
        '---\ntitle: "Asynchronous Methods for Deep Reinforcement Learning"\n'
        "paper_ref: Mnih, et al., 2016\n---\n"
        "## Paper Info\n\n[{{ page.paper_ref }}](http://arxiv.org/pdf/1602.01783v1.pdf)\n\n"
        "Submit Date: Feb 4, 2016\n\n## Summary\n\n"
        "The authors presented asynchronous variants of four reinforcement learning algorithms on CPUs.\n",
        encoding="utf-8",
    )
    post = read_post(review, tmp_path)
    assert "{{" not in post.body and "Mnih, et al., 2016" in post.body  # the front matter's value
    notes = extract_notes(post, split_sections(post)).notes
    fronts = [render.text(n.front) for n in notes]
    assert fronts == ["What is the paper “Asynchronous Methods for Deep Reinforcement Learning” about?"]
    cards = _cards(
        """\
        ## 피어세션

        ### 대회 진행상황 공유

        - 박마루찬 : 추가 데이터 반영 후 학습 시도, 나이 불균형이 심해짐
        - 서광채 : efficientNet 최고 점수 모델 재현 시도 중

        ## 주차별 정리

        - 일과 : <a href="https://example.com/day1">Day01</a>
        - 과제 : <a href="https://example.com/hw1">HW01</a>

        ## 데이터셋

        - JFT: 18k 클래스 및 303M 이미지

        ## 문자열 메서드

        | 메서드 | 설명 |
        |---|---|
        | upper() | 모두 대문자로 변환 |
        | isalpha() | 영어 알파벳 여부 판별 |
        | isspace() | 공백 문자 여부 판별 |

        ## Notes

        Clearly this is a problem that can be solved with rejection sampling in a few lines.
        """,
        tmp_path,
        title="부스트캠프 21일차",
    )
    assert not any(("박마루찬" in f) or ("일과" in f) or ("JFT" in f) or ("Clearly" in f) for f in cards)
    assert cards["isalpha()은(는) 무엇인가?"] == "영어 알파벳 여부 판별"


def test_a_definition_that_leans_on_what_came_before_gives_way_to_one_that_stands_alone(
    tmp_path: Path,
) -> None:
    cards = _cards(
        """\
        ## Paging

        Segmentation leaves holes of free memory between segments.

        paging은 이러한 단점들을 해결하기 위해 고안된 방식이다.

        paging은 메모리를 고정된 크기의 page로 나누어 관리하는 방식이다.
        """,
        tmp_path,
        title="Memory",
    )
    assert (
        cards["paging은(는) 무엇인가?"] == "paging은 메모리를 고정된 크기의 page로 나누어 관리하는 방식이다."
    )


def test_a_method_named_with_its_year_is_still_a_title() -> None:
    assert named_title("ZFNet, 2013") == "ZFNet, 2013"
    assert named_title("Mnih, et al., 2016") == ""


def test_round_18s_findings_a_boxed_summary_a_what_is_title_and_korean_naming(tmp_path: Path) -> None:
    review = tmp_path / "2019-04-29-red-wine.md"
    review.write_text(
        '---\ntitle: "From Red Wine to Red Tomato: Composition with Context"\n'
        "paperurl: 'http://openaccess.thecvf.com/content_cvpr_2017/papers/Misra_CVPR_2017_paper.pdf'\n---\n"
        '<div class="summary">\n'
        "  In this paper, the authors learn classifiers of visual concepts that adapt to compositions.\n\n"
        "  <ul>\n    <li>Pros: purely visual, with no extra linguistic source.</li>\n  </ul>\n</div>\n",
        encoding="utf-8",
    )
    post = read_post(review, tmp_path)
    kinds = [type(block).__name__ for section in split_sections(post) for block in section.blocks]
    assert kinds[0] == "Paragraph"  # the box's Markdown, not one HTML block
    (paper,) = [n for n in extract_notes(post, split_sections(post)).notes if n.kind == "paper"]
    assert render.text(paper.back).startswith("In this paper, the authors learn classifiers")
    docker = _extract(
        "## Container\n\n- 컨테이너는 애플리케이션과 실행 환경을 묶어 격리된 공간에서 실행하는 기술이다.\n",
        tmp_path,
        title="Docker란? Docker 설치와 사용",
    )
    assert docker.notes  # it explains before it installs: not a setup guide
    cards = _cards(
        """\
        ## 선형 회귀

        비용 함수를 최소화하는 θ 값을 바로 얻을 수 있는 해석적인 방법을 정규방정식이라고 한다.

        이 때문에 학습이 느리다고 한다. 그 이유는 데이터가 많기 때문이라고 한다.
        """,
        tmp_path,
        title="Hands-On ML 4장",
    )
    clozes = [front for front in cards if "{{c1::" in front]
    assert clozes == [
        "비용 함수를 최소화하는 θ 값을 바로 얻을 수 있는 해석적인 방법을 {{c1::정규방정식}}이라고 한다."
    ]


def test_round_18s_findings_points_that_point_away_numbers_for_labels_and_likeness(tmp_path: Path) -> None:
    cards = _cards(
        """\
        ## Experiments

        The paper presents extensive results on the following settings:

        * **Toy dataset**: A toy example based on the two half-moons dataset with two classes.
        * **Sentiment Analysis**: These experiments are performed on the Amazon reviews dataset.

        ## Inferring the assignment

        Hence an assignment can be found as follows:

        - **(1)** Reshape the votes to size (n, 2) where n is the number of literals.
        - **(2)** Cluster the literals into two clusters with two centers.

        ## tanh

        tanh는 sigmoid와 유사하게 생겼다.

        ## Time series

        - Forward fill: This method uses the last value that we have in the time series.
        - Seasonality: These are regular variations over a period of time, like a daily peak.
        """,
        tmp_path,
        title="Notes",
    )
    assert not any("Sentiment Analysis" in front for front in cards)
    assert "Reshape the votes" in cards["Hence an assignment can be found as follows:"]  # not "(1) • (2)"
    assert not any(front.startswith("tanh") for front in cards)
    assert "What is Forward fill?" in cards and "What is Seasonality?" in cards


def test_a_definition_is_answered_without_a_pointer_to_a_figure_the_card_does_not_show(
    tmp_path: Path,
) -> None:
    cards = _cards(
        "## Stacks\n\n- **Encoder** : 위 그림과 같이 인코더는 N=6개의 동일한 레이어 스택으로 구성된다.\n"
        "- **Decoder** : 디코더도 N=6개의 동일한 레이어 스택으로 구성된다.\n",
        tmp_path,
        title="Transformer",
    )
    assert cards["Stacks에서 Encoder은(는) 무엇인가?"].startswith("인코더는 N=6개")


def test_a_why_what_so_review_asks_for_the_papers_parts_not_the_headings(tmp_path: Path) -> None:
    notes = _extract(
        """\
        ## WHY?
        기존의 autoregressive decoder는 표현력이 너무 강해 latent variable을 무시하고 이미지를 생성했다.

        ## WHAT?
        Variational Lossy Autoencoder는 decoder의 표현력을 제한해 z에 원하는 정보를 담는다.

        ## So?
        NLL에서 좋은 성과를 거두었다.

        [Chen, Xi, et al. "Variational lossy autoencoder." arXiv preprint arXiv:1611.02731 (2016).](https://arxiv.org/abs/1611.02731)
        """,
        tmp_path,
        title="Variational Lossy Autoencoders",
    )
    fronts = {n.kind: render.text(n.front) for n in notes.notes}
    assert fronts["paper"] == "「Variational lossy autoencoder」 논문의 핵심 내용은?"
    assert not any(front in ("WHY?", "So?") for front in fronts.values())
    parts = [render.text(n.front) for n in notes.notes if n.kind == "paper-part"]
    assert "「Variational lossy autoencoder」 논문의 동기는?" in parts


def test_a_name_and_its_kind_with_what_sets_it_apart_is_a_definition(tmp_path: Path) -> None:
    cards = _cards(
        """\
        ## Trials

        Tofersen is an ASO designed to lower SOD1 mRNA and thus the SOD1 protein in the brain.

        Aguzzi believes that this is a mimetic of prion neurotoxicity in the mouse brain.
        """,
        tmp_path,
        title="Drug notes",
    )
    assert cards["What is Tofersen?"].startswith("Tofersen is an ASO designed to")
    assert len(cards) == 1


def test_an_acronym_answered_by_what_it_abbreviates_asks_what_it_stands_for(tmp_path: Path) -> None:
    cards = _cards(
        "## Features\n\n- HOG: Histogram of Oriented Gradients\n- SIFT: Scale-Invariant Feature Transform\n",
        tmp_path,
        title="Vision basics",
    )
    assert cards["What does HOG stand for?"] == "Histogram of Oriented Gradients"


def test_round_20s_findings_liquid_comments_and_retrospectives_make_no_card(tmp_path: Path) -> None:
    hidden = _extract(
        """\
        ## Policy gradient

        REINFORCE is an algorithm that updates the policy with the return of whole episodes.

        {% comment %}
        ## DQN

        DQN is an algorithm that learns action values with a replay buffer and a target network.
        {% endcomment %}
        """,
        tmp_path,
        title="RL review",
    )
    assert [render.text(n.front) for n in hidden.notes] == ["What is REINFORCE?"]
    story = _extract(
        "## 목표\n\n- 건강 되찾기: 매일 30분 걷기와 스트레칭을 하는 것이 목표이다.\n",
        tmp_path,
        title="2020 상반기 회고",
    )
    assert story.notes == () and any("retrospective" in message for _, message in story.notices)


def test_what_to_study_next_highlight_labels_and_emoji_in_a_term(tmp_path: Path) -> None:
    cards = _cards(
        """\
        ## 더 공부할 내용

        - MLE
        - Transformer
        - MF, ALS

        ## Vision Transformers

        - **Key Highlights**: ViTs trained at a fixed low resolution degrade at higher resolutions.
        - **🧩 Tiling**: An image is divided into tiles of a fixed size and each tile is encoded.
        """,
        tmp_path,
        title="Notes",
    )
    assert not any("MLE" in front or "Highlights" in front for front in cards)
    assert "What is Tiling?" in cards
