"""Project.excerpts_in_context and Project.filter_choices (the retrieval screen's data)."""

from qualcode.models import NewDocument, Segment
from tests.conftest import R7_TEXT


def test_context_is_the_neighbouring_sentences(r7_project):
    p = r7_project
    start = R7_TEXT.index("The ICU")
    end = start + len("The ICU in Ohio was loud.")
    p.add_coding("R7 interview", start, end, "Culture shock", memo="noise")
    [item] = p.excerpts_in_context("Culture shock")
    assert item.excerpt.text == "The ICU in Ohio was loud."
    assert item.before == "I decided to go because nobody in my class had done it. "
    assert item.after == " I felt lost at first."
    assert (item.excerpt.participant, item.excerpt.memo, item.excerpt.coder) == (
        "R7",
        "noise",
        "tester",
    )


def test_excerpt_inside_a_sentence_gets_the_rest_of_it_and_the_next(r7_project):
    p = r7_project
    start = R7_TEXT.index("nobody")
    p.add_coding("R7 interview", start, start + len("nobody in my class"), "Culture shock")
    [item] = p.excerpts_in_context("Culture shock")
    assert item.before == "Why did you choose an elective abroad?\n\nR7: I decided to go because "
    assert item.after == " had done it. The ICU in Ohio was loud."


def test_without_sentences_about_150_characters_cut_at_words(project):
    words = " ".join(f"word{i:03d}" for i in range(200))  # 8 characters a word with its space
    [doc] = project.add_documents([NewDocument("R1", "report", "R1 report", words)])
    start = words.index("word100")
    project.add_coding(doc, start, start + len("word100"), "Empathy")
    [item] = project.excerpts_in_context("Empathy")
    assert (
        140 <= len(item.before) <= 150
        and item.before.startswith("word")
        and item.before.endswith(" ")
    )
    assert 140 <= len(item.after) <= 150 and item.after.startswith(" ") and item.after[-1].isdigit()
    assert item.after.split()[-1] in words.split()


def test_grouped_by_participant_in_natural_order_with_children(project):
    docs = [
        NewDocument(
            pid,
            "interview",
            f"{pid} interview",
            f"{pid}: It was new to me.",
            segments=(Segment(len(pid) + 2, len(pid) + 20, "sentence"),),
        )
        for pid in ("R10", "R2", "R1")
    ]
    ids = project.add_documents(docs)
    for doc_id, code in zip(ids, ["Empathy", "Self-relativisation", "Empathy"]):
        project.add_coding(doc_id, 0, 3, code)
    items = project.excerpts_in_context("Perspective transformation", with_children=True)
    assert [i.excerpt.participant for i in items] == ["R1", "R2", "R10"]
    assert project.excerpts_in_context("Perspective transformation") == []
    choices = project.filter_choices()
    assert (choices.kinds, choices.coders, choices.attributes) == (["interview"], ["tester"], {})


def test_filter_choices_lists_values_present(r7_project):
    r7_project.upsert_participants([("R8", None, {"sex": "F"})])
    choices = r7_project.filter_choices()
    assert choices.attributes == {"host_income": ["HIC"], "sex": ["F", "M"]}
