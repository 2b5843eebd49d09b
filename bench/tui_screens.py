"""Time the retrieval and frequencies screens on a large generated project.

Corpus: bench/analysis.py's generator (2,300 participants, ~3,900 documents, the PIF
codebook, 1,000,000 codings by two coders). Measures the facade calls the screens make
(the excerpt order of a subtheme and of a whole theme, a page of excerpts with context)
and the screens themselves in a headless app: from push to the first settled frame, a
filter change on the frequencies screen, and loading the next page of excerpts.
Goal: each under 1 s.

Usage: python bench/tui_screens.py [--codings N] [--participants N] [--keep PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from analysis import generate  # noqa: E402  (bench/analysis.py)
from textual.app import App  # noqa: E402
from textual.widgets import Select  # noqa: E402

from qualcode.project import Project  # noqa: E402
from qualcode.tui.screens.frequencies import FrequenciesScreen  # noqa: E402
from qualcode.tui.screens.retrieval import RetrievalScreen  # noqa: E402

THEME, SUBTHEME = "Perspective transformation", "Leadership/Uncertainty"


def report(label: str, seconds: float, extra: str = "") -> None:
    flag = "" if seconds < 1 else "   (over 1 s)"
    print(f"  {label:<52} {seconds:7.3f} s  {extra}{flag}")


def facade(p: Project) -> None:
    for code, children in ((SUBTHEME, False), (THEME, True)):
        start = time.perf_counter()
        order = p.excerpt_order(code, children)
        mid = time.perf_counter()
        page = p.excerpts_for([cid for cid, _ in order[: RetrievalScreen.page_size]])
        end = time.perf_counter()
        report(
            f"excerpt_order {code}{' +children' if children else ''}",
            mid - start,
            f"{len(order):,} excerpts",
        )
        report(f"excerpts_for one page ({len(page)})", end - mid)


async def settled(pilot) -> None:
    """Until the screen's worker has delivered its tables and the widgets are filled."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def screens(p: Project) -> None:
    class Bench(App):
        CSS_PATH = ROOT / "qualcode" / "tui" / "qualcode.tcss"

    app = Bench()
    async with app.run_test(size=(120, 40)) as pilot:
        start = time.perf_counter()
        await app.push_screen(RetrievalScreen(p, THEME, with_children=True))
        await pilot.pause()
        report(
            "retrieval screen open (theme with subcodes)",
            time.perf_counter() - start,
            f"{len(app.screen.order):,} excerpts, {len(app.screen.items)} loaded",
        )
        start = time.perf_counter()
        await pilot.press("end")
        await pilot.pause()
        report(
            "retrieval: next page on reaching the end",
            time.perf_counter() - start,
            f"{len(app.screen.items)} loaded",
        )
        app.pop_screen()
        await pilot.pause()

        start = time.perf_counter()
        await app.push_screen(FrequenciesScreen(p))
        await settled(pilot)
        report("frequencies screen open (table and chart)", time.perf_counter() - start)
        start = time.perf_counter()
        app.screen.query_one("#filter-kind", Select).value = "report"
        await settled(pilot)
        report("frequencies: filter kind=report", time.perf_counter() - start)
        start = time.perf_counter()
        app.screen.query_one("#filter-where", Select).value = ("sex", "F")
        await settled(pilot)
        report("frequencies: filter sex=F as well", time.perf_counter() - start)
        start = time.perf_counter()
        await pilot.press("t")  # the crosstab is computed when its tab shows
        await settled(pilot)
        report("frequencies: crosstab tab (by the first attribute)", time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--codings", type=int, default=1_000_000)
    parser.add_argument("--participants", type=int, default=2_300)
    parser.add_argument(
        "--keep", type=Path, help="Write the project here and keep it (reused if it exists)."
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "bench.qualcode"
        p = Project.open(path) if path.exists() else generate(path, args.participants, args.codings)
        s = p.summary()
        print(
            f"corpus: {s['participants']:,} participants, {s['documents']:,} documents, "
            f"{s['words']:,} words, {s['codings']:,} codings, {s['segments']:,} segments"
        )
        facade(p)
        asyncio.run(screens(p))
        p.close()


if __name__ == "__main__":
    main()
