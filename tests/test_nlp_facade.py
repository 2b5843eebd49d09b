"""SegmentOps through the facade and the CLI: segment, suggest, topics, pseudonymise."""

from click.testing import CliRunner

from qualcode.cli import main
from qualcode.models import NewDocument, Segment
from qualcode.project import Project

TEXT = (
    "[00:00:03] Interviewer: Why Ohio? Dr. Lee suggested it?\n\n"
    "[00:00:09] R7: Yes. The U.S. system was new to me... really new. I was -- I mean, I was lost. [laughs]\n\n"
    "[00:01:15] Interviewer: And Dr. Lee?\n\n"
    "[00:01:18] R7: Lee helped. We met at 7 a.m. Then rounds."
)


def _turns(text):
    out, pos = [], 0
    for block in text.split("\n\n"):
        speaker = block.split("] ")[1].split(":")[0]
        out.append(Segment(pos, pos + len(block), "turn", speaker, None, None))
        pos += len(block) + 2
    return tuple(out)


def _add(project, text=TEXT, pid="R7"):
    [doc_id] = project.add_documents(
        [
            NewDocument(
                pid,
                "interview",
                f"{pid} interview",
                text,
                f"{pid}.txt",
                f"sha-{pid}",
                "utf-8",
                _turns(text),
            )
        ]
    )
    return doc_id


def test_segment_documents_stores_sentences_and_paragraphs_with_speakers(project):
    doc_id = _add(project)
    calls = []
    counts = project.segment_documents(progress=lambda done, total: calls.append((done, total)))
    assert counts == {"documents": 1, "sentences": 9, "paragraphs": 4}
    assert [(TEXT[s.start : s.end], s.speaker) for s in project.segments(doc_id, "sentence")] == [
        ("Why Ohio?", "Interviewer"),
        ("Dr. Lee suggested it?", "Interviewer"),
        ("Yes.", "R7"),
        ("The U.S. system was new to me... really new.", "R7"),
        ("I was -- I mean, I was lost. [laughs]", "R7"),
        ("And Dr. Lee?", "Interviewer"),
        ("Lee helped.", "R7"),
        ("We met at 7 a.m.", "R7"),
        ("Then rounds.", "R7"),
    ]
    assert [TEXT[s.start : s.end] for s in project.segments(doc_id, "paragraph")][
        2
    ] == "And Dr. Lee?"
    assert calls[-1] == (1, 1)
    assert len(project.segments(doc_id, "turn")) == 4  # the importer's turns are kept
    project.segment_documents([doc_id])  # again: replaced, not duplicated
    assert len(project.segments(doc_id, "sentence")) == 9
    assert project.segment_documents([]) == {"documents": 0, "sentences": 0, "paragraphs": 0}


def test_importer_paragraphs_are_kept(project):
    text = "Interviewer: One. Two.\n\nR1: Three."
    [doc_id] = project.add_documents(
        [
            NewDocument(
                "R1",
                "interview",
                "R1",
                text,
                "R1.txt",
                "sha1",
                "utf-8",
                (
                    Segment(13, 22, "turn", "Interviewer"),
                    Segment(28, 34, "turn", "R1"),
                    Segment(0, 34, "paragraph"),
                ),
            )
        ]
    )
    assert project.segment_documents() == {"documents": 1, "sentences": 3, "paragraphs": 0}
    assert [(s.start, s.end) for s in project.segments(doc_id, "paragraph")] == [(0, 34)]
    assert [text[s.start : s.end] for s in project.segments(doc_id, "sentence")] == [
        "One.",
        "Two.",
        "Three.",
    ]


def _run(*args, input=None):
    return CliRunner().invoke(main, [str(a) for a in args], input=input)


def test_cli_segment_suggest_topics(project):
    doc_id = _add(project)
    code = project.add_code("Mentors", description="a senior doctor who guides and helps")
    start = TEXT.index("Lee helped")
    project.add_coding(doc_id, start, start + len("Lee helped."), code.id)
    path = project.path
    project.close()
    result = _run("segment", path)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "1 document: 9 sentences, 4 paragraphs added"
    start = TEXT.index("Dr. Lee suggested")
    result = _run("suggest", path, "--doc", "R7.txt", "--start", start, "--end", start + 21)
    assert result.exit_code == 0, result.output
    assert result.output.split()[1] == "Mentors"
    result = _run("suggest", path, "--doc", "R7.txt", "--start", 5, "--end", 99999)
    assert result.exit_code == 1 and "span 5-99999 is outside the text" in result.output
    result = _run("topics", path, "--doc", "R7.txt")
    assert result.exit_code == 0 and "no topic shift" in result.output  # too short to propose one
    with Project.open(path) as p:
        assert len(p.codings()) == 1


