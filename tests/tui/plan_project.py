"""A small deterministic project for the screen tests, built from the bundled PIF coding plan.

Every participant of sample_transcripts/manifest.csv gets an interview with one sentence
per planned subtheme (coded by coder1; every third also by coder2) and, if the manifest
lists one, a short report whose first sentence repeats the first planned code. The
attributes come from the manifest, so theme counts match the study: Perspective
transformation 17/23.
"""

from __future__ import annotations

import csv
from pathlib import Path

from qualcode.codebook import load_codebook
from qualcode.facade.codings import NewCoding
from qualcode.models import NewDocument, Segment
from qualcode.project import Project

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_transcripts"
ATTRIBUTES = ("sex", "specialty", "host_country", "elective_type", "host_income")


def _read(name: str) -> list[dict[str, str]]:
    with open(SAMPLES / name, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def build_plan_project(path: Path) -> Project:
    project = Project.create(
        path, codebook=load_codebook(ROOT / "codebooks" / "pif.yaml"), coder="coder1"
    )
    plan: dict[str, list[str]] = {}
    for row in _read("coding_plan.csv"):
        plan.setdefault(row["participant"], []).append(row["code"])
    manifest = _read("manifest.csv")
    docs, spans = [], []  # spans: per document, [(start, end, code path)]
    for entry in manifest:
        pid, kind = entry["participant"], entry["kind"]
        codes = plan.get(pid, []) if kind == "interview" else plan.get(pid, [])[:1]
        lines = [f"Interviewer: Tell me about your elective, {pid}."]
        coded = []
        for code in codes:
            sub = code.split("/")[-1].lower()
            line = f"{pid}: I think {sub} mattered to me there."
            start = sum(len(x) + 1 for x in lines) + len(pid) + 2
            coded.append((start, start + len(line) - len(pid) - 2, code))
            lines.append(line)
        lines.append(f"{pid}: That is all I remember.")
        text = "\n".join(lines)
        segs = []
        pos = 0
        for line in lines:
            head = line.index(": ") + 2
            segs.append(Segment(pos + head, pos + len(line), "sentence"))
            pos += len(line) + 1
        docs.append(
            NewDocument(
                pid,
                kind,
                f"{pid} {kind}",
                text,
                Path(entry["file"]).name,
                None,
                "utf-8",
                tuple(segs),
            )
        )
        spans.append(coded)
    ids = project.add_documents(docs)
    code_ids = {c.path: c.id for c in project.codes()}
    rows = []
    for doc_id, coded in zip(ids, spans):
        for n, (start, end, code) in enumerate(coded):
            rows.append(NewCoding(doc_id, start, end, code_ids[code], "coder1"))
            if n % 3 == 0:
                rows.append(
                    NewCoding(
                        doc_id,
                        start,
                        end,
                        code_ids[code],
                        "coder2",
                        memo="agreed with coder1" if n == 0 else None,
                    )
                )
    project.add_codings(rows)
    people = {e["participant"]: {a: e[a] for a in ATTRIBUTES} for e in manifest}
    project.upsert_participants([(pid, None, attrs) for pid, attrs in people.items()])
    return project
