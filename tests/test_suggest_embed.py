"""The sentence model's part of code suggestions (qualcode.suggest_embed): the ridge
classifier against scikit-learn's, exact incremental updates, the English gate, and
what the real model (the `embeddings` extra, installed by `make install-test`) does."""

import hashlib

import numpy as np
import pytest
from sklearn.linear_model import Ridge

from qualcode import suggest_embed
from qualcode.suggest import CodeSuggester, Context
from qualcode.suggest_embed import DIMENSIONS, QUESTION_WEIGHT, RIDGE_ALPHA, EmbeddingCodeModel


def fake_encode(texts):
    """Deterministic unit vectors from a hash of the text (zero for a blank text)."""
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    for i, text in enumerate(texts):
        if text.strip():
            seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "little")
            v = np.random.default_rng(seed).normal(size=DIMENSIONS)
            out[i] = v / np.linalg.norm(v)
    return out


LABELS = ["Time/Lack of time", "People/Communication", "Tools/Bad tools"]
ROWS = [
    (0, "We never had enough time", "why?", "p1"),
    (1, "Nobody talked to the customer", "why?", "p2"),
    (1, "The analyst and the team never met", "", "p3"),
    (2, "Jira was awful", "", "p4"),
    (0, "Jira was awful", "", "p4"),  # the same passage with a second code
    # the same text in three passages (their keys alike): three rows, not one
    (1, "Did not answer", "", "same"),
    (1, "Did not answer", "", "same"),
    (1, "Did not answer", "", "same"),
]
# ROWS as passages: (text, question, codes), one row each in the least-squares problem
PASSAGES = [
    ("We never had enough time", "why?", {0}),
    ("Nobody talked to the customer", "why?", {1}),
    ("The analyst and the team never met", "", {1}),
    ("Jira was awful", "", {0, 2}),
    *[("Did not answer", "", {1})] * 3,
]


def test_ridge_scores_equal_scikit_learns_ridge_on_the_same_rows():
    model = EmbeddingCodeModel(LABELS, encode=fake_encode)
    model.add(ROWS)
    # the reference: one row per passage (labels included), multi-hot targets
    x = [np.concatenate([fake_encode([t])[0], np.zeros(DIMENSIONS)]) for t in LABELS]
    y = [np.eye(len(LABELS))[i] for i in range(len(LABELS))]
    for text, question, codes in PASSAGES:
        asked = QUESTION_WEIGHT * fake_encode([question])[0]
        x.append(np.concatenate([fake_encode([text])[0], asked]))
        y.append(np.isin(np.arange(len(LABELS)), list(codes)).astype(float))
    reference = Ridge(alpha=RIDGE_ALPHA, fit_intercept=False).fit(np.array(x), np.array(y))
    texts, questions = ["Deadlines were tight", "Jira was awful"], ["why?", ""]
    asked = np.hstack([fake_encode(texts), QUESTION_WEIGHT * fake_encode(questions)])
    got = model.scores(texts, questions)["embed_ridge"]
    np.testing.assert_allclose(got, reference.predict(asked), rtol=1e-6, atol=1e-8)


def test_adding_codings_one_by_one_gives_the_same_model_as_all_at_once():
    at_once = EmbeddingCodeModel(LABELS, encode=fake_encode)
    at_once.add(ROWS)
    one_by_one = EmbeddingCodeModel(LABELS, encode=fake_encode)
    asked = ["The tools kept crashing", "We met the customer once"]
    one_by_one.scores(asked, ["", ""])  # solved once before the adds: must not go stale
    for row in ROWS:
        one_by_one.add([row])
    a, b = at_once.scores(asked, ["", "why?"]), one_by_one.scores(asked, ["", "why?"])
    for part in ("embed_centroid", "embed_ridge"):
        np.testing.assert_allclose(a[part], b[part], rtol=1e-9, atol=1e-12)


