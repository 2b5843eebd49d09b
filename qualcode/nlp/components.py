"""qualcode's spaCy component that corrects the rule-based sentencizer on transcripts.

spaCy's sentencizer splits after every "." / "?" / "!" token and starts the next sentence
at the first non-punctuation token. On interview transcripts that goes wrong for:

- abbreviations the tokenizer splits off ("approx." "No." "vs.") -> no split after them;
- abbreviation tokens that swallow the final period ("a.m.", "U.S.", "etc.") -> the
  sentencizer never splits after them, even when a new sentence clearly begins
  ("...in the U.S. Then I moved") -> split when the next word is a capitalised
  function word (The, I, We, Then, But...), not for "the U.S. Army";
- non-verbal annotations after a sentence ("I don't know. [laughs] It was") -> the
  sentencizer cuts inside the brackets; the annotation belongs to the sentence it follows;
- a period followed by a lower-case word ("approx. five", "etc. and") -> no split;
- a quoted question inside a sentence ('ask "how do you know?", and', '"why?" he said')
  -> no split after a comma, nor before a lower-case word after the closing quote;
- Japanese quotes closed after the period (「はい。」と言った) -> no split;
- a quote opened right after the period (。「はい」, 。“…”, 。※注, left. "Why) -> the
  sentencizer puts the opening mark at the end of the sentence before; it starts the next.

Titles the tokenizer keeps whole ("Dr.", "Mr.") and ellipses ("...", "…") are never split
on by the sentencizer, and "--" is not sentence punctuation, so those need no rule.
The component only visits sentence starts and a handful of candidate tokens found with
numpy, so it adds little to the tokenizer's cost.
"""

from __future__ import annotations

import numpy as np
from spacy.attrs import LOWER, SENT_START
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language

# Never a sentence end when followed by more text ("Prof. Lee", "approx. 10", "vs. them").
NO_SPLIT_AFTER = frozenset(
    """
dr mr mrs ms mx prof st rev fr gen col capt cpt lt sgt hon mt ft messrs mme mlle
vs approx ca cf viz incl esp resp dept univ assoc asst ave blvd eds
""".split()
)
# Not a sentence end before a number ("No. 5", "Fig. 2") - but "No. I think" is an answer.
BEFORE_NUMBER = frozenset("no nos vol vols fig figs pp ch sec art est tel ref".split())
# May end a sentence: split only when a capitalised function word follows.
MAY_END = frozenset(
    """
etc al a.m. p.m. am. pm. u.s. u.k. u.n. e.u. u.s.a. inc. ltd. co. corp. jr. sr. ph.d.
m.d. b.a. m.a. b.sc. m.sc. d.c. l.a. n.y. etc. jr sr
""".split()
)
STARTERS = frozenset(w for w in STOP_WORDS if w.isalpha())
OPENING = frozenset("[(（［｛{")
CLOSING = frozenset("])）］｝}")
JA_CLOSING_QUOTES = frozenset("」』")
# Marks that only ever open what follows: Japanese quotes and brackets, curly quotes, the
# reference mark ※ (a note). Straight quotes open only with a space before and none after.
OPENING_QUOTES = frozenset("「『“‘《〈【〔※")
STRAIGHT_QUOTES = frozenset("\"'")
CONTINUING = frozenset(",;、")  # a sentence never starts right after these
_LOOKBACK = 6  # tokens between the sentence-final punctuation and the next start
_BRACKET_REACH = 15  # longest annotation we re-attach, in tokens


@Language.component("qualcode_sentence_fixer")
def qualcode_sentence_fixer(doc):
    n = len(doc)
    if n < 2:
        return doc
    sent_start = doc.to_array(SENT_START).view(np.int64)
    for i in np.flatnonzero(sent_start[1:] == 1) + 1:
        _review_start(doc, int(i), n)
    _split_after_abbreviations(doc, n)
    return doc


def _review_start(doc, i: int, n: int) -> None:
    """Undo or move the sentencizer's start at token i when one of the rules says so."""
    p = i - 1  # the sentence-final punctuation: walk back over quotes, brackets, spaces
    while p > 0 and i - p < _LOOKBACK and doc[p].text not in _FINAL:
        p -= 1
    if doc[p].text not in _FINAL:
        return
    between = [doc[k] for k in range(p + 1, i)]
    quote = next((t for t in between if _opens_quote(t)), None)
    if quote is not None:
        doc[i].is_sent_start = False
        doc[quote.i].is_sent_start = True
        return
    opened = [t for t in between if t.text in OPENING]
    if opened:
        _move_past_annotation(doc, i, n, opened[-1].i)
        return
    if (
        any(t.text in JA_CLOSING_QUOTES for t in between)
        and not doc[i - 1].whitespace_
        and not doc[i].is_space
    ):
        doc[i].is_sent_start = False
        return
    first = doc[i]
    if first.is_space and i + 1 < n:
        first = doc[i + 1]
    last = next((t for t in reversed(between) if not t.is_space), None)
    if last is not None and last.text in CONTINUING:
        doc[i].is_sent_start = False  # 'always ask "how do you know?", and let...'
        return
    if doc[p].text != "." and not (between and first.text[:1].islower()):
        return
    if first.text[:1].islower():
        doc[i].is_sent_start = False  # "approx. five", 'he asked "why?" and left'
        return
    if p > 0 and not doc[p - 1].whitespace_:
        word = doc[p - 1].lower_
        if (
            word in NO_SPLIT_AFTER
            or (word in BEFORE_NUMBER and first.text[:1].isdigit())
            or (word in MAY_END and not _starts_sentence(first))
        ):
            doc[i].is_sent_start = False


