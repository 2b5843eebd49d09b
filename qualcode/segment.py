"""Segmentation of documents into units: speaker turns, paragraphs and sentences.

Turn detection is the importer's (qualcode.ingest gives `turns` on each text); this
module turns them into stored units. Sentences come from a spaCy pipeline (see
qualcode.nlp.pipeline: blank language + sentencizer + qualcode's boundary fixer), run
with `nlp.pipe` over pieces of the documents (turn bodies, paragraphs, cut further when
too long), so that no sentence crosses a turn or includes a speaker label.

All offsets are code points into the document text, end exclusive. spaCy is imported
only inside the functions that need it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from qualcode.nlp.pieces import Span, paragraph_spans, pieces, regions

Progress = Callable[[int, int], None]
DocumentInput = "str | tuple[str, Sequence | None]"

__all__ = [
    "sentence_spans",
    "turn_spans",
    "paragraph_spans",
    "doc_sentence_offsets",
    "topic_shifts",
    "TopicShift",
    "Span",
]


def turn_spans(text: str, turns: Sequence | None) -> list[Span]:
    """Each turn's body (speaker label and surrounding whitespace excluded)."""
    return regions(text, turns) if turns else []


def sentence_spans(
    documents: Iterable,
    lang: str = "en",
    *,
    model: str | None = None,
    progress: Progress | None = None,
    batch_size: int = 256,
    nlp=None,
    characters: Progress | None = None,
) -> list[list[Span]]:
    """Sentence spans of each document, in document order.

    `documents` holds plain texts or (text, turns) pairs; turns are importer Turns (or
    (start, end, speaker) tuples). `progress(done, total)` is called as documents finish,
    so the TUI can show it from a worker thread; `characters(done, total)` is called with
    the characters segmented so far, about every hundredth of them and at the end (a
    single long document with a slow trained pipeline shows progress too).
    """
    docs = [d if isinstance(d, tuple) else (d, None) for d in documents]
    if nlp is None:
        from qualcode.nlp.pipeline import make_pipeline

        nlp = make_pipeline(lang, model)
    result: list[list[Span]] = [[] for _ in docs]
    total = len(docs)
    every = max(1, total // 100)

    def piece_stream():
        for index, (text, turns) in enumerate(docs):
            for start, end in pieces(text, turns, lang):
                piece = text[start:end]
                yield piece, (index, start, piece)

    done = 0
    before = [0]  # characters of the documents before each one
    for text, _ in docs:
        before.append(before[-1] + len(text))
    step = max(1, before[-1] // 100)
    mark = step
    for doc, (index, base, piece) in nlp.pipe(
        piece_stream(), as_tuples=True, batch_size=batch_size
    ):
        result[index].extend((base + s, base + e) for s, e in doc_sentence_offsets(doc, piece))
        if progress is not None and index > done:
            done = index  # every document before this one is finished
            if done % every == 0:
                progress(done, total)
        if characters is not None and before[index] + base + len(piece) >= mark:
            characters(before[index] + base + len(piece), before[-1])
            mark = before[index] + base + len(piece) + step
    if progress is not None:
        progress(total, total)
    if characters is not None:
        characters(before[-1], before[-1])
    return result


def doc_sentence_offsets(doc, text: str | None = None) -> list[Span]:
    """Character spans of a processed Doc's sentences, whitespace trimmed at both ends.

    Pass the text the Doc was made from when at hand: `doc.text` rebuilds it token by
    token, which costs as much as the sentencizer."""
    import numpy as np
    from spacy.attrs import IDX, SENT_START

    text = doc.text if text is None else text
    if not text:
        return []
    arr = doc.to_array([SENT_START, IDX]).view(np.int64)
    starts = arr[arr[:, 0] == 1, 1].tolist()
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    starts.append(len(text))
    out: list[Span] = []
    for start, end in zip(starts, starts[1:]):
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append((start, end))
    return out


LONG_TURN_WORDS = 400  # a turn this long may change topic inside (a monologue)


@dataclass(frozen=True)
class TopicShift:
    """A proposed excerpt boundary: `offset` (code point where the new topic starts) and
    `strength` in 0..1 (1 = the strongest proposal in the text asked about)."""

    offset: int
    strength: float


def topic_shifts(
    text: str,
    sentences: Sequence[Span],
    lang: str = "en",
    *,
    turns: Sequence | None = None,
    model: str | None = None,
    nlp=None,
    **choice,
) -> list[TopicShift]:
    """Where a new topic seems to start, in text order: proposed excerpt boundaries.

    `sentences` are the sentence spans (start, end) of the text (or of a part of it) in
    order; `turns` its speaker turns ((start, end, speaker) or importer Turns), if any.
    Candidates are turn starts; a turn of over LONG_TURN_WORDS words, and text outside
    turns, is split at its sentence starts too (a turn start still scores higher). Each
    proposal is the start of one sentence. `choice` may override `words_per_topic` and
    `min_gap_words` of qualcode.nlp.topics.topic_boundaries (method and sources there).
    """
    from qualcode.nlp.pieces import turn_body, turn_fields
    from qualcode.nlp.topics import make_units, topic_boundaries

    if nlp is None:
        from qualcode.nlp.pipeline import make_pipeline

        nlp = make_pipeline(lang, model)
    bodies = sorted(
        (turn_body(text, t) + (turn_fields(t)[2],) for t in turns or ()), key=lambda b: b[0]
    )
    # Units: a whole turn, or each sentence of a long turn (LONG_TURN_WORDS) or of text
    # outside turns; a unit is (first sentence index, last sentence index, starts turn).
    groups: list[list[int]] = []
    owner: list[int] = []
    next_turn = 0
    for i, (start, _) in enumerate(sentences):
        while next_turn < len(bodies) and bodies[next_turn][0] <= start:
            next_turn += 1
        turn = next_turn - 1
        inside = turn >= 0 and start < bodies[turn][1]
        if inside and owner and owner[-1] == turn:
            groups[-1].append(i)
        else:
            groups.append([i])
            owner.append(turn if inside else -1)
    units_spans: list[tuple[int, bool, str | None]] = []  # (sentence index, turn start, speaker)
    for group, turn in zip(groups, owner):
        speaker = bodies[turn][2] if turn >= 0 else None
        first, last = sentences[group[0]][0], sentences[group[-1]][1]
        if turn >= 0 and len(text[first:last].split()) <= LONG_TURN_WORDS:
            units_spans.append((group[0], True, speaker))
        else:
            units_spans += [(i, turn >= 0 and n == 0, speaker) for n, i in enumerate(group)]
    ends = [u[0] for u in units_spans[1:]] + [len(sentences)]
    unit_texts = [
        text[sentences[u[0]][0] : sentences[end - 1][1]] for u, end in zip(units_spans, ends)
    ]
    units = make_units(nlp, unit_texts, [u[1] for u in units_spans], [u[2] for u in units_spans])
    return [
        TopicShift(sentences[units_spans[b.index][0]][0], b.strength)
        for b in topic_boundaries(units, **choice)
    ]
