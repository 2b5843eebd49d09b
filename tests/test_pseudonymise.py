"""Pseudonymisation: names found case-insensitively, codings kept on the same words."""

import csv

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.errors import QualcodeError
from qualcode.models import NewDocument, Segment
from qualcode.project import Project
from qualcode.pseudonymise import (
    NameRule,
    Replacement,
    apply_to_text,
    find_replacements,
    load_names,
    map_offsets,
)

TEXT = (
    "Interviewer: How was Osaka?\n\n"
    "R2: Dr. Tanaka's ward in Osaka was busy. TANAKA said Yuki Tanaka would come. "
    "Tanakamura is another person. I flew home from osaka.\n\n"
    "Interviewer: And Tanaka?\n\n"
    "R2: Tanaka-san retired."
)
NAMES = [
    NameRule("Tanaka", "Li", "person"),
    NameRule("Yuki Tanaka", "Aiko Nakamura-Smith", "person"),
    NameRule("Osaka", "Kita-Kyushu", "place"),
]
EXPECTED = (
    "Interviewer: How was Kita-Kyushu?\n\n"
    "R2: Dr. Li's ward in Kita-Kyushu was busy. LI said Aiko Nakamura-Smith would come. "
    "Tanakamura is another person. I flew home from kita-kyushu.\n\n"
    "Interviewer: And Li?\n\n"
    "R2: Li-san retired."
)


def _names_file(tmp_path, rows, header=("name", "replacement", "kind")):
    path = tmp_path / "names.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_find_and_replace_names_case_insensitive_with_possessives():
    found = find_replacements([(1, TEXT)], NAMES)
    assert [(r.old, r.new) for r in found] == [
        ("Osaka", "Kita-Kyushu"),
        ("Tanaka", "Li"),
        ("Osaka", "Kita-Kyushu"),
        ("TANAKA", "LI"),
        ("Yuki Tanaka", "Aiko Nakamura-Smith"),
        ("osaka", "kita-kyushu"),
        ("Tanaka", "Li"),
        ("Tanaka", "Li"),
    ]
    assert all(TEXT[r.start : r.end] == r.old for r in found)
    assert apply_to_text(TEXT, found) == EXPECTED


def test_map_offsets_moves_around_and_inside_names():
    # "ab NAME cd": NAME (3-7) becomes a 2-character replacement.
    reps = [(3, 7, 2)]
    assert map_offsets([0, 3, 5, 7, 9], reps, "start") == [0, 3, 3, 5, 7]
    assert map_offsets([0, 3, 5, 7, 9], reps, "end") == [0, 3, 5, 5, 7]
    with pytest.raises(ValueError):
        map_offsets([1], reps, "middle")


WORDS = ["alpha", "beta", "gamma", "Tanaka", "Osaka", "Li", "delta", "Yamamoto"]


@st.composite
def text_and_replacements(draw):
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=30))
    text, spans, pos = "", [], 0
    for word in words:
        spans.append((pos, pos + len(word)))
        text += word + " "
        pos += len(word) + 1
    chosen = draw(st.lists(st.sampled_from(range(len(words))), unique=True))
    reps = [
        Replacement(
            1,
            spans[i][0],
            spans[i][1],
            words[i],
            draw(st.sampled_from(["X", "Zzzzzzzzzz", "Mo"])),
            "person",
            "list",
        )
        for i in sorted(chosen)
    ]
    a = draw(st.integers(0, len(text) - 1))
    b = draw(st.integers(a + 1, len(text)))
    return text, reps, a, b


@settings(max_examples=300, deadline=None)
@given(text_and_replacements())
def test_property_every_span_covers_the_same_words(case):
    text, reps, start, end = case
    new_text = apply_to_text(text, reps)
    triples = [(r.start, r.end, len(r.new)) for r in reps]
    [new_start] = map_offsets([start], triples, "start")
    [new_end] = map_offsets([end], triples, "end")
    # A span cutting into a name grows to the whole name; inside it, only names change.
    for r in reps:
        if r.start < start < r.end:
            start = r.start
        if r.start < end < r.end:
            end = r.end
    inside = [
        Replacement(1, r.start - start, r.end - start, r.old, r.new, r.kind, r.source)
        for r in reps
        if start <= r.start and r.end <= end
    ]
    assert new_text[new_start:new_end] == apply_to_text(text[start:end], inside)


