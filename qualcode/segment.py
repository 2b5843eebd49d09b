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

from qualcode.nlp.pieces import Span, paragraph_spans, pieces, regions

Progress = Callable[[int, int], None]
DocumentInput = "str | tuple[str, Sequence | None]"

__all__ = [
    "sentence_spans",
    "turn_spans",
    "paragraph_spans",
    "doc_sentence_offsets",
    "topic_shifts",
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
) -> list[list[Span]]:
    """Sentence spans of each document, in document order.

    `documents` holds plain texts or (text, turns) pairs; turns are importer Turns (or
    (start, end, speaker) tuples). `progress(done, total)` is called as documents finish,
    so the TUI can show it from a worker thread.
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
    for doc, (index, base, piece) in nlp.pipe(
        piece_stream(), as_tuples=True, batch_size=batch_size
    ):
        result[index].extend((base + s, base + e) for s, e in doc_sentence_offsets(doc, piece))
        if progress is not None and index > done:
            done = index  # every document before this one is finished
            if done % every == 0:
                progress(done, total)
    if progress is not None:
        progress(total, total)
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


def topic_shifts(
    text: str,
    sentences: Sequence[Span],
    lang: str = "en",
    *,
    model: str | None = None,
    nlp=None,
    block: int = 4,
) -> list[int]:
    """Offsets where a new topic seems to start: proposed excerpt boundaries.

    `sentences` are the document's (or a turn's) sentence spans in order; a proposal is
    always the start of one of them (TextTiling-style, see qualcode.nlp.topics).
    """
    from qualcode.nlp.topics import sentence_terms, topic_boundaries

    if nlp is None:
        from qualcode.nlp.pipeline import make_pipeline

        nlp = make_pipeline(lang, model)
    terms = sentence_terms(nlp, [text[s:e] for s, e in sentences])
    return [sentences[i][0] for i in topic_boundaries(terms, block=block)]
