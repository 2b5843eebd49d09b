"""Pseudonymisation leaves nothing behind (issue 18 item 7): a name planted in every table
is gone from the raw bytes of the project file, its WAL and every export; --keep-original
keeps the originals only in the separate file it names."""

from __future__ import annotations

import re
import zipfile

from click.testing import CliRunner

from qualcode.cli import main
from qualcode.models import NewDocument
from qualcode.project import Project

NAME = "Zbigniewa"
NEW = "Person-A"


def raw_holds(path, needle: str) -> bool:
    data = path.read_bytes() if path.exists() else b""
    return any(
        needle.encode(enc) in data or needle.lower().encode(enc) in data
        for enc in ("utf-8", "utf-16-le", "utf-16-be")
    )


def plant(path) -> None:
    with Project.create(path, coder="ana") as p:
        p.add_code("Theme", description=f"what {NAME} said about wards")
        p.add_code(f"Advice of {NAME}")
        text = f"Interviewer: Hello {NAME}.\n\nR1: I am {NAME} and I liked the ward."
        trashed = f"Interviewer: Bye.\n\nR2: {NAME} came too, said {NAME}."
        ids = p.add_documents(
            [
                NewDocument("R1", "interview", f"Interview {NAME}", text, f"{NAME}.txt", "s1"),
                NewDocument("R2", "interview", "Second", trashed, "r2.txt", "s2"),
            ]
        )
        p.upsert_participants([("R1", f"{NAME} K.", {"mentor": NAME})])
        start = text.index("I liked")
        c = p.add_coding(ids[0], start, start + 7, "Theme")
        p.set_coding_memo(c.id, f"{NAME} hesitates here")
        p.add_memo(f"Call {NAME} back", "document", ids[0], title=f"{NAME} follow-up")
        end = trashed.rindex(NAME) + len(NAME)
        p.add_coding(ids[1], trashed.index("said"), end, "Theme")
        with p.transaction() as conn:
            conn.execute(
                'INSERT INTO segments(document_id, start, "end", kind, speaker) '
                "VALUES (?, 0, 5, 'turn', ?)",
                [ids[0], NAME],
            )
        p.set_speaker(ids[0], NAME, "R1")  # a mapped speaker (focus groups) holds the name too
        p.delete_document(ids[1])  # into the trash, with its text and coding
        p.set_meta("note", f"pilot with {NAME}")
        p.set_backups_keep(0)  # a backup would keep the name by design; tested apart


def test_no_original_name_survives_anywhere(tmp_path):
    path = tmp_path / "study.qualcode"
    plant(path)
    assert raw_holds(path, NAME)
    names = tmp_path / "names.csv"
    names.write_text(f"name,replacement\n{NAME},{NEW}\n")
    result = CliRunner().invoke(
        main, ["pseudonymise", str(path), "--names", str(names), "--yes", "--no-entities"]
    )
    assert result.exit_code == 0, result.output
    assert "other values" in result.output
    for f in (path, tmp_path / "study.qualcode-wal"):
        assert not raw_holds(f, NAME), f
    with Project.open(path, daily_backup=False) as p:
        [doc] = p.documents()
        text = p.document(doc.id).text
        assert text == f"Interviewer: Hello {NEW}.\n\nR1: I am {NEW} and I liked the ward."
        [coding] = p.codings()
        assert text[coding.start : coding.end] == "I liked"
        assert doc.title == f"Interview {NEW}"
        trash = p.trash()
        [entry] = trash
        restored = p.restore(entry["id"])
        assert restored
        again = [d for d in p.documents() if d.id != doc.id][0]
        back = p.document(again.id).text
        assert NAME not in back and back.endswith(f"said {NEW}.")
        moved = [c for c in p.codings() if c.document_id == again.id][0]
        assert back[moved.start : moved.end] == f"said {NEW}"
        exports = tmp_path / "exports"
        exports.mkdir()
        p.export_qdpx(exports / "all.qdpx")
        p.export_codings_csv(exports / "codings.csv")
        p.export_codebook(exports / "codebook.yaml")
    for f in exports.iterdir():
        assert not raw_holds(f, NAME), f
        if f.suffix == ".qdpx":
            with zipfile.ZipFile(f) as z:
                for n in z.namelist():
                    assert NAME.encode() not in z.read(n), n
    for f in path.parent.iterdir():
        if f.is_file() and f.name.startswith("study"):
            assert not raw_holds(f, NAME), f


def test_keep_original_goes_to_a_separate_named_file(tmp_path):
    path = tmp_path / "study.qualcode"
    plant(path)
    names = tmp_path / "names.csv"
    names.write_text(f"name,replacement\n{NAME},{NEW}\n")
    result = CliRunner().invoke(
        main,
        [
            "pseudonymise",
            str(path),
            "--names",
            str(names),
            "--yes",
            "--no-entities",
            "--keep-original",
        ],
    )
    assert result.exit_code == 0, result.output
    kept = re.search(r"the originals are kept only in (\S+)", result.output).group(1)
    assert kept != str(path) and raw_holds(__import__("pathlib").Path(kept), NAME)
    # not beside the project (the folder one shares) but in the user's own data folder
    import os
    from pathlib import Path

    assert Path(kept).parent == Path(os.environ["XDG_DATA_HOME"]) / "qualcode" / "originals"
    assert Path(kept).stat().st_mode & 0o077 == 0  # readable by the user only
    assert not any(tmp_path.glob("*original*"))
    assert not raw_holds(path, NAME)
    with Project.open(path, daily_backup=False) as p:
        assert p.db.execute("SELECT count(*) FROM documents_original").fetchone()[0] == 0
