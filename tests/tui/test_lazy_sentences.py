"""The workbench opens a document whose sentences an import left for later at once,
and takes the real sentences from a worker when they are stored."""

from qualcode.project import Project
from qualcode.tui.components.document_view import DocumentView
from qualcode.tui.screens.main import MainScreen

TEXT = (
    "Interviewer: Dr. Tanaka said what?\n\n"
    "R1: Dr. Tanaka said it was fine. I went to the U.S. anyway. It was hard.\n\n"
    "Interviewer: And then?\n\n"
    "R1: Then I stayed."
)


async def test_pending_sentences_are_segmented_in_a_worker(tmp_path, make_app, monkeypatch):
    path = tmp_path / "p.qualcode"
    for name in ("R1.txt", "R2.txt"):
        (tmp_path / name).write_text(TEXT.replace("R1", name[:2]), encoding="utf-8")
    with Project.create(path, coder="t") as p:  # not asked who codes
        p.import_files([tmp_path / "R1.txt"], "R1", sentences="later")
        p.import_files([tmp_path / "R2.txt"], "R2", sentences="later")
        assert p.sentences_pending() == 2
    with Project.create(tmp_path / "eager.qualcode") as eager:
        eager.import_files([tmp_path / "R1.txt"], "R1", sentences="now")
        expected = eager.segment_units(1)["sentence"]
    assert len(expected) == 6  # "Dr." and "U.S." do not end sentences
    app = make_app(path)
    shown: list[str] = []
    watch = MainScreen.on_sentences_progress

    def on_progress(self, event):
        watch(self, event)
        shown.append(self.sub_title)

    monkeypatch.setattr(MainScreen, "on_sentences_progress", on_progress)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen) and screen.document_id == 1
        assert screen.query_one(DocumentView)._units["sentence"] == expected
        assert app.project.sentences_pending() == 0  # the other document too
        # the header showed the worker's progress, then the coder alone again
        assert "coder: t · segmenting sentences: 100% of this document" in shown
        assert "coder: t · segmenting sentences: 0% of 2 documents waiting" in shown
        assert shown[-1] == screen.sub_title == "coder: t"