def test_cli_pseudonymise_asks_then_applies(project, tmp_path):
    doc_id = _add(project)
    start = TEXT.index("Dr. Lee suggested it?")
    project.add_coding(doc_id, start, start + len("Dr. Lee suggested it?"), project.codes()[-1].id)
    path = project.path
    project.close()
    names = tmp_path / "names.csv"
    names.write_text(
        "name,replacement,kind\nLee,Okonkwo,person\nOhio,Kansas,place\n", encoding="utf-8"
    )
    refused = _run("pseudonymise", path, "--names", names)  # no terminal and no --yes
    assert refused.exit_code != 0
    assert "Not asking without a terminal: pass --yes." in refused.output
    with Project.open(path) as p:
        assert p.document(doc_id).text == TEXT
    result = _run("pseudonymise", path, "--names", names, "--yes", "--keep-original")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("note: only the listed names were looked for: the project's")
    assert lines[1] == (
        "R7 interview  28-32  [00:00:03] Interviewer: Why [Ohio]? Dr. Lee suggested it?  "
        "[00:0…  Ohio -> Kansas"
    )
    assert (
        "pseudonymised 1 document: 4 replacements, 1 coding and 4 segments moved; "
        "0 other values (titles, labels, memos, trash...) rewritten"
    ) in lines
    [kept] = [
        line.removeprefix("the originals are kept only in ")
        for line in lines
        if line.startswith("the originals are kept only in ")
    ]
    with Project.open(path) as p:
        assert [e.text for e in p.excerpts()] == ["Dr. Okonkwo suggested it?"]
        assert "Lee" not in p.document(doc_id).text
        assert p.db.execute("SELECT count(*) FROM documents_original").fetchone()[0] == 0
    with Project.open(kept) as p:
        assert p.document(doc_id).text == TEXT


def test_segment_documents_checks_every_id_before_writing(project):
    import pytest

    from qualcode.errors import NotFoundError

    doc_id = _add(project)
    with pytest.raises(NotFoundError, match=f"no document with id {doc_id + 40}"):
        project.segment_documents([doc_id, doc_id + 40])
    assert project.segments(doc_id, "sentence") == []
    # A title is resolved to its id (the texts are keyed by id).
    assert project.segment_documents(["R7 interview"])["sentences"] == 9


def test_cli_suggest_leaves_out_codes_on_the_passage_and_says_why_none(project, tmp_path):
    doc_id = _add(project)
    code = project.add_code("Mentors", description="a senior doctor who guides and helps")
    start = TEXT.index("Lee helped")
    project.add_coding(doc_id, start, start + len("Lee helped."), code.id)
    project.mark_interviewer(["Interviewer"])
    path = project.path
    project.close()
    result = _run("suggest", path, "--doc", "R7.txt", "--start", start, "--end", start + 11)
    assert result.exit_code == 0, result.output
    paths = [line[14:] for line in result.stdout.splitlines()]  # after score and mark
    assert len(paths) == 3 and "Mentors" not in paths  # already coded there, as in the TUI
    assert result.stderr.splitlines() == [
        "(left out, already coded on this passage: Mentors)",
        "(not suggested: 5 themes coded only through their subcodes: Perspective "
        "transformation; Career design; Self-development; …)",
    ]
    asked = TEXT.index("Why Ohio")
    result = _run("suggest", path, "--doc", "R7.txt", "--start", asked, "--end", asked + 9)
    assert result.stdout.startswith("no suggestion: the passage is in the interviewer's turn")
    empty = Project.create(tmp_path / "empty.qualcode")
    _add(empty)
    empty.close()
    result = _run("suggest", empty.path, "--doc", "R7.txt", "--start", 30, "--end", 60)
    assert result.exit_code == 0, result.output  # was a StopIteration traceback
    assert result.stdout == "no suggestion: the project has no codes yet\n"
