"""Deterministic generated text for the benchmarks (no downloads, no real data).

`topic_documents` stitches passages about different topics into documents with known
boundaries; `transcript` writes a long interview transcript with speaker labels. The
vocabulary is written here by hand; sentences are drawn from templates with a seeded
random generator, with shared interview filler and some words borrowed from other
topics so that topics overlap as in real talk.
"""

from __future__ import annotations

import random

TOPICS = {
    "hospital": "ward nurse doctor patient bed shift surgery clinic admission discharge "
    "medication chart rounds emergency theatre consultant pager infection "
    "bedside diagnosis triage stethoscope intensive",
    "cooking": "kitchen recipe onion garlic pan oven bread flour butter spice soup sauce "
    "chopping knife roast vegetable dinner salt pepper baking dough simmer",
    "travel": "flight airport passport visa luggage train hotel ticket border journey "
    "suitcase delay departure arrival map tourist jetlag customs backpack route",
    "money": "salary rent loan debt budget savings bank tax expense scholarship fee "
    "account payment insurance cost grant income mortgage currency wage",
    "family": "mother father sister brother grandmother wedding child parent cousin "
    "uncle aunt household sibling daughter son baby relative birthday nephew",
    "language": "english grammar vocabulary accent translation interpreter dictionary "
    "fluency pronunciation phrase conversation dialect lesson sentence "
    "idiom speaking listening native tutor",
    "weather": "rain snow winter summer storm humidity heat temperature umbrella cloud "
    "wind season forecast monsoon typhoon frost sunshine freezing climate",
    "research": "laboratory experiment data hypothesis paper journal sample analysis "
    "statistics publication supervisor thesis protocol results conference "
    "method literature grant peer",
}
FILLER = (
    "think really people time thing way know mean actually lot feel remember "
    "basically quite kind sort guess day week year maybe something"
).split()
TEMPLATES = [
    "I think the {0} was {f} different from the {1}.",
    "We had to deal with the {0} and the {1} every {f}.",
    "You know, the {0} {f} changed how I saw the {1}.",
    "My {f} memory is the {0}, and then the {1} and the {2}.",
    "Honestly the {0} was the hardest {f}.",
    "There was a {0}, a {1} and a lot of {2}.",
    "So I {f} asked about the {0} before the {1}.",
    "It was about the {0}, I mean the {1}, {f}.",
    "Everyone talked about the {0} and the {2}.",
    "The {0} made the {1} easier, I {f} think.",
]
NOISE = 0.15  # share of topic slots filled with a word from another topic


def _sentence(rng: random.Random, topic: str) -> str:
    template = rng.choice(TEMPLATES)
    words = []
    for _ in range(3):
        source = topic if rng.random() > NOISE else rng.choice(list(TOPICS))
        words.append(rng.choice(TOPICS[source].split()))
    return template.format(*words, f=rng.choice(FILLER))


def topic_documents(n_docs: int = 300, seed: int = 7, segments=(3, 6), sentences=(4, 10)):
    """[(sentences, boundaries)]: boundaries are indices of sentences starting a new topic."""
    rng = random.Random(seed)
    out = []
    for _ in range(n_docs):
        sents, bounds, previous = [], [], None
        for s in range(rng.randint(*segments)):
            topic = rng.choice([t for t in TOPICS if t != previous])
            previous = topic
            if s:
                bounds.append(len(sents))
            sents.extend(_sentence(rng, topic) for _ in range(rng.randint(*sentences)))
        out.append((sents, bounds))
    return out


HARD_CASES = [
    "Dr. Tanaka said it was fine.",
    "I thought... well, maybe.",
    "I was -- I mean, I went.",
    "It was the U.S. system, you know.",
    "I don't know. [laughs]",
    "No.",
]


def transcript(n_words: int = 5000, seed: int = 0) -> tuple[str, list[tuple[int, int, str]], int]:
    """(text, turns as (start, end, speaker), word count) of an interview transcript."""
    rng = random.Random(seed)
    lines, turns, pos, words, minute = [], [], 0, 0, 0
    topic = rng.choice(list(TOPICS))
    while words < n_words:
        speaker = "Interviewer" if len(turns) % 2 == 0 else "R1"
        if rng.random() < 0.2:
            topic = rng.choice(list(TOPICS))
        sents = [
            _sentence(rng, topic) if rng.random() > 0.1 else rng.choice(HARD_CASES)
            for _ in range(rng.randint(1, 3) if speaker == "Interviewer" else rng.randint(2, 9))
        ]
        minute += 1
        line = f"[00:{minute // 60:02d}:{minute % 60:02d}] {speaker}: " + " ".join(sents)
        turns.append((pos, pos + len(line), speaker))
        words += sum(len(s.split()) for s in sents)
        lines.append(line)
        pos += len(line) + 2
    return "\n\n".join(lines), turns, words


if __name__ == "__main__":
    text, turns, words = transcript(200)
    print(text[:600], f"\n... {words} words, {len(turns)} turns")
