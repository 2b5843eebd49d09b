"""The suggester's weights chosen on the project's own codings (qualcode.suggest_adapt):
the candidates, the held-out groups, and the choice against a plain recount."""

import dataclasses

import numpy as np
import pytest
from sklearn.model_selection import LeaveOneGroupOut

from qualcode import suggest_adapt
from qualcode.suggest import CodeSuggester, Context, combine, default_blend

CODES = [
    (1, "Language/Barrier", "Difficulty communicating in English"),
    (2, "Finance/Costs", "Money spent on flights and housing"),
    (3, "Career/Choice", "Choosing a specialty"),
    (4, "Food", ""),
]
PHRASES = {
    1: ["my English was poor", "the nurses spoke too fast", "I could not follow the words"],
    2: ["the flights cost a lot", "rent was expensive", "I paid for housing myself"],
    3: ["I chose surgery after that", "I decided on paediatrics", "my specialty changed"],
    4: ["rice every day", "the canteen curry", "bread and tea at breakfast"],
}


def _examples(documents: int = 4, per_code: int = 3) -> list[tuple]:
    """(code, text, Context) codings spread over `documents` documents."""
    out = []
    for d in range(documents):
        for code, phrases in PHRASES.items():
            for n in range(per_code):
                text = f"{phrases[(d + n) % 3]}, said participant {d} ({n})"
                out.append((code, text, Context(position=(n + 0.5) / per_code, group=d)))
    return out


def test_candidates_start_with_the_base_and_never_repeat():
    base = default_blend()
    options = suggest_adapt.candidates(base)
    assert options[0] == base
    assert len(options) == len(set(options))
    grid = len(suggest_adapt.LINEAR) * len(suggest_adapt.LINEAR_GROWTH) * len(suggest_adapt.EMBED)
    assert len(options) == grid  # the module's weights are a point of the grid
    off_grid = dataclasses.replace(base, linear=0.5)
    assert len(suggest_adapt.candidates(off_grid)) == grid + 1
    assert {(b.linear, b.linear_growth) for b in options[1:]} == {
        (w, g) for w in suggest_adapt.LINEAR for g in suggest_adapt.LINEAR_GROWTH
    }
    assert all(b.question == base.question and b.group == base.group for b in options)


def test_holdout_groups_are_documents_or_fifths_of_one_document():
    rows = [(1, "a", Context(group="d1", position=0.1)), (2, "b", Context(group="d2"))]
    assert suggest_adapt.holdout_groups(rows) == ["d1", "d2"]
    # one document: fifths of the coded positions in order, one position in one fifth
    at = (0.3, 0.01, 0.02, 0.01, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.1)
    one = [(1, "a", Context(group="d", position=p)) for p in at]
    assert suggest_adapt.holdout_groups(one) == [4, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4]
    placed = CodeSuggester(
        CODES, [(c, t, dataclasses.replace(x, group=0)) for c, t, x in _examples()], embed=False
    )
    assert placed.adapted["folds"] == 3  # three positions (1/6, 1/2, 5/6): three fifths
    assert suggest_adapt.holdout_groups([(1, "a", Context(group="d", position=None))] * 3) is None
    assert suggest_adapt.holdout_groups([(1, "a", Context(position=0.5))] * 3) is None


def test_the_choice_is_the_best_held_out_code_at_3_by_a_plain_recount():
    examples = _examples()
    base = dataclasses.replace(default_blend(), embed_centroid=0.0, embed_ridge=0.0)

    def fit(rows):
        return CodeSuggester(CODES, rows, adapt=False, embed=False)

    chosen, figures = suggest_adapt.choose_blend(examples, base, fit)
    # the reference: leave each document out, count passages with a gold code in the top 3
    options = suggest_adapt.candidates(base)
    hits = [0] * len(options)
    groups = [ctx.group for _, _, ctx in examples]
    for train, test in LeaveOneGroupOut().split(examples, groups=groups):
        suggester = fit([examples[i] for i in train])
        rows = {c.id: n for n, c in enumerate(suggester.codes)}
        texts = [examples[i][1] for i in test]  # every text is its own passage here
        parts = suggester.score_parts(texts, [examples[i][2] for i in test])
        for n, blend in enumerate(options):
            scores = combine(parts, blend)
            for row, i in enumerate(test):
                top = sorted(range(len(CODES)), key=lambda c: (-scores[row][c], c))[:3]
                hits[n] += rows[examples[i][0]] in top
    assert figures["asked"] == len(examples) and figures["folds"] == 4
    assert [figures["code3"][n] for n in range(len(options))] == pytest.approx(
        [h / len(examples) for h in hits]
    )
    assert chosen == options[int(np.argmax(hits))]


def test_a_suggester_chooses_only_within_the_limits():
    small = CodeSuggester(CODES, _examples(documents=2, per_code=1), embed=False)
    assert small.n_examples < suggest_adapt.MIN_CODINGS
    assert small.blend is None and small.adapted["asked"] == 0
    one_group = [(c, t, dataclasses.replace(x, group=0)) for c, t, x in _examples()]
    unplaced = [(c, t, dataclasses.replace(x, position=None)) for c, t, x in one_group]
    assert CodeSuggester(CODES, unplaced, embed=False).blend is None  # nothing to hold out
    chosen = CodeSuggester(CODES, _examples(), embed=False)
    assert chosen.blend in suggest_adapt.candidates(default_blend())
    assert chosen.adapted["asked"] == len(_examples())
    assert CodeSuggester(CODES, _examples(), embed=False, adapt=False).blend is None


def test_the_project_suggester_chooses_its_weights_on_its_documents(tmp_path):
    from qualcode.models import NewDocument
    from qualcode.project import Project

    with Project.create(tmp_path / "p.qualcode") as project:
        ids = {code: project.add_code(path.split("/")[-1]).id for code, path, _ in CODES}
        spans = 0
        for d in range(4):
            lines = [f"{p}, said participant {d}" for phrases in PHRASES.values() for p in phrases]
            text = "\n".join(lines)
            [doc] = project.add_documents(
                [NewDocument(f"P{d}", "interview", f"P{d}", text, f"P{d}.txt", f"s{d}", "utf-8")]
            )
            start = 0
            for n, line in enumerate(lines):
                project.add_coding(doc, start, start + len(line), ids[1 + n // 3])
                start += len(line) + 1
                spans += 1
        suggester = project.code_suggester()
        assert suggester.blend is not None
        assert suggester.adapted["asked"] == spans
        assert suggester.adapted["folds"] == 4  # each document held out in turn