def _move_past_annotation(doc, i: int, n: int, open_at: int) -> None:
    """The sentencizer started a sentence inside "[laughs]": start after "]" instead."""
    close = next((k for k in range(i, min(n, i + _BRACKET_REACH)) if doc[k].text in CLOSING), None)
    doc[i].is_sent_start = False
    if close is None:
        doc[open_at].is_sent_start = True  # unclosed bracket: it opens the next sentence
        return
    k = close + 1
    while k < n and (doc[k].is_space or doc[k].text in CLOSING):
        k += 1
    if k < n:
        for j in range(close + 1, k):
            doc[j].is_sent_start = False
        doc[k].is_sent_start = True


def _split_after_abbreviations(doc, n: int) -> None:
    hashes = _may_end_hashes(doc.vocab)
    # A set lookup over the list beats np.isin on turn-sized docs (~100 tokens).
    candidates = [k for k, h in enumerate(doc.to_array(LOWER).tolist()) if h in hashes]
    for k in candidates:
        j = k + 1
        while j < n and doc[j].is_space:
            j += 1
        if j < n and doc[k].whitespace_ and _starts_sentence(doc[j]):
            doc[j].is_sent_start = True


def _opens_quote(token) -> bool:
    """An opening quote (or a note mark ※): one of the unambiguous opening marks, or a
    straight quote with a space before it and none after ('left. "Why')."""
    if token.text in OPENING_QUOTES:
        return True
    return (
        token.text in STRAIGHT_QUOTES
        and token.i > 0
        and bool(token.doc[token.i - 1].whitespace_)
        and not token.whitespace_
    )


def _starts_sentence(token) -> bool:
    text = token.text
    return text[:1].isupper() and token.lower_ in STARTERS


_FINAL = frozenset(".?!。！？")
_hash_cache: dict[int, frozenset[int]] = {}


def _may_end_hashes(vocab) -> frozenset[int]:
    key = id(vocab.strings)
    if key not in _hash_cache:
        _hash_cache[key] = frozenset(vocab.strings.add(w) for w in MAY_END)
    return _hash_cache[key]


# A parser's sentence start is kept where the token before it can end a Japanese sentence:
# a predicate (verb, adjective, auxiliary), a final particle, or a symbol such as ☆ or ♪.
# Starts after a noun were mostly wrong on UD_Japanese-GSD dev (a compound noun cut in two:
# "東京貝類|同好会"), while those after a predicate with no 。 were right ("でした|駅から").
# (Not the POS SYM: ja_ginza tags some katakana names SYM.)
PREDICATE_ENDS = frozenset({"VERB", "AUX", "ADJ", "PART"})
FINAL_SYMBOLS = frozenset("☆★♪♡♥")


@Language.factory("qualcode_parser_sentences")
def make_parser_sentences(nlp, name):
    """Sentence starts of a trained pipeline: qualcode's punctuation rules (sentencizer +
    qualcode_sentence_fixer, more precise than the parser on punctuated text), plus the
    parser's starts that follow a predicate end (PREDICATE_ENDS, FINAL_SYMBOLS) where no punctuation
    marks one. bench/ja_sentences.py measures it (chosen on UD_Japanese-GSD dev, reported
    on test). Returns a new Doc with the same tokens, POS and lemmas, and no dependency
    parse (spaCy refuses to move the starts of a parsed Doc; nothing in qualcode uses
    the parse)."""
    from spacy.pipeline import Sentencizer

    sentencizer = Sentencizer()

    def parser_sentences(doc):
        from spacy.tokens import Doc

        if len(doc) < 2:
            return doc
        parsed = {t.i for t in doc if t.i and t.is_sent_start}
        out = Doc(
            doc.vocab,
            words=[t.text for t in doc],
            spaces=[bool(t.whitespace_) for t in doc],
            pos=[t.pos_ or "X" for t in doc],
            lemmas=[t.lemma_ for t in doc],
        )
        out.user_data = doc.user_data
        out._context = doc._context  # nlp.pipe(as_tuples=True) reads it back from the Doc
        qualcode_sentence_fixer(sentencizer(out))
        for i in sorted(parsed):
            before = doc[i - 1]
            if not out[i].is_sent_start and (
                before.pos_ in PREDICATE_ENDS or before.text in FINAL_SYMBOLS
            ):
                out[i].is_sent_start = True
        return out

    return parser_sentences
