"""Issue 22, session 8: forms that made poor cards on the measured blogs.

Each test pins one mechanism with a control: the shape that must keep working as before."""

from __future__ import annotations

from pathlib import Path

from flashgen.read.posts import read_post
from flashgen.read.sections import split_sections
from tests.conftest import extracted, notes_of_text


def _notes(text: str, tmp_path: Path, title: str = "Notes"):
    return notes_of_text(text, tmp_path, title)


def _fronts(text: str, tmp_path: Path, kind: str, title: str = "Notes") -> list[str]:
    return [n.front for n in _notes(text, tmp_path, title) if n.kind == kind]


def test_a_heading_naming_a_kind_of_set_is_asked_of_its_owner(tmp_path: Path) -> None:
    lists = _fronts(
        "## Pruning\n\nPruning은 모델의 불필요한 가중치를 제거하는 방법이다.\n\n### 분류\n\n"
        "- Unstructured pruning: 개별 가중치를 제거\n- Structured pruning: 채널이나 필터 단위로 제거\n\n"
        "## Vector\n\n### 성질\n\n- 차원이 같아야 덧셈을 할 수 있다.\n- 노름은 원점에서부터의 거리이다.\n",
        tmp_path,
        "list",
    )
    assert any("Pruning의 분류" in front for front in lists)
    assert any("Vector의 성질" in front for front in lists)


def _definitions(notes) -> list[tuple[str, str]]:
    return [(n.front, n.back) for n in notes if n.kind == "definition"]


def test_a_term_defined_again_in_a_post_keeps_its_first_card_only(tmp_path: Path) -> None:
    notes = _notes(
        "## Forward pass\n\nForward pass는 입력 데이터를 신경망에 통과시켜 예측값을 생성하는 과정이다.\n\n"
        "## Dropout\n\nDropout은 학습 중에 무작위로 뉴런을 끄는 정규화 기법이다.\n\n"
        "## 요약\n\n- **Forward Pass**: 입력 데이터를 신경망에 통과시켜 예측값을 계산하는 과정.\n"
        "- **Backward Pass**: 오류를 기반으로 가중치를 업데이트하는 과정.\n",
        tmp_path,
    )
    found = _definitions(notes)
    forward = [back for front, back in found if front.casefold().startswith("forward pass")]
    assert forward == ["Forward pass는 입력 데이터를 신경망에 통과시켜 예측값을 생성하는 과정이다."]
    assert any(front.startswith("Dropout") for front, _ in found)  # control: other terms stay
    assert any(front.startswith("Backward Pass") for front, _ in found)


def test_a_label_asked_three_times_with_different_answers_makes_no_definition(tmp_path: Path) -> None:
    notes = _notes(
        "## Soft attention\n\n- **Pro**: the model is smooth and differentiable.\n"
        "- **Con**: expensive when the source input is large.\n\n"
        "## Hard attention\n\n- **Pro**: less calculation at inference time.\n"
        "- **Con**: the model is non-differentiable.\n\n"
        "## Local attention\n\n- **Pro**: cheaper than soft attention.\n"
        "- **Con**: needs a predicted alignment position.\n",
        tmp_path,
    )
    assert [front for front, _ in _definitions(notes) if "Pro" in front or "Con" in front] == []


def test_a_terms_story_gives_way_to_the_sentence_saying_what_it_is(tmp_path: Path) -> None:
    notes = _notes(
        "## 파인 튜닝\n\n파인 튜닝은 LLM이 등장하면서 더욱 주목받게 되었다. "
        "파인 튜닝은 사전 학습된 모델의 파라미터를 새로운 데이터에 맞게 조금씩 조정하는 방법이다.\n\n"
        "## Main Conference\n\nMain Conference는 월요일부터 금요일까지 5일간 진행이 되었다.\n\n"
        "## Spark\n\nSpark is an Apache project that was developed to speed up Hadoop jobs.\n",
        tmp_path,
    )
    found = dict(_definitions(notes))
    assert found["파인 튜닝은 무엇인가?"].endswith("조정하는 방법이다.")
    assert not any(front.startswith("Main Conference") for front in found)  # a story only: no card
    assert found["What is Spark?"].startswith("Spark is an Apache project")  # control: says its kind


