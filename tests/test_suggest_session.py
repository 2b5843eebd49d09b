"""The workbench's suggestion session: fitted once, updated per new coding, stale asks skipped."""

import threading

import pytest

from qualcode.models import NewDocument, Segment
from qualcode.project import Project
from qualcode.suggest_session import SuggestionSession

TEXT = (
    "Interviewer: What was hard?\n\n"
    "R4: My English was not good enough to talk with the patients. The nurses spoke fast.\n\n"
    "Interviewer: What did you eat?\n\n"
    "R4: Rice in the canteen every day. The curry was spicy."
)


def _project(path):
    project = Project.create(path)
    turns, pos = [], 0
    for block in TEXT.split("\n\n"):
        turns.append(Segment(pos, pos + len(block), "turn", block.split(":")[0]))
        pos += len(block) + 2
    [doc] = project.add_documents(
        [NewDocument("R4", "interview", "R4", TEXT, "R4.txt", "sha4", "utf-8", tuple(turns))]
    )
    return project, doc


def _span(phrase):
    start = TEXT.index(phrase)
    return start, start + len(phrase)


def test_session_learns_new_codings_without_refitting(tmp_path):
    project, doc = _project(tmp_path / "p.qualcode")
    language = project.add_code("Language barrier", description="speaking English")
    food = project.add_code("Food")
    project.add_coding(doc, *_span("My English was not good enough"), language.id)
    session = SuggestionSession(project.path)
    try:
        first = session.ask(doc, *_span("The nurses spoke fast."))
        assert [s.code_id for s in first] == [language.id, food.id]
        assert (session.refits, session.updates) == (1, 0)
        project.add_coding(doc, *_span("Rice in the canteen every day."), food.id)
        project.add_coding(doc, *_span("The curry was spicy."), food.id)
        answer = session.ask(doc, *_span("Rice in the canteen"))
        assert answer[0].code_id == food.id and answer[0].path == "Food"
        assert (session.refits, session.updates) == (1, 2)  # learnt, not refitted
        session.wait_for_refit()  # the linear model was refitted in the background
        # twice: once after the first fit (the sentence model and the weights are
        # deferred to it) and once after the new codings
        assert session.linear_refits == 2
        assert session._suggester.linear_examples == 2 + 3  # two codes' labels + 3 codings
        project.add_code("Stress")  # the codebook changed: fit again
        assert len(session.ask(doc, *_span("The curry"), k=3)) == 3
        assert session.refits == 2
        assert project.db.execute("SELECT count(*) FROM codings").fetchone()[0] == 3
    finally:
        session.close()
        project.close()


def test_a_newer_ask_makes_a_waiting_one_stale(tmp_path):
    project, doc = _project(tmp_path / "p.qualcode")
    code = project.add_code("Language barrier")
    project.add_coding(doc, *_span("My English"), code.id)
    project.close()
    session = SuggestionSession(tmp_path / "p.qualcode")
    gate = threading.Event()
    session._pool.submit(gate.wait)  # the session's thread is busy
    answers = {}

    def ask(name):
        answers[name] = session.ask(doc, *_span("The nurses spoke fast."))

    older = threading.Thread(target=ask, args=("older",))
    older.start()
    while session._newest < 1:
        pass
    newer = threading.Thread(target=ask, args=("newer",))
    newer.start()
    while session._newest < 2:
        pass
    gate.set()
    older.join()
    newer.join()
    session.close()
    assert answers["older"] is None  # superseded before its turn came
    assert [s.code_id for s in answers["newer"]] == [code.id]


def test_the_process_session_answers_as_the_thread_session_does(tmp_path):
    from qualcode.suggest_process import SuggestionProcess

    project, doc = _project(tmp_path / "p.qualcode")
    language = project.add_code("Language barrier", description="speaking English")
    food = project.add_code("Food")
    project.add_coding(doc, *_span("My English was not good enough"), language.id)
    child = SuggestionProcess(project.path)
    here = SuggestionSession(project.path)
    try:
        child.ask(doc, *_span("The nurses spoke fast."))  # fits, then refits behind
        here.ask(doc, *_span("The nurses spoke fast."))
        child.wait_for_refit()
        here.wait_for_refit()  # both now have the sentence model: the same answers
        first = child.ask(doc, *_span("The nurses spoke fast."))
        same = here.ask(doc, *_span("The nurses spoke fast."))
        # the same model; the sentence model's vectors may differ in the 7th decimal
        # between processes (PyTorch batches texts differently), so scores within 0.001
        assert [(s.code_id, s.path) for s in first] == [(s.code_id, s.path) for s in same]
        assert [s.score for s in first] == pytest.approx([s.score for s in same], abs=1e-3)
        assert [s.code_id for s in first] == [language.id, food.id]
        assert (child.refits, child.updates) == (1, 0)
        project.add_coding(doc, *_span("Rice in the canteen every day."), food.id)
        answer = child.ask(doc, *_span("Rice in the canteen"))
        assert answer[0].path == "Food"
        assert (child.refits, child.updates) == (1, 1)  # learnt in the child, not refitted
        child.wait_for_refit()
        assert child.linear_refits == 2  # after the first fit, and after the new coding
    finally:
        child.close()
        here.close()
        project.close()


