"""Code suggestions: a linear model over n-grams and context that learns from the
project's own codings (and the codebook's names and descriptions); never codes."""

import numpy as np
import pytest

from qualcode.models import NewDocument, Segment
from qualcode.suggest import CodeSuggester, Context

CODES = [
    (1, "Career design/Right of choice", "Choosing a specialty or a career path"),
    (2, "Perspective transformation/Wide perspective", "Seeing health systems from a broader view"),
    (3, "Language/Barrier", "Difficulty communicating in English"),
    (4, "Finance/Costs", "Money spent on flights and housing"),
]
EXCERPTS = [
    (1, "After the elective I decided to become a surgeon."),
    (2, "I realised the hospital system in the US works very differently."),
    (3, "My English was not good enough to talk with the patients."),
    (3, "I could not follow the nurses because they spoke so fast."),
]


def test_learns_a_code_from_three_codings_and_ranks_it_first_on_a_fourth():
    codes = [*CODES, (5, "Food", "")]  # a code with a bare name: only its codings teach it
    suggester = CodeSuggester(codes, EXCERPTS)
    fourth = "The canteen served rice and curry every single day."
    assert suggester.suggest(fourth, k=1)[0][0] != 5  # nothing links the passage to Food yet
    for text in (
        "We ate rice in the canteen at noon.",
        "The curry in the canteen was too spicy for me.",
        "Every day the canteen had the same rice dish.",
    ):
        suggester.add(5, text)
    assert suggester.n_examples == len(EXCERPTS) + 3
    ranked = suggester.suggest(fourth, k=5)
    assert ranked[0][0] == 5
    assert [s for _, s in ranked] == sorted((s for _, s in ranked), reverse=True)


def test_a_code_without_excerpts_is_found_by_its_description():
    suggester = CodeSuggester(CODES, EXCERPTS)
    assert suggester.suggest("The flights cost so much money.", k=1)[0][0] == 4


def test_a_project_without_codings_suggests_from_the_codebook_alone(monkeypatch):
    import qualcode.suggest as suggest

    monkeypatch.setattr(suggest, "KNN_WEIGHT", 0.5)  # and no neighbour to vote
    suggester = CodeSuggester(CODES, [])
    assert suggester.suggest("The flights cost so much money.", k=1)[0][0] == 4
    assert suggester.scores_many(["Money.", "English."], [Context(), Context()]).shape == (2, 4)
    assert suggester.suggest("Which specialty to choose for my career?", k=1)[0][0] == 1


def test_context_codes_and_question_are_features():
    codes = [(1, "Stress", ""), (2, "Coping", "")]
    # same words, told apart only by the question they answer
    examples = [
        (1, "it was hard", Context(question="What made you anxious?")),
        (1, "it was really hard", Context(question="What made you anxious?")),
        (2, "it was hard", Context(question="How did you deal with it?")),
        (2, "it was really hard", Context(question="How did you deal with it?")),
    ]
    suggester = CodeSuggester(codes, examples)
    assert suggester.suggest("hard", 1, Context(question="How did you deal with it?"))[0][0] == 2
    assert suggester.suggest("hard", 1, Context(question="What made you anxious?"))[0][0] == 1
    by_neighbour = CodeSuggester(
        codes,
        [
            (1, "it was hard", Context(neighbours=(7,))),
            (2, "it was hard", Context(neighbours=(9,))),
        ],
    )
    assert by_neighbour.suggest("hard", 1, Context(neighbours=(9,)))[0][0] == 2


def test_themes_rank_by_the_summed_probability_of_their_codes():
    import math

    import qualcode.suggest as suggest

    suggester = CodeSuggester(CODES, EXCERPTS)
    text = "The patients spoke fast and my English failed me."
    themes = suggester.suggest_themes(text, k=4)
    assert themes[0][0] == "Language"
    assert sorted(t for t, _ in themes) == [
        "Career design",
        "Finance",
        "Language",
        "Perspective transformation",
    ]
    scores = suggester.scores(text)
    weights = [math.exp((s - max(scores)) / suggest.THEME_TEMPERATURE) for s in scores]
    assert themes[0][1] == round(weights[2] / sum(weights), 4)  # Language/Barrier alone
    # three codes that nearly fit outweigh one that fits a little better
    shares = suggest.theme_shares(["A", "A", "A", "B"], np.array([0.50, 0.495, 0.49, 0.505]))
    e = [math.exp(x / suggest.THEME_TEMPERATURE) for x in (0.50, 0.495, 0.49, 0.505)]
    assert math.isclose(shares["A"], sum(e[:3]) / sum(e))
    assert shares["A"] > shares["B"] and math.isclose(shares["A"] + shares["B"], 1.0)


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
    # where the passage starts, as a share of its document: the position cue's input
    assert project.suggestion_context(doc, nurses, nurses + 10).position == nurses / len(TEXT)
    examples, _ = project.suggestion_examples()
    assert sorted(c.position for _, _, c in examples) == [start / len(TEXT), nurses / len(TEXT)]


