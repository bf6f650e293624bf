"""Not study material: install and run steps, project logistics, release notes, dataset column
lists, contest-problem statements and blog meta. Each makes no note, and `-v` says why.

A section is judged by its heading; a whole post by its headings together (a contest problem has
"입력" and "출력", a problem statement and a solution) or by its front matter's categories.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from flashgen.extract import shapes
from flashgen.extract.common import Found, PostContext, with_blocks
from flashgen.extract.papers import PAPER_META
from flashgen.model import Block, ListBlock, Paragraph, Post, Section

_SECTION = re.compile(
    r"^(?:(?:설치|설치\s*방법|환경\s*(?:설정|구성|세팅)?|개발\s*환경|실행(?:\s*방법)?|사용\s*방법|사용법|빌드|배포|"
    r"준비물?|요구\s*사항|의존성|프로젝트\s*(?:구조|소개|개요|일정)|폴더\s*구조|디렉토리\s*구조|파일\s*구조|"
    r"데이터\s*(?:셋\s*)?(?:구조|컬럼|칼럼|설명|명세)|컬럼\s*설명|변수\s*설명|업데이트\s*내역|변경\s*(?:사항|내역)|"
    r"공지|광고|구독|댓글|문의|예제\s*입력\s*\d*|예제\s*출력\s*\d*|입력|출력|제한|시간\s*제한|메모리\s*제한|"
    r"소스\s*코드|전체\s*코드|코드|코드\s*구현|구현\s*코드|실행\s*결과|출력\s*결과|"
    r"(?:experiment|실험)\s*(?:환경|설정|세팅)|학습\s*(?:환경|설정|세팅)|구현\s*(?:세부\s*사항|상세)|하이퍼\s*파라미터)"
    r"|(?:installation|install(?:ing)?|setup|set\s*up|getting\s+started|requirements|prerequisites|dependencies|"
    r"environment|usage|how\s+to\s+(?:run|use|install)|running(?:\s+the\s+code)?|build(?:ing)?|deployment|"
    r"project\s+(?:structure|layout|setup)|folder\s+structure|directory\s+structure|file\s+structure|"
    r"changelog|change\s*log|release\s+notes|what'?s\s+new|updates?|announcements?|acknowledge?ments?|"
    r"thanks|subscribe|comments|contribute|contributing|discuss|feedback|sample\s+input\s*\d*|sample\s+output\s*\d*|input|output|constraints|"
    r"(?:full|source|complete)\s+code|code|implementation\s+code|data\s+dictionary|columns|schema|license|"
    r"experiment(?:al)?\s+(?:setup|settings?|details|environment)|implementation\s+details|training\s+details|"
    r"baselines?|hyper-?\s*parameters?))$",
    re.IGNORECASE,
)
# The settings of a paper's experiments (inside _SECTION too): their prose may define terms.
_PAPERS_SETTING = re.compile(
    r"^(?:setup|set\s*up|experiment(?:al)?\s+(?:setup|settings?|details)|implementation\s+details|training\s+details|"
    r"(?:experiment|실험)\s*(?:설정|세팅)|학습\s*(?:설정|세팅)|구현\s*(?:세부\s*사항|상세))$",
    re.IGNORECASE,
)
# A study group's or a bootcamp's own business: peer sessions and their minutes, office hours,
# mentoring, company days, team rules, to-do lists.
_LOGISTICS = re.compile(
    r"^(?:스페셜\s*)?(?:피어\s*세션|회의록|오피스\s*아워|컴퍼니\s*데이|멘토링|멘토\s*피드백|마스터\s*클래스|두런두런|타운\s*홀|"
    r"팀\s*(?:회고|빌딩|규칙|회의)|그라운드\s*룰|협업\s*(?:룰|규칙)|데일리\s*스크럼|스크럼|과제\s*(?:진행|제출|진행\s*상황)|"
    r"오늘의\s*(?:목표|할\s*일)|내일\s*할\s*일|할\s*일|to-?do|peer\s*sessions?|office\s*hours?|mentoring|"
    r"company\s*day|town\s*hall|stand-?up|meeting\s*notes|minutes|"
    # what the writer means to study next, and a course's or a job's own business
    r"(?:더|추가로|앞으로)\s*공부할\s*(?:내용|것)|공부할\s*것|to\s+study|course\s+logistics|grading|logistics|"
    r"이력서|면접(?:\s*준비)?|resume|interview(?:\s+prep(?:aration)?)?)\b",
    re.IGNORECASE,
)
# Worked examples and exercises: the steps of one calculation, not a fact to recall.
_WORKED = re.compile(
    r"^(?:예시|예제|실습|연습\s*문제|문제\s*풀이|문제\s*\d|풀이|코드\s*(?:설명|리뷰)|example(?:s)?\b|worked\s+example|exercises?\b|"
    r"hands[\s-]*on|walkthrough|demo\b|tutorial\b|lab\b|practice\b|illustrations?\b)",
    re.IGNORECASE,
)
# The headings of a contest-problem post (Baekjoon, LeetCode…): the statement, its I/O, a solution.
_PROBLEM_PARTS = re.compile(
    r"^(?:문제|입력|출력|예제\s*입력|예제\s*출력|problem|input|output|sample\s+input|example\s+\d+)", re.I
)
_PROBLEM_CATEGORY = re.compile(
    r"^(?:baekjoon|백준|boj|leetcode|programmers|프로그래머스|codeforces|atcoder|swea|hackerrank|ps|"
    r"problem[\s_-]*solving|알고리즘\s*문제|코딩\s*테스트|coding[\s_-]*test)$",
    re.IGNORECASE,
)

# A project's write-up (its data, cleaning steps, scores), a portfolio entry or a competition log.
_PROJECT_CATEGORY = re.compile(
    r"^(?:projects?|프로젝트|portfolio|포트폴리오|side[\s_-]*projects?|사이드\s*프로젝트|토이\s*프로젝트|"
    r"kaggle|캐글|competitions?|hackathons?|해커톤)$",
    re.IGNORECASE,
)


def _as_prose(blocks: Iterable[Block]) -> Iterator[Paragraph]:
    """A section's paragraphs, and its points as paragraphs of their own ("* Degree of generality
    … is defined as …"): read for definitions, never as lists to recite."""
    for block in blocks:
        if isinstance(block, Paragraph):
            yield block
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield Paragraph(item.line, item.inline)
                yield from _as_prose(item.children)