def test_the_centroid_part_is_the_cosine_with_the_sum_of_label_and_passages():
    model = EmbeddingCodeModel(LABELS, encode=fake_encode)
    model.add(ROWS[:2])
    centroid = fake_encode([LABELS[0]])[0] + fake_encode([ROWS[0][1]])[0]
    passage = fake_encode(["Deadlines were tight"])[0]
    got = model.scores(["Deadlines were tight"], [""])["embed_centroid"][0, 0]
    assert got == pytest.approx(float(passage @ centroid / np.linalg.norm(centroid)))


ENGLISH = "We never had enough time to test the software before the release."
HUNGARIAN = "Nem mertétek kötelezővé tenni? Adtam volna két oltást is egyből."
GERMAN = "Wir hatten nie genug Zeit, die Software vor der Auslieferung zu testen."


def test_the_english_model_for_english_texts_the_multilingual_one_for_its_languages():
    """all-MiniLM-L6-v2 (the extra) reads English only; USE multilingual v3 (a
    dependency) reads its 16 languages, told by the project's language; Hungarian is
    in neither."""
    assert suggest_embed.coverage([ENGLISH]) > 0.9
    assert suggest_embed.coverage([HUNGARIAN]) < 0.5
    assert suggest_embed.usable([ENGLISH]) and not suggest_embed.usable([HUNGARIAN])
    codes = [(1, "A", ""), (2, "B", "")]
    english = CodeSuggester(codes, [(1, ENGLISH), (2, "The team never met.")])
    assert english.embedded and english.sentence_model is suggest_embed.MINILM
    german = CodeSuggester(codes, [(1, GERMAN), (2, "Das Team traf sich nie.")], lang="de")
    assert german.embedded and german.sentence_model is suggest_embed.MULTILINGUAL
    hungarian = CodeSuggester(codes, [(1, HUNGARIAN), (2, "Oltás nélkül.")], lang="hu")
    assert not hungarian.embedded and hungarian.sentence_model is None


def test_without_the_extra_english_gets_the_multilingual_model(monkeypatch):
    monkeypatch.setattr(suggest_embed, "installed", lambda: False)
    model, why = suggest_embed.choose_model([ENGLISH], "en")
    assert model is suggest_embed.MULTILINGUAL and why == "the project's language is en"
    model, why = suggest_embed.choose_model([HUNGARIAN], "hu")
    assert model is None
    assert why == "the multilingual model does not read the project's language (hu)"


def test_the_multilingual_vectors_are_unit_length_and_mean_alike_across_languages():
    vectors = suggest_embed.use_encoder().encode([ENGLISH, GERMAN, "  ", "Lunch was rice."])
    assert vectors.shape == (4, suggest_embed.USE_DIMENSIONS)
    assert np.linalg.norm(vectors[0]) == pytest.approx(1.0, abs=1e-4)
    assert not vectors[2].any()
    # the same sentence in two languages lies closer than two English sentences apart
    assert float(vectors[0] @ vectors[1]) > float(vectors[0] @ vectors[3]) + 0.3


def test_the_sentence_models_can_be_turned_off(monkeypatch):
    monkeypatch.setenv("QUALCODE_SENTENCE_MODEL", "off")
    assert not suggest_embed.installed() and not suggest_embed.use_installed()
    assert not CodeSuggester([(1, "A", ""), (2, "B", "")], [(1, "We had no time.")]).embedded


def test_real_vectors_are_unit_length_and_blank_texts_are_zero():
    vectors = suggest_embed.encoder().encode(["No time to test.", "  ", "No time to test."])
    assert vectors.shape == (3, DIMENSIONS)
    assert np.linalg.norm(vectors[0]) == pytest.approx(1.0, abs=1e-5)
    assert not vectors[1].any()
    np.testing.assert_array_equal(vectors[0], vectors[2])


