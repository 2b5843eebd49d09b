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
Baseline: the majority codes/themes of
the training part.
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


def evaluate(passages: list[dict], codes: list[tuple], depth: int, folds: int | None) -> dict:
    """Hit rates of qualcode and the majority baseline; folds None = leave-one-group-out."""
    from sklearn.model_selection import GroupKFold, LeaveOneGroupOut

    from qualcode.suggest import CodeSuggester, Context, theme_shares

    code_id = {path: i for i, (path, _) in enumerate(codes)}
    labels = [(i, "/".join(path), desc) for i, (path, desc) in enumerate(codes)]
    theme = {i: path[:depth] for i, (path, _) in enumerate(codes)}
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
    hits: Counter = Counter()
    asked = 0
    fit_seconds = suggest_seconds = 0.0
    n_folds = 0
    for train, test in splitter.split(passages, groups=groups):
        n_folds += 1
        examples = [
            (code_id[g], passages[i]["text"], Context(passages[i]["question"], near[i], earlier[i]))
            for i in train
            for g in passages[i]["gold"]
        ]
        start = time.perf_counter()
        suggester = CodeSuggester(labels, examples)
        fit_seconds += time.perf_counter() - start
        majority = [c for c, _ in Counter(c for c, _, _ in examples).most_common(3)]
        majority_themes = [t for t, _ in Counter(theme[c] for c, _, _ in examples).most_common(3)]
        start = time.perf_counter()
        all_scores = suggester.scores_many(
            [passages[i]["text"] for i in test],
            [Context(passages[i]["question"], near[i], earlier[i]) for i in test],
        )
        for i, scores in zip(test, all_scores):
            p = passages[i]
            gold = {code_id[g] for g in p["gold"]}
            gold_themes = {theme[c] for c in gold}
            ranked = [labels[j][0] for j in np.argsort(-scores, kind="stable")]
            shares = theme_shares([theme[j] for j, _, _ in labels], scores)
            themes = sorted(shares, key=lambda t: -shares[t])  # as CodeSuggester.suggest_themes
            hits["code1"] += ranked[0] in gold
            hits["code3"] += bool(set(ranked[:3]) & gold)
            hits["theme1"] += themes[0] in gold_themes
            hits["theme3"] += bool(set(themes[:3]) & gold_themes)
            hits["base_code1"] += majority[0] in gold
            hits["base_code3"] += bool(set(majority) & gold)
            hits["base_theme1"] += majority_themes[0] in gold_themes
            hits["base_theme3"] += bool(set(majority_themes) & gold_themes)
            asked += 1
        suggest_seconds += time.perf_counter() - start
    return {
        "asked": asked,
        "folds": n_folds,
        "rates": {k: v / asked for k, v in hits.items()},
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
        "(surveys: 5 folds grouped by participant; REFI: leave-one-document-out)"
    )
    head = f"  {'set':<24} {'system':<10} {'code@1':>7} {'code@3':>7} {'theme@1':>8} {'theme@3':>8}"
    print(head + f" {'passages':>9} {'codes/themes':>13} {'fit ms':>7} {'ms/ask':>7}")
    for name, load, folds in sets:
        passages, codes, depth = load()
        r = evaluate(passages, codes, depth, folds)
        rates = r["rates"]
        print(
            f"  {name:<24} {'qualcode':<10} {rates['code1']:7.1%} {rates['code3']:7.1%} "
            f"{rates['theme1']:8.1%} {rates['theme3']:8.1%} {r['asked']:9,} "
            f"{r['codes']:>6}/{r['themes']:<6} {r['fit_ms']:7.0f} {r['suggest_ms']:7.2f}"
        )
        print(
            f"  {'':<24} {'majority':<10} {rates['base_code1']:7.1%} {rates['base_code3']:7.1%} "
            f"{rates['base_theme1']:8.1%} {rates['base_theme3']:8.1%}"
        )
