"""Frequencies: the theme table as the study prints it, by attribute, and as a chart.

"Perspective transformation  17/23  74%" with its subthemes indented beneath, ordered
by frequency (o switches to codebook order). The kind, coder and attribute filters apply
to all three tabs, and so does i: codings inside the interviewer's turns left out or
counted (the labels marked in the speakers screen). Enter on a row opens the code's excerpts; e exports the table of the
current tab (or its chart as png) through qualcode.export / qualcode.analysis.plots.
The numbers all come from Project.frequencies / Project.crosstab, computed in a worker
thread (its own Project: an SQLite connection stays in its thread) so that the screen
stays responsive on a corpus of a million codings; the crosstab only while its tab shows.

The screen paints at once and fills in: the title says "computing…" until the worker's
tables arrive (which starts after the first frame, not to share the interpreter with it); the crosstab's widgets are mounted after the first
frame (Lazy) and the chart (plotext, about 0.5 s to import) only when its tab is first
shown. Opening the screen had laid out and styled every tab's widgets and imported
plotext before the first frame: 2.1 s from the keystroke on a loaded machine.
"""

from __future__ import annotations

from pathlib import Path
from textwrap import wrap
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.lazy import Lazy
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Select, Static, TabbedContent, TabPane
from textual.worker import Worker, WorkerState

from qualcode.analysis.filters import Filters
from qualcode.analysis.frequencies import no_participants_note
from qualcode.errors import QualcodeError
from qualcode.percent import (
    SCREEN_DECIMALS,
    count_share_text,
    percent_or_undefined,
    share_or_undefined,
)
from qualcode.plural import plural
from qualcode.tui.components.footer import KeyFooter
from qualcode.tui.export_notice import report_export
from qualcode.tui.screens.export_dialog import EXPORT_FORMATS, IMAGE_FORMATS, ExportDialog
from qualcode.tui.screens.retrieval import RetrievalScreen

if TYPE_CHECKING:
    import pandas as pd

INDENT = "  "
NAMES_AT_LEAST = 14  # columns of the name column however narrow the screen
SCROLLBAR = 2  # the table's vertical scrollbar