def test_scores_many_equals_one_ask_at_a_time_and_sees_added_codings(monkeypatch):
    import qualcode.suggest as suggest

    monkeypatch.setattr(suggest, "KNN_WEIGHT", 0.5)  # the neighbour vote counts as well
    suggester = CodeSuggester(CODES, EXCERPTS)
    suggester.add(4, "The flat and the flights were expensive.")
    texts = ["My English was poor.", "Rent for the flat was expensive.", "I chose surgery."]
    contexts = [Context(), Context("What did it cost?"), Context(participant=(1,))]
    many = suggester.scores_many(texts, contexts)
    assert many.shape == (3, len(CODES))
    for row, text, context in zip(many, texts, contexts):
        assert np.allclose(row, suggester.scores(text, context))
    # the added coding is a neighbour: the flat passage's best code is Finance/Costs
    assert int(np.argmax(many[1])) == 3
    assert suggester.scores_many([], []).shape == (0, len(CODES))


def test_linear_model_tells_codes_apart_and_scores_every_code():
    from qualcode.suggest_linear import LinearCodeModel

    rows = [
        (0, "the rent and the flights cost a lot of money", Context()),
        (0, "money was short, housing was expensive", Context()),
        (1, "my english failed me with the patients", Context()),
        (1, "the nurses spoke english too fast for me", Context()),
    ]
    # code 2 has no row: it scores -1, below any code the model knows
    model = LinearCodeModel(3, rows, question_weight=0.7, context_weight=0.5)
    scores = model.scores_many(
        ["the flights were expensive", "english with patients"], [Context(), Context()]
    )
    assert scores.shape == (2, 3)
    assert int(np.argmax(scores[0])) == 0 and scores[0, 0] > 0 > scores[0, 1]
    assert int(np.argmax(scores[1])) == 1 and scores[1, 1] > 0 > scores[1, 0]
    assert scores[0, 2] == scores[1, 2] == -1.0
    assert model.n_rows == 4
    with pytest.raises(ValueError, match="two codes"):
        LinearCodeModel(2, rows[:2], question_weight=0.7, context_weight=0.5)


def test_the_linear_model_lags_behind_add_until_refitted():
    suggester = CodeSuggester(CODES, EXCERPTS)
    fitted = len(CODES) + len(EXCERPTS)  # the codings and one label row per code
    assert suggester.linear_examples == fitted
    suggester.add(4, "Rent for the flat was expensive.")
    assert suggester.linear_examples == fitted  # add is instant: the centroids learnt it
    suggester.refit_linear()
    assert suggester.linear_examples == fitted + 1
    plain = CodeSuggester(CODES, EXCERPTS, linear=False)
    assert plain.linear_examples == 0
    alone = CodeSuggester(CODES[:1], EXCERPTS[:1])  # one code: nothing to tell apart
    assert alone.linear_examples == 0 and alone.suggest("I chose surgery.")[0][0] == 1


def test_codes_given_to_answers_of_the_same_question_come_first(monkeypatch):
    import qualcode.suggest as suggest

    codes = [(1, "Cause/Lack of time", ""), (2, "Effect/Lack of time", "")]
    examples = [
        (1, "no time", Context(question="Why did the problem happen?")),
        (1, "deadlines", Context(question="Why did the problem happen?")),
        (2, "no time", Context(question="What did the problem lead to?")),
        (2, "delays", Context(question="What did the problem lead to?")),
        (2, "late delivery", Context(question="What did the problem lead to?")),
    ]
    monkeypatch.setattr(suggest, "LINEAR_WEIGHT", 0.0)
    monkeypatch.setattr(suggest, "LINEAR_GROWTH", 0.0)  # no SVM at all
    monkeypatch.setattr(suggest, "QUESTION_WEIGHT", 0.0)  # the question's words do not count
    monkeypatch.setattr(suggest, "QUESTION_THEME_WEIGHT", 0.0)  # nor its theme (Cause, Effect)
    monkeypatch.setattr(suggest, "EMBED_CENTROID_WEIGHT", 0.0)  # nor the sentence model
    monkeypatch.setattr(suggest, "EMBED_RIDGE_WEIGHT", 0.0)
    suggester = CodeSuggester(codes, examples)
    asked = Context(question="what did  the problem LEAD to?")  # same question, other spelling
    assert suggester.suggest("time pressure", 1, Context())[0][0] == 1  # by its words
    assert suggester.suggest("time pressure", 1, asked)[0][0] == 2  # by its question
    prior = suggester._question_prior([asked, Context(question="never asked")])
    share = (np.array([2.0, 3.0]) + 1) / (5 + 2)
    expected = np.log((np.array([0.0, 3.0]) + 2.0 * share) / (3 + 2.0))
    assert np.allclose(prior[0], expected) and not prior[1].any()
    monkeypatch.setattr(suggest, "QUESTION_PRIOR_WEIGHT", 0.0)
    assert suggester.suggest("time pressure", 1, asked)[0][0] == 1  # the prior did it


