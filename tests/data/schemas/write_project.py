"""Write a small project with an older qualcode, for the migration test.

Run with that qualcode's checkout first on the path (the facade calls below exist in
every schema version so far), e.g. from the repo root:

    git worktree add /tmp/qc-v1 037777d^          # the last commit of schema 1
    PYTHONPATH=/tmp/qc-v1 .venv/bin/python tests/data/schemas/write_project.py \\
        tests/data/schemas/v1.qualcode
    PYTHONPATH=/tmp/qc-v1 .venv/bin/python tests/data/schemas/write_project.py \\
        tests/data/schemas/v1-pseudonymised.qualcode --pseudonymise

For schema N, check out the last commit before the migration to N+1 was appended to
qualcode/store.py's MIGRATIONS (`git log -p qualcode/store.py`); v2.qualcode was written at
ed4e7f6 and v5.qualcode at 0996447. Name the file vN.qualcode (the test reads N from the name and checks it against
the file's user_version).

It fills every table of the schema (participants with attributes, documents of two kinds
with segments, a code tree with a shortcut, codings by two coders with a memo, memos on each
kind of target, a deleted document in the trash) and, with --pseudonymise, replaces a name
keeping the originals (`pseudonymise --keep-original`), as a researcher would. The WAL is
folded into the file so that the one file is the whole project.
"""

from __future__ import annotations

import argparse
import sqlite3
from pathlib import Path

from qualcode.models import NewDocument, Segment
from qualcode.project import Project

INTERVIEW = (
    "Interviewer: Why did you go abroad?\n\n"
    "R1: Dr. Novak told me the ICU in Ohio was different. I felt lost at first.\n\n"
    "Interviewer: And later?\n\n"
    "R1: Later I led the rounds myself; nobody in my class had done it."
)
REPORT = "Reflective report. Dr. Novak let me present the family meeting. I changed."
OTHER = "R2: Café au lait at 6 a.m.; the ward was quiet — mostly."
GONE = "R2: A second interview, deleted later."


def sentences(text: str) -> tuple[Segment, ...]:
    out, start = [], 0
    for i, ch in enumerate(text):
        if ch in ".?!;" and (i + 1 == len(text) or text[i + 1] in " \n"):
            piece = text[start : i + 1]
            lead = len(piece) - len(piece.lstrip())
            out.append(Segment(start + lead, i + 1, "sentence"))
            start = i + 1
    return tuple(out)


def paragraphs(text: str) -> tuple[Segment, ...]:
    out, start = [], 0
    for block in text.split("\n\n"):
        out.append(Segment(start, start + len(block), "paragraph"))
        start += len(block) + 2
    return tuple(out)


def write(path: Path, pseudonymise: bool) -> None:
    project = Project.create(path, name="Schema fixture", coder="coder1")
    project.upsert_participants(
        [("R1", "First", {"sex": "F", "year": "5"}), ("R2", None, {"sex": "M"})]
    )
    docs = [
        NewDocument(
            "R1",
            "interview",
            "R1 interview",
            INTERVIEW,
            "R1.txt",
            "sha-r1",
            "utf-8",
            sentences(INTERVIEW) + paragraphs(INTERVIEW),
        ),
        NewDocument(
            "R1",
            "report",
            "R1 report",
            REPORT,
            "R1_report.txt",
            "sha-r1r",
            "utf-8",
            sentences(REPORT),
        ),
        NewDocument(
            "R2", "interview", "R2 interview", OTHER, "R2.txt", "sha-r2", "cp1252", sentences(OTHER)
        ),
        NewDocument("R2", "interview", "R2 second", GONE, "R2b.txt", "sha-r2b", "utf-8", ()),
        NewDocument(None, "report", "Unattributed", "No participant here.", None, None, None, ()),
    ]
    r1, r1_report, r2, gone, _ = project.add_documents(docs)
    theme = project.add_code("Perspective transformation", description="A change of view")
    project.add_code("Self-relativisation", parent=theme.id, colour="#aa3377", shortcut="1")
    project.add_code("Empathy", parent=theme.id)
    project.add_code("Career design")
    project.add_code("Career design/Role model", guid="3f2c6a8e-0000-4000-8000-00000000aa01")
    first = project.add_coding(r1, 56, 92, "Self-relativisation", memo="the turning point")
    project.add_coding(r1, 56, 92, "Self-relativisation", coder="coder2")
    project.add_coding(r1, 122, 160, "Role model", coder="coder2")
    project.add_coding(r1_report, 0, 18, "Empathy")
    project.add_coding(r2, 4, 24, "Empathy")
    project.add_coding(gone, 0, 10, "Empathy")
    project.add_memo("Project memo: codebook v1 agreed.", "project", title="Codebook")
    project.add_memo("Quiet about the ward.", "participant", "R2")
    project.add_memo("Read twice.", "document", r1)
    project.add_memo("Use for lost-abroad moments.", "code", "Self-relativisation")
    project.add_memo("Is this empathy or role model?", "coding", first.id, author="coder2")
    project.delete_document(gone)  # into the trash, with its coding
    if pseudonymise:
        from qualcode.pseudonymise import NameRule

        plan = project.pseudonymise_plan([NameRule("Novak", "Smith")], use_ner=False)
        project.apply_pseudonymisation(plan, keep_original=True)
    project.close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--pseudonymise", action="store_true")
    args = parser.parse_args()
    write(args.path, args.pseudonymise)