class FrequenciesScreen(Screen):
    """Participants per theme and subtheme (n/N), with filters, crosstab, chart and export."""

    HELP_TITLE = "Frequencies"
    BINDINGS = [
        Binding("escape,q", "close", "Back"),
        Binding("e", "export", "Export"),
        Binding("o", "toggle_order", "Order"),
        Binding("t", "next_tab", "Next tab"),
        # Not in the footer (it would cut the footer at 80 columns): the scope line names it
        # once a speaker is marked as the interviewer, and the keys screen lists it.
        Binding("i", "toggle_interviewer", "Interviewer turns in/out", show=False),
    ]

    class TablesReady(Message):
        """The worker's tables for one request (or the error that stopped it)."""

        def __init__(
            self,
            request: tuple,
            table: pd.DataFrame | None,
            by_attribute: pd.DataFrame | None,
            error: str | None,
        ) -> None:
            super().__init__()
            self.request = request
            self.table = table
            self.by_attribute = by_attribute
            self.error = error

    def __init__(self, project) -> None:
        super().__init__()
        self.project = project
        self.order = "frequency"
        self.skip_interviewer = False
        self.table: pd.DataFrame | None = None  # the frequency DataFrame on show
        self.by_attribute: pd.DataFrame | None = None  # the crosstab DataFrame on show
        self.last_export: Path | None = None
        self._request: tuple | None = None  # what the newest computation is for
        self._crosstab_request: tuple | None = None  # what the crosstab on show was computed for

    def compose(self) -> ComposeResult:
        choices = self.project.filter_choices()
        wheres = [
            (Content(f"{name} = {value}"), (name, value))
            for name, values in choices.attributes.items()
            for value in values
        ]
        yield Static(id="freq-title")
        with Horizontal(id="freq-filters"):
            yield Select(
                [(Content(k), k) for k in choices.kinds], prompt="all kinds", id="filter-kind"
            )
            yield Select(
                [(Content(c), c) for c in choices.coders], prompt="all coders", id="filter-coder"
            )
            yield Select(wheres, prompt="all participants", id="filter-where")
        with TabbedContent(id="freq-tabs"):
            with TabPane("Frequencies", id="tab-frequencies"):
                yield DataTable(id="freq-table", cursor_type="row", zebra_stripes=True)
            with TabPane("By attribute", id="tab-crosstab"):
                attrs = list(choices.attributes)
                with Lazy(Vertical(id="crosstab-box")):  # hidden at first: after the first frame
                    yield Select(
                        [(Content(a), a) for a in attrs],
                        value=attrs[0] if attrs else Select.NULL,
                        allow_blank=not attrs,
                        prompt="attribute",
                        id="crosstab-attr",
                    )
                    yield DataTable(id="crosstab-table", cursor_type="row", zebra_stripes=True)
            # The chart's PlotextPlot is mounted when its tab is first shown (_show_chart).
            yield TabPane("Chart", id="tab-chart")
        yield Static(id="freq-scope")
        yield KeyFooter()

    def on_resize(self) -> None:
        # The name column takes what the counts leave: lay the tables out again.
        self._fill_frequencies()
        self._fill_crosstab()

    def on_mount(self) -> None:
        self.query_one("#freq-title", Static).update(Content("Theme frequencies — computing…"))
        self.query_one("#freq-table", DataTable).focus()
        # The worker starts after the first frame: started with it, its pandas work held
        # the interpreter while the screen was being laid out and painted.
        self.call_after_refresh(self.reload)

    def _crosstab_attribute(self):
        """The crosstab's chosen attribute, or Select.NULL before its widgets are mounted."""
        found = list(self.query("#crosstab-attr").results(Select))
        return found[0].value if found else Select.NULL

    # --- data -----------------------------------------------------------------------
    def filters(self) -> Filters:
        kind = self.query_one("#filter-kind", Select).value
        coder = self.query_one("#filter-coder", Select).value
        where = self.query_one("#filter-where", Select).value
        return Filters(
            kinds=(kind,) if isinstance(kind, str) else (),  # else Select.NULL: all
            coders=(coder,) if isinstance(coder, str) else (),
            where=(where,) if isinstance(where, tuple) else (),
            skip_interviewer=self.skip_interviewer,
        )

    def _wanted(self) -> tuple:
        """(filters, order, crosstab attribute or None): the crosstab only while its tab shows."""
        attr = self._crosstab_attribute()
        on_crosstab = self.query_one(TabbedContent).active == "tab-crosstab"
        return (
            self.filters(),
            self.order,
            None if attr is Select.NULL or not on_crosstab else attr,
        )

    def reload(self) -> None:
        self._request = self._wanted()
        self.query_one("#freq-title", Static).update(Content("Theme frequencies — computing…"))
        self.compute(self._request)

    @work(thread=True, exclusive=True, exit_on_error=False, group="frequencies")
    def compute(self, request: tuple) -> None:
        """The tables, computed off the UI thread with this thread's own connection."""
        filters, order, attr = request
        try:
            with self.project.another_connection() as project:
                table = project.frequencies(filters, order=order)
                by_attribute = project.crosstab(attr, filters, order=order) if attr else None
        except QualcodeError as exc:
            self.post_message(self.TablesReady(request, None, None, str(exc)))
            return
        self.post_message(self.TablesReady(request, table, by_attribute, None))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "frequencies" and event.state == WorkerState.ERROR:
            self.notify(
                f"could not compute the tables: {event.worker.error}",
                severity="error",
                markup=False,
            )

    @on(TablesReady)
    def _tables_ready(self, event: TablesReady) -> None:
        if event.request != self._request:
            return  # the filters changed again meanwhile; a newer result is on its way
        if event.error:
            self.notify(event.error, severity="error", markup=False)
            return
        filters, order, attr = event.request
        df = event.table
        if df is None:  # the worker sends a table unless it sends an error
            return
        self.table = df
        self._fill_frequencies()
        self._draw_chart(df)
        if attr is not None:
            self.by_attribute, self._crosstab_request = event.by_attribute, event.request
            self._fill_crosstab()
        scope = (
            f"{plural(df.attrs.get('N', 0), 'participant')}, "
            f"{plural(df.attrs.get('documents_in_scope', 0), 'document')} in scope"
        )
        kinds = df.attrs.get("N_by_kind", {})
        if kinds:
            scope += (
                " (" + ", ".join(f"{k}: {plural(v, 'participant')}" for k, v in kinds.items()) + ")"
            )
        nobody = no_participants_note(df.attrs)
        if nobody:  # every n/N reads n/a: say why, and what to do
            scope += f" · {nobody}: give each document its participant (qualcode set-document)"
        if filters.skip_interviewer:
            scope += " · the interviewer's turns left out (i counts them)"
        elif self.project.interviewer_speakers():
            scope += " · i leaves the interviewer's turns out"
        self.query_one("#freq-scope", Static).update(Content(scope))
        label = filters.describe() or "no filter"
        self.query_one("#freq-title", Static).update(
            Content(
                f"Theme frequencies — participants with the code / participants in scope · {label} · "
                f"{order} order"
            )
        )

    @on(TabbedContent.TabActivated, "#freq-tabs")
    async def _tab_shown(self) -> None:
        if self.query_one(TabbedContent).active == "tab-chart":
            await self._show_chart()
        wanted = self._wanted()
        if wanted[2] is not None and wanted != self._crosstab_request:
            self.reload()

    def _fill_frequencies(self) -> None:
        df = self.table
        if df is None:
            return
        grid = self.query_one("#freq-table", DataTable)
        cursor = grid.cursor_row
        grid.clear(columns=True)
        kinds = [c for c in df.columns if c.startswith("n_")]
        rows = df.to_dict("records")
        columns = [
            # Of nobody in scope (no document belongs to a participant) both read "n/a", as
            # in the CLI's table and the exports (qualcode.percent.percent_or_undefined).
            ("n/N", "n", [count_share_text(r["n"], r["N"]) for r in rows]),
            (
                "%",
                "percent",
                [percent_or_undefined(r["n"], r["N"], SCREEN_DECIMALS, "%") for r in rows],
            ),
            ("Codings", "codings", [str(r["codings"]) for r in rows]),
            ("Documents", "documents", [str(r["documents"]) for r in rows]),
        ]
        columns += [(k[2:], k, [str(r[k]) for r in rows]) for k in kinds]
        # Explicit widths: auto-sized columns came out differently depending on whether
        # the rows arrived before or after the table was first laid out.
        widths = [max([len(label), *map(len, cells)]) for label, _, cells in columns]
        names = _names_room(grid, df, widths)
        grid.add_column(Text("Theme / subtheme"), key="code", width=names)
        for (label, key, _), width in zip(columns, widths):
            grid.add_column(Text(label, justify="right"), key=key, width=width)
        for i, r in enumerate(rows):
            grid.add_row(
                _name(r["name"], r["depth"], names),
                *[Text(cells[i], justify="right") for _, _, cells in columns],
                key=r["code"],
                height=None,  # a wrapped name takes two lines
            )
        if rows:
            grid.move_cursor(row=min(cursor, len(rows) - 1))

    def _fill_crosstab(self) -> None:
        if not self.query("#crosstab-table"):
            return  # not mounted yet (Lazy): filled when its tab asks for the crosstab
        grid = self.query_one("#crosstab-table", DataTable)
        grid.clear(columns=True)
        df = self.by_attribute
        if df is None:
            return
        groups = df.attrs.get("groups", [])
        cells = {
            g: [
                share_or_undefined(r[f"{g} n"], r[f"{g} N"], SCREEN_DECIMALS)
                for _, r in df.iterrows()
            ]
            for g in groups
        }
        headers = {g: f"{g} (N={df[f'{g} N'].iloc[0] if len(df) else 0})" for g in groups}
        widths = [max([len(headers[g]), *map(len, cells[g])]) for g in groups]
        names = _names_room(grid, df, widths)
        grid.add_column(Text("Theme / subtheme"), key="code", width=names)
        for g, width in zip(groups, widths):
            grid.add_column(Text(headers[g], justify="right"), key=g, width=width)
        for i, (_, r) in enumerate(df.iterrows()):
            grid.add_row(
                _name(r["name"], r["depth"], names),
                *[Text(cells[g][i], justify="right") for g in groups],
                key=r["code"],
                height=None,
            )

    async def _show_chart(self) -> None:
        """Mount the chart the first time its tab shows, and draw the table on show."""
        if self.query("#freq-chart"):
            return
        from textual_plotext import PlotextPlot  # (imported here: 0.5 s, see the docstring)

        await self.query_one("#tab-chart", TabPane).mount(PlotextPlot(id="freq-chart"))
        if self.table is not None:
            self._draw_chart(self.table)

    def _draw_chart(self, df: pd.DataFrame) -> None:
        """The same chart as `qualcode freq --chart`: themes, n/N labels, whole-number ticks."""
        if not self.query("#freq-chart"):
            return  # its tab has not been shown yet: drawn by _show_chart
        from textual_plotext import PlotextPlot

        from qualcode.analysis.plots import draw_frequencies_chart

        plot = self.query_one(PlotextPlot)
        plot.plt.clear_figure()
        draw_frequencies_chart(plot.plt, df)
        plot.refresh()

    # --- events and actions -----------------------------------------------------------
    @on(Select.Changed)
    def _filter_changed(self, event: Select.Changed) -> None:
        if event.select.id in ("filter-kind", "filter-coder", "filter-where", "crosstab-attr"):
            self.reload()

    @on(DataTable.RowSelected)
    def _open_code(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id in ("freq-table", "crosstab-table") and event.row_key.value:
            self.app.push_screen(
                RetrievalScreen(self.project, event.row_key.value, with_children=True)
            )

    def action_close(self) -> None:
        self.dismiss()

    def action_toggle_order(self) -> None:
        self.order = "codebook" if self.order == "frequency" else "frequency"
        self.reload()

    def action_toggle_interviewer(self) -> None:
        """Leave the interviewer's turns out of every tab, or count them again."""
        if not self.skip_interviewer and not self.project.interviewer_speakers():
            self.notify(
                "No speaker is marked as the interviewer: mark one in the speakers "
                "screen (ctrl+s) first.",
                severity="warning",
            )
            return
        self.skip_interviewer = not self.skip_interviewer
        self.notify(
            "Interviewer turns left out."
            if self.skip_interviewer
            else "Interviewer turns counted.",
            timeout=3,
        )
        self.reload()

    def action_next_tab(self) -> None:
        tabs = self.query_one(TabbedContent)
        ids = ["tab-frequencies", "tab-crosstab", "tab-chart"]
        tabs.active = ids[(ids.index(tabs.active) + 1) % len(ids)] if tabs.active in ids else ids[0]

    def action_export(self) -> None:
        if self.table is None:
            self.notify("The table is still being computed.", severity="warning")
            return
        crosstab = (
            self.query_one(TabbedContent).active == "tab-crosstab" and self.by_attribute is not None
        )
        attr = self._crosstab_request[2] if crosstab and self._crosstab_request else None
        what = f"table by {attr}" if crosstab else "frequency table"
        stem = (
            f"{self.project.path.stem}-by-{attr}"
            if crosstab
            else f"{self.project.path.stem}-frequencies"
        )
        default = self.project.path.parent / f"{stem}.csv"
        self.app.push_screen(
            ExportDialog(default, what), lambda choice: self._export(choice, crosstab)
        )

    def _export(self, choice, crosstab: bool) -> None:
        if choice is None:
            return
        path, fmt = choice
        df = self.by_attribute if crosstab else self.table
        if df is None:  # action_export offers the dialog only once the table is there
            return
        try:
            if fmt in IMAGE_FORMATS:
                from qualcode.analysis import plots

                path = path.with_suffix(f".{fmt}")
                (plots.plot_crosstab if crosstab else plots.plot_frequencies)(df, path)
            else:
                from qualcode.export import write_table
                from qualcode.tables.shape import PaperOptions

                about = self.project.export_facts(self.filters().coders)
                path = write_table(
                    df,
                    path,
                    fmt=fmt if fmt in EXPORT_FORMATS else None,
                    paper=PaperOptions(about=about),
                )
        except QualcodeError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.last_export = Path(path)
        report_export(self, Path(path))


def _name_width(df) -> int:
    from rich.cells import cell_len

    labels = [INDENT * int(d) + n for n, d in zip(df["name"], df["depth"])]
    return max([len("Theme / subtheme"), *map(cell_len, labels)])


def _names_room(grid: DataTable, df, widths: list[int]) -> int:
    """Width of the name column: every name in full when the table has the room, else
    what the count columns leave (at least NAMES_AT_LEAST; names then wrap), so that the
    counts always show."""
    padding = 2 * grid.cell_padding
    room = grid.size.width - SCROLLBAR - sum(w + padding for w in widths) - padding
    return min(_name_width(df), max(NAMES_AT_LEAST, room))


def _name(name: str, depth, width: int | None = None) -> Text:
    """A code's name indented by its depth; wrapped to `width` (each line indented)."""
    depth = int(depth)
    indent = INDENT * depth
    if width is None or len(indent) + len(name) <= width:
        lines = [indent + name]
    else:
        lines = [indent + line for line in wrap(name, max(4, width - len(indent)))]
    return Text("\n".join(lines), style="bold" if depth == 0 else "")