def test_the_linear_weight_grows_with_the_codings_per_code():
    from qualcode.suggest import Blend, combine

    parts = {
        "centroid": np.array([[0.2, 0.1]]),
        "prior": np.array([1.0, 0.0]),
        "linear": np.array([[-1.0, 1.0]]),
        "question": None,
        "per_code": 50.0,
        "groups": np.array([0, 1]),
    }
    fixed = Blend(prior=0.1, linear=0.0, linear_growth=0.0, question=0.0, group=0.0)
    assert np.allclose(combine(parts, fixed), [[0.3, 0.1]])  # no SVM: the centroids decide
    growing = Blend(prior=0.1, linear=0.0, linear_growth=50.0, question=0.0, group=0.0)
    # w = 50 codings per code / 50 = 1: (0.3 - 1) / 2 and (0.1 + 1) / 2
    assert np.allclose(combine(parts, growing), [[-0.35, 0.55]])
    few = dict(parts, per_code=2.0)  # w = 0.04: the centroids still decide
    assert np.allclose(combine(few, growing), [[(0.3 - 0.04) / 1.04, (0.1 + 0.04) / 1.04]])
    assert int(np.argmax(combine(few, growing))) == 0


def test_codes_rank_within_the_most_likely_group(monkeypatch):
    import qualcode.suggest as suggest
    from qualcode.suggest import Blend, combine, group_of

    assert group_of("Causes/Method/Lack of time") == "Causes/Method"
    assert group_of("Food") == "Food"
    monkeypatch.setattr(suggest, "THEME_TEMPERATURE", 0.02)
    # code 0 alone in group 0 scores best, but group 1's two codes together are likelier
    scores = np.array([[0.50, 0.495, 0.495]])
    parts = {
        "centroid": scores,
        "prior": np.zeros(3),
        "linear": None,
        "question": None,
        "per_code": 1.0,
        "groups": np.array([0, 1, 1]),
    }
    plain = Blend(prior=0.0, linear=0.0, linear_growth=0.0, question=0.0, group=0.0)
    assert int(np.argmax(combine(parts, plain))) == 0
    grouped = combine(
        parts, Blend(prior=0.0, linear=0.0, linear_growth=0.0, question=0.0, group=1.0)
    )
    e = np.exp((scores[0] - 0.50) / 0.02)  # softmax weights: 1, e^-0.25, e^-0.25
    share = np.array([e[0], e[1] + e[2], e[1] + e[2]]) / e.sum()
    assert np.allclose(grouped[0], scores[0] + 0.02 * np.log(share))
    assert int(np.argmax(grouped)) == 1


def test_a_passage_with_two_codes_is_a_positive_of_both():
    from qualcode.suggest_linear import LinearCodeModel

    both = "the rent was high and my english was poor"
    rows = [
        (0, "the rent and the flights cost a lot of money", Context()),
        (0, "money was short, housing was expensive", Context()),
        (1, "my english failed me with the patients", Context()),
        (1, "the nurses spoke english too fast for me", Context()),
        (2, "I chose surgery after the elective", Context()),
        (0, both, Context()),
        (1, both, Context()),  # the same passage, coded twice
    ]
    model = LinearCodeModel(3, rows, question_weight=0.7, context_weight=0.5)
    assert (model.n_rows, model.n_passages) == (7, 6)
    scores = model.scores_many([both], [Context()])[0]
    assert scores[0] > scores[2] and scores[1] > scores[2]  # both codes above the third
    # as one multiclass fit with a row per coding, the passage was a negative of each code
    single = LinearCodeModel(3, rows[:5], question_weight=0.7, context_weight=0.5)
    assert single.n_passages == 5


