"""Japanese sentence boundaries: GiNZA's trained pipeline (ja_ginza) against the blank one.

Data: a Universal Dependencies Japanese treebank in CoNLL-U (`# text =` lines give each
sentence, written by others, with its gold extent). UD_Japanese-GSD (sentences from
Google UDT 2.0: web and news text; CC BY-SA 4.0) is not shipped with qualcode nor in
../shared/fixtures; pass its files with --conllu (they are in the UD_Japanese-GSD
repository: ja_gsd-ud-test.conllu, ja_gsd-ud-dev.conllu). ja_ginza was trained on
UD_Japanese-BCCWJ and GSK2014-A, not on GSD; qualcode's rules were written before this
measurement, so no choice was made on these files.

Documents: the treebank's sentences in file order, `--per-doc` at a time, joined with
nothing between them (Japanese running text has no space after 。). A boundary is the
offset where a gold sentence starts (the first of each document excluded). Each system
runs through qualcode.segment.sentence_spans, as an import does. Figures: boundary
precision, recall and F1 (micro-averaged), and CPU time per 1,000 sentences.

Each file is measured as written, then with every 。！？!? removed (the case of a speech
transcript without punctuation, where rules have nothing to go on).

Systems: the trained pipeline (qualcode's default for Japanese when ja_ginza is
installed), the blank 'ja' pipeline with qualcode's rules (the fallback), and two
baselines: a split after every 。！？!? and no split at all.

Run: nice -n 10 .venv/bin/python bench/ja_sentences.py --conllu PATH [--conllu PATH2]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "fixtures" / "nlp" / "sentences_ja"
FINAL_MARK = re.compile(r"[。！？!?]+")


def read_sentences(path: Path) -> list[str]:
    """The `# text = ` sentence texts of a CoNLL-U file, in order."""
    with path.open(encoding="utf-8") as handle:
        return [
            line[len("# text = ") :].rstrip("\n") for line in handle if line.startswith("# text = ")
        ]


def documents(sentences: list[str], per_doc: int) -> list[tuple[str, set[int]]]:
    """(text, gold boundary offsets) of each run of `per_doc` sentences joined."""
    out = []
    for first in range(0, len(sentences), per_doc):
        group = sentences[first : first + per_doc]
        starts, offset = set(), 0
        for sentence in group:
            starts.add(offset)
            offset += len(sentence)
        out.append(("".join(group), starts - {0}))
    return out


def by_marks(text: str) -> list[int]:
    """Baseline: a sentence starts after every run of 。！？!?."""
    return [m.end() for m in FINAL_MARK.finditer(text) if m.end() < len(text)]


def by_pipeline(nlp):
    from qualcode.segment import sentence_spans

    def run(texts: list[str]) -> list[list[int]]:
        spans = sentence_spans(texts, "ja", nlp=nlp)
        return [[s for s, _ in doc if s > 0] for doc in spans]

    return run


def score(docs, predicted: list[list[int]]) -> tuple[float, float, float, int, int]:
    """(precision, recall, F1, true positives, gold boundaries), micro-averaged."""
    tp = proposed = gold = 0
    for (_, truth), hyp in zip(docs, predicted):
        hyp_set = set(hyp)
        tp += len(truth & hyp_set)
        proposed += len(hyp_set)
        gold += len(truth)
    precision = tp / proposed if proposed else 0.0
    recall = tp / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, tp, gold


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--conllu",
        type=Path,
        action="append",
        help=f"a UD Japanese CoNLL-U file (repeatable; default: the .conllu files in {DEFAULT})",
    )
    parser.add_argument("--per-doc", type=int, default=10, help="sentences per document")
    args = parser.parse_args()
    paths = args.conllu or sorted(DEFAULT.glob("*.conllu"))
    if not paths:
        print(
            f"no data: pass --conllu with a UD Japanese treebank file (none in {DEFAULT}); "
            "nothing measured"
        )
        return

    from qualcode.nlp.pipeline import BLANK, installed_trained, make_pipeline

    systems = {"blank 'ja' + qualcode's rules (fallback)": by_pipeline(make_pipeline("ja", BLANK))}
    trained = installed_trained("ja")
    if trained:
        systems = {
            f"{trained} (parser; qualcode's default)": by_pipeline(make_pipeline("ja")),
            **systems,
        }
    else:
        print("ja_ginza is not installed (pip install 'qualcode[ja]'): its row is left out")
    systems["baseline: split after every 。！？!?"] = lambda texts: [by_marks(t) for t in texts]
    systems["baseline: no split"] = lambda texts: [[] for _ in texts]
    for path, unmarked in [(path, unmarked) for path in paths for unmarked in (False, True)]:
        sentences = read_sentences(path)
        if unmarked:  # as in a speech transcript without punctuation
            sentences = [s for s in (FINAL_MARK.sub("", s) for s in sentences) if s]
        docs = documents(sentences, args.per_doc)
        texts = [text for text, _ in docs]
        print(
            f"{path.name}{', 。！？!? REMOVED (unpunctuated speech)' if unmarked else ''}: "
            f"{len(sentences)} sentences, {sum(map(len, texts)):,} characters, "
            f"{len(docs)} documents of {args.per_doc} sentences joined with no space, "
            f"{sum(len(t) for _, t in docs)} gold boundaries inside documents"
        )
        print(f"  {'system':<46} {'P':>6} {'R':>6} {'F1':>6} {'CPU s/1k sent':>14}")
        for name, system in systems.items():
            start = time.process_time()
            predicted = system(texts)
            cpu = time.process_time() - start
            p, r, f1, _, _ = score(docs, predicted)
            print(f"  {name:<46} {p:6.3f} {r:6.3f} {f1:6.3f} {1000 * cpu / len(sentences):14.2f}")
        examples = _missed_examples(docs, systems, trained)
        for line in examples:
            print(f"  {line}")


def _missed_examples(docs, systems, trained) -> list[str]:
    """Up to three gold boundaries the blank pipeline misses and the trained one finds."""
    if not trained:
        return []
    texts = [text for text, _ in docs]
    names = list(systems)
    parsed, blank = systems[names[0]](texts), systems[names[1]](texts)
    out = []
    for (text, truth), hyp_t, hyp_b in zip(docs, parsed, blank):
        for offset in sorted(truth & set(hyp_t) - set(hyp_b)):
            before, after = text[max(0, offset - 15) : offset], text[offset : offset + 10]
            out.append(f"only the parser: ...{before}|{after}...")
            if len(out) == 3:
                return out
    return out


if __name__ == "__main__":
    main()
