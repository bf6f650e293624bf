"""Issue 22, session 7: forms of definitions and lists that were missed on the measured blogs.

Each test pins one mechanism with a control: the shape that must still make no card."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import extracted, notes_of_text


def _notes(text: str, tmp_path: Path, title: str = "Notes"):
    return notes_of_text(text, tmp_path, title)


def _definitions(text: str, tmp_path: Path) -> dict[str, str]:
    return {n.front: n.back for n in _notes(text, tmp_path) if n.kind == "definition"}


def test_a_korean_term_in_bold_with_its_colon_inside_is_defined(tmp_path: Path) -> None:
    found = _definitions(
        "## 학습 중의 현상\n\n"
        "- **기울기 소실:** 기울기가 너무 작아져 가중치가 거의 변하지 않는 문제입니다.\n"
        "- **기울기 폭발:** 기울기가 너무 커져 모델이 불안정해지는 문제입니다.\n",
        tmp_path,
    )
    assert found == {
        "기울기 소실은 무엇인가?": "기울기가 너무 작아져 가중치가 거의 변하지 않는 문제입니다.",
        "기울기 폭발은 무엇인가?": "기울기가 너무 커져 모델이 불안정해지는 문제입니다.",
    }


def test_an_english_label_in_bold_over_a_finding_is_no_definition(tmp_path: Path) -> None:
    found = _notes(
        "## SwiGLU\n\n"
        "- **Adoption:** Baichuan 2, DCLM and OLMo 2 have adopted this.\n"
        "- **Performance:** torch.compile GELU was slightly faster than the handwritten kernel.\n",
        tmp_path,
    )
    assert [n for n in found if n.kind == "definition"] == []


def test_a_glossary_under_a_heading_that_names_its_set_is_asked_as_a_set_too(tmp_path: Path) -> None:
    notes = _notes(
        "## Types of layers\n\n"
        "- **Dense**: a layer in which every input is connected to every output.\n"
        "- **Dropout**: a layer that zeroes random inputs during training.\n",
        tmp_path,
    )
    lists = [n.front for n in notes if n.kind == "list"]
    assert len(lists) == 1 and "{{c1::Dense}}" in lists[0] and "{{c2::Dropout}}" in lists[0]
    assert "Types of layers" in lists[0]
    assert sorted(n.front for n in notes if n.kind == "definition") == ["What is Dense?", "What is Dropout?"]


def test_a_glossary_under_a_topic_heading_is_asked_term_by_term_only(tmp_path: Path) -> None:
    notes = _notes(
        "## Keras\n\n"
        "- **Dense**: a layer in which every input is connected to every output.\n"
        "- **Dropout**: a layer that zeroes random inputs during training.\n",
        tmp_path,
    )
    assert [n.kind for n in notes] == ["definition", "definition"]


def test_a_korean_term_marked_with_란_after_its_gloss_is_defined(tmp_path: Path) -> None:
    found = _definitions(
        "## 의미역\n\n"
        "사태와 참여자에 연관되는 개념이 술어와 논항입니다. "
        "서술어(predicate)란 사태의 종류를 나타내는 언어요소입니다.\n\n"
        "Context Switch(문맥 교환)이란 하나의 CPU가 여러 process를 번갈아 실행하는 것이다.\n",
        tmp_path,
    )
    assert found == {
        "서술어는 무엇인가?": "서술어(predicate)란 사태의 종류를 나타내는 언어요소입니다.",
        "Context Switch은(는) 무엇인가?": (
            "Context Switch(문맥 교환)이란 하나의 CPU가 여러 process를 번갈아 실행하는 것이다."
        ),
    }


def test_a_heading_term_over_a_korean_sentence_saying_its_kind_is_defined(tmp_path: Path) -> None:
    found = _definitions(
        "#### NodePort\n\n"
        "해당 노드의 IP의 고정적인 포트를 사용하기 위한 서비스 타입이다. "
        "NodePort를 위해 ClusterIP가 만들어진다.\n\n"
        "#### 믹스인 클래스\n\n"
        "메서드 몇 개만 정의하여 다른 클래스에 제공하는 클래스이다.\n",
        tmp_path,
    )
    assert found == {
        "NodePort은(는) 무엇인가?": "해당 노드의 IP의 고정적인 포트를 사용하기 위한 서비스 타입이다.",
        "믹스인 클래스는 무엇인가?": "메서드 몇 개만 정의하여 다른 클래스에 제공하는 클래스이다.",
    }


def test_a_heading_over_narration_or_a_sentence_with_its_own_subject_is_no_definition(tmp_path: Path) -> None:
    found = _definitions(
        "## IAM User\n\n"
        "이제 IAM User를 생성하고 권한을 설정해줄 차례입니다.\n\n"
        "## Latent Optimization\n\n"
        "저자들이 제시한 세 가지 방법론 중 첫 번째에 대한 내용이다.\n\n"
        "## re.DEBUG\n\n"
        "reObj를 출력하면 컴파일한 정규식을 그대로 출력하던 것을 기억할 것이다.\n\n"
        "## Local minima\n\n"
        "Gradient descent의 또 다른 문제는 학습이 지역 최솟값에 갇히는 local minima 문제이다.\n",
        tmp_path,
    )
    assert found == {}


def test_a_term_in_bold_on_its_own_line_over_what_it_is_is_defined(tmp_path: Path) -> None:
    found = _definitions(
        "## Retrieval\n\n"
        "**Passage Retrieval**\n\n"
        "질문(query)에 맞는 문서(passage)를 찾는 것\n\n"
        "**Drop Out**\n\n"
        "- 몇몇 뉴런의 값을 0으로 바꿔주는 것\n\n"
        "**BART**\n\n"
        "sequence to sequence 문제의 pre-training을 위한 denoising autoencoder\n",
        tmp_path,
    )
    assert found == {
        "Passage Retrieval은(는) 무엇인가?": "질문(query)에 맞는 문서(passage)를 찾는 것",
        "Drop Out은(는) 무엇인가?": "몇몇 뉴런의 값을 0으로 바꿔주는 것",
        "BART는 무엇인가?": "sequence to sequence 문제의 pre-training을 위한 denoising autoencoder",
    }


def test_a_label_in_bold_over_a_claim_a_step_or_a_report_is_no_definition(tmp_path: Path) -> None:
    found = _definitions(
        "## Notes\n\n"
        "**Data Augmentation**\n\n"
        "- data는 많을 수록 좋다\n\n"
        "**파일 이동**\n\n"
        "Huggingface 공유에 필요한 파일을 Clone 폴더로 이동\n\n"
        "**FAISS Basics**\n\n"
        "brute-force로 모든 벡터와 쿼리를 비교하는 가장 단순한 인덱스 만들기\n\n"
        "**Fine-tuning details**\n\n"
        "비지도 사전학습에서 사용한 hyperparameter를 그대로 사용했다.\n\n"
        "**방법 2**\n\n"
        "2개의 모델을 각각 학습하는 방식\n",
        tmp_path,
    )
    assert found == {}


def test_literally_followed_by_what_the_term_does_is_no_circular_definition(tmp_path: Path) -> None:
    found = _definitions(
        "## FDR\n\n"
        "반복샘플링 기반 FDR은 말 그대로 반복샘플링을 통해 분포에 대한 가정없이 "
        "p-value를 계산할 수 있는 기법입니다.\n\n"
        "그룹화는 말 그대로 그룹으로 묶어주는 것이다.\n",
        tmp_path,
    )
    assert list(found) == ["반복샘플링 기반 FDR은 무엇인가?"]


def test_a_term_in_bold_after_the_field_it_is_defined_in_is_defined(tmp_path: Path) -> None:
    found = _definitions(
        "## Matrices\n\n"
        "In probability theory and statistics, a **covariance matrix** is a matrix whose element in "
        "the i, j position is the covariance between the i-th and j-th elements of a random vector.\n\n"
        "In contrast, a **hash map** is a structure that keeps no order of its keys.\n",
        tmp_path,
    )
    assert list(found) == ["What is a covariance matrix?"]


def test_a_heading_naming_a_function_over_what_it_does_is_defined(tmp_path: Path) -> None:
    found = _definitions(
        "## `zip` 내장 함수\n\n"
        "- 둘 이상의 이터레이터를 지연 계산 제너레이터를 사용해 묶어준다.\n"
        "- 길이가 다르면 가장 짧은 이터레이터의 길이까지만 튜플을 반환한다.\n\n"
        "## top()\n\n"
        "스택의 맨 위 원소를 반환한다.\n\n"
        "## Ablation Study\n\n"
        "3.2절에서 설명한 기법들의 효과를 검증한다.\n\n"
        "## `develop` 브랜치 생성하기\n\n"
        "main 브랜치를 복제한 develop 브랜치를 생성한다.\n",
        tmp_path,
    )
    assert found == {
        "zip 내장 함수는 무엇인가?": "둘 이상의 이터레이터를 지연 계산 제너레이터를 사용해 묶어준다.",
        "top()은(는) 무엇인가?": "스택의 맨 위 원소를 반환한다.",
    }


# Round 24's findings (the seventh fresh set, judged at e33d4bc), each answered at its mechanism.


def test_what_a_study_day_held_is_logistics(tmp_path: Path) -> None:
    notes = _notes(
        "## 부스트 캠프 10일차 학습 요약\n\n"
        "- 행사 : 마스터 클래스, 스페셜 피어세션\n"
        "- 학습 : Generative Model 1, Generative Model 2\n"
        "- 피어 세션\n",
        tmp_path,
    )
    assert notes == ()


def test_install_steps_make_no_list_and_no_definitions(tmp_path: Path) -> None:
    notes = _notes(
        "## Selenium\n\n"
        "- chromium설치: sudo apt install chromium-browser\n"
        "- chromium version 확인: chromium-browser --version\n"
        "- Version에 맞는 Chromedriver설치: ChromeDriver 설치 사이트\n",
        tmp_path,
    )
    assert notes == ()


def test_words_of_the_sentence_are_no_term(tmp_path: Path) -> None:
    found = _definitions(
        "## FaceNet\n\n"
        "여기서는 Verification에 대한 실험을 수행했는데요, D는 두 데이터의 거리를 의미합니다.\n\n"
        "이제 남은 일은 query 데이터를 넣어 이를 판단하는 과정입니다.\n\n"
        "이름만 봐서는 범용적인 기술처럼 보이지만 파이썬에서 사용되는 개념입니다.\n\n"
        "- 참조: tf.feature_column.indicator_column 사용법을 설명하는 문서\n"
        "- 큐: 목록 한쪽 끝에서만 자료를 넣거나 뺄 수 있는 자료구조\n",
        tmp_path,
    )
    assert list(found) == ["큐는 무엇인가?"]


def test_a_definition_that_points_at_a_table_or_a_formula_is_no_definition(tmp_path: Path) -> None:
    found = _definitions(
        "## 검정\n\n"
        "비모수 검정은 아래 표를 보면 사용방법을 간편히 알 수 있다.\n\n"
        "레지스터(register)란 CPU에서 데이터를 저장해두는 아주 빠른 기억 장소"
        "(위 그림에서 memory unit)입니다.\n",
        tmp_path,
    )
    assert list(found) == ["레지스터는 무엇인가?"]


def test_a_figure_credit_is_not_part_of_a_lists_lead_in(tmp_path: Path) -> None:
    notes = _notes(
        "## 공간 데이터\n\n"
        "사진 출처: gaussian37 블로그\n"
        "벡터 데이터의 종류는 다음과 같다.\n\n"
        "- Point\n- Line\n- Polygon\n",
        tmp_path,
    )
    fronts = [n.front for n in notes if n.kind == "list"]
    assert len(fronts) == 1 and "출처" not in fronts[0] and "벡터 데이터의 종류" in fronts[0]


def test_a_title_that_says_it_reviews_one_paper_is_a_paper_review(tmp_path: Path) -> None:
    notes = _notes(
        "### 주요 내용\n\n"
        "- 논문이 풀고자 하는 문제는 implicit feedback을 토대로 item을 user에게 추천하는 것\n"
        "- dot-product(GMF)와 MLP의 장점을 모두 살린 네트워크 구조 사용\n\n"
        "다른 추천 논문들은 여러 feature를 어떻게 조합하느냐에 집중했지만, 이 논문은 collaborative "
        "filtering 자체에 deep learning을 적용했다.\n\n"
        "### implicit data 학습\n\n"
        "- implicit feedback은 자동적으로 데이터가 수집되고 데이터가 풍부하다는 게 장점\n",
        tmp_path,
        title="Neural Collaborative Filtering 논문 리뷰",
    )
    assert [n.front for n in notes if n.kind == "paper"] == [
        "「Neural Collaborative Filtering」 논문의 핵심 내용은?"
    ]


def test_an_outline_number_is_not_shown_in_the_question_and_the_note_keeps_its_id(tmp_path: Path) -> None:
    numbered = _notes("## 1-2. 미분은 어디에 쓸까?\n\n미분은 함수의 기울기를 구해 최적화에 쓴다.\n", tmp_path)
    plain = _notes("## 1-2. 미분은 어디에 쓸까?\n\n미분은 접선의 기울기를 구해 최적화에 쓴다.\n", tmp_path)
    assert [n.front for n in numbered] == ["미분은 어디에 쓸까?"]
    assert [n.guid for n in numbered] == [n.guid for n in plain]


def test_a_citation_by_year_or_authors_alone_is_no_papers_title(tmp_path: Path) -> None:
    notes = _notes(
        "## Word2Vec\n\n"
        "In 2013, [Mikolov et al.](https://arxiv.org/abs/1301.3781) introduced an efficient method to "
        "learn vector representations of words from large amounts of text.\n\n"
        "In the paper, the authors used [ResNet-50](https://arxiv.org/abs/1512.03385) as the encoder.\n\n"
        "In their paper [Word Embeddings for Speech Recognition](https://arxiv.org/abs/1409.0473), "
        "the authors summarise a modern speech recogniser.\n",
        tmp_path,
    )
    assert [n.front for n in notes if n.kind == "paper"] == [
        "What is the paper “Word Embeddings for Speech Recognition” about?"
    ]


def test_a_heading_term_over_a_sentence_that_says_what_it_means_is_defined(tmp_path: Path) -> None:
    found = _definitions(
        "## 군집화(Clustering)\n\n"
        "비슷한 개체끼리 한 그룹으로, 다른 개체는 다른 그룹으로 묶어서 구분하는 것을 의미한다.\n\n"
        "## Iterative Training\n\n"
        "마지막으로, 아까 보여드렸던 그림의 4번 과정을 반복하는 것을 의미합니다.\n",
        tmp_path,
    )
    said = "비슷한 개체끼리 한 그룹으로, 다른 개체는 다른 그룹으로 묶어서 구분하는 것을 의미한다."
    assert found == {"군집화(Clustering)는 무엇인가?": said}


def test_a_post_held_in_tables_says_so_when_it_makes_no_card(tmp_path: Path) -> None:
    path = tmp_path / "2024-01-01-regex.md"
    rows = "\n".join(f"| `{c}` | 문자 {c}에 해당하는 패턴을 찾는다 | 예시 {c} |" for c in "abcdefghij")
    path.write_text(
        f'---\ntitle: "정규표현식"\n---\n## 문법\n\n| 기호 | 설명 | 예시 |\n|---|---|---|\n{rows}\n', "utf-8"
    )
    found = extracted(path, tmp_path)
    assert found.notes == ()
    assert "most of its text is in 1 table" in found.notices[0][1]


def test_a_definition_that_announces_what_follows_is_no_definition(tmp_path: Path) -> None:
    found = _definitions(
        "## GAN\n\n"
        "- **Optimal Discriminator**: 더불어, Discriminator를 최적화하는 D는 다음과 같다.\n"
        "- **Numerical Gradient**: Computed using finite differences:\n"
        "- **Mixture-of-Experts**: A technique for scaling language models with low inference costs:\n",
        tmp_path,
    )
    assert list(found) == ["What is Mixture-of-Experts?"]


def test_a_sentence_that_tells_the_reader_the_posts_plan_is_no_cloze(tmp_path: Path) -> None:
    notes = _notes(
        "## Intro\n\n"
        'In this post, we will explore a word embedding algorithm called "FastText" by Bojanowski et al.\n\n'
        'Bojanowski et al. proposed an embedding that splits words into n-grams, called "subword vectors".\n',
        tmp_path,
    )
    assert [n.front.count("{{c1::") for n in notes] == [1]
    assert "subword vectors" in notes[0].front


def test_a_reviews_preamble_is_not_what_its_paper_is_about(tmp_path: Path) -> None:
    notes = _notes(
        "## Introduction\n\n"
        "들어가기 전에 DCGAN에 대해서 알고 계시는 편을 추천합니다. 이 글을 참조하세요\n\n"
        "## Conclusion\n\n정상 데이터로 DCGAN을 학습시킨 뒤 잠재 공간에서 이상치를 찾는다.\n",
        tmp_path,
        title="AnoGAN 논문 리뷰",
    )
    assert [n.back for n in notes if n.kind == "paper"] == []


def test_a_version_is_asked_in_what_it_is_a_version_of_and_bold_symbols_are_a_legend(tmp_path: Path) -> None:
    notes = _notes(
        "## DeepLab\n\n"
        "- v1: Atrous convolution과 후처리로 FC-CRF를 제안\n"
        "- v2: Atrous Convolution을 다양한 rate로 적용하는 ASPP 제안\n\n"
        "## MDP\n\n"
        "위의 각각의 요소를 자세히 나누면 다음과 같다.\n\n"
        "- **S**: 상태(State)들의 집합\n- **A**: 행동(Action)들의 집합\n- **R**: 보상(Reward)들의 집합\n",
        tmp_path,
    )
    assert [n.front for n in notes] == ["DeepLab에서 v1은(는) 무엇인가?", "DeepLab에서 v2은(는) 무엇인가?"]


# Round 25's findings (the eighth fresh set, judged at b20e756).


def test_ratings_files_and_places_in_a_listing_are_no_definitions(tmp_path: Path) -> None:
    found = _definitions(
        "## Notes\n\n"
        "- **화질**: 8.0/10, 선명하고 색감이 좋은 편이다\n"
        "- **_posts**: 글이 저장되는 폴더로 날짜-제목 형식의 파일을 둔다\n"
        "- **Line 9**: gradient에 noise를 더해 privacy를 보장하는 단계\n"
        "- **Clipping**: gradient의 크기를 제한하는 연산이다\n"
        "- `__getitem__`: index를 받아 그 index의 sample을 반환하는 메서드\n",
        tmp_path,
    )
    assert list(found) == ["Clipping은(는) 무엇인가?", "__getitem__은(는) 무엇인가?"]


def test_a_term_marked_with_란_and_a_comma_is_defined(tmp_path: Path) -> None:
    found = _definitions(
        "## Denoising\n\n"
        "Low-rank matrix denoising이란, 관측된 행렬에서 잡음을 제거하여 low-rank 구조를 "
        "복원하는 문제를 말한다.\n",
        tmp_path,
    )
    assert list(found) == ["Low-rank matrix denoising은(는) 무엇인가?"]


def test_a_rhetorical_hook_is_no_question_and_a_bold_left_open_is_not_shown(tmp_path: Path) -> None:
    notes = _notes(
        "## 큰 데이터셋을 가지고 있지 않으면 어떨까요?\n\n-> 각각의 질병, 각각의 로봇마다 데이터가 적다.\n\n"
        "## 서로 다른 군집을 연결하는 간선을 찾는 방법?**\n\n"
        "간선의 매개 중심성이 높은 것이 다리 역할을 한다.\n\n"
        "## Notes\n\nSample efficiency: 우리는 가능한 적은 수의 셀들을 훈련하고 평가하기 원한다.\n",
        tmp_path,
    )
    assert [n.front for n in notes] == ["서로 다른 군집을 연결하는 간선을 찾는 방법?"]


def test_a_definition_that_leans_on_an_earlier_post_is_no_definition(tmp_path: Path) -> None:
    found = _definitions(
        "## 인과\n\n"
        "- **Intervention**: [이전 글](https://example.com/a)에서도 잠시 언급했다시피 고정하는 조작이다.\n"
        "- **Confounder**: 처치와 결과 모두에 영향을 주는 변수이다.\n",
        tmp_path,
    )
    assert list(found) == ["Confounder은(는) 무엇인가?"]


def test_a_term_named_in_bold_with_an_english_gloss_is_a_cloze_unless_its_condition_is_not_shown(
    tmp_path: Path,
) -> None:
    notes = _notes(
        "## 위상공간\n\n"
        "위상공간 X의 각 점에 대한 기저가 가산일때, 이를 **제1가산공간**<sup>first countable space</sup>"
        "이라고 한다.\n\n"
        "거리공간에서의 사상 T에 대해 다음이 성립하는 c<1 이 존재한다면 이러한 사상을 "
        "**축약사상**<sup>contraction</sup> 이라고 한다.\n",
        tmp_path,
    )
    assert [n.front.count("{{c1::<strong>제1가산공간</strong>}}") for n in notes] == [1]


def test_what_a_term_is_asked_by_its_heading_is_answered_by_the_first_point(tmp_path: Path) -> None:
    notes = _notes(
        "## 1-1. 미분이 뭔가요?\n\n"
        "- 변수의 움직임에 따른 함수값의 변화를 측정하기 위한 도구로 최적화에서 제일 많이 쓰는 기법이다.\n"
        "- 미분은 sympy.diff로 계산할 수 있다.\n"
        "- 한 점에서의 접선의 기울기와 같다.\n\n"
        "## 기울기 소실의 해결책은?\n\n- Truncated BPTT를 쓴다.\n- LSTM이나 GRU를 쓴다.\n",
        tmp_path,
    )
    answers = {n.front: n.back for n in notes if n.kind == "question"}
    assert (
        answers["미분이 뭔가요?"]
        == "변수의 움직임에 따른 함수값의 변화를 측정하기 위한 도구로 최적화에서 제일 많이 쓰는 기법이다."
    )
    assert "GRU" in answers["기울기 소실의 해결책은?"]
