"""Code suggestions on real coded data: hit rates of qualcode's CodeSuggester.

Sets (all coded by people, none written for qualcode):
- napire2018 (../shared/fixtures/nlp/code_suggestion/napire2018, CC BY 4.0): 3,087 survey
  answers about requirements-engineering problems, 172 codes under 13 categories. The
  suggester's weights were TUNED on this set; its row is marked so.
- nhs_fft (../shared/fixtures/nlp/code_suggestion/nhs_fft_pxtextmining, MIT): 7,908 NHS
  Friends and Family Test answers, 50 codes under 12 categories. Reported, not tuned on.
- REFI-QDA projects in ../shared/fixtures/refi: qc's demo (3 interviews, span codings) and
  NVivo "oltas" (two coders). Reported, not tuned on.

Protocol: participants held out. For the survey sets, 5 folds grouped by participant
(scikit-learn GroupKFold: no participant is in both the training and the asked part;
4,466 and 375 participants make true leave-one-out needlessly slow); for the REFI
projects, leave-one-document-out (each interview is one participant; a project with
one coded document is cut into 5 contiguous blocks, each held out in turn). Every coded
passage of the held-out part is asked once; a hit is a suggested code among the
passage's gold codes (top-1, top-3), and the same at top-level-theme level (napire:
cause/effect category; NHS: category; REFI: top-level code). Context given, as a coder
would have it: the question answered (survey question; for napire also the RE problem;
REFI: none), and the codes of the participant's codings made before this passage
(passages in document order, as a coder works), and for the REFI projects the codes of
the earlier codings ending within 300 characters before the passage (neighbours).
Systems: qualcode's CodeSuggester (centroids + linear SVM + priors); its linear SVM
alone; the previous suggester (TF-IDF centroids + code prior, no SVM, no question prior).
Baseline: the majority codes/themes of the training part.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "fixtures"
SURVEYS = SHARED / "nlp" / "code_suggestion"
REFI = SHARED / "refi"
REFI_PROJECTS = {
    "qc demo (REFI)": REFI / "qc-demo" / "demo_qc-1.2.0_3docs.qdpx",
    "NVivo oltas (REFI)": REFI / "nvivo-oltas" / "OltasSzkepticizmus_17June_nvivo-mac-12.7.qdpx",
}


def load_survey(name: str) -> tuple[list[dict], list[tuple], int]:
    """(passages, code paths, theme depth). A passage: participant, text, question, gold
    code paths (tuples), order key."""
    rows = [
        json.loads(line)
        for line in (SURVEYS / name / "documents.jsonl").open(encoding="utf-8")
        if line.strip()
    ]
    book = json.loads((SURVEYS / name / "codebook.json").read_text(encoding="utf-8"))
    codes = [
        (tuple(c["code_path"]), c.get("description") or "")
        for c in book["codes"]
        if not c["is_category"]
    ]
    passages = []
    for n, row in enumerate(rows):
        if not row["codings"]:
            continue
        meta = row.get("meta") or {}
        question = " ".join(str(meta.get(k) or "") for k in ("question", "problem"))
        passages.append(
            {
                "participant": row["participant"],
                "text": row["text"],
                "question": question,
                "gold": {tuple(c["code_path"]) for c in row["codings"]},
                "order": n,
            }
        )
    return passages, codes, 2 if name == "napire2018" else 1


def load_refi(path: Path) -> tuple[list[dict], list[tuple], int]:
    """Passages of a REFI-QDA project: one per distinct coded span; participant = document."""
    from qualcode.project import Project

    with tempfile.TemporaryDirectory() as folder:
        with Project.create(Path(folder) / "p.qualcode") as project:
            project.import_qdpx(path)
            codes = [(tuple(c.path.split("/")), c.description or "") for c in project.codes()]
            spans: dict[tuple, set] = defaultdict(set)
            texts = {}
            for e in project.excerpts():
                key = (e.document_id, e.start, e.end)
                spans[key].add(tuple(e.code_path.split("/")))
                texts[key] = e.text
    passages = [
        {
            "participant": str(doc),
            "text": texts[(doc, start, end)],
            "question": "",
            "gold": gold,
            "order": (doc, start, end),
        }
        for (doc, start, end), gold in sorted(spans.items())
        if texts[(doc, start, end)].strip()
    ]
    return passages, codes, 1


SYSTEMS = (
    "qualcode",
    "linear SVM alone (qualcode's discriminative half)",
    "TF-IDF centroids + prior (the previous suggester)",
    "majority",
)


def _rankers(labels: list, examples: list):
    """{system: (texts, contexts) -> scores (n, codes)} for the systems fitted per fold."""
    import qualcode.suggest as suggest
    from qualcode.suggest import CodeSuggester

    full = CodeSuggester(labels, examples)
    saved = suggest.QUESTION_PRIOR_WEIGHT
    suggest.QUESTION_PRIOR_WEIGHT = 0.0  # the previous suggester: no question prior
    try:
        centroids = CodeSuggester(labels, examples, linear=False)
        plain = centroids.scores_many
    finally:
        suggest.QUESTION_PRIOR_WEIGHT = saved

    def plain_scores(texts, contexts):
        suggest.QUESTION_PRIOR_WEIGHT = 0.0
        try:
            return plain(texts, contexts)
        finally:
            suggest.QUESTION_PRIOR_WEIGHT = saved

    linear = full._linear
    return {
        SYSTEMS[0]: full.scores_many,
        SYSTEMS[1]: linear.scores_many if linear is not None else full.scores_many,
        SYSTEMS[2]: plain_scores,
    }


def evaluate(passages: list[dict], codes: list[tuple], depth: int, folds: int | None) -> dict:
    """Hit rates of every system in SYSTEMS; folds None = leave-one-group-out."""
    from sklearn.model_selection import GroupKFold, LeaveOneGroupOut

    from qualcode.suggest import Context, theme_shares

    code_id = {path: i for i, (path, _) in enumerate(codes)}
    labels = [(i, "/".join(path), desc) for i, (path, desc) in enumerate(codes)]
    theme = {i: path[:depth] for i, (path, _) in enumerate(codes)}
    themes_of = [theme[j] for j, _, _ in labels]
    passages = sorted(passages, key=lambda p: p["order"])
    earlier: list[list[int]] = []  # codes of the participant's earlier passages
    near: list[tuple[int, ...]] = []  # codes of earlier codings ending within 300 characters
    seen: dict[str, list[int]] = defaultdict(list)
    for n, p in enumerate(passages):
        earlier.append(list(seen[p["participant"]]))
        seen[p["participant"]].extend(code_id[g] for g in p["gold"])
        near.append(_neighbours(passages, n, code_id))
    groups = [p["participant"] for p in passages]
    if len(set(groups)) < 2:  # one coded document: hold out 5 contiguous blocks of it
        groups = [str(5 * i // len(passages)) for i in range(len(passages))]
    splitter = LeaveOneGroupOut() if folds is None else GroupKFold(n_splits=folds)
    hits: dict[str, Counter] = {name: Counter() for name in SYSTEMS}
    asked = 0
    fit_seconds = suggest_seconds = 0.0
    n_folds = 0

    def context(i: int) -> Context:
        return Context(passages[i]["question"], near[i], earlier[i])

    for train, test in splitter.split(passages, groups=groups):
        n_folds += 1
        examples = [
            (code_id[g], passages[i]["text"], context(i))
            for i in train
            for g in passages[i]["gold"]
        ]
        start = time.process_time()
        rankers = _rankers(labels, examples)
        fit_seconds += time.process_time() - start
        majority = np.zeros(len(labels))
        for c, _, _ in examples:  # a score per code: its count (ties: lower id first)
            majority[c] += 1
        texts = [passages[i]["text"] for i in test]
        contexts = [context(i) for i in test]
        start = time.process_time()
        scored = {name: rank(texts, contexts) for name, rank in rankers.items()}
        suggest_seconds += time.process_time() - start
        majority_themes = Counter()
        for c, _, _ in examples:
            majority_themes[theme[c]] += 1
        top_themes = [t for t, _ in majority_themes.most_common(3)]
        for row, i in enumerate(test):
            gold = {code_id[g] for g in passages[i]["gold"]}
            gold_themes = {theme[c] for c in gold}
            for name in SYSTEMS:
                scores = scored[name][row] if name in scored else majority
                ranked = list(np.argsort(-scores, kind="stable")[:3])
                if name in scored:
                    shares = theme_shares(themes_of, scores)
                    themes = sorted(shares, key=lambda t: -shares[t])  # as suggest_themes
                else:
                    themes = top_themes
                hits[name]["code1"] += ranked[0] in gold
                hits[name]["code3"] += bool(set(ranked) & gold)
                hits[name]["theme1"] += themes[0] in gold_themes
                hits[name]["theme3"] += bool(set(themes[:3]) & gold_themes)
            asked += 1
    return {
        "asked": asked,
        "folds": n_folds,
        "rates": {name: {k: v / asked for k, v in h.items()} for name, h in hits.items()},
        "fit_ms": 1000 * fit_seconds / n_folds,
        "suggest_ms": 1000 * suggest_seconds / asked,
        "themes": len(set(theme.values())),
        "codes": len(codes),
    }


def _neighbours(passages: list[dict], n: int, code_id: dict) -> tuple[int, ...]:
    """Codes of the passages before passage n in its document (REFI: order = (document,
    start, end)) that end before it and within NEIGHBOUR_CHARS of its start: the neighbouring codings
    a coder has made before reaching it (the workbench gives those, and later ones; only
    earlier ones here, so that no held-out code leaks). Survey answers have none."""
    from qualcode.facade.suggestions import NEIGHBOUR_CHARS

    if not isinstance(passages[n]["order"], tuple):
        return ()
    doc, start, _ = passages[n]["order"]
    out: list[int] = []
    for p in reversed(passages[:n]):
        other_doc, other_start, other_end = p["order"]
        if other_doc != doc or other_start < start - 20 * NEIGHBOUR_CHARS:
            break
        # only codings that end before the passage: an overlapping one may be another
        # coder's coding of the same words (oltas has two coders), which would leak
        if start - NEIGHBOUR_CHARS <= other_end <= start:
            out += [code_id[g] for g in p["gold"]]
    return tuple(out)


def real_suggest_table() -> None:
    sets = [
        ("napire2018 (TUNED ON)", lambda: load_survey("napire2018"), 5),
        ("NHS FFT", lambda: load_survey("nhs_fft_pxtextmining"), 5),
        *[(name, lambda p=path: load_refi(p), None) for name, path in REFI_PROJECTS.items()],
    ]
    print(
        "code suggestions, REAL coded data: top-1/top-3 hit rates, participants held out "
        "(surveys: 5 folds grouped by participant; REFI: leave-one-document-out); every "
        "weight was chosen on napire2018 only"
    )
    head = f"  {'set':<24} {'system':<50} {'code@1':>7} {'code@3':>7} {'theme@1':>8}"
    print(head + f" {'theme@3':>8}")
    for name, load, folds in sets:
        passages, codes, depth = load()
        r = evaluate(passages, codes, depth, folds)
        for n, system in enumerate(SYSTEMS):
            rates = r["rates"][system]
            label = name if n == 0 else ""
            print(
                f"  {label:<24} {system:<50} {rates['code1']:7.1%} {rates['code3']:7.1%} "
                f"{rates['theme1']:8.1%} {rates['theme3']:8.1%}"
            )
        print(
            f"  {'':<24} ({r['asked']:,} passages, {r['codes']} codes, {r['themes']} themes, "
            f"{r['folds']} folds; fitting all systems {r['fit_ms']:.0f} ms CPU per fold, "
            f"asking {r['suggest_ms']:.2f} ms CPU per passage)"
        )