def test_a_courses_syllabus_makes_no_card(tmp_path: Path) -> None:
    notes = _notes(
        "## 주제\n\n1. 문제 정의\n2. 멀티 태스크 러닝 기초\n3. 메타 러닝 알고리즘\n\n"
        "## Syllabus\n\n- Week 1: linear models\n- Week 2: kernels\n\n"
        "## Series\n\nSeries는 values와 index의 형태를 가지는 Pandas의 자료 구조이다.\n",
        tmp_path,
    )
    assert [n.kind for n in notes] == ["definition"]  # control: a heading named Series is a term


def test_a_term_over_a_sub_point_saying_its_kind_is_defined(tmp_path: Path) -> None:
    notes = _notes(
        "## Numpy\n\n- concatenate\n  - numpy array를 합치는 함수\n  - axis로 방향을 정한다\n"
        "- 커널\n  - 커널은 고정된 가중치 행렬이다.\n\n"
        "## Distillation\n\n- 역할\n  - 성능 향상\n    - 더 좋은 모델로부터 지식을 증류하는 방법입니다.\n\n"
        "## 풀이\n\n- 시간복잡도\n  - 다이나믹은 모든 문제를 1번씩 푸는 방식\n"
        "- 저의 경우에는\n  - 이력서에 담지 못한 것\n\n"
        "## Layers\n\n- Dense\n  - a layer in which every input is connected to every output\n"
        "- Results\n  - The next step is to stack them.\n",
        tmp_path,
    )
    found = dict(_definitions(notes))
    assert found["concatenate은(는) 무엇인가?"] == "numpy array를 합치는 함수"
    assert found["커널은 무엇인가?"] == "커널은 고정된 가중치 행렬이다."
    assert found["What is Dense?"].startswith("a layer in which")
    # controls: a trait under 역할, a sentence about another subject, a clause's head, a step
    assert not [
        front for front in found if front.startswith(("성능 향상", "시간복잡도", "저의", "What is Results"))
    ]


def test_a_definition_set_apart_as_a_quote_is_read(tmp_path: Path) -> None:
    notes = _notes(
        "## Hyperparameter optimization\n\n"
        "> Hyperparameter optimization (HPO) is the process by which we aim to improve the performance of "
        "a model by choosing the right set of hyperparameters.\n\n"
        "## Results\n\n> - Dropout is a regularization technique that zeroes random activations.\n",
        tmp_path,
    )
    found = dict(_definitions(notes))
    assert found["What is Hyperparameter optimization?"].startswith("Hyperparameter optimization (HPO) is")
    assert "What is Dropout?" not in found  # control: a quote holding a list is not read as prose


def test_a_term_in_bold_with_a_digit_over_what_kind_of_thing_it_is_is_defined(tmp_path: Path) -> None:
    notes = _notes(
        "## Sparse retrieval\n\n**BM25 란?**\n\n"
        "TF-IDF 의 개념을 바탕으로, 문서의 길이까지 고려하여 점수를 매기는 방법이다.\n\n"
        "**Step 2**\n\n문서마다 점수를 계산하여 정렬하는 방법이다.\n",
        tmp_path,
    )
    found = dict(_definitions(notes))
    assert found["BM25는 무엇인가?"].endswith("점수를 매기는 방법이다.")
    assert not any(front.startswith("Step") for front in found)  # control: a numbered step is no term


def test_a_lead_in_saying_here_is_the_set_or_that_something_has_properties_is_a_prompt(
    tmp_path: Path,
) -> None:
    fronts = _fronts(
        "## Rank\n\n행렬의 랭크는 중요한 성질이 있다.\n\n"
        "- 열 랭크와 행 랭크는 같다.\n- 정칙 행렬은 풀 랭크를 가진다.\n\n"
        "## Sampling\n\nHere is the rejection sampling algorithm for drawing a sample from \\(f\\):\n\n"
        "1. Generate \\(Y\\) distributed as \\(g\\).\n2. Accept \\(Y\\) with probability \\(f/Mg\\).\n\n"
        "## Notes\n\nHere are a few of their findings:\n\n- It was fast.\n- It was cheap.\n",
        tmp_path,
        "list",
    )
    assert any("행렬의 랭크는 중요한 성질이 있다" in front for front in fronts)
    assert any(">The rejection sampling algorithm" in front for front in fronts)
    assert not any("findings" in front for front in fronts)  # control: "a few of their" names nothing


