"""Bench of the workbench on a long interview: time to first paint and coding keystroke latency.

Builds a project with one ~50,000-word transcript (stored sentence and turn segments) and
2,000 codings over 20 codes, then drives the real app headless (App.run_test). Prints the
corpus size and, per terminal size: first paint (from creating the app, project opening
included, to the end of the first screen update showing the document) and the latency of
a coding keystroke (press a shortcut with a sentence selected -> saved to the database ->
screen updated), median and max of 15. The end of a screen update is timestamped by wrapping
App._display (headless run_test computes every frame but writes none). Goals: < 300 ms, < 50 ms.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tui_corpus import make_codings, make_transcript  # noqa: E402

from qualcode.facade.codings import NewCoding  # noqa: E402
from qualcode.models import NewDocument, Segment  # noqa: E402
from qualcode.project import Project  # noqa: E402
from qualcode.text_units import sentences, turns  # noqa: E402
from qualcode.tui.app import QualcodeApp  # noqa: E402
from qualcode.tui.components.document_view import DocumentView  # noqa: E402
from qualcode.tui.screens.main import MainScreen  # noqa: E402


class TimedApp(QualcodeApp):
    paints: list[tuple[float, bool]] = []

    def _display(self, *args, **kwargs):
        result = super()._display(*args, **kwargs)
        TimedApp.paints.append((time.perf_counter(), isinstance(self.screen, MainScreen)))
        return result


def build(path: Path) -> dict:
    text = make_transcript()
    sents = sentences(text)
    segs = tuple(Segment(s, e, "sentence") for s, e in sents) + tuple(
        Segment(s, e, "turn") for s, e in turns(text)
    )
    with Project.create(path, coder="bench") as p:
        codes = [
            p.add_code(f"Code {n:02d}", shortcut=str(n + 1) if n < 9 else None).id
            for n in range(20)
        ]
        [doc] = p.add_documents(
            [
                NewDocument(
                    "R7", "interview", "R7 long interview", text, "R7.txt", "sha", "utf-8", segs
                )
            ]
        )
        p.add_codings([NewCoding(doc, s, e, codes[c]) for s, e, c in make_codings(sents)])
        return {
            "words": len(text.split()),
            "chars": len(text),
            "lines": text.count("\n") + 1,
            "sentences": len(sents),
            "codings": len(p.codings()),
        }


def build_corpus(path: Path, documents: int = 2300, codings: int = 300_000) -> dict:
    """Many documents (8,000 words each) and many codings, to see what grows with the corpus."""
    import random

    base = make_transcript(8000)
    units = sentences(base)
    segs = tuple(Segment(s, e, "sentence") for s, e in units)
    rng = random.Random(1)
    with Project.create(path, coder="bench") as p:
        codes = [
            p.add_code(f"Code {n:02d}", shortcut=str(n + 1) if n < 9 else None).id
            for n in range(40)
        ]
        docs = [
            NewDocument(
                f"R{i // 2 + 1}",
                "interview" if i % 2 == 0 else "report",
                f"doc {i}",
                base,
                None,
                f"sha{i}",
                "utf-8",
                segs,
            )
            for i in range(documents)
        ]
        ids = p.add_documents(docs)
        rows = []
        for _ in range(codings):
            i = rng.randrange(len(units) - 3)
            rows.append(
                NewCoding(
                    ids[rng.randrange(len(ids))],
                    units[i][0],
                    units[i + rng.randrange(3)][1],
                    codes[rng.randrange(len(codes))],
                )
            )
        p.add_codings(rows)
        return {"documents": documents, "words": len(base.split()) * documents, "codings": codings}


async def run(path: Path, size: tuple[int, int]) -> dict:
    TimedApp.paints = []
    t0 = time.perf_counter()
    app = TimedApp(path, recent_file=path.with_suffix(".recent.json"), suggestions=False)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        first = next(t for t, on_main in TimedApp.paints if on_main) - t0
        await app.workers.wait_for_complete()
        await pilot.pause()
        view = app.screen.query_one(DocumentView)
        units = view._units["sentence"]
        keys = []
        for k in range(15):
            view.select(*units[len(units) // 2 + k * 7])
            await pilot.pause()
            t = time.perf_counter()
            await pilot.press(str(k % 9 + 1))
            await pilot.pause()
            keys.append(TimedApp.paints[-1][0] - t)
        t = time.perf_counter()
        await pilot.press("end")
        await pilot.pause()
        end = TimedApp.paints[-1][0] - t
    return {
        "first": first * 1000,
        "key": statistics.median(keys) * 1000,
        "keymax": max(keys) * 1000,
        "end": end * 1000,
    }


def durability(path: Path) -> None:
    """The coding keystroke with each synchronous setting (README, "Your data"): FULL syncs
    the WAL on every commit, so a power cut cannot lose an acknowledged coding; NORMAL only
    at checkpoints. Run on a real disk (the bench's folder), not tmpfs, where fsync is free."""
    from qualcode import store

    chosen = store.SYNCHRONOUS
    for setting in ("NORMAL", "FULL"):
        store.SYNCHRONOUS = setting
        # What the setting changes: the commit of one coding (FULL adds an fsync of the WAL).
        with Project.open(path, daily_backup=False) as p:
            doc = p.documents()[0].id
            code = p.codes()[0].id
            commits = []
            for k in range(200):
                t = time.perf_counter()
                c = p.add_coding(doc, k * 10, k * 10 + 5, code)
                commits.append(time.perf_counter() - t)
                p.remove_coding(c.id)
        r = asyncio.run(run(path, (120, 40)))
        print(
            f"synchronous={setting}{' (used)' if setting == chosen else ''}: add_coding commit "
            f"median {statistics.median(commits) * 1000:.2f} ms, p95 "
            f"{sorted(commits)[189] * 1000:.2f} ms; coding key median {r['key']:.1f} ms, "
            f"max {r['keymax']:.1f} ms (goal < 50)"
        )
    store.SYNCHRONOUS = chosen


def main() -> None:
    # On the disk of the working folder: fsync costs what it costs there (tmpfs would hide it).
    with tempfile.TemporaryDirectory(dir=Path.cwd()) as tmp:
        path = Path(tmp) / "bench.qualcode"
        size = build(path)
        print(
            f"corpus: 1 document, {size['words']:,} words, {size['chars']:,} chars, {size['lines']:,} turns, "
            f"{size['sentences']:,} sentences, {size['codings']:,} codings (20 codes)"
        )
        durability(path)
        if "--durability" in sys.argv:
            return
        for term in [(80, 24), (120, 40), (200, 60)]:
            r = asyncio.run(run(path, term))
            print(
                f"{term[0]}x{term[1]}: first paint {r['first']:.0f} ms (goal < 300), coding key median "
                f"{r['key']:.1f} ms, max {r['keymax']:.1f} ms (goal < 50), jump to end {r['end']:.1f} ms"
            )
        path = Path(tmp) / "corpus.qualcode"
        size = build_corpus(path)
        print(
            f"corpus: {size['documents']:,} documents, {size['words']:,} words, {size['codings']:,} codings (40 codes)"
        )
        r = asyncio.run(run(path, (120, 40)))
        print(
            f"120x40: first paint {r['first']:.0f} ms, coding key median {r['key']:.1f} ms, max {r['keymax']:.1f} ms "
            "(corpus-wide counts load in a worker thread after the first paint)"
        )


if __name__ == "__main__":
    main()
