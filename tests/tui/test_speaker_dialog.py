"""The speakers dialog (command palette: "Speakers of this document…") maps a speaker of
a focus group to a participant, as `qualcode set-speaker` does; asserted on the database."""

from __future__ import annotations

from textual.widgets import Input, Select, Static

from qualcode.models import NewDocument, Segment
from qualcode.project import Project
from qualcode.tui.screens.speaker_dialog import SpeakerDialog

TEXT = "Moderator: Who goes first?\nInterviewee 1: I do, busy.\nInterviewee 2: Not for me.\n"


def _turns(text: str) -> tuple[Segment, ...]:
    out, start = [], 0
    for line in text.splitlines(keepends=True):
        out.append(Segment(start, start + len(line.rstrip("\n")), "turn", line.split(":")[0]))
        start += len(line)
    return tuple(out)


async def test_map_a_speaker_from_the_command_palette(tmp_path, make_app):
    path = tmp_path / "f.qualcode"
    with Project.create(path, coder="ana") as p:
        [doc] = p.add_documents(
            [NewDocument("P20", "focus group", "focus", TEXT, segments=_turns(TEXT))]
        )
        p.add_code("Calm")
        start = TEXT.index("Not for me")
        p.add_coding(doc, start, start + 10, "Calm")
    app = make_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.action_command_palette()
        await pilot.pause()
        await pilot.press(*"speakers of")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, SpeakerDialog)
        state = str(dialog.query_one("#speaker-state", Static).render())
        assert "Interviewee 2 (not mapped)" in state and "participants: P20" in state
        dialog.query_one("#speaker-label", Select).value = "Interviewee 2"
        await pilot.pause()
        dialog.query_one("#speaker-participant", Input).value = "P21"
        await pilot.click("#speaker-map")
        await pilot.pause()
        state = str(dialog.query_one("#speaker-state", Static).render())
        assert "Interviewee 2 -> P21" in state and "participants: P20, P21" in state
        # An unknown participant id is created; an empty one is refused with a message.
        dialog.query_one("#speaker-participant", Input).value = ""
        await pilot.click("#speaker-map")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, SpeakerDialog)
    with Project.open(path) as p:
        assert p.speaker_map(doc) == {
            "Interviewee 1": None,
            "Interviewee 2": "P21",
            "Moderator": None,
        }
        assert p.document_participants(doc) == ["P20", "P21"]
        row = p.frequencies().set_index("code").loc["Calm"]
        assert (row["n"], row["N"]) == (1, 2)  # in P21's turn: P21's, not P20's
        assert p.matrix().loc["P21", "Calm"] == 1 and p.matrix().loc["P20", "Calm"] == 0
        assert p.log()[-1]["action"] == "set speaker"