def test_codes_that_follow_the_participants_other_codes_come_first(monkeypatch):
    import qualcode.suggest as suggest

    codes = [(1, "Stress", ""), (2, "Coping", ""), (3, "Support", "")]
    after_stress = Context(participant=(1,))
    examples = [
        (1, "exams were hard"),
        (1, "the night shifts"),
        (1, "too much work"),
        (2, "I went running", after_stress),
        (2, "I talked to friends", after_stress),
        (3, "my tutor helped", after_stress),
    ]
    monkeypatch.setattr(suggest, "LINEAR_WEIGHT", 0.0)
    monkeypatch.setattr(suggest, "LINEAR_GROWTH", 0.0)  # no SVM at all
    monkeypatch.setattr(suggest, "CONTEXT_WEIGHT", 0.0)  # context codes are no features
    suggester = CodeSuggester(codes, examples)
    prior = suggester._context_prior([after_stress, Context(), Context(participant=(99,))])
    share = (np.array([3.0, 2.0, 1.0]) + 1) / (6 + 3)
    expected = np.log((np.array([0.0, 2.0, 1.0]) + 2.0 * share) / (3 + 2.0)) - np.log(share)
    assert np.allclose(prior[0], expected)
    assert not prior[1].any() and not prior[2].any()  # no context, or an unknown code
    assert suggester.suggest("it was a week", 1, after_stress)[0][0] == 1  # the most coded
    monkeypatch.setattr(suggest, "CONTEXT_PRIOR_WEIGHT", 0.2)
    assert suggester.suggest("it was a week", 1, after_stress)[0][0] == 2  # what follows Stress
    suggester.add(3, "my mother called", after_stress)
    suggester.add(3, "the tutor again", after_stress)
    assert suggester._cooccur[0].tolist() == [0.0, 2.0, 3.0]


def test_the_svm_speaks_for_a_code_in_proportion_to_the_codings_it_was_fitted_on():
    suggester = CodeSuggester(CODES, EXCERPTS)
    one = (["Rent was high."], [Context()])
    assert suggester.score_parts(*one)["trust"].tolist() == [1.0, 1.0, 1.0, 1.0]
    suggester.add(4, "The flat and the flights were expensive.")  # Finance: no coding before
    suggester.add(3, "Nobody understood my accent.")  # Language: 2 codings fitted, now 3
    trust = suggester.score_parts(*one)["trust"]
    assert np.allclose(trust, [1.0, 1.0, 2 / 3, 0.0])
    suggester.refit_linear()
    assert suggester.score_parts(*one)["trust"].tolist() == [1.0, 1.0, 1.0, 1.0]


def test_the_position_cue_ranks_the_guides_code_first(monkeypatch):
    """Interviews follow a guide: childhood is asked about early, work late. A passage
    whose words say nothing is ranked by where it sits in its document."""
    import qualcode.suggest as suggest
    from qualcode.suggest_priors import PositionPrior

    codes = [(1, "Childhood", ""), (2, "Work", "")]
    examples = [
        (1, "well, it was like that", Context(position=0.10)),
        (1, "yes, and so on", Context(position=0.12)),
        (2, "well, it was like that", Context(position=0.80)),
        (2, "yes, and so on", Context(position=0.85)),
        (2, "I suppose so", Context(position=0.90)),  # Work is the commoner code
    ]
    monkeypatch.setattr(suggest, "LINEAR_WEIGHT", 0.0)
    monkeypatch.setattr(suggest, "LINEAR_GROWTH", 0.0)  # no SVM at all
    monkeypatch.setattr(suggest, "POSITION_WEIGHT", 0.0)
    monkeypatch.setattr(suggest, "EMBED_CENTROID_WEIGHT", 0.0)  # nor the sentence model
    monkeypatch.setattr(suggest, "EMBED_RIDGE_WEIGHT", 0.0)
    suggester = CodeSuggester(codes, examples)
    early, late = Context(position=0.11), Context(position=0.84)
    assert suggester.suggest("hmm, right", 1, early)[0][0] == 2  # without the cue: the commoner
    monkeypatch.setattr(suggest, "POSITION_WEIGHT", 0.1)
    assert suggester.suggest("hmm, right", 1, early)[0][0] == 1
    assert suggester.suggest("hmm, right", 1, late)[0][0] == 2
    parts = suggester.score_parts(["hmm"] * 3, [early, late, Context()], bandwidths=(0.02, 0.1))
    assert set(parts["position"]) == {0.02, 0.1}
    prior = parts["position"][0.02]
    assert prior[0, 0] > 0 > prior[0, 1] and prior[1, 1] > 0 > prior[1, 0]
    assert not prior[2].any()  # a passage without a position: no evidence
    # the value: kernel densities by code, smoothed toward the codes' shares
    shares = np.array([3.0, 4.0]) / 7  # (codings + 1) / (all + codes)
    k = np.exp(-0.5 * ((0.11 - np.array([0.10, 0.12, 0.80, 0.85, 0.90])) / 0.02) ** 2)
    density = np.array([k[:2].sum(), k[2:].sum()])
    expected = np.log((density + shares) / (density.sum() + 1.0)) - np.log(shares)
    assert np.allclose(prior[0], expected)
    # a coding added at the start of a document moves the cue at once
    for _ in range(4):
        suggester.add(2, "so it goes", Context(position=0.11))
    assert suggester.suggest("hmm, right", 1, early)[0][0] == 2
    assert len(PositionPrior(2)) == 0