@pytest.mark.parametrize("model", [suggest_embed.MINILM, suggest_embed.MULTILINGUAL])
def test_learns_a_code_from_three_codings_by_meaning_and_ranks_it_first_on_a_fourth(model):
    """Three codings teach an opaquely named code; a fourth passage sharing no word
    with them is ranked under it: only a sentence model can see the likeness."""
    codes = [
        (1, "Career/Specialty choice", "Choosing a specialty"),
        (2, "Language/Barrier", "Difficulty communicating in English"),
        (3, "Code 3", ""),
    ]
    examples = [
        (1, "After the elective I decided to become a surgeon."),
        (2, "My English was not good enough to talk with the patients."),
    ]
    suggester = CodeSuggester(codes, examples, embed=model)
    fourth = "Lunch was noodles and soup almost every day."
    assert suggester.suggest(fourth, k=1)[0][0] != 3
    for text in (
        "We ate rice in the canteen at noon.",
        "The curry in the canteen was too spicy for me.",
        "Breakfast at the hostel was bread and tea.",
    ):
        suggester.add(3, text, Context())
    assert suggester.suggest(fourth, k=1)[0][0] == 3
    plain = CodeSuggester(codes, examples, embed=False)
    for text in (
        "We ate rice in the canteen at noon.",
        "The curry in the canteen was too spicy for me.",
        "Breakfast at the hostel was bread and tea.",
    ):
        plain.add(3, text, Context())
    assert not plain.embedded
    assert plain.score_parts([fourth], [Context()])["embed_ridge"] is None


def test_a_deferred_suggester_attaches_the_sentence_model_at_its_first_refit():
    """The workbench's session answers first from the n-gram models; the sentence model
    (and the weights' choice) come with the first background refit, and codings learnt
    before it count as if they had been there from the start."""
    codes = [(1, "Language/Barrier", "speaking English"), (2, "Food", "")]
    examples = [(1, "My English was not good enough."), (2, "Rice in the canteen.")]
    deferred = CodeSuggester(codes, examples, defer=True)
    assert not deferred.embedded
    assert deferred.score_parts(["Noodles again."], [Context()])["embed_ridge"] is None
    deferred.add(2, "The curry was spicy.", Context())
    deferred.refit_linear()
    assert deferred.embedded
    whole = CodeSuggester(codes, [*examples, (2, "The curry was spicy.")])
    asked = (["Noodles again.", "I could not follow."], [Context(), Context()])
    a, b = deferred.score_parts(*asked), whole.score_parts(*asked)
    for part in ("embed_centroid", "embed_ridge", "centroid"):
        np.testing.assert_allclose(a[part], b[part], rtol=1e-6, atol=1e-9)


def test_info_says_which_models_suggest_codes_and_why(tmp_path, monkeypatch):
    from qualcode.models import NewDocument
    from qualcode.project import Project

    with Project.create(tmp_path / "p.qualcode") as project:
        code = project.add_code("Time")
        for n, text in enumerate((ENGLISH, HUNGARIAN)):
            [doc] = project.add_documents(
                [NewDocument(f"P{n}", "interview", f"P{n}", text, f"P{n}.txt", f"s{n}", "utf-8")]
            )
            project.add_coding(doc, 0, len(text), code.id)
            if n == 0:
                said = project.suggestion_models()
                assert said.startswith("n-gram models and the sentence model all-MiniLM-L6-v2")
        # half the coded words are Hungarian now: under the 80 % MiniLM needs; the
        # project's language (en) is one the multilingual model reads
        known = suggest_embed.coverage([ENGLISH, HUNGARIAN])
        assert project.suggestion_models() == (
            "n-gram models and the sentence model USE multilingual v3 (the project's "
            "language is en)"
        )
        project.set_language("hu")
        assert project.suggestion_models() == (
            f"n-gram models (all-MiniLM-L6-v2 reads English: {known:.0%} of the words known; "
            "the multilingual model does not read the project's language (hu))"
        )
        monkeypatch.setenv("QUALCODE_SENTENCE_MODEL", "off")
        assert project.suggestion_models() == (
            "n-gram models (the sentence models are turned off: QUALCODE_SENTENCE_MODEL)"
        )
