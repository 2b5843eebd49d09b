"""Topic shifts on a real meeting transcript with gold topic boundaries.

tests/data/ami_ES2011a_topics.json is AMI meeting ES2011a (transcript CC BY 4.0, AMI
Meeting Corpus) with QMSum's topic boundaries (MIT License, Yale-LILY): see its
"licence" field. It is from QMSum's test split, which no weight was fitted on.
"""

import json
from pathlib import Path

from click.testing import CliRunner

from qualcode.cli import main
from qualcode.nlp.pipeline import make_pipeline
from qualcode.nlp.topics import make_units, topic_boundaries
from qualcode.project import Project

DATA = Path(__file__).parent / "data" / "ami_ES2011a_topics.json"


def _meeting():
    return json.loads(DATA.read_text(encoding="utf-8"))


def test_strongest_turn_boundary_is_a_gold_one():
    meeting = _meeting()
    turns = meeting["turns"]
    units = make_units(
        make_pipeline("en"),
        [t["text"] for t in turns],
        [True] * len(turns),
        [t["speaker"] for t in turns],
    )
    found = topic_boundaries(units)
    assert 1 <= len(found) <= 2 * len(meeting["boundaries"])  # [84, 97] in the gold
    strongest = max(found, key=lambda b: b.strength)
    assert strongest.strength == 1.0
    assert strongest.index == 97 and strongest.index in meeting["boundaries"]
    # a turn opening with a question, a cue and new words is a stronger candidate than
    # a backchannel inside a topic
    assert [b.index for b in found] == [97]


def test_project_topics_on_the_imported_transcript(tmp_path):
    meeting = _meeting()
    spoken = [t for t in meeting["turns"] if t["text"]]  # empty turns cannot be imported
    source = tmp_path / "ES2011a.txt"
    source.write_text("\n\n".join(f"{t['speaker']}: {t['text']}" for t in spoken) + "\n")
    path = tmp_path / "p.qualcode"
    with Project.create(path) as project:
        report = project.import_files([source], participant="ES2011a", sentences=False)
        [doc_id] = report.document_ids if hasattr(report, "document_ids") else [1]
        text = project.document(doc_id).text
        assert len(project.segments(doc_id, "turn")) == len(spoken)
        shifts = project.topic_shifts(doc_id)  # no stored sentences needed
    gold_turn = meeting["turns"][97]["text"]
    assert max(shifts, key=lambda s: s.strength).offset == text.index(gold_turn)
    result = CliRunner().invoke(main, ["topics", str(path), "--doc", "ES2011a.txt", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["shifts"]
    assert [(r["offset"], r["strength"]) for r in rows] == [(s.offset, s.strength) for s in shifts]
    assert rows[0]["text"].startswith("So f that's a fifty percent")
