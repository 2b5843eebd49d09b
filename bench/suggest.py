"""Code-suggestion benchmark: top-1 / top-3 hit rates with participants held out.

REAL coded data first (bench/_real_suggest.py: napire2018, NHS FFT, qc's demo, NVivo
oltas; code and top-level-theme level, against the majority baseline). Then the bundled
PIF sample, which was WRITTEN FOR QUALCODE (so its figures flatter us): it builds the
bundled PIF sample (sample_transcripts/: manifest.csv, the transcripts and the
excerpts_*.csv codings by two coders) into a temporary project through the facade
(Project.import_manifest when the importer is installed, else plain add_documents),
reads the excerpts back through the facade, then for every participant fits a
CodeSuggester on the other participants' excerpts and asks it for each of that
participant's coded passages. A hit is a suggested code among the passage's codes.
Baselines: the most frequent codes of the training folds, and labels only (name and
description, no excerpts).

Run: PYTHONPATH=. python bench/suggest.py
"""

from __future__ import annotations

import csv
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from qualcode.codebook import load_codebook  # noqa: E402
from qualcode.facade.codings import NewCoding  # noqa: E402
from qualcode.models import NewDocument, Segment  # noqa: E402
from qualcode.project import Project  # noqa: E402
from qualcode.suggest import CodeSuggester  # noqa: E402

SAMPLE = ROOT / "sample_transcripts"
LABEL = re.compile(r"^([A-Z][\w ]{0,30}?): ", re.M)


def build_sample_project(path: Path) -> tuple[Project, str]:
    project = Project.create(
        path, codebook=load_codebook(ROOT / "codebooks" / "pif.yaml"), coder="bench"
    )
    if hasattr(project, "import_manifest"):
        project.import_manifest(SAMPLE / "manifest.csv")
        how = "Project.import_manifest"
    else:
        docs = []
        with (SAMPLE / "manifest.csv").open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                text = (SAMPLE / row["file"]).read_text(encoding="utf-8").replace("\r\n", "\n")
                turns = tuple(
                    Segment(m.end(), _line_end(text, m.end()), "turn", m.group(1))
                    for m in LABEL.finditer(text)
                )
                docs.append(
                    NewDocument(
                        row["participant"],
                        row["kind"],
                        Path(row["file"]).stem,
                        text,
                        row["file"],
                        None,
                        "utf-8",
                        turns,
                    )
                )
        project.add_documents(docs)
        how = "Project.add_documents (importer not on this branch)"
    project.segment_documents()
    by_file = {}
    for info in project.documents():
        for name in (info.source_name, info.title):
            if name:
                by_file[Path(name).name] = info.id
                by_file[Path(name).stem] = info.id
    codings = []
    for csv_path in sorted(SAMPLE.glob("excerpts_*.csv")):
        with csv_path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                doc_id = by_file[Path(row["file"]).name]
                text = project.document(doc_id).text
                start = text.index(row["quote"])
                codings.append(
                    NewCoding(
                        doc_id,
                        start,
                        start + len(row["quote"]),
                        project.resolve_code(row["code"]),
                        row["coder"],
                    )
                )
    project.add_codings(codings)
    return project, how


def _line_end(text: str, start: int) -> int:
    end = text.find("\n", start)
    return len(text) if end < 0 else end


