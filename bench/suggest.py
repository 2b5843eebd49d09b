"""Code-suggestion benchmark: top-1 / top-3 hit rates, leave-one-participant-out.

Builds the bundled PIF sample (sample_transcripts/: manifest.csv, the transcripts and the
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
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        project, how = build_sample_project(Path(folder) / "sample.qualcode")
        print(f"built the sample project with {how} in {time.perf_counter() - start:.1f} s")
        try:
            evaluate(project)
        finally:
            project.close()


if __name__ == "__main__":
    main()
