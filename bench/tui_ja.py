"""The workbench on a long Japanese document: the trained pipeline (ja_ginza) against the blank one.

What a researcher meets after importing a Japanese interview (sentences "later", as the
workbench's import does): the first paint, how long until the worker has stored the open
document's sentences (the trained pipeline loads in that worker, never before the first
paint), the coding keystroke latency WHILE that worker segments and after it, and the
cost of a code suggestion (SuggestionSession.ask after each new coding, CPU).

Text: the `# text =` sentences of UD_Japanese-GSD CoNLL-U files (web and news text
written by others, CC BY-SA 4.0; not shipped: pass --conllu, as for bench/ja_sentences.py)
laid out as an interview: "I:" asks one sentence, "R1:" answers with the next five, each
turn a paragraph. 10 codes; every third answer is coded with one of them.

Rows: the project's pipeline left to qualcode's default (ja_ginza when installed) and set
to "blank" (the rules). Each row runs on a fresh copy. Wall times and process CPU; the
load average is printed, as the machine is shared.

Run: nice -n 10 .venv/bin/python bench/tui_ja.py --conllu PATH [--conllu PATH2]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from ja_sentences import DEFAULT, read_sentences  # noqa: E402
from tui import percentile, timed_app_class  # noqa: E402

from qualcode.facade.codings import NewCoding  # noqa: E402
from qualcode.project import Project  # noqa: E402
from qualcode.tui.components.document_view import DocumentView  # noqa: E402
from qualcode.tui.screens.main import MainScreen  # noqa: E402

KEYS = 20
TimedApp = timed_app_class()


def interview(sentences: list[str]) -> str:
    """Turns: I asks one sentence, R1 answers with the next five."""
    turns = []
    for first in range(0, len(sentences), 6):
        turns.append(f"I: {sentences[first]}")
        answer = "".join(sentences[first + 1 : first + 6])
        if answer:
            turns.append(f"R1: {answer}")
    return "\n\n".join(turns) + "\n"


def build(folder: Path, sentences: list[str]) -> tuple[Path, dict]:
    source = folder / "R1.txt"
    source.write_text(interview(sentences), encoding="utf-8")
    path = folder / "ja.qualcode"
    rng = random.Random(7)
    with Project.create(path, coder="bench", language="ja") as p:
        codes = [p.add_code(f"コード {n}", shortcut=str(n + 1)).id for n in range(9)]
        p.add_code("コード 9")
        p.import_files([source], "R1", sentences="later")
        doc = p.documents()[0].id
        answers = [s for s in p.segment_units(doc, ensure=False).get("turn", [])]
        codings = [
            NewCoding(doc, s, e, codes[rng.randrange(len(codes))])
            for n, (s, e) in enumerate(answers)
            if n % 3 == 1
        ]
        p.add_codings(codings)
        text = p.document(doc).text
        return path, {"chars": len(text), "turns": len(answers), "codings": len(codings)}


async def run(path: Path, suggestions: bool) -> dict:
    """Open the app; first paint, keystrokes while the sentences are segmented and after."""
    ready: list[float] = []
    original = MainScreen.on_sentences_ready

    def on_ready(self, event):
        original(self, event)
        ready.append(time.perf_counter())

    MainScreen.on_sentences_ready = on_ready
    TimedApp.paints = []
    try:
        t0, c0 = time.perf_counter(), time.process_time()
        app = TimedApp(  # coder given: a project with codings asks a new user's name first
            path,
            recent_file=path.with_suffix(".recent.json"),
            suggestions=suggestions,
            coder="bench",
        )
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            first = next(t for t, on_main, _ in TimedApp.paints if on_main) - t0
            view = app.screen.query_one(DocumentView)
            during = await keystrokes(pilot, view, 0, lambda: not ready)
            await app.workers.wait_for_complete()
            await pilot.pause()
            segmented = ready[0] - t0 if ready else float("nan")
            cpu_segmented = time.process_time() - c0
            after = await keystrokes(pilot, view, KEYS, lambda: True)
            sentences = len(view._units["sentence"])
    finally:
        MainScreen.on_sentences_ready = original
    return {
        "first": first,
        "segmented": segmented,
        "cpu": cpu_segmented,
        "during": during,
        "after": after,
        "sentences": sentences,
    }


async def keystrokes(pilot, view, start: int, go_on) -> list[float]:
    """Code KEYS units (from the `start`-th on, every 5th) while go_on(); key -> paint (s)."""
    units = view._units["sentence"]
    out = []
    for k in range(KEYS):
        if not go_on():
            break
        view.select(*units[(start + k * 5) % len(units)])
        await pilot.pause()
        t = time.perf_counter()
        await pilot.press(str(k % 9 + 1))
        await pilot.pause()
        out.append(TimedApp.paints[-1][0] - t)
    return out


def suggestion_cost(path: Path) -> str:
    """SuggestionSession.ask: the first (full fit) and after each new coding (median)."""
    from qualcode.suggest_session import SuggestionSession

    with Project.open(path, daily_backup=False) as p:
        doc = p.documents()[0].id
        units = p.segment_units(doc)["sentence"]
        code = p.codes()[0].id
    session = SuggestionSession(path)
    try:
        c = time.process_time()
        session.ask(doc, *units[0])
        fit = time.process_time() - c
        asks = []
        with Project.open(path, daily_backup=False) as p:
            for n in range(1, 21):
                p.add_coding(doc, *units[n * 7], code)
                c = time.process_time()
                session.ask(doc, *units[n * 7 + 1])
                asks.append(time.process_time() - c)
        session.wait_for_refit()
    finally:
        session.close()
    return (
        f"suggestions: first ask (fit) {1000 * fit:.0f} ms CPU; ask after a new coding median "
        f"{1000 * statistics.median(asks):.1f} ms, max {1000 * max(asks):.1f} ms CPU "
        "(the linear SVM refits in a background thread)"
    )


def ms(values: list[float]) -> str:
    if not values:
        return "none (segmented before the first key)"
    return (
        f"median {1000 * statistics.median(values):.0f}, p95 "
        f"{1000 * percentile(values, 0.95):.0f}, max {1000 * max(values):.0f} ms ({len(values)} keys)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conllu", type=Path, action="append")
    args = parser.parse_args()
    paths = args.conllu or sorted(DEFAULT.glob("*.conllu"))
    if not paths:
        print(f"no data: pass --conllu with a UD Japanese treebank file (none in {DEFAULT})")
        return
    from qualcode.nlp.pipeline import installed_trained

    sentences = [s for path in paths for s in read_sentences(path)]
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        base, size = build(Path(tmp), sentences)
        print(
            f"document: {len(sentences):,} UD_Japanese-GSD sentences as one interview, "
            f"{size['chars']:,} characters, {size['turns']} turns, {size['codings']} codings "
            "(10 codes); sentences left for later by the import"
        )
        rows = [(installed_trained("ja") or "blank (ja_ginza not installed)", None)]
        rows.append(("blank 'ja' + qualcode's rules", "blank"))
        for label, model in rows:
            for suggestions in (False, True):
                path = Path(tmp) / f"{model}-{suggestions}.qualcode"
                shutil.copyfile(base, path)
                with Project.open(path, daily_backup=False) as p:
                    p.set_spacy_model(model)
                r = asyncio.run(run(path, suggestions))
                print(
                    f"{label}, suggestions {'on' if suggestions else 'off'}: first paint "
                    f"{1000 * r['first']:.0f} ms; open document's sentences stored after "
                    f"{r['segmented']:.1f} s ({r['sentences']:,} sentences; process CPU "
                    f"{r['cpu']:.1f} s by then)"
                )
                print(f"  coding key while segmenting: {ms(r['during'])}")
                print(f"  coding key after: {ms(r['after'])}")
            fresh = Path(tmp) / f"{model}-suggest.qualcode"  # no keystroke codings on it
            shutil.copyfile(base, fresh)
            with Project.open(fresh, daily_backup=False) as p:
                p.set_spacy_model(model)
            print(f"  {suggestion_cost(fresh)}")


if __name__ == "__main__":
    main()