def post_reason(post: Post, sections: tuple[Section, ...]) -> str | None:
    """Why a whole post is no study material, or None: a contest problem and its solution, a
    project log (by its categories), or an install/setup guide (by its title, or by how much of
    it is shell commands)."""
    if any(_PROBLEM_CATEGORY.match(value) for value in (*post.categories, *post.tags)):
        return "a contest problem and its solution (by its categories); no notes"
    if any(_PROJECT_CATEGORY.match(value) for value in (*post.categories, *post.tags)):
        return "a project log or portfolio entry (by its categories); no notes"
    parts = {m.group(0).casefold()[:2] for s in sections if (m := _PROBLEM_PARTS.match(s.title))}
    if len(parts) >= 3:  # 문제, 입력, 출력 (or problem, input, output)
        return "a contest problem and its solution (by its headings); no notes"
    if _RETROSPECTIVE_TITLE.search(post.title) and not _REVIEWS_A_PAPER.search(post.title):
        return "a retrospective (by its title): the author's story, not study notes; no notes"
    if _SETUP_TITLE.search(post.title) and not _ASKS_WHAT_TITLE.search(post.title):
        return "an install or setup guide (by its title); no notes"
    if _TASTE_TITLE.search(post.title):
        return "a list of the author's picks (films, books, music; by its title), not study notes; no notes"
    items = [
        item.inline.text for s in sections for b in s.blocks if isinstance(b, ListBlock) for item in b.items
    ]
    commands = sum(shapes.is_command(text) for text in items)
    if commands >= 3 and commands >= 0.3 * len(items):
        return "an install or setup guide (most of its bullets are shell commands); no notes"
    return None


# "List of good films", "내가 좋아하는 책 목록", "2020 reading list": the author's taste, not study.
_TASTE_TITLE = re.compile(
    r"\b(?:films?|movies?|songs?|music|albums?|tv\s+shows?|dramas?|novels?|games?)\b.*\b(?:list|to\s+watch|i\s+(?:like|love))\b|"
    r"\b(?:list\s+of|my\s+(?:favou?rite|top))\s+(?:\w+\s+){0,2}(?:films?|movies?|books?|songs?|music|albums?|novels?|games?)\b|"
    r"\breading\s+list\b|(?:영화|드라마|노래|음악|앨범|소설|게임)\s*(?:목록|리스트|추천)|추천\s*(?:영화|드라마|노래|음악|책|도서)",
    re.IGNORECASE,
)
# A post that walks through installing or configuring something.
# "2021년 상반기 회고", "My 2020 retrospective", "1년을 돌아보며": the author's story.
_RETROSPECTIVE_TITLE = re.compile(
    r"회고|돌아보며|되돌아보며|\b(?:retrospective|year\s+in\s+review|looking\s+back)\b", re.IGNORECASE
)
# …unless the title says it also holds notes: "교류회 or 취업 세미나, 전반기 회고", "논문 리뷰".
_REVIEWS_A_PAPER = re.compile(
    r"논문|paper|세미나|강의|정리|스터디|요약|seminar|lecture|notes|study", re.IGNORECASE
)
# "Docker란? Docker 설치와 사용", "What is Docker and how to install it": it explains the tool first.
_ASKS_WHAT_TITLE = re.compile(r"(?:이란|란)\s*[?？]|무엇인가|\bwhat\s+(?:is|are)\b", re.IGNORECASE)
_SETUP_TITLE = re.compile(
    r"설치|세팅|배포|환경\s*(?:구축|설정|세팅|구성)|(?:에러|오류)\s*해결|"
    r"\b(?:install(?:ation|ing)?|set(?:ting)?[\s-]?up|settings|configuration|configuring|troubleshoot(?:ing)?|"
    r"deploy(?:ment|ing)?)\b",
    re.IGNORECASE,
)


def rule(section: Section, context: PostContext) -> Found | None:
    if context.skipped_post:
        if section is context.sections[0]:
            return Found(notices=((0, context.skipped_post),))
        return Found()
    if section.title and _PAPERS_SETTING.match(section.title):
        # A paper's setup or implementation details: its settings lists are no study material, but
        # the terms its prose defines are ("The warmup refers to …"), read by the later rules.
        prose = list(_as_prose(section.blocks))
        notice = (section.line, f"“{section.title}” lists settings; only definitions in its prose are read")
        return Found(rest=with_blocks(section, prose) if prose else None, notices=(notice,))
    if logistics := next((title for title in section.path if _LOGISTICS.match(title)), None):
        # under "## 피어세션", "### 대회 진행상황 공유" is the group's business too
        why = f"“{logistics}” is a study group's or bootcamp's logistics; no notes"
        return Found(notices=((section.line, why),))
    if section.title and PAPER_META.match(section.title):
        return Found(notices=((section.line, f"“{section.title}” is the paper's links and dates; no notes"),))
    if section.title and (_SECTION.match(section.title) or _WORKED.match(section.title)):
        return Found(
            notices=(
                (
                    section.line,
                    f"“{section.title}” is setup, code, a worked example or project notes; no notes",
                ),
            )
        )
    return None
