"""Time inter-coder agreement on the large generated project of bench/analysis.py.

Corpus: 2,300 participants, an interview each and a report for 70% of them, paragraph
segments, the 36-code PIF codebook, 1,000,000 codings split 80/20 between coder1 and
coder2 (random spans of 50-400 characters on the 31 subthemes). Timed cold (first
call) and as the best of three: agreement by characters, by paragraphs, with a filter,
and the disagreement list of one main theme. Goal: a few seconds each at most.

Usage: python bench/agreement.py [--codings N] [--participants N] [--keep PATH]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from analysis import corpus_arguments, open_corpus, timed  # noqa: E402

from qualcode.analysis import Filters  # noqa: E402


def main() -> None:
    args = corpus_arguments()
    with tempfile.TemporaryDirectory() as tmp:
        p = open_corpus(args, tmp)
        timed("agreement by characters", lambda: p.agreement("coder1", "coder2"))
        timed(
            "agreement by paragraph segments",
            lambda: p.agreement("coder1", "coder2", unit="segment", segment_kind="paragraph"),
        )
        timed(
            "agreement by characters --where sex=F",
            lambda: p.agreement("coder1", "coder2", filters=Filters(where=[("sex", "F")])),
        )
        timed(
            "disagreements --code Leadership",
            lambda: p.disagreements("coder1", "coder2", "Leadership"),
        )
        table = p.agreement("coder1", "coder2")
        total = table.iloc[-1]
        print(
            f"  total: both {total['both']:,}  A only {total['A_only']:,}  B only {total['B_only']:,}  "
            f"kappa {total['kappa']:.3f}"
        )
        p.close()


if __name__ == "__main__":
    main()
