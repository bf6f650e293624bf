"""A synthetic blog for the benchmark, deterministic for a seed.

    python benchmarks/generate.py OUT [--posts 1000] [--seed 1]

writes OUT/_posts/*.md (about 8 KB each: front matter with title and tags; ten sections, some
`?` headings, paragraphs with inline math, nested bullet lists, a table and a code block) and
OUT/ankdown/*.md, the same questions and answers in ankdown's own syntax (front % back % tags,
cards separated by ---), so both tools build the same material.
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass
from pathlib import Path

WORDS = (  # noqa: SIM905 - a sentence of words reads better than a list of strings
    "gradient descent attention encoder decoder kernel matrix vector tensor entropy loss batch "
    "layer norm dropout residual token embedding softmax scale head query key value memory cache "
    "page process thread lock queue graph tree heap stack hash index shard replica leader vote "
    "term commit log snapshot latency throughput bandwidth packet socket route frame window"
).split()
HANGUL = (  # noqa: SIM905
    "학습 모델 데이터 손실 함수 최적화 구조 계층 정규화 가중치 편향 분산 평균 확률 분포 표본 추정 검증"
).split()
TAGS = [f"topic-{n}" for n in range(40)]


@dataclass(frozen=True)
class Card:
    front: str
    back: str


def _sentence(rnd: random.Random, words: int) -> str:
    pool = WORDS if rnd.random() < 0.7 else HANGUL
    text = " ".join(rnd.choice(pool) for _ in range(words))
    return text[0].upper() + text[1:]


def _math(rnd: random.Random) -> str:
    a, b = rnd.choice("xyzw"), rnd.randint(2, 9)
    return f"${a}^{b} + \\frac{{{a}}}{{{b}}}$"


def post(rnd: random.Random, number: int) -> tuple[str, list[Card], list[str]]:
    """One post's Markdown, the cards it should make, and its tags."""
    title = f"Notes {number}: {_sentence(rnd, 4)}"
    tags = sorted(rnd.sample(TAGS, 3))
    lines = [
        "---",
        f'title: "{title}"',
        f"tags: [{', '.join(tags)}]",
        f"categories: [{rnd.choice(['ml', 'systems', 'math'])}]",
        f"date: 2024-{1 + number % 12:02d}-{1 + number % 28:02d}",
        "---",
        "",
        _sentence(rnd, 60) + ".",
        "",
    ]
    cards: list[Card] = []
    for section in range(10):
        kind = section % 5
        if kind == 0:  # a question heading answered by a paragraph with inline math
            question = f"Why does {_sentence(rnd, 3).lower()} matter ({number}.{section})?"
            answer = f"{_sentence(rnd, 18)} {_math(rnd)} {_sentence(rnd, 10)}."
            lines += [f"## {question}", "", answer, ""]
            cards.append(Card(question, answer))
        elif kind == 1:  # a nested bullet list
            head = f"{_sentence(rnd, 3)} {number}.{section}"
            lines += [f"## {head}", "", "The main points are:", ""]
            points = []
            for item in range(rnd.randint(3, 5)):
                point = f"{_sentence(rnd, 5)} {item}"
                points.append(point)
                lines.append(f"- {point}")
                for sub in range(rnd.randint(0, 2)):
                    lines.append(f"  - {_sentence(rnd, 6)} {_math(rnd)} {sub}")
            lines.append("")
            cards.append(Card(f"{head}: the main points?", "<br>".join(points)))
        elif kind == 2:  # prose with inline math: no card
            lines += [f"## {_sentence(rnd, 3)}", ""]
            for _ in range(4):
                lines += [f"{_sentence(rnd, 40)} {_math(rnd)} {_sentence(rnd, 25)}.", ""]
        elif kind == 3:  # a table and definitions
            term = f"{rnd.choice(WORDS).capitalize()}{number}x{section}"
            definition = _sentence(rnd, 10)
            lines += [
                f"## {_sentence(rnd, 2)} table",
                "",
                "| Name | Value | Note |",
                "|---|---|---|",
                *(f"| {rnd.choice(WORDS)} | {rnd.randint(1, 999)} | {_sentence(rnd, 4)} |" for _ in range(5)),
                "",
                f"- **{term}**: {definition}",
                f"- {term}b : {_sentence(rnd, 8)}",
                "",
            ]
            cards.append(Card(f"What is {term}?", definition))
        else:  # a code block and a closing paragraph
            lines += [
                f"## {_sentence(rnd, 2)} in code",
                "",
                "```python",
                *(f"def f{n}(x):\n    return x * {n}  # {rnd.choice(WORDS)}" for n in range(4)),
                "```",
                "",
                _sentence(rnd, 25) + ".",
                "",
            ]
    return "\n".join(lines) + "\n", cards, tags


def ankdown(cards: list[Card], tags: list[str]) -> str:
    return "\n---\n\n".join(f"{c.front}\n\n%\n\n{c.back}\n\n%\n\n{', '.join(tags)}\n" for c in cards)


def generate(out: Path, posts: int, seed: int) -> None:
    rnd = random.Random(seed)
    (out / "_posts").mkdir(parents=True, exist_ok=True)
    (out / "ankdown").mkdir(parents=True, exist_ok=True)
    for number in range(posts):
        text, cards, tags = post(rnd, number)
        name = f"2024-01-01-post-{number:05d}.md"
        (out / "_posts" / name).write_text(text, encoding="utf-8")
        (out / "ankdown" / name).write_text(ankdown(cards, tags), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.out, args.posts, args.seed)


if __name__ == "__main__":
    main()
