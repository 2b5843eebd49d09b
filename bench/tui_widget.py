"""Bench of the document view alone (no project): first paint and coding keystroke.

Prints figures and the corpus size. "ms" = from the action to the end of the last screen
update (App._display is wrapped to timestamp updates; headless run_test writes nothing).
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tui_corpus import make_codings, make_transcript  # noqa: E402

from qualcode.codebook import PALETTE  # noqa: E402
from qualcode.text_units import sentences  # noqa: E402
from qualcode.tui.components.document_view import DocumentView  # noqa: E402
from qualcode.tui.span_index import DocSpan  # noqa: E402
from tests.tui.doc_app import DocApp  # noqa: E402


class TimedApp(DocApp):
    last_paint = 0.0

    def _display(self, *args, **kwargs):
        result = super()._display(*args, **kwargs)
        TimedApp.last_paint = time.perf_counter()
        return result


async def run(size: tuple[int, int], text: str, spans: list[DocSpan]) -> dict:
    t0 = time.perf_counter()
    app = TimedApp(text, spans)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        first = TimedApp.last_paint - t0
        view = app.query_one(DocumentView)
        units = view._units["sentence"]
        keys = []
        for k in range(15):
            view.select(*units[len(units) // 2 + k * 3])
            await pilot.pause()
            t = time.perf_counter()
            await pilot.press("1")
            await pilot.pause()
            keys.append(TimedApp.last_paint - t)
        t = time.perf_counter()
        view.scroll_end(animate=False)
        await pilot.pause()
        end = TimedApp.last_paint - t
    return {
        "first": first * 1000,
        "key": statistics.median(keys) * 1000,
        "keymax": max(keys) * 1000,
        "end": end * 1000,
    }


def main() -> None:
    text = make_transcript()
    sents = sentences(text)
    codings = make_codings(sents)
    spans = [
        DocSpan(i + 1, s, e, PALETTE[c % len(PALETTE)], c) for i, (s, e, c) in enumerate(codings)
    ]
    print(
        f"corpus: {len(text.split()):,} words, {len(text):,} chars, {text.count(chr(10)) + 1:,} lines, {len(spans):,} codings"
    )
    for size in [(80, 24), (120, 40), (200, 60)]:
        r = asyncio.run(run(size, text, spans))
        print(
            f"{size[0]}x{size[1]}: first paint {r['first']:.0f} ms, code key median {r['key']:.1f} ms (max {r['keymax']:.1f}), scroll to end {r['end']:.1f} ms"
        )


if __name__ == "__main__":
    main()
