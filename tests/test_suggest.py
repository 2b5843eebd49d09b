"""Code suggestions rank codes by name, description and coded excerpts; never code."""

import numpy as np
import spacy

from qualcode.models import NewDocument, Segment
from qualcode.suggest import CodeSuggester

CODES = [
    (1, "Career design/Right of choice", "Choosing a specialty or a career path"),
    (2, "Perspective transformation/Wide perspective", "Seeing health systems from a broader view"),
    (3, "Language/Barrier", "Difficulty communicating in English"),
]
EXCERPTS = [
    (1, "After the elective I decided to become a surgeon."),
    (2, "I realised the hospital system in the US works very differently."),
    (3, "My English was not good enough to talk with the patients."),
    (3, "I could not follow the nurses because they spoke so fast."),
]


def test_ranks_by_excerpts_and_labels():
    suggester = CodeSuggester(CODES, EXCERPTS)
    assert [
        c for c, _ in suggester.suggest("The patients spoke fast and my English failed me.")
    ] == [3]
    assert suggester.suggest("Which specialty to choose for my career?", k=1)[0][0] == 1
    assert suggester.suggest("Health systems differ between countries.", k=3)[0][0] == 2
    assert suggester.suggest("zzz qqq") == []
    scores = suggester.suggest("English patients nurses career", k=3)
    assert [s for _, s in scores] == sorted((s for _, s in scores), reverse=True)


def test_a_code_without_excerpts_is_found_by_its_description():
    suggester = CodeSuggester(
        CODES + [(4, "Finance/Costs", "Money spent on flights and housing")], EXCERPTS
    )
    assert suggester.suggest("The flights cost so much money.", k=1)[0][0] == 4


def test_word_vectors_are_used_when_the_pipeline_has_them():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    for word, vec in {
        "surgeon": [1, 0, 0],
        "doctor": [0.9, 0.1, 0],
        "english": [0, 1, 0],
        "language": [0, 0.9, 0.1],
    }.items():
        nlp.vocab.set_vector(word, np.array(vec, dtype="float32"))
    suggester = CodeSuggester(
        [(1, "Career", ""), (3, "Speaking", "")], [(1, "surgeon"), (3, "english")], nlp=nlp
    )
    # no shared term at all: only the vectors link "doctor" to "surgeon"
    assert suggester.suggest("doctor", k=1)[0][0] == 1
    assert suggester.suggest("language", k=1)[0][0] == 3


TEXT = (
    "Interviewer: What was hard?\n\n"
    "R4: My English was not good enough to talk with the patients. The nurses spoke fast.\n\n"
    "Interviewer: And afterwards?\n\n"
    "R4: I decided to become a surgeon, it was my own choice."
)


def _turns():
    out, pos = [], 0
    for block in TEXT.split("\n\n"):
        out.append(Segment(pos, pos + len(block), "turn", block.split(":")[0]))
        pos += len(block) + 2
    return tuple(out)


def test_facade_suggestions_never_write_a_coding(project):
    [doc] = project.add_documents(
        [NewDocument("R4", "interview", "R4", TEXT, "R4.txt", "sha4", "utf-8", _turns())]
    )
    code = project.add_code(
        "Language barrier", description="difficulty speaking English with patients"
    )
    start = TEXT.index("My English")
    project.add_coding(doc, start, start + len("My English was not good enough"), code.id)
    before = project.db.execute("SELECT * FROM codings").fetchall()
    changes = project.db.conn.total_changes
    nurses = TEXT.index("The nurses")
    suggestions = project.suggest_codes(doc, nurses, nurses + len("The nurses spoke fast."), k=3)
    english = TEXT.index("English was not")
    top = project.suggest_codes(doc, english, english + 40, k=3)
    assert top[0].path == "Language barrier" and top[0].code_id == code.id and top[0].score > 0
    assert len(suggestions) <= 3
    assert project.db.execute("SELECT * FROM codings").fetchall() == before
    assert project.db.conn.total_changes == changes  # nothing at all was written
    assert project.code_suggester() is project.code_suggester()  # cached while nothing changes
    fitted = project.code_suggester()
    project.add_coding(doc, nurses, nurses + 10, code.id)
    assert project.code_suggester() is not fitted  # refitted after a change