def test_load_names_errors_name_the_file(tmp_path):
    good = _names_file(tmp_path, [("Tanaka", "Li", "person"), ("Osaka", "Kobe", "place")])
    assert load_names(good) == [
        NameRule("Tanaka", "Li", "person"),
        NameRule("Osaka", "Kobe", "place"),
    ]
    two_columns = _names_file(tmp_path, [("Tanaka", "Li")], header=("name", "replacement"))
    assert load_names(two_columns) == [NameRule("Tanaka", "Li", "person")]
    with pytest.raises(QualcodeError, match="names.csv: line 2: 'Tanaka' has an empty replacement"):
        load_names(_names_file(tmp_path, [("Tanaka", "", "person")]))
    with pytest.raises(QualcodeError, match="names.csv: needs a header"):
        load_names(_names_file(tmp_path, [("Tanaka", "Li")], header=("who", "what")))
    with pytest.raises(QualcodeError, match="kind 'city'"):
        load_names(_names_file(tmp_path, [("Osaka", "Kobe", "city")]))
    with pytest.raises(QualcodeError, match="no such names file"):
        load_names(tmp_path / "missing.csv")


def _turns(text):
    segments, pos = [], 0
    for block in text.split("\n\n"):
        segments.append(Segment(pos, pos + len(block), "turn", block.split(":")[0]))
        pos += len(block) + 2
    return tuple(segments)


def _project_with_codings(project):
    [doc_id] = project.add_documents(
        [
            NewDocument(
                "R2", "interview", "R2 interview", TEXT, "R2.txt", "sha-r2", "utf-8", _turns(TEXT)
            )
        ]
    )
    code = project.codes()[-1].id
    passages = [
        "Dr. Tanaka's ward in Osaka was busy.",
        "TANAKA said Yuki Tanaka would come.",
        "ka's ward in Osa",
        "Tanakamura is another person.",
        "Tanaka?",
        "Osaka",
        "R2: Tanaka-san retired.",
    ]
    for passage in passages:
        start = TEXT.index(passage)
        project.add_coding(doc_id, start, start + len(passage), code)
    return doc_id, passages


def test_apply_keeps_every_coding_on_the_same_words(project):
    doc_id, passages = _project_with_codings(project)
    project.segment_documents()
    sentences_before = [TEXT[s.start : s.end] for s in project.segments(doc_id, "sentence")]
    plan = project.pseudonymise_plan(NAMES)
    assert len(plan.replacements) == 8 and plan.documents == 1
    assert plan.lines()[1] == (
        "R2 interview  37-43  …ewer: How was Osaka?  R2: Dr. [Tanaka]'s ward in Osaka was busy. TAN…  Tanaka -> Li"
    )
    moved = project.apply_pseudonymisation(plan)
    # Every span ends after the first "Osaka", which grows: all codings and segments move.
    segment_count = project.db.execute("SELECT count(*) FROM segments").fetchone()[0]
    assert moved == {
        "documents": 1,
        "replacements": 8,
        "codings": 7,
        "segments": segment_count,
        "elsewhere": 0,
        "wal_truncated": True,
    }
    assert project.document(doc_id).text == EXPECTED
    assert [e.text for e in project.excerpts()] == [
        "Kita-Kyushu",
        "Dr. Li's ward in Kita-Kyushu was busy.",
        "Li's ward in Kita-Kyushu",
        "LI said Aiko Nakamura-Smith would come.",
        "Tanakamura is another person.",
        "Li?",
        "R2: Li-san retired.",
    ]
    sentences_after = [EXPECTED[s.start : s.end] for s in project.segments(doc_id, "sentence")]
    renamed = [
        s.replace("Yuki Tanaka", "Aiko Nakamura-Smith")
        .replace("Tanaka's", "Li's")
        .replace("TANAKA", "LI")
        .replace("Tanaka?", "Li?")
        .replace("Tanaka-", "Li-")
        .replace("Osaka", "Kita-Kyushu")
        .replace("osaka", "kita-kyushu")
        for s in sentences_before
    ]
    assert sentences_after == renamed
    assert project.db.execute("SELECT count(*) FROM documents_original").fetchone()[0] == 0


def test_keep_original_and_stale_plan(project):
    doc_id, _ = _project_with_codings(project)
    plan = project.pseudonymise_plan(NAMES)
    moved = project.apply_pseudonymisation(plan, keep_original=True)
    # The originals are only in the separate file, a full copy of the project as it was.
    assert project.db.execute("SELECT count(*) FROM documents_original").fetchone()[0] == 0
    kept = Project.open(moved["original_file"], daily_backup=False)
    assert kept.document(doc_id).text == TEXT
    kept.close()
    codings_before = project.db.execute('SELECT id, start, "end" FROM codings').fetchall()
    with pytest.raises(QualcodeError, match="changed since the plan was made"):
        project.apply_pseudonymisation(plan)  # the same plan again: the names are gone
    assert project.document(doc_id).text == EXPECTED  # nothing half-written
    assert project.db.execute('SELECT id, start, "end" FROM codings').fetchall() == codings_before