def test_the_question_calls_for_a_theme(monkeypatch):
    """A survey's cause question is answered with Causes codes: the question's theme
    prior keeps the Effects codes below, whatever the words."""
    import qualcode.suggest as suggest

    codes = [
        (1, "Causes/Lack of time", ""),
        (2, "Causes/Poor tools", ""),
        (3, "Effects/Delays", ""),
    ]
    cause, effect = Context(question="cause"), Context(question="effect")
    examples = [
        (1, "no time at all", cause),
        (2, "bad tools", cause),
        (1, "deadlines", cause),
        (3, "late and late again", effect),
        (3, "late delivery", effect),
    ]
    for name in ("LINEAR_WEIGHT", "LINEAR_GROWTH", "QUESTION_WEIGHT", "QUESTION_PRIOR_WEIGHT"):
        monkeypatch.setattr(suggest, name, 0.0)  # words alone, then the theme prior
    suggester = CodeSuggester(codes, examples)
    assert suggester.suggest("late", 1, cause)[0][0] == 3  # by its words
    parts = suggester.score_parts(["late"] * 2, [cause, Context(question="never asked")])
    theme_share = np.array([5.0, 3.0]) / 8  # Causes: (2+1)+(1+1), Effects: (2+1); of 8
    p = (np.array([3.0, 0.0]) + 2.0 * theme_share) / (3 + 2.0)
    expected = (np.log(p) - np.log(theme_share))[[0, 0, 1]]
    assert np.allclose(parts["question_theme"][0], expected)
    assert not parts["question_theme"][1].any()  # a question never seen: no evidence
    monkeypatch.setattr(suggest, "QUESTION_THEME_WEIGHT", 1.0)
    assert suggester.suggest("late", 1, cause)[0][0] in (1, 2)
    assert suggester.suggest("late", 1, effect)[0][0] == 3


def test_a_guide_question_in_other_words_calls_for_its_codes(monkeypatch):
    """Interviewers ask the guide's questions in their own words: the codes given after
    a similar question come first, where the exact-question prior knows nothing."""
    import qualcode.suggest as suggest

    codes = [(1, "Childhood", ""), (2, "Work", "")]
    examples = [
        (1, "it was fine", Context(question="Tell me about your childhood in the village.")),
        (1, "yes, quite", Context(question="What do you remember of your childhood?")),
        (2, "it was fine", Context(question="How did you find your first job?")),
        (2, "yes, quite", Context(question="What was your first job like?")),
        (2, "I suppose", Context(question="And the job after that?")),  # Work: the commoner
    ]
    # no SVM, no question words as features, no sentence model (it reads the question too)
    for name in (
        "LINEAR_WEIGHT",
        "LINEAR_GROWTH",
        "QUESTION_WEIGHT",
        "QUESTION_NEAR_WEIGHT",
        "EMBED_CENTROID_WEIGHT",
        "EMBED_RIDGE_WEIGHT",
    ):
        monkeypatch.setattr(suggest, name, 0.0)
    suggester = CodeSuggester(codes, examples)
    asked = Context(question="Could you say a bit about your childhood?")  # never asked so
    assert suggester.suggest("hmm", 1, asked)[0][0] == 2  # without the cue: the commoner
    parts = suggester.score_parts(["hmm"] * 3, [asked, Context(question="Weather?"), Context()])
    assert not parts["question"].any()  # the exact-question prior: never seen
    near = parts["question_near"]
    assert near[0, 0] > 0 > near[0, 1]
    assert not near[1].any() and not near[2].any()  # no word in common, or no question
    monkeypatch.setattr(suggest, "QUESTION_NEAR_WEIGHT", 0.1)
    assert suggester.suggest("hmm", 1, asked)[0][0] == 1
    job = Context(question="Which job?")
    assert suggester.suggest("hmm", 1, job)[0][0] == 2
    suggester.add(1, "ok", Context(question="Your job as a child?"))  # learnt at once
    assert len(suggester._near_questions) == 6
