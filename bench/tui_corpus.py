"""A synthetic long interview for the TUI bench: ~50,000 words, one line per turn."""

from __future__ import annotations

import random

WORDS = (
    "the elective was really a turning point for me because I saw how doctors work "
    "in a different system and I think it changed my view of medicine and patients "
    "café Zoë Kraków naïve résumé we talked with the nurses every morning about care"
).split()
EXTRAS = ["[laughs]", "[inaudible 00:12:31]", "[bold]really[/bold]", "[red]", "[/]"]


def make_transcript(words: int = 50_000, seed: int = 7) -> str:
    rng = random.Random(seed)
    lines, count, turn = [], 0, 0
    while count < words:
        speaker = "Interviewer" if turn % 2 == 0 else "R7"
        sentences = []
        for _ in range(rng.randint(1, 2) if turn % 2 == 0 else rng.randint(2, 6)):
            n = rng.randint(6, 22)
            body = [rng.choice(WORDS) for _ in range(n)]
            if rng.random() < 0.2:
                body.insert(rng.randrange(n), rng.choice(EXTRAS))
            sentences.append(" ".join(body).capitalize() + rng.choice([".", ".", "?", "!"]))
            count += n
        lines.append(f"{speaker}: " + " ".join(sentences))
        turn += 1
    return "\n".join(lines)


def make_codings(sentences: list[tuple[int, int]], n: int = 2000, codes: int = 20, seed: int = 7):
    """(start, end, code_index) on sentence boundaries, 1-4 sentences long, many overlapping."""
    rng = random.Random(seed)
    result = []
    for _ in range(n):
        i = rng.randrange(len(sentences) - 4)
        j = i + rng.randint(0, 3)
        result.append((sentences[i][0], sentences[j][1], rng.randrange(codes)))
    return result
