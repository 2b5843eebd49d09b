"""Code suggestions on real coded data: hit rates of qualcode's CodeSuggester.

Sets (all coded by people, none written for qualcode):
- napire2018 (../shared/fixtures/nlp/code_suggestion/napire2018, CC BY 4.0): 3,087 survey
  answers about requirements-engineering problems, 172 codes under 13 categories.
- nhs_fft (../shared/fixtures/nlp/code_suggestion/nhs_fft_pxtextmining, MIT): 7,908 NHS
  Friends and Family Test answers, 50 codes under 12 categories.
- REFI-QDA projects in ../shared/fixtures/refi: qc's demo (3 interviews, span codings) and
  NVivo "oltas" (two coders).

Protocol (tune on one part, report on another):
- napire2018 and NHS FFT are split by participant into two fixed halves (half_of: CRC-32
  of the participant id). Every weight of the suggester is chosen on the TUNING halves
  (bench/tune_suggest.py: 5 folds grouped by participant within the tuning half, trained
  on the tuning half only; the choice maximises the mean code@3 of the two sets).
- The table reports the REPORTING halves: their participants are split in 5 folds
  (scikit-learn GroupKFold); each fold is asked of a suggester fitted on every passage
  of the other participants (the tuning half's included, as a project has all its
  codings), so no asked participant is in the training part and none was looked at
  while tuning.
- The REFI projects were never tuned on: participants held out over all their passages
  (qc's demo: each interview is one participant, leave-one-out; oltas: its one coded
  document holds YouTube comments, whose 140 authors are its participants, in 5 folds
  grouped by author, GroupKFold). A REFI fold's suggester is small enough to
  choose its own weights on its training codings (qualcode.suggest_adapt: each training
  document, or fifth of the one document, held out in turn) among settings around the
  base weights chosen without the project; the asked fold is never seen by that choice.
Every asked passage is asked once; a hit is a suggested code among the passage's gold
codes (top-1, top-3), and the same at top-level-theme level (napire: cause/effect
category; NHS: category; REFI: top-level code). Context given, as a coder would have it:
the question answered (survey question; for napire also the RE problem; REFI: the
interviewer's turn before the passage, at most QUESTION_CHARS of it, as the workbench's
Project.suggestion_context gives it: qc's demo has speaker turns, oltas has no questions),
where the passage starts in its document (REFI: start / document length; surveys: none), the
codes of the participant's codings made before this passage (passages in document order,
as a coder works), and for the REFI projects the codes of the earlier codings ending
within 300 characters before the passage (neighbours).
Systems: qualcode's CodeSuggester with the `embeddings` extra installed (its sentence model
all-MiniLM-L6-v2 on the English sets; on oltas, Hungarian, no sentence model reads it);
the default install (the multilingual USE v3 on the English sets: qualcode.suggest_embed);
the same without a sentence model; the s22 suggester (same parts, fixed SVM weight); its
linear SVM alone; the s21 suggester (TF-IDF centroids + code prior); the majority codes
and themes of the training part; and a diagnostic upper bound: qualcode's code ranking
within the passage's gold themes (an oracle on the theme).
"""

from __future__ import annotations

import dataclasses
import json
import re
import tempfile
import time
import zlib
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "fixtures"
SURVEYS = SHARED / "nlp" / "code_suggestion"
REFI = SHARED / "refi"
TUNED = ROOT / "bench" / "suggest_tuned.json"  # the choices of bench/tune_suggest.py
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
    """Passages of a REFI-QDA project: one per distinct coded span; participant = document,
    except in a document of YouTube comments (oltas), where the participants are the
    comments' authors (comment_author; see comment_author) and a passage carries its
    author as "group": held out together, as leave-one-participant-out asks."""
    from qualcode.project import Project

    with tempfile.TemporaryDirectory() as folder:
        with Project.create(Path(folder) / "p.qualcode") as project:
            project.import_qdpx(path)
            codes = [(tuple(c.path.split("/")), c.description or "") for c in project.codes()]
            spans: dict[tuple, set] = defaultdict(set)
            texts = {}
            questions = {}
            length = {d.id: d.length for d in project.documents()}
            full = {d.id: project.document(d.id).text for d in project.documents()}
            language = project.language  # read from the documents at import
            for e in project.excerpts():
                key = (e.document_id, e.start, e.end)
                spans[key].add(tuple(e.code_path.split("/")))
                texts[key] = e.text
                if key not in questions:  # the interviewer's turn before, as the workbench has it
                    questions[key] = project.suggestion_context(*key).question
    passages = [
        {
            "participant": str(doc),
            "text": texts[(doc, start, end)],
            "question": questions[(doc, start, end)],
            "gold": gold,
            "order": (doc, start, end),
            "position": start / max(1, length[doc]),
            "group": comment_author(full[doc], start) or str(doc),
            "language": language,
        }
        for (doc, start, end), gold in sorted(spans.items())
        if texts[(doc, start, end)].strip()
    ]
    return passages, codes, 1