def test_a_lead_in_naming_only_a_kind_of_set_is_asked_of_the_sections_subject(tmp_path: Path) -> None:
    fronts = _fronts(
        "## 아다부스트\n\n과정은 다음과 같다.\n\n"
        "1. 첫 번째 분류기를 훈련 데이터셋으로 훈련시키고 예측값을 만든다.\n"
        "2. 잘못 분류된 훈련 샘플의 가중치를 상대적으로 높인다.\n"
        "3. 업데이트된 가중치를 사용해 두번째 분류기를 훈련한다.\n\n"
        "## Adam\n\nThe steps are as follows:\n\n1. Compute the gradient of the loss.\n"
        "2. Update the first and second moment estimates.\n3. Correct their bias and update the weights.\n",
        tmp_path,
        "list",
    )
    assert any("아다부스트의 과정" in front for front in fronts)
    assert any("Steps of Adam" in front for front in fronts)


def test_what_a_term_does_as_its_role_and_we_define_x_as_are_definitions(tmp_path: Path) -> None:
    notes = _notes(
        "## 어텐션\n\n디코더는 인코딩된 representation으로부터 정보를 다시 되돌리는 역할을 합니다. "
        "물체의 특성은 물체를 표현하는 데 있어서 중요한 역할을 한다.\n\n"
        "## Chemistry\n\nWe define the activation energy \\(E_A\\) as the difference in energy between "
        "the transition state and the starting state.\n\n"
        "## VAE\n\ndecoder라 불리는 뉴럴네트워크는 z를 활용해 x를 복원해내는 역할을 합니다.\n",
        tmp_path,
    )
    found = dict(_definitions(notes))
    assert found["디코더는 무엇인가?"].endswith("되돌리는 역할을 합니다.")
    assert found["What is activation energy?"].startswith("We define the activation energy")
    # controls: "an important role" says nothing of what it is; "X라 불리는" is no term
    assert not any(front.startswith(("물체의 특성", "decoder라")) for front in found)


def test_authors_and_a_year_are_no_papers_title_and_folders_above_posts_are_categories(
    tmp_path: Path,
) -> None:
    from flashgen.extract.papers import named_title

    assert named_title("Roweis, Saul, 2000") == ""
    assert named_title("Dahl, Norouzi, Shlens, 2017") == ""
    assert named_title("Attention Is All You Need") == "Attention Is All You Need"  # control
    posts = tmp_path / "paper-summaries" / "_posts"
    posts.mkdir(parents=True)
    path = posts / "2017-09-14-lle.md"
    path.write_text(
        '---\ntitle: "Nonlinear Dimensionality Reduction by Locally Linear Embedding"\n---\n'
        "[Roweis, Saul, 2000](http://www.robots.ox.ac.uk/~az/lectures/ml/lle.pdf)\n\n## Summary\n\n"
        "LLE seeks weights that reconstruct each point from its neighbours, then keeps them in a lower "
        "dimension.\n",
        encoding="utf-8",
    )
    notes = extracted(path, tmp_path).notes
    assert [n.front for n in notes if n.kind == "paper"] == [
        "What is the paper “Nonlinear Dimensionality Reduction by Locally Linear Embedding” about?"
    ]


def test_labels_among_pros_reasons_or_steps_are_no_terms_but_english_names_are(tmp_path: Path) -> None:
    notes = _notes(
        "## 👍 장점\n\n- **유연한 키**: 문자열, 숫자 등 다양한 타입을 키로 사용할 수 있다.\n"
        "- **동적 크기**: 필요에 따라 크기를 조절할 수 있다.\n\n"
        "## 이분 탐색의 동작 과정\n\n1. **초기화**: 탐색 범위의 시작점과 끝점을 설정한다.\n"
        "2. **중간값 계산**: 현재 범위의 중간 위치를 계산한다.\n\n"
        "## 활용 사례\n\n- **Fraud Detection**: 금융 데이터에서 불법 행위를 검출하는 사례.\n"
        "- **Malware Detection**: 악성코드를 검출해내는 사례.\n",
        tmp_path,
    )
    found = dict(_definitions(notes))
    assert not any(front.startswith(("유연한 키", "동적 크기", "초기화", "중간값")) for front in found)
    assert any(front.startswith("Fraud Detection") for front in found)  # control: a name stays a term


