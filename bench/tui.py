"""Bench of the workbench on a long interview: time to first paint and coding keystroke latency.

Builds a project with one ~50,000-word transcript (stored sentence and turn segments) and
2,000 codings over 20 codes, then drives the real app headless (App.run_test). Prints the
corpus size and, per terminal size: first paint (from creating the app, project opening
included, to the end of the first screen update showing the document) and the latency of
a coding keystroke (press a shortcut with a sentence selected -> saved to the database ->
screen updated), median, p95 and max of 40, with code suggestions off and on, each run on
its own copy of the project (a repeated coding would be refused and cost nothing). The end
of a screen update is timestamped by wrapping App._display (headless run_test computes
every frame but writes none); the process CPU of each keystroke is given too, as it does
not grow with the machine's load. Each run reopens a project opened once before; the
first open of an unseen file (integrity check) is reported apart. Each run is its own process
(bench/tui.py --child), and the first paint is also given from the command's start
(Python, qualcode's CLI and Textual imported). Then the same on 2,300 documents. Goals:
first paint < 300 ms, keystroke p95 < 50 ms. Usage: python bench/tui.py [--no-corpus]
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# Every measured run is its own process, started as `qualcode PROJECT` starts (qualcode's
# CLI and Textual imported, nothing else): runs in one long process slowed each other
# (objects left by earlier apps, a corpus built in the same heap). qualcode's modules are
# imported inside the functions so that a child imports only what the command does. As
# installed by pip, with bytecode (some containers set PYTHONDONTWRITEBYTECODE).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed_app_class():
    """QualcodeApp that timestamps the end of every screen update (wall, on the main
    screen, process CPU) in its class attribute `paints`."""
    from qualcode.tui.app import QualcodeApp
    from qualcode.tui.screens.main import MainScreen

    class TimedApp(QualcodeApp):
        paints: list[tuple[float, bool, float]] = []

        def _display(self, *args, **kwargs):
            result = super()._display(*args, **kwargs)
            TimedApp.paints.append(
                (time.perf_counter(), isinstance(self.screen, MainScreen), time.process_time())
            )
            return result

    return TimedApp


def build(path: Path) -> dict:
    from tui_corpus import make_codings, make_transcript

    from qualcode.facade.codings import NewCoding
    from qualcode.models import NewDocument, Segment
    from qualcode.project import Project
    from qualcode.text_units import sentences, turns

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

    from tui_corpus import make_transcript

    from qualcode.facade.codings import NewCoding
    from qualcode.models import NewDocument, Segment
    from qualcode.project import Project
    from qualcode.text_units import sentences

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


KEYS = 40  # coding keystrokes per run, each on a sentence not coded by an earlier one


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (share 0.95 -> p95) of `values`."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))]


async def run(
    path: Path,
    size: tuple[int, int],
    suggestions: bool = False,
    reopen: bool = True,
    spawned: float | None = None,
) -> dict:
    """Open the app on `path` at `size`; first paint and KEYS coding keystrokes (ms).
    Give each run its own copy of the project: a coding repeated on the same span
    is refused, and a refused keystroke costs nothing. reopen: the project was opened
    and closed once before (as on any day's second open: its integrity check and daily
    backup are done); else this is the first open of a file qualcode has not seen.
    spawned: the perf_counter (CLOCK_MONOTONIC, shared by processes) at which the parent
    started this process, for the first paint counted from the command."""
    from qualcode.project import Project
    from qualcode.tui.components.document_view import DocumentView

    TimedApp = timed_app_class()
    if reopen:
        Project.open(path).close()
    TimedApp.paints = []
    t0 = time.perf_counter()
    # coder given, as `--coder` would: a project with codings asks a new user's name first
    app = TimedApp(
        path,
        recent_file=path.with_suffix(".recent.json"),
        suggestions=suggestions,
        coder="bench",
    )
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        painted = next(t for t, on_main, _ in TimedApp.paints if on_main)
        first = painted - t0
        await app.workers.wait_for_complete()
        await pilot.pause()
        view = app.screen.query_one(DocumentView)
        units = view._units["sentence"]
        before = app.project.summary()["codings"]
        keys, cpu = [], []
        for k in range(KEYS):
            view.select(*units[len(units) // 3 + k * 7])
            await pilot.pause()
            t, c = time.perf_counter(), time.process_time()
            await pilot.press(str(k % 9 + 1))
            await pilot.pause()
            keys.append(TimedApp.paints[-1][0] - t)
            cpu.append(TimedApp.paints[-1][2] - c)
        saved = app.project.summary()["codings"] - before
        t = time.perf_counter()
        await pilot.press("end")
        await pilot.pause()
        end = TimedApp.paints[-1][0] - t
    return {
        "first": first * 1000,
        "command": (painted - spawned) * 1000 if spawned is not None else None,
        "key": statistics.median(keys) * 1000,
        "p95": percentile(keys, 0.95) * 1000,
        "keymax": max(keys) * 1000,
        "cpu": statistics.median(cpu) * 1000,
        "cpu95": percentile(cpu, 0.95) * 1000,
        "saved": saved,
        "end": end * 1000,
    }


def run_in_child(path: Path, size: tuple[int, int], suggestions: bool, reopen: bool = True) -> dict:
    """`run` in a new process (see ENV above); its figures as a dict. The reopen is done
    here, before the child starts, so that the child's time is only the command's."""
    if reopen:
        from qualcode.project import Project

        Project.open(path).close()
    command = [sys.executable, __file__, "--child", str(path), f"{size[0]}x{size[1]}"]
    command += ["on" if suggestions else "off", "reopened" if reopen else "first"]
    spawned = time.perf_counter()
    done = subprocess.run(
        [*command, repr(spawned)], capture_output=True, text=True, env=ENV, check=False
    )
    if done.returncode:
        raise SystemExit(f"bench child failed: {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def child(argv: list[str]) -> None:
    """The child's side of run_in_child: start as the command does, run, print JSON."""
    path, size, suggestions, reopen, spawned = argv
    import qualcode.cli  # noqa: F401  (what `qualcode PROJECT` imports before the app)

    width, height = map(int, size.split("x"))
    result = asyncio.run(
        run(Path(path), (width, height), suggestions == "on", False, float(spawned))
    )
    print(json.dumps(result))