AUTHOR_LINE = re.compile(r"^@[^\n]+$", re.M)


def comment_author(text: str, start: int) -> str | None:
    """The author of the YouTube comment a passage starts in, or None for another kind of
    document. The oltas source is an export of comments, one field a line (video_id,
    video_title, video_date, comment_id, comment_author, comment_text, likes, date): the
    author is the last "@handle" line within 2,000 characters before the passage. The
    suggester is not given it (qualcode's workbench does not know it): it decides only
    which passages are held out together."""
    if not text.startswith("video_id\nvideo_title\n"):
        return None
    lines = AUTHOR_LINE.findall(text[max(0, start - 2000) : start])
    return lines[-1] if lines else None


def half_of(participant: str) -> str:
    """ "tune" or "report": a fixed split of a set's participants in two halves (CRC-32
    of the participant id, even = tune), the same on every run and machine."""
    return "tune" if zlib.crc32(participant.encode("utf-8")) % 2 == 0 else "report"


def prepare(passages: list[dict], codes: list[tuple], depth: int) -> dict:
    """The passages in document order with their contexts, code ids, themes and groups."""
    from qualcode.suggest import Context

    code_id = {path: i for i, (path, _) in enumerate(codes)}
    labels = [(i, "/".join(path), desc) for i, (path, desc) in enumerate(codes)]
    theme = {i: path[:depth] for i, (path, _) in enumerate(codes)}
    passages = sorted(passages, key=lambda p: p["order"])
    seen: dict[str, list[int]] = defaultdict(list)
    contexts = []
    for n, p in enumerate(passages):
        # the codes of the participant's earlier passages (as a coder works, in order)
        # and of earlier codings ending within NEIGHBOUR_CHARS before it
        contexts.append(
            Context(
                p["question"],
                _neighbours(passages, n, code_id),
                list(seen[p["participant"]]),
                p.get("position"),
                p["participant"],  # the document (REFI) or respondent: held out together
            )
        )
        seen[p["participant"]].extend(code_id[g] for g in p["gold"])
    groups = [p.get("group", p["participant"]) for p in passages]
    if len(set(groups)) < 2:  # one coded document: 5 contiguous blocks of it
        groups = [str(5 * i // len(passages)) for i in range(len(passages))]
    return {
        "passages": passages,
        "contexts": contexts,
        "gold": [{code_id[g] for g in p["gold"]} for p in passages],
        "labels": labels,
        "theme": theme,
        "themes_of": [theme[j] for j, _, _ in labels],
        "groups": groups,
        "codes": len(codes),
    }


MAX_LEAVE_ONE_OUT = 12  # participants; with more, 5 folds grouped by participant


def refi_folds(data: dict) -> int | None:
    """Folds for a REFI project: None (leave-one-participant-out) for up to
    MAX_LEAVE_ONE_OUT participants (qc's 3 interviews), else 5 (oltas's 140 comment
    authors: 140 fits would take minutes)."""
    return None if len(set(data["groups"])) <= MAX_LEAVE_ONE_OUT else 5


def fold_parts(
    data: dict,
    folds: int | None,
    asked: list[bool],
    trained: list[bool],
    base=None,
    adapt: bool = True,
    embed=None,
    lang: str = "en",
    multilingual: bool = False,
) -> list:
    """Fit qualcode's CodeSuggester once per fold and keep its score parts.

    `base`, `adapt`, `embed`, `lang`: passed on as CodeSuggester's base_blend, adapt,
    embed and lang (a small training part chooses its own weights around `base`:
    parts["blend"]). `multilingual`: also keep the multilingual sentence model's two
    parts for the same fold in parts["multilingual"] (a second, n-gram-centroid-only
    fit: what the default install's suggester adds, when its weights are not chosen
    per fold).

    The passages with `asked` True are split by participant (GroupKFold with `folds`
    folds, or leave-one-group-out when None); each fold is asked of a suggester fitted
    on the passages with `trained` True whose participant is not in the fold.
    Returns [(asked indices, score parts, training code counts, fit CPU s)]."""
    from sklearn.model_selection import GroupKFold, LeaveOneGroupOut

    from qualcode.suggest import CodeSuggester

    passages, contexts, groups = data["passages"], data["contexts"], data["groups"]
    pool = [i for i in range(len(passages)) if asked[i]]
    splitter = LeaveOneGroupOut() if folds is None else GroupKFold(n_splits=folds)
    out = []
    for _, local in splitter.split(pool, groups=[groups[i] for i in pool]):
        test = [pool[j] for j in local]
        held = {groups[i] for i in test}
        train = [i for i in range(len(passages)) if trained[i] and groups[i] not in held]
        examples = [(c, passages[i]["text"], contexts[i]) for i in train for c in data["gold"][i]]
        start = time.process_time()
        suggester = CodeSuggester(
            data["labels"], examples, base_blend=base, adapt=adapt, embed=embed, lang=lang
        )
        asked_texts = [passages[i]["text"] for i in test]
        asked_contexts = [contexts[i] for i in test]
        parts = suggester.score_parts(asked_texts, asked_contexts, BANDWIDTHS)
        seconds = time.process_time() - start
        if multilingual:
            from qualcode.suggest_embed import MULTILINGUAL

            other = CodeSuggester(
                data["labels"], examples, embed=MULTILINGUAL, linear=False, adapt=False
            ).score_parts(asked_texts, asked_contexts, BANDWIDTHS)
            parts["multilingual"] = {k: other[k] for k in ("embed_centroid", "embed_ridge")}
        counts = np.bincount([c for c, _, _ in examples], minlength=data["codes"])
        out.append((test, parts, counts, seconds))
    return out


def hit_rates(data: dict, folds: list, systems: dict) -> dict:
    """{system: {"code1", "code3", "theme1", "theme3": share of asked passages}}.

    `systems`: name -> (parts, counts) -> scores (asked, codes), or the string
    "majority" (the training part's most frequent codes and themes), or ("oracle",
    scorer): the scorer's codes ranked within the passage's gold themes only (what
    knowing the theme would give)."""
    from qualcode.suggest import theme_shares

    theme, themes_of = data["theme"], data["themes_of"]
    hits: dict[str, Counter] = {name: Counter() for name in systems}
    asked = rare = 0  # rare: asked passages whose every gold code has < 3 training codings
    for test, parts, counts, _ in folds:
        majority_themes = Counter()
        for c, n in enumerate(counts):
            majority_themes[theme[c]] += int(n)
        top_themes = [t for t, _ in majority_themes.most_common(3)]
        scored = {
            name: (rank[1] if isinstance(rank, tuple) else rank)(parts, counts)
            for name, rank in systems.items()
            if rank != "majority"
        }
        for row, i in enumerate(test):
            gold = data["gold"][i]
            gold_themes = {theme[c] for c in gold}
            for name, rank in systems.items():
                if rank == "majority":
                    scores = counts.astype(float)
                    themes = top_themes
                else:
                    scores = scored[name][row].copy()
                    if isinstance(rank, tuple):
                        inside = np.array([t in gold_themes for t in themes_of])
                        scores[~inside] = -np.inf
                        themes = sorted(gold_themes)
                    else:
                        shares = theme_shares(themes_of, scores)
                        themes = sorted(shares, key=lambda t: -shares[t])  # as suggest_themes
                ranked = list(np.argsort(-scores, kind="stable")[:3])
                hits[name]["code1"] += ranked[0] in gold
                hits[name]["code3"] += bool(set(ranked) & gold)
                hits[name]["theme1"] += themes[0] in gold_themes
                hits[name]["theme3"] += bool(set(themes[:3]) & gold_themes)
            rare += all(counts[c] < 3 for c in gold)
            asked += 1
    return {
        "asked": asked,
        "rare": rare / max(1, asked),
        "rates": {name: {k: v / max(1, asked) for k, v in h.items()} for name, h in hits.items()},
    }


def previous_blend():
    """The s22 suggester's blend (fixed SVM weight 0.3, no group term), for its row."""
    from qualcode.suggest import Blend

    return Blend(
        prior=0.1, linear=0.3, linear_growth=0.0, question=0.02, group=0.0, normalise=False
    )


def report_systems(blend=None) -> dict:
    """The rows of the real-data table: name -> scorer (see hit_rates). `blend`: the
    weights of qualcode's row (None: qualcode's defaults)."""
    from qualcode.suggest import combine, default_blend

    def linear_alone(parts, counts):
        return parts["linear"] if parts["linear"] is not None else parts["centroid"]

    def qualcode(parts, counts):
        return combine(parts, parts.get("blend") or blend)

    def without_sentence_model(parts, counts):
        if "plain" in parts:  # fitted again without it (its own choice of weights)
            plain = parts["plain"]
            return combine(plain, plain.get("blend") or blend)
        weights = blend if blend is not None else default_blend()
        return combine(parts, dataclasses.replace(weights, embed_centroid=0.0, embed_ridge=0.0))

    def default_install(parts, counts):
        if "default" in parts:  # fitted again with the multilingual model (its own weights)
            default = parts["default"]
            return combine(default, default.get("blend") or blend)
        if "multilingual" in parts:  # the same fit, the multilingual model's parts
            return combine({**parts, **parts["multilingual"]}, parts.get("blend") or blend)
        return without_sentence_model(parts, counts)  # a language it does not read

    return {
        "qualcode with the embeddings extra": qualcode,
        "qualcode, default install (multilingual model)": default_install,
        "qualcode without a sentence model": without_sentence_model,
        "s22 blend (fixed SVM weight 0.3), same fit": lambda parts, counts: combine(
            parts, previous_blend()
        ),
        "linear SVM alone (qualcode's discriminative half)": linear_alone,
        "TF-IDF centroids + prior (the s21 suggester)": lambda parts, counts: (
            parts["centroid"] + 0.1 * parts["prior"]
        ),
        "majority": "majority",
        "diagnostic: qualcode told the gold theme (oracle)": ("oracle", qualcode),
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


SETS = (
    ("napire2018", lambda: load_survey("napire2018"), 5),
    ("NHS FFT", lambda: load_survey("nhs_fft_pxtextmining"), 5),
    *[(name, lambda p=path: load_refi(p), "refi") for name, path in REFI_PROJECTS.items()],
)
BANDWIDTHS = (0.02, 0.05, 0.1)  # of the position prior, for bench/tune_suggest.py to choose
SPLIT_SETS = ("napire2018", "NHS FFT")  # split in a tuning and a reporting half


def real_suggest_table() -> None:
    """Print the real-data table (protocol in the module docstring)."""
    print(
        "code suggestions, REAL coded data: top-1/top-3 hit rates, participants held out.\n"
        "  Protocol (bench/tune_suggest.py chose the weights): napire2018 and NHS FFT are split\n"
        "  by participant (CRC-32 of the id) into a TUNING half and a REPORTING half; below are\n"
        "  the reporting halves, 5 folds grouped by participant, each asked of a suggester\n"
        "  fitted on all other passages, with qualcode's default weights (chosen on the two\n"
        "  tuning halves and the two REFI projects). Each REFI project (participants held out)\n"
        "  is reported with the weights chosen WITHOUT it: on the tuning halves and the other\n"
        "  REFI project (nested; bench/suggest_tuned.json)."
    )
    head = f"  {'set':<26} {'system':<50} {'code@1':>7} {'code@3':>7} {'theme@1':>8}"
    print(head + f" {'theme@3':>8}")
    from qualcode import suggest_adapt, suggest_embed, suggest_linear
    from qualcode.suggest import Blend, default_blend

    tuned = json.loads(TUNED.read_text(encoding="utf-8")) if TUNED.exists() else {}
    chosen = dict(tuned.get("default (all four parts)", {}))
    now = default_blend()
    if chosen and (chosen.pop("C"), Blend(prior=now.prior, **chosen)) != (
        suggest_linear.LINEAR_C,
        now,
    ):
        print("  NOTE: qualcode's default weights differ from bench/suggest_tuned.json's choice")
    for name, load, folds in SETS:
        passages, codes, depth = load()
        data = prepare(passages, codes, depth)
        if folds == "refi":
            folds = refi_folds(data)
        blend, c = None, suggest_linear.LINEAR_C
        if name in SPLIT_SETS:
            asked = [half_of(p["participant"]) == "report" for p in data["passages"]]
            label = f"{name} (reporting half)"
        else:
            asked = [True] * len(data["passages"])
            label = name
            if name in tuned:  # the nested choice, made without this project
                choice = dict(tuned[name])
                c = choice.pop("C")
                blend = Blend(prior=default_blend().prior, **choice)
        # the language the import read from a REFI project's documents (oltas: hu), which
        # chooses the sentence model (qualcode.suggest_embed.choose_model); surveys: en
        lang = data["passages"][0].get("language", "en")
        use = lang in suggest_embed.USE_LANGUAGES
        saved, suggest_linear.LINEAR_C = suggest_linear.LINEAR_C, c
        try:
            every = [True] * len(asked)
            parts = fold_parts(data, folds, asked, every, base=blend, lang=lang, multilingual=use)
            if any(f[1]["blend"] is not None for f in parts):  # weights chosen per fold:
                # so are they for the rows without the extra (fitted again)
                again = {"plain": fold_parts(data, folds, asked, every, blend, embed=False)}
                if use:
                    again["default"] = fold_parts(
                        data, folds, asked, every, blend, embed=suggest_embed.MULTILINGUAL
                    )
                for row, fitted in again.items():
                    for fold, other in zip(parts, fitted):
                        fold[1][row] = other[1]
        finally:
            suggest_linear.LINEAR_C = saved
        r = hit_rates(data, parts, report_systems(blend))
        for n, (system, rates) in enumerate(r["rates"].items()):
            print(
                f"  {label if n == 0 else '':<26} {system:<50} {rates['code1']:7.1%} "
                f"{rates['code3']:7.1%} {rates['theme1']:8.1%} {rates['theme3']:8.1%}"
            )
        fit = sum(f[3] for f in parts) / len(parts)
        print(
            f"  {'':<26} ({r['asked']:,} passages asked of {len(asked):,}, {codes_used(data)} "
            f"codes used of {data['codes']} ({rare_codes(data)} of them on fewer than 3 "
            f"passages), {len(set(data['themes_of']))} themes, "
            f"{len(parts)} folds; {r['rare']:.1%} of the asked passages have only codes with "
            f"fewer than 3 training codings; fit + score {fit:.1f} s CPU per fold)"
        )
        if blend is not None:
            print(f"  {'':<26} (base weights chosen without this set, C={c}, {blend})")
        chosen = [f[1]["blend"] for f in parts if f[1]["blend"] is not None]
        if chosen:
            print(
                f"  {'':<26} (qualcode's row: each fold's suggester chose its weights on its "
                f"own training codings among {len(suggest_adapt.candidates(blend or now))} "
                "settings around the base (qualcode.suggest_adapt); chosen (SVM weight, "
                "growth, sentence centroid, ridge): "
                + "; ".join(
                    f"{b.linear}, {b.linear_growth}, {b.embed_centroid}, {b.embed_ridge}"
                    for b in chosen
                )
                + ")"
            )


def codes_used(data: dict) -> int:
    return len({c for gold in data["gold"] for c in gold})


def rare_codes(data: dict) -> int:
    """Codes given to 1 or 2 passages of the whole set."""
    counts = Counter(c for gold in data["gold"] for c in gold)
    return sum(1 for n in counts.values() if n < 3)
