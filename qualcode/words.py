"""Word counts, one rule for every screen and command that shows one.

Scripts written without spaces between words (Japanese, Chinese) have no whitespace to
count: a Japanese turn of forty characters was "1 word". As MAXQDA and NVivo do for CJK
text, each Han, Hiragana or Katakana character counts as one word; elsewhere a word is
a run of characters between spaces that holds at least one letter or digit (so a lone
"—" or "。" is not a word). Mixed text adds both: "AIの研究" is 1 + 3 = 4 words. Korean
is written with spaces and is counted by them.

The project file keeps each document's count (document_stats, filled by triggers calling
this function as the SQL function `qc_words`; store.py registers it on every connection).
"""

from __future__ import annotations

import re

# One character each: CJK ideographs (with extension A, compatibility ideographs and the
# supplementary planes' extensions), the iteration mark 々, Hiragana, Katakana (with its
# phonetic extensions, sound marks, the middle dot and the half-width forms).
_CJK = re.compile(
    "[\u3005\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\uff65-\uff9f\U00020000-\U0003134f]"
)
_WORD = re.compile(r"[^\s]*\w[^\s]*")  # a whitespace-separated run with a letter or digit


def count_words(text: str | None) -> int:
    """Words in `text` by the rule above; 0 for None or blank text."""
    if not text:
        return 0
    cjk = len(_CJK.findall(text))
    rest = _CJK.sub(" ", text) if cjk else text
    return cjk + len(_WORD.findall(rest))