def evaluate(project: Project) -> None:
    excerpts = project.excerpts()
    code_id = {c.path: c.id for c in project.codes()}
    codes = [(c.id, c.path, c.description) for c in project.codes()]
    passages: dict[tuple, set[int]] = defaultdict(set)
    for e in excerpts:
        passages[(e.participant, e.document_id, e.start, e.end, e.text)].add(code_id[e.code_path])
    people = sorted({e.participant for e in excerpts})
    print(
        f"sample: {len(project.documents())} documents, {len(excerpts)} codings by "
        f"{len({e.coder for e in excerpts})} coders, {len(passages)} distinct coded passages, "
        f"{len({c for s in passages.values() for c in s})} codes used of {len(codes)}, "
        f"{len(people)} participants"
    )
    nlp = project.nlp()
    systems = {
        "qualcode CodeSuggester (labels + excerpts)": [0, 0, 0.0],
        "labels only (name + description)": [0, 0, 0.0],
        "baseline: most frequent codes": [0, 0, 0.0],
    }
    fit_time = 0.0
    asked = 0
    for person in people:
        train = [(code_id[e.code_path], e.text) for e in excerpts if e.participant != person]
        start = time.perf_counter()
        full = CodeSuggester(codes, train, nlp=nlp)
        fit_time += time.perf_counter() - start
        labels_only = CodeSuggester(codes, [], nlp=nlp)
        frequent = [c for c, _ in Counter(c for c, _ in train).most_common(3)]
        for (pid, *_, text), gold in passages.items():
            if pid != person:
                continue
            asked += 1
            for name, ranker in (
                ("qualcode CodeSuggester (labels + excerpts)", full),
                ("labels only (name + description)", labels_only),
            ):
                start = time.perf_counter()
                top = [c for c, _ in ranker.suggest(text, k=3)]
                systems[name][2] += time.perf_counter() - start
                systems[name][0] += bool(top[:1] and top[0] in gold)
                systems[name][1] += bool(set(top) & gold)
            systems["baseline: most frequent codes"][0] += frequent[0] in gold
            systems["baseline: most frequent codes"][1] += bool(set(frequent) & gold)
    print(f"leave-one-participant-out: {len(people)} folds, {asked} passages asked")
    print(f"  {'system':<45} {'top-1':>7} {'top-3':>7} {'ms/suggest':>11}")
    for name, (top1, top3, seconds) in systems.items():
        per = f"{1000 * seconds / asked:11.2f}" if seconds else f"{'-':>11}"
        print(f"  {name:<45} {top1 / asked:7.1%} {top3 / asked:7.1%} {per}")
    print(
        f"  fit time: {1000 * fit_time / len(people):.0f} ms per fold (≈{len(excerpts)} excerpts)"
    )


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-real", action="store_true", help="skip the real-data table")
    args = parser.parse_args()
    if not args.no_real:
        from _real_suggest import real_suggest_table

        real_suggest_table()
    incremental_benchmark()
    print("the bundled PIF sample (written for qualcode, not real):")
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        project, how = build_sample_project(Path(folder) / "sample.qualcode")
        print(f"built the sample project with {how} in {time.perf_counter() - start:.1f} s")
        try:
            evaluate(project)
        finally:
            project.close()


def incremental_benchmark(n_codings: int = 1000) -> None:
    """Speed only, on generated text (bench/_corpus.py): fit on n_codings codings, then
    learn one more with CodeSuggester.add, and one suggestion; medians of 20. Every
    coding has a question and a position, so every prior is computed."""
    import random
    import statistics

    from _corpus import TOPICS, transcript

    from qualcode.suggest import CodeSuggester, Context

    rng = random.Random(3)
    codes = [
        (i, f"Theme {i % 5}/{topic} {i}", f"talk about {topic}")
        for i, topic in enumerate(list(TOPICS) * 5)
    ]
    text, _, _ = transcript(20000, seed=5)
    words = text.split()

    def passage() -> str:
        start = rng.randrange(len(words) - 40)
        return " ".join(words[start : start + rng.randint(8, 40)])

    examples = [
        (
            rng.randrange(len(codes)),
            passage(),
            Context("What was hard?", (1, 2), (3,), rng.random()),
        )
        for _ in range(n_codings)
    ]
    CodeSuggester(codes[:2], examples[:2])  # scikit-learn's import is not fitting
    start = time.process_time()
    suggester = CodeSuggester(codes, examples)
    fit = time.process_time() - start
    adds, asks = [], []
    for _ in range(20):
        start = time.process_time()
        suggester.add(
            rng.randrange(len(codes)), passage(), Context("And then?", (4,), (), rng.random())
        )
        adds.append(time.process_time() - start)
        start = time.process_time()
        suggester.suggest(passage(), 3, Context("And then?", (), (), rng.random()))
        asks.append(time.process_time() - start)
    start = time.process_time()
    suggester.refit_linear()
    refit = time.process_time() - start
    print(
        f"incremental update, GENERATED passages, CPU time: {n_codings:,} codings, "
        f"{len(codes)} codes: "
        f"full fit {1000 * fit:.0f} ms; add one coding median {1000 * statistics.median(adds):.1f} "
        f"ms (max {1000 * max(adds):.1f}); next suggestion median "
        f"{1000 * statistics.median(asks):.1f} ms (the first after an add recomputes centroids); "
        f"refit of the linear SVM (the workbench does it in a background thread) "
        f"{1000 * refit:.0f} ms"
    )


if __name__ == "__main__":
    main()