def test_a_newer_ask_makes_a_waiting_one_stale_across_processes(tmp_path):
    import time

    from qualcode.suggest_process import SuggestionProcess

    project, doc = _project(tmp_path / "p.qualcode")
    code = project.add_code("Language barrier")
    project.add_coding(doc, *_span("My English"), code.id)
    project.close()
    child = SuggestionProcess(tmp_path / "p.qualcode")
    try:
        child._pool.submit(time.sleep, 3.0)  # the child is busy
        answers = {}
        older = threading.Thread(
            target=lambda: answers.setdefault("older", child.ask(doc, *_span("The nurses")))
        )
        older.start()
        while child._newest.value < 1:  # the older ask has its ticket and waits
            pass
        newer = child.ask(doc, *_span("The nurses spoke fast."))  # queued behind it
        older.join()
        assert answers["older"] is None  # superseded before its turn came
        assert [s.code_id for s in newer] == [code.id]
    finally:
        child.close()


def test_a_dead_child_is_started_again_by_the_next_ask(tmp_path):
    from concurrent.futures.process import BrokenProcessPool

    import pytest

    from qualcode.suggest_process import SuggestionProcess

    project, doc = _project(tmp_path / "p.qualcode")
    code = project.add_code("Language barrier")
    project.add_coding(doc, *_span("My English"), code.id)
    project.close()
    child = SuggestionProcess(tmp_path / "p.qualcode")
    try:
        assert [s.code_id for s in child.ask(doc, *_span("The nurses"))] == [code.id]
        for process in list(child._pool._processes.values()):
            process.kill()
            process.join()
        with pytest.raises(BrokenProcessPool):
            child.ask(doc, *_span("The nurses"))
        assert [s.code_id for s in child.ask(doc, *_span("The nurses"))] == [code.id]
    finally:
        child.close()


def test_closing_ends_a_child_that_is_busy_past_the_timeout(tmp_path):
    import time

    from qualcode.suggest_process import SuggestionProcess

    project, doc = _project(tmp_path / "p.qualcode")
    project.close()
    child = SuggestionProcess(tmp_path / "p.qualcode")
    busy = child._pool.submit(time.sleep, 60)  # a long fit, as it were
    processes = list(child._pool._processes.values())
    child.close(timeout=0.5)
    assert processes and not any(p.is_alive() for p in processes)
    assert busy.done()  # ended with the child, not after 60 s


def test_the_child_starts_under_a_stderr_without_a_descriptor(tmp_path):
    """Textual replaces sys.stderr with an object that has no file descriptor. In a
    process where no child started before (no segmenter on a project already
    segmented), making the child's shared counter started multiprocessing's resource
    tracker outside real_stderr and failed ("bad value(s) in fds_to_keep"): the
    workbench then never showed a suggestion. A fresh interpreter, as the workbench is."""
    import subprocess
    import sys

    project, doc = _project(tmp_path / "p.qualcode")
    language = project.add_code("Language barrier", description="speaking English")
    project.add_coding(doc, *_span("My English was not good enough"), language.id)
    project.close()
    start, end = _span("The nurses spoke fast.")
    script = (
        "import io, sys\n"
        "from qualcode.suggest_process import SuggestionProcess\n"
        "class NoDescriptor(io.StringIO):  # Textual's stderr: fileno() is -1\n"
        "    def fileno(self):\n"
        "        return -1\n"
        "if __name__ == '__main__':\n"
        "    sys.stderr = NoDescriptor()\n"
        f"    child = SuggestionProcess({str(project.path)!r})\n"
        f"    answer = child.ask({doc}, {start}, {end}, 1)\n"
        "    child.close()\n"
        "    print(answer[0].path)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "Language barrier"