def test_a_question_heading_and_a_definition_with_the_same_answer_make_one_card(tmp_path: Path) -> None:
    notes = _notes(
        "## 동기 처리란?\n\n동기 처리는 작업을 순서대로 하나씩 처리하는 방식이다.\n\n"
        "## 요약\n\n- **동기 처리**: 동기 처리는 작업을 순서대로 하나씩 처리하는 방식이다.\n"
        "- **비동기 처리**: 작업을 요청하고 결과를 기다리지 않고 다른 일을 계속하는 방식이다.\n",
        tmp_path,
    )
    answers = [n.back for n in notes if n.kind in ("definition", "question")]
    assert answers.count("동기 처리는 작업을 순서대로 하나씩 처리하는 방식이다.") == 1
    assert any("다른 일을 계속하는 방식" in answer for answer in answers)  # control


def test_a_papers_title_loses_a_series_label_a_clause_before_its_link_and_its_authors(tmp_path: Path) -> None:
    from flashgen.extract.papers import named_title

    assert named_title('K. Fragkiadaki의 "Recurrent Network Models for Human Dynamics"') == (
        "Recurrent Network Models for Human Dynamics"
    )
    papers = _fronts(
        "이번 논문은 2017년 2월에 공개된 "
        '["Reverse Classification Accuracy: Predicting Segmentation Performance"]'
        "(https://arxiv.org/abs/1702.03407)입니다. 이 논문은 ground truth 없이 segmentation 성능을 "
        "예측하는 방법을 제안합니다.\n\n## 요약\n\n"
        "- 참조 영상들로 분류기를 만들고 그 정확도로 성능을 예측한다.\n",
        tmp_path,
        "paper",
        title="Paper Summary #3 - Reverse Classification Accuracy",
    )
    assert papers and all("2017년" not in front and "#3" not in front for front in papers)
    assert any("Reverse Classification Accuracy" in front for front in papers)


def test_a_subordinate_clause_is_no_term_and_a_numbered_label_is_asked_in_its_context(tmp_path: Path) -> None:
    from flashgen.extract import subjects

    notes = _notes(
        "## Masking\n\nWhile there is a regular attention function that might have worked, it is a kernel "
        "that needs a custom mask.\n\n## Loops\n\n"
        "**While loops** are loops which let you execute code while a condition is met.\n",
        tmp_path,
    )
    fronts = [front for front, _ in _definitions(notes)]
    assert not any("While there" in front for front in fronts)
    assert any("While loops" in front for front in fronts)  # control: a term that opens with "While"
    assert (
        subjects.generic("Level 0") and subjects.generic("Case 2") and not subjects.generic("Type 2 diabetes")
    )


def test_an_environment_inside_display_math_with_an_equals_line_makes_no_heading(tmp_path: Path) -> None:
    path = tmp_path / "2024-01-01-stn.md"
    path.write_text(
        '---\ntitle: "STN"\n---\n## A\n\nThe transform is\n\n'
        "$$\n\\begin{align}\n\\begin{pmatrix}\nx \\\\\ny\n"
        "\\end{pmatrix}\n= \n\\begin{bmatrix} a \\end{bmatrix}\n\n\\begin{pmatrix}\nx\n\\end{pmatrix}\n"
        "\\end{align}\n$$\n\n## B\n\nDropout is a regularization technique that zeroes random activations.\n",
        encoding="utf-8",
    )
    post = read_post(path, tmp_path)
    assert [section.path for section in split_sections(post) if section.title] == [("A",), ("B",)]


def test_one_side_of_a_pros_and_cons_heading_is_asked_of_its_owner_alone() -> None:
    from flashgen.extract import subjects

    assert subjects.owned("장점", "해시맵의 장단점", "ko") == "해시맵의 장점"
    assert subjects.owned("장점", "Voila", "ko") == "Voila의 장점"  # control


def test_a_label_in_bold_over_code_then_another_label_defines_nothing(tmp_path: Path) -> None:
    text = (
        "## 실행 예시\n\n**이상치 제거**\n\n```python\nX = X[X['anomaly'] != -1]\n```\n\n"
        "**이상치 대체 후 데이터 확인**\n\n```python\nprint(X)\n```\n\n"
        "## 용어\n\n**BM25 란?**\n\n"
        "TF-IDF 의 개념을 바탕으로, 문서의 길이까지 고려하여 점수를 매기는 방법이다.\n"
    )
    fronts = _fronts(text, tmp_path, "definition")
    assert not any(front.startswith("이상치") for front in fronts)
    assert fronts == ["BM25는 무엇인가?"]  # control: a label over its explanation