def report(label: str, r: dict) -> None:
    print(
        f"{label}: first paint {r['first']:4.0f} ms (goal < 300"
        + (f"; from the command {r['command']:4.0f} ms" if r["command"] is not None else "")
        + "); coding key median "
        f"{r['key']:5.1f}, p95 {r['p95']:6.1f}, max {r['keymax']:6.1f} ms (goal p95 < 50; "
        f"{r['saved']}/{KEYS} codings saved); key CPU median {r['cpu']:.1f}, p95 "
        f"{r['cpu95']:.1f} ms; jump to end {r['end']:.1f} ms"
    )


def fresh_copy(base: Path, name: str) -> Path:
    path = base.with_name(name)
    shutil.copyfile(base, path)
    return path


def durability(path: Path) -> None:
    """What the synchronous setting costs (README, "Data safety"): FULL syncs the WAL on
    every commit, so a power cut cannot lose an acknowledged coding; NORMAL syncs only at
    checkpoints. Times the commit of one coding 200 times with each, then the keystroke."""
    from qualcode import store
    from qualcode.project import Project

    chosen = store.SYNCHRONOUS
    for setting in ("NORMAL", "FULL"):
        store.SYNCHRONOUS = setting
        with Project.open(path, daily_backup=False) as p:
            doc = p.documents()[0].id
            code = p.codes()[0].id
            commits = []
            for k in range(200):
                t = time.perf_counter()
                c = p.add_coding(doc, k * 10, k * 10 + 5, code)
                commits.append(time.perf_counter() - t)
                p.remove_coding(c.id)
        print(
            f"synchronous={setting}{' (used)' if setting == chosen else ''}: add_coding commit "
            f"median {statistics.median(commits) * 1000:.2f} ms, p95 "
            f"{sorted(commits)[189] * 1000:.2f} ms"
        )
        report(f"synchronous={setting} 120x40", asyncio.run(run(path, (120, 40))))
    store.SYNCHRONOUS = chosen


def first_open(base: Path, label: str) -> None:
    """First paint on the first open of a copy qualcode has not seen: SQLite's quick_check
    reads every page first (the daily backup runs in a thread after the first paint)."""
    path = fresh_copy(base, "first-open.qualcode")
    r = run_in_child(path, (120, 40), False, reopen=False)
    print(
        f"{label}, first open of an unseen file (integrity check, {path.stat().st_size / 1e6:.0f} MB):"
        f" first paint {r['first']:.0f} ms (from the command {r['command']:.0f} ms)"
    )


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2:])
        return
    # bytecode for every module the children import, as pip install leaves it
    subprocess.run([sys.executable, "-c", "import qualcode.cli, qualcode.tui.app"], env=ENV)
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "bench.qualcode"
        size = build(base)
        print(
            "generated data (bench/tui_corpus.py), not a real interview; "
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        )
        print(
            f"corpus: 1 document, {size['words']:,} words, {size['chars']:,} chars, {size['lines']:,} turns, "
            f"{size['sentences']:,} sentences, {size['codings']:,} codings (20 codes)"
        )
        if "--durability" in sys.argv:
            durability(fresh_copy(base, "durability.qualcode"))
            return
        for term in [(80, 24), (120, 40), (200, 60)]:
            for suggestions in (False, True):
                path = fresh_copy(base, f"{term[0]}x{term[1]}-{suggestions}.qualcode")
                r = run_in_child(path, term, suggestions)
                report(f"{term[0]}x{term[1]} suggestions {'on ' if suggestions else 'off'}", r)
        first_open(base, "1 document")
        if "--no-corpus" in sys.argv:
            return
        base = Path(tmp) / "corpus.qualcode"
        size = build_corpus(base)
        print(
            f"corpus: {size['documents']:,} documents, {size['words']:,} words, {size['codings']:,} codings (40 codes)"
        )
        for suggestions in (False, True):
            path = fresh_copy(base, f"corpus-{suggestions}.qualcode")
            r = run_in_child(path, (120, 40), suggestions)
            report(f"120x40 suggestions {'on ' if suggestions else 'off'}", r)
        first_open(base, "2,300 documents")
        print("(corpus-wide counts load in a worker thread after the first paint)")


if __name__ == "__main__":
    main()
