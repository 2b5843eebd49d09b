"""The qualcode workbench: the app class, its global keys and screen routing.

Screens live in qualcode/tui/screens (one module each) and are pushed by actions here;
the app holds no SQL and no analysis: it opens a Project and hands it to the screens.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import App
from textual.binding import Binding
from textual.message import Message

from qualcode import recent
from qualcode.errors import QualcodeError
from qualcode.plural import noun, plural
from qualcode.tui.commands import QualcodeCommands

if TYPE_CHECKING:
    from collections.abc import Callable

    from qualcode.project import Project


class SampleReady(Message):
    def __init__(self, path: Path, error: str | None) -> None:
        super().__init__()
        self.path = path
        self.error = error


class QualcodeApp(App):
    CSS_PATH = Path(__file__).parent / "qualcode.tcss"  # absolute: subclasses live elsewhere
    TITLE = "qualcode"
    COMMANDS = App.COMMANDS | {QualcodeCommands}
    BINDINGS = [
        # Moving the focus is a priority binding, done as the key arrives: otherwise a tab
        # reaches its action only after bubbling up from the focused widget, and keys
        # typed right after it (a paste, a fast typist) went to the widget it left:
        # "Alpha", tab, "Beta" in the new-code form gave the name "AlphaBeta".
        Binding("tab", "app.focus_next", "Focus Next", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", "Focus Previous", show=False, priority=True),
        Binding("question_mark", "help", "Keys", key_display="?"),
        Binding("ctrl+o", "open_start", "Open", show=False),
        Binding("ctrl+q", "quit", "Quit", show=False),
        Binding("ctrl+e", "retrieval", "Excerpts", show=False),
        # ctrl+t opens a tab in a browser (qualcode serve): ctrl+g does the same there.
        Binding("ctrl+t,ctrl+g", "frequencies", "Frequencies", show=False),
        Binding("ctrl+k", "review", "Review disagreements", show=False),
        # ctrl+n opens a window in a browser (qualcode serve): ctrl+b does the same there.
        Binding("ctrl+n,ctrl+b", "memos", "Memos", show=False),
        Binding("ctrl+l", "import_files", "Import", show=False),
        Binding("ctrl+u", "participants", "Participants", show=False),
        Binding("ctrl+f", "project_search", "Search project", show=False),
        # ctrl+k is the disagreement review and ctrl+u the participants; ctrl+s ("speakers";
        # the workbench has nothing to save) reaches it in a terminal and in a browser.
        Binding("ctrl+s", "speakers", "Speakers", show=False),
    ]

    def __init__(
        self,
        project_path: Path | None = None,
        recent_file: Path | None = None,
        suggestions: bool = True,
        coder: str | None = None,
        ask_coder: bool = False,
    ) -> None:
        super().__init__()
        self.project_path = Path(project_path) if project_path else None
        self.recent_file = recent_file
        # Who codes in this session: `--coder` (explicit), else asked on open when
        # `ask_coder` (each browser tab of `qualcode serve`), else the user's own name.
        self.coder = coder.strip() if coder and coder.strip() else None
        self.ask_every_time = ask_coder
        self.suggestions = suggestions  # code suggestions beside the cursor (tests turn them off)
        self.project: Project | None = None
        self._quit_anyway = False  # a second ctrl+q quits even with unsaved changes

    def on_mount(self) -> None:
        if self.project_path is not None:
            self.open_project(self.project_path)
        else:
            self.action_open_start()

    # ---- routing -----------------------------------------------------------------
    def open_project(self, path: Path) -> None:
        from qualcode.project import Project
        from qualcode.tui.screens.main import MainScreen

        try:
            project = Project.open(path, daily_backup=False)  # made below, off the first paint
        except QualcodeError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self._close_project()
        self.project = project
        recent.add(path, self.recent_file)
        self.switch_or_push(MainScreen(project))  # which calls ask_coder once mounted
        job = project.daily_backup_job()
        if job is not None:
            self.call_after_refresh(self._daily_backup, job)

    @work(thread=True, exit_on_error=False, group="backup")
    def _daily_backup(self, job: Callable[[], Path | None]) -> Path | None:
        """The day's first backup of the open project, copied from a connection of its own
        while the coder works (Project.daily_backup_job)."""
        return job()

    def ask_coder(self, project: Project) -> None:
        """Say who this session codes as, asking when nobody has said. Precedence: the
        name given for the session (`--coder`, or the answer of a browser tab), then the
        user's own name (`qualcode config --coder NAME`, kept in qualcode.user_config),
        then the project's default coder, then the login name; so a copy of a project
        coded by another person records their codings under their own name. When the
        user has not named themselves, the workbench asks (first use: the answer is kept
        for later projects) for a project naming no coder, and for a project that
        already holds codings, whoever made them (the sample project's coder1, a
        colleague's copy): otherwise the user's codings would silently join those of the
        project's default coder. Escape codes as the project's default, and asks again
        next time. A project naming its coder that nobody has coded yet is not asked
        about. Every browser tab of `qualcode serve` without --coder asks too (escape
        keeps the project's default). The header always says whom codings are recorded
        as (`coder: NAME`); a notice says so too, and why (a name given, asked or found in
        user.json, or escape), naming the project's other coders. Called by the main screen when mounted: a dialog
        pushed while the start screen is being popped would report its answer to that
        screen, and it would be lost."""
        from qualcode import user_config
        from qualcode.tui.screens.prompt import PromptScreen

        if self.coder:
            self._set_coder(project, self.coder, asked=False, why="given for this session")
            return
        known = None if self.ask_every_time else user_config.remembered_coder(self.recent_file)
        kept_in = _shown_path(user_config.user_file(self.recent_file))
        if known:
            self._set_coder(project, known, asked=False, why=f"your name, set in {kept_in}")
            return
        default = project.get_meta("coder")
        # Who has coded here already (a few names are enough to say so).
        coded_by = [] if self.ask_every_time else project.coders_with_codings(limit=4)
        if default and not self.ask_every_time and not coded_by:
            return  # the project's default coder, shown in the header (`coder: NAME`)

        def answered(name: str | None) -> None:
            if self.project is not project:
                return
            if name and name.strip():
                why = "" if self.ask_every_time else f"the name you gave, kept in {kept_in}"
                self._set_coder(project, name, asked=not self.ask_every_time, why=why)
            elif default:
                why = "the project's default coder: no name was given"
                if default in coded_by and not self.ask_every_time:
                    why += f", so your codings join {default}'s"
                self._show_coder(project, why)
            else:
                self._show_coder(project, "login name: nobody was named")

        if self.ask_every_time:
            question = "Who is coding in this tab? (recorded with every coding made here)"
        elif coded_by:
            question = (
                f"This project already holds codings by {_names(coded_by)}. Your name as "
                "coder, so that yours are recorded apart (kept for later projects)."
            )
        else:
            question = "Your name as coder (recorded with every coding you make; asked once):"
        if default:
            question += f" Escape codes as this project's default coder, {default}."
        self.push_screen(PromptScreen(question, placeholder="e.g. Ana Silva"), answered)

    def _set_coder(self, project: Project, name: str, asked: bool, why: str) -> None:
        from qualcode import user_config

        try:
            name = project.use_coder(name) or name
            if not project.coder_is_set:  # a project naming nobody takes its first coder
                project.set_coder(name)
        except QualcodeError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        if asked:
            user_config.remember_coder(name, self.recent_file)
        self._show_coder(project, why)

    def _show_coder(self, project: Project, why: str) -> None:
        from qualcode.tui.screens.main import MainScreen

        name = project.coder
        default = project.get_meta("coder")
        notes = [why] if why else []
        others = [c for c in project.coders_with_codings(limit=4) if c != name]
        if others:
            notes.append(f"this project's other codings are by {_names(others)}")
        if default and default != name:
            notes.append(f"the project's default is {default}")
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                screen.sub_title = f"coder: {name}"
        self.notify(
            f"Coding as {name}"
            + (f" ({'; '.join(notes)})" if notes else "")
            + ". `qualcode config --coder NAME` sets your name.",
            timeout=6,
            markup=False,
        )

    def create_project(self, path: Path, codebook: Path | None = None) -> None:
        """A new project at `path` with the codes of `codebook` (.yaml or .qdc), else empty.
        If the codebook cannot be read the new file is removed again: nothing is left
        half-made."""
        from qualcode.project import Project

        existed = path.exists() and path.stat().st_size > 0
        try:
            project = Project.create(path)
        except QualcodeError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        try:
            if codebook is not None:
                project.import_codebook(codebook)
            notes = list(project.codebook_notes)
        except QualcodeError as exc:
            project.close()
            if not existed:
                for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                    leftover.unlink(missing_ok=True)
            self.notify(str(exc), severity="error", markup=False)
            return
        project.close()
        for note in notes:
            self.notify(note, timeout=8, markup=False)
        self.open_project(path)

    def create_sample(self, path: Path, builder) -> None:
        if path.exists():  # the builder's own message tells CLI users to pass --force
            self.notify(
                f"{path}: already exists (open it instead, or choose another name)",
                severity="error",
                markup=False,
            )
            return
        self.notify(f"Building the sample project in {path}…", timeout=3, markup=False)
        self._build_sample(path, builder)

    @work(thread=True, exclusive=True, exit_on_error=False, group="sample")
    def _build_sample(self, path: Path, builder) -> None:
        # Importing and segmenting the sample takes a second or two: not on the UI thread.
        try:
            project = builder(path)
            if hasattr(project, "close"):
                project.close()  # opened in this thread; the app opens its own
        except QualcodeError as exc:
            self.post_message(SampleReady(path, str(exc)))
            return
        self.post_message(SampleReady(path, None))

    @on(SampleReady)
    def _sample_ready(self, event: SampleReady) -> None:
        if event.error:
            self.notify(event.error, severity="error", markup=False)
        else:
            self.open_project(event.path)

    def switch_or_push(self, screen) -> None:
        # A project's screen replaces everything above the default screen (the start screen,
        # or the previous project's screens), so only one MainScreen is ever in the stack.
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(screen)

    def _close_project(self) -> None:
        if self.project is not None:
            from qualcode.tui.screens.main import MainScreen

            for screen in self.screen_stack:
                if isinstance(screen, MainScreen):
                    screen.remember_place()  # while the connection is open
                    # The suggestions' connection closes first, so that this one's close
                    # folds the WAL in and the next open can skip the integrity check.
                    screen.close_suggestions()
            self.project.close()
            self.project = None

    def on_unmount(self) -> None:
        self._close_project()

    async def action_quit(self) -> None:
        """Quit; with changes still waiting for a busy project, try once more (waiting up to
        5 s), and if they still cannot be saved, say so and quit only on a second ctrl+q."""
        from qualcode.tui.screens.main import MainScreen

        main = next((s for s in self.screen_stack if isinstance(s, MainScreen)), None)
        waiting = main.save_pending(wait_ms=5000) if main is not None else 0
        if waiting and not self._quit_anyway:
            self._quit_anyway = True
            self.notify(
                f"{plural(waiting, 'change')} {noun(waiting, 'is')} not saved: the project is "
                "still busy (another "
                "program is writing). Wait, or press ctrl+q again to quit without them.",
                severity="error",
                timeout=15,
                markup=False,
            )
            return
        self.exit()

    # ---- actions (other screens plug in here) --------------------------------------
    def action_open_start(self) -> None:
        from qualcode.tui.screens.start import StartScreen

        if not isinstance(self.screen, StartScreen):
            # Over an open project it goes on top, so that escape goes back to the project.
            self.push_screen(StartScreen(self.recent_file))

    def action_help(self) -> None:
        from qualcode.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    # ---- retrieval, frequencies, import (qualcode/tui/screens/{retrieval,frequencies,import_dialog}.py)
    def _project_or_warn(self) -> Project | None:
        if self.project is None:
            self.notify("Open a project first.", severity="warning")
        return self.project

    def action_retrieval(self) -> None:
        """Excerpts of the code highlighted in the codebook, else of a code picked by name."""
        from qualcode.tui.components.codebook_tree import CodebookTree
        from qualcode.tui.screens.code_picker import CodePickerScreen
        from qualcode.tui.screens.retrieval import RetrievalScreen

        project = self._project_or_warn()
        if project is None:
            return
        trees = self.screen.query(CodebookTree)
        code_id = trees.first().selected_code_id if trees else None
        if code_id is not None:
            self.push_screen(RetrievalScreen(project, code_id))
            return
        self.push_screen(
            CodePickerScreen(project.codes(), "Show the excerpts of…"),
            lambda chosen: chosen and self.push_screen(RetrievalScreen(project, chosen)),
        )

    def action_frequencies(self) -> None:
        from qualcode.tui.screens.frequencies import FrequenciesScreen

        if self._project_or_warn() is not None:
            self.push_screen(FrequenciesScreen(self.project))

    def action_project_search(self) -> None:
        from qualcode.tui.screens.project_search import ProjectSearchScreen

        if self._project_or_warn() is not None:
            self.push_screen(ProjectSearchScreen(self.project))

    def action_speakers(self) -> None:
        from qualcode.tui.screens.speakers import SpeakersScreen

        if self._project_or_warn() is not None:
            self.push_screen(SpeakersScreen(self.project))

    def action_memos(self) -> None:
        from qualcode.tui.screens.memos import MemosScreen

        if self._project_or_warn() is not None:
            self.push_screen(MemosScreen(self.project))

    def action_participants(self) -> None:
        """The participant editor; the main screen relists participants after a change."""
        from qualcode.tui.screens.participants import ParticipantsScreen

        if self._project_or_warn() is not None:
            self.push_screen(ParticipantsScreen(self.project), self._participants_edited)

    def _participants_edited(self, changed: bool | None) -> None:
        from qualcode.tui.screens.main import MainScreen

        main = next((s for s in self.screen_stack if isinstance(s, MainScreen)), None)
        if changed and main is not None:
            main.reload_documents()

    def action_review(self) -> None:
        """Review the disagreements of the two coders with the most codings."""
        from qualcode.facade.agreement import CONSENSUS
        from qualcode.tui.screens.review import ReviewScreen

        project = self._project_or_warn()
        if project is None:
            return
        coders = [c for c, _ in project.coder_counts() if c != CONSENSUS]
        if len(coders) < 2:
            self.notify("Disagreements need two coders with codings.", severity="warning")
            return
        self.push_screen(ReviewScreen(project, coders[0], coders[1]))

    def action_map_speakers(self) -> None:
        """Map the speakers of the document open on the main screen to participants."""
        from qualcode.tui.screens.main import MainScreen
        from qualcode.tui.screens.speaker_dialog import SpeakerDialog

        project = self._project_or_warn()
        main = next((s for s in self.screen_stack if isinstance(s, MainScreen)), None)
        if project is None or main is None or main.document_id is None:
            if project is not None:
                self.notify("Open a document first.", severity="warning")
            return
        self.push_screen(SpeakerDialog(project, main.document_id), self._speakers_mapped)

    def _speakers_mapped(self, changed: bool | None) -> None:
        from qualcode.tui.screens.main import MainScreen

        main = next((s for s in self.screen_stack if isinstance(s, MainScreen)), None)
        if changed and main is not None:
            main.reload_documents()  # the participants tree lists the new participants

    def action_import_files(self) -> None:
        from qualcode.tui.screens.import_dialog import ImportDialog

        project = self._project_or_warn()
        if project is None:
            return
        # The dialog's worker writes through its own connection; the main screen then lists the
        # new documents itself (reopening the project would lose the place and the undo history).
        self.push_screen(ImportDialog(project.path), self._imported)

    def _imported(self, imported: int | None) -> None:
        from qualcode.tui.screens.main import MainScreen

        main = next((s for s in self.screen_stack if isinstance(s, MainScreen)), None)
        if imported and main is not None:
            main.reload_documents()

    def open_document_at(self, document_id: int, offset: int, end: int | None = None) -> None:
        """Show a document on the main screen with the coding (else the unit) at `offset` selected."""
        from qualcode.tui.components.document_view import DocumentView
        from qualcode.tui.screens.main import MainScreen

        main = next((s for s in self.screen_stack if isinstance(s, MainScreen)), None)
        if main is None:
            return
        while self.screen is not main:
            self.pop_screen()
        main.show_document(document_id)
        view = main.query_one(DocumentView)
        if end is not None:  # a search hit: exactly the match
            view.select(offset, end)
            view.focus()
            return
        starting = [s for s in view.spans_at(offset) if s.start == offset]
        start, end = (
            (starting[0].start, starting[0].end)
            if starting
            else (view.unit_at(offset) or (offset, offset))
        )
        view.select(start, end)
        view.focus()


def _shown_path(path: Path) -> str:
    """`path` as a notice shows it: under the home folder as ~/…."""
    try:
        return "~/" + str(path.relative_to(Path.home()))
    except ValueError:
        return str(path)


def _names(coders: list[str]) -> str:
    """Coders' names as a sentence says them: ana; ana and ben; ana, ben and cleo. Given
    four (coders_with_codings(limit=4)), the fourth stands for "and others"."""
    if len(coders) > 3:
        return ", ".join(coders[:3]) + " and others"
    if len(coders) > 1:
        return ", ".join(coders[:-1]) + " and " + coders[-1]
    return coders[0] if coders else ""


def run(
    project_path: Path | str | None = None, coder: str | None = None, ask_coder: bool = False
) -> None:
    """Entry point for `qualcode [PROJECT]` (called by the CLI's open command); `coder`
    and `ask_coder` as in QualcodeApp."""
    QualcodeApp(
        Path(project_path) if project_path else None, coder=coder, ask_coder=ask_coder
    ).run()


if __name__ == "__main__":
    import sys

    run(sys.argv[1] if len(sys.argv) > 1 else None)
