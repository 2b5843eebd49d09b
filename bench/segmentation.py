"""Segmentation benchmark: topic-shift quality (Pk, WindowDiff) and throughput.

Topic shifts on REAL data first: QMSum's meeting transcripts (AMI + ICSI) with gold
topic boundaries, reported on the val + test splits; every weight and setting was tuned
on the train split (see bench/_real_topics.py; `--tune` re-runs those grid searches).

Topic shifts on generated text second (kept for comparison with earlier figures): documents stitched from passages on different topics (bench/_corpus.py,
generated deterministically), one sentence per paragraph; qualcode's TextTiling-style
segmenter and NLTK's TextTilingTokenizer (given spaCy's English stop words, since NLTK's
stopwords corpus cannot be downloaded) are scored against the true boundaries.
Lower Pk / WindowDiff is better; k is half the mean true segment length per document.

Throughput: sentence and turn/paragraph segmentation of generated 5,000-word interview
transcripts, on one core; then the import of a corpus (see import_benchmark).

Run: python bench/segmentation.py [--full]. The default is a quick run (under 5 minutes
of CPU): NLTK TextTiling's defaults row on every 3rd val+test meeting (shown beside every
other system on those meetings), and smaller generated corpora (SIZES); --full measures
NLTK on all 58 meetings and the earlier corpus sizes.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _corpus import topic_documents, transcript  # noqa: E402

from qualcode.nlp.pipeline import make_pipeline  # noqa: E402
from qualcode.nlp.topics import make_units, topic_boundaries  # noqa: E402
from qualcode.segment import paragraph_spans, sentence_spans, turn_spans  # noqa: E402


def _marks(n: int, boundaries) -> str:
    chosen = set(boundaries)
    return "".join("1" if i in chosen else "0" for i in range(n))


def _nltk_boundaries(sentences, stopwords, **params) -> list[int]:
    from nltk.tokenize.texttiling import TextTilingTokenizer

    tiler = TextTilingTokenizer(stopwords=stopwords, **params)
    try:
        parts = tiler.tokenize("\n\n".join(sentences))
    except ValueError:  # too short for its windows: it proposes nothing
        return []
    out, count = [], 0
    for part in parts[:-1]:
        count += sum(1 for p in part.split("\n\n") if p.strip())
        out.append(count)
    return out


def topic_benchmark(n_docs: int) -> None:
    from nltk.metrics.segmentation import pk, windowdiff
    from spacy.lang.en.stop_words import STOP_WORDS

    nlp = make_pipeline("en")
    docs = topic_documents(n_docs)
    n_sent = sum(len(s) for s, _ in docs)
    n_bound = sum(len(b) for _, b in docs)
    print(
        f"topic shifts, GENERATED text (bench/_corpus.py): {len(docs)} documents, {n_sent} "
        f"sentences, {n_bound} true boundaries, 8 topics; qualcode asked for one boundary "
        "per 60 words, at least 20 words apart (its defaults are for hour-long transcripts)"
    )
    stop = sorted(STOP_WORDS)
    systems = {
        "qualcode topic shifts (sentences, no turns)": lambda s: [
            b.index
            for b in topic_boundaries(
                make_units(nlp, s, [False] * len(s)), words_per_topic=60, min_gap_words=20
            )
        ],
        "NLTK TextTilingTokenizer (defaults w=20,k=10)": lambda s: _nltk_boundaries(s, stop),
        "NLTK TextTilingTokenizer (w=12,k=3)": lambda s: _nltk_boundaries(s, stop, w=12, k=3),
        "baseline: no boundaries": lambda s: [],
    }
    print(f"  {'system':<50} {'Pk':>6} {'WinDiff':>8} {'proposed':>9} {'time s':>7}")
    for name, system in systems.items():
        start = time.perf_counter()
        pk_sum = wd_sum = proposed = 0.0
        for sentences, truth in docs:
            hyp = system(sentences)
            proposed += len(hyp)
            ref_marks, hyp_marks = _marks(len(sentences), truth), _marks(len(sentences), hyp)
            k = max(2, round(len(sentences) / (len(truth) + 1) / 2))
            pk_sum += pk(ref_marks, hyp_marks, k=k)
            wd_sum += windowdiff(ref_marks, hyp_marks, k)
        elapsed = time.perf_counter() - start
        print(
            f"  {name:<50} {pk_sum / len(docs):6.3f} {wd_sum / len(docs):8.3f} "
            f"{int(proposed):9d} {elapsed:7.2f}"
        )


def speed_benchmark(n_docs: int, words: int) -> list:
    print(f"throughput: {n_docs} generated transcripts of ~{words} words (one core)")
    corpus = [transcript(words, seed=i) for i in range(n_docs)]
    total_words = sum(c[2] for c in corpus)
    nlp = make_pipeline("en")
    start = time.perf_counter()
    turns = [(turn_spans(text, t), paragraph_spans(text, t)) for text, t, _ in corpus]
    elapsed = time.perf_counter() - start
    print(
        f"  turn + paragraph units : {total_words:>10,} words {elapsed:7.2f} s "
        f"{total_words / elapsed:>12,.0f} words/s  ({sum(len(t) for t, _ in turns):,} turns)"
    )
    start, cpu = time.perf_counter(), time.process_time()
    sentences = sentence_spans([(text, t) for text, t, _ in corpus], nlp=nlp)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(
        f"  sentences              : {total_words:>10,} words {elapsed:7.2f} s "
        f"{total_words / elapsed:>12,.0f} words/s  ({sum(map(len, sentences)):,} sentences; "
        f"{total_words / cpu:,.0f} words per CPU-second)"
    )
    return corpus


def import_benchmark(n_docs: int, words: int) -> None:
    """A corpus of n_docs transcripts into a new project, then sentence segmentation.

    With the importer (Project.import_files) the files are written to a temporary folder
    and imported; without it, documents with their turn segments are bulk-inserted with
    Project.add_documents. Either way `segment_documents` then stores every sentence.
    Files repeat 50 base transcripts with a distinct header line (distinct bytes).
    """
    import tempfile

    from qualcode.models import NewDocument, Segment
    from qualcode.project import Project

    bases = [transcript(words, seed=1000 + i) for i in range(50)]
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        project = Project.create(folder / "bench.qualcode")
        headers = [f"Interview {i:04d}\n\n" for i in range(n_docs)]
        total_words = sum(bases[i % 50][2] for i in range(n_docs))
        start, cpu = time.perf_counter(), time.process_time()
        if hasattr(project, "import_files"):
            paths = []
            for i, header in enumerate(headers):
                path = folder / f"T{i:04d}.txt"
                path.write_text(header + bases[i % 50][0], encoding="utf-8")
                paths.append(path)
            start, cpu = time.perf_counter(), time.process_time()  # writing files is not importing
            project.import_files(paths)
            how = "Project.import_files (read, decode, detect turns, store) + segment_documents"
        else:
            docs = []
            for i, header in enumerate(headers):
                text, turns, _ = bases[i % 50]
                shift = len(header)
                docs.append(
                    NewDocument(
                        f"T{i:04d}",
                        "interview",
                        f"T{i:04d}",
                        header + text,
                        f"T{i:04d}.txt",
                        None,
                        "utf-8",
                        tuple(Segment(s + shift, e + shift, "turn", who) for s, e, who in turns),
                    )
                )
            project.add_documents(docs)
            how = "Project.add_documents (documents + turns, bulk) + segment_documents (importer not on this branch)"
        stored = time.perf_counter() - start
        counts = project.segment_documents()
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        size = (folder / "bench.qualcode").stat().st_size
        project.close()
    print(f"import: {n_docs} transcripts, {total_words:,} words: {how}")
    print(
        f"  store {stored:6.1f} s, + sentences {elapsed - stored:6.1f} s = {elapsed:6.1f} s total, "
        f"{total_words / elapsed:,.0f} words/s, {counts['sentences']:,} sentences, "
        f"{counts['paragraphs']:,} paragraphs, project file {size / 1e6:,.0f} MB"
    )
    print(
        f"  CPU time of this process: {cpu:.1f} s (wall time is higher when other work shares the cores)"
    )


# (quick default, --full): the generated corpora's sizes. Quick keeps the whole run under
# 5 minutes of CPU on one core (about 2.5); --full is the earlier full-size run (~8).
SIZES = {"topic_docs": (100, 300), "speed_docs": (50, 200), "import_docs": (300, 2300)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--full",
        action="store_true",
        help="NLTK on all 58 real meetings and the full generated corpora (about 8 CPU-minutes)",
    )
    parser.add_argument("--topic-docs", type=int, help="generated topic documents (100; full 300)")
    parser.add_argument("--speed-docs", type=int, help="generated transcripts (50; full 200)")
    parser.add_argument("--import-docs", type=int, help="imported transcripts (300; full 2300)")
    parser.add_argument("--words", type=int, default=5000)
    parser.add_argument("--tune", action="store_true", help="grid searches on the train split")
    parser.add_argument("--no-real", action="store_true", help="skip the real-data table")
    args = parser.parse_args()
    for name, (quick, full) in SIZES.items():
        if getattr(args, name) is None:
            setattr(args, name, full if args.full else quick)
    from _real_topics import real_topic_table, tune
    from spacy.lang.en.stop_words import STOP_WORDS

    if args.tune:
        tune(make_pipeline("en"), sorted(STOP_WORDS))
        return
    cpu = time.process_time()
    if not args.no_real:
        real_topic_table(make_pipeline("en"), sorted(STOP_WORDS), full=args.full)
    if args.topic_docs:
        topic_benchmark(args.topic_docs)
    speed_benchmark(args.speed_docs, args.words)
    if args.import_docs:
        import_benchmark(args.import_docs, args.words)
    print(
        f"{'full' if args.full else 'quick (the default; --full for all)'} run: "
        f"{time.process_time() - cpu:.0f} CPU-seconds in all"
    )


if __name__ == "__main__":
    main()
