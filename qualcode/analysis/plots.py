"""Charts of the analysis tables: image files with matplotlib (Agg backend, no display
needed; .png, .svg, .pdf) and terminal charts with plotext, with the same labels.

Counts get whole-number ticks; bars carry their n/N; the saturation curve's x-axis
names the documents (or participants) in coding order. Each `plot_x(df, path)` draws
`x_figure(df)` and saves it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from qualcode.errors import QualcodeError
from qualcode.percent import count_share_text, percent_value

if TYPE_CHECKING:
    from types import ModuleType

    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.axis import Axis
    from matplotlib.figure import Figure

IMAGE_SUFFIXES = (".png", ".svg", ".pdf")


class TerminalPlot(Protocol):
    """What draw_frequencies_chart calls: the plotext module (no type information of its
    own) or a textual-plotext widget's `plot.plt` (a plotext Figure); the signatures are
    textual-plotext's."""

    def bar(
        self,
        *args: Sequence[Any],
        width: float | None = ...,
        orientation: Literal["horizontal", "vertical"] | None = ...,
    ) -> None: ...
    def xticks(self, ticks: list[float] | None = ...) -> None: ...
    def xlim(self, left: float | None = ..., right: float | None = ...) -> None: ...
    def title(self, label: str | None = ...) -> None: ...


def _subplots(width: float, height: float) -> tuple[Figure, Axes]:
    """A new figure of width x height inches with one Axes, drawn by matplotlib's Agg
    backend (no display needed); SVG text stays text (editable, searchable)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["svg.fonttype"] = "none"
    fig, ax = plt.subplots(figsize=(width, height))
    return fig, ax


def check_image_path(path: str | Path) -> Path:
    """Refuse an image path that cannot be written, before any table is computed or printed."""
    path = Path(path)
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        raise QualcodeError(f"{path.name}: a plot is saved as {', '.join(IMAGE_SUFFIXES)}")
    if not path.parent.is_dir():
        raise QualcodeError(f"{path}: cannot write (folder {path.parent} does not exist)")
    return path


def _save(fig: Figure, path: str | Path) -> Path:
    path = check_image_path(path)
    try:
        fig.savefig(path, dpi=120, bbox_inches="tight")
    except OSError as exc:
        raise QualcodeError(f"{path}: cannot write ({exc.strerror or exc})") from None
    finally:
        import matplotlib.pyplot as plt

        plt.close(fig)
    return path


def _integer_axis(axis: Axis) -> None:
    """Ticks at whole numbers only (counts of participants or codes: no 5.8)."""
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


def frequency_layout(df: pd.DataFrame) -> list[tuple[float, int]]:
    """(y position, row index) of each row for the grouped bar chart: a theme, its
    subthemes beneath it, then a gap of half a bar before the next theme."""
    y, out = 0.0, list[tuple[float, int]]()
    for i, depth in enumerate(df["depth"]):
        if int(depth) == 0 and i:
            y += 0.5
        out.append((y, i))
        y += 1
    return out


def frequencies_figure(df: pd.DataFrame) -> Figure:
    """The figure of plot_frequencies (tests read its ticks and labels)."""
    total = int(df["N"].iloc[0]) if len(df) else 0
    layout = frequency_layout(df)
    height = max(3, 0.26 * (layout[-1][0] + 1 if layout else 1) + 1.2)
    fig, ax = _subplots(8, height)
    ys = [y for y, _ in layout]
    depths = [int(d) for d in df["depth"]]
    colours = ["#2b5d8a" if d == 0 else "#8fb8de" for d in depths]
    ax.barh(ys, df["n"], color=colours, height=0.8)
    labels = [("    " * d) + str(name) for d, name in zip(depths, df["name"])]
    ax.set_yticks(ys, labels, fontsize=8)
    for tick, depth in zip(ax.get_yticklabels(), depths):
        tick.set_fontweight("bold" if depth == 0 else "normal")
    ax.invert_yaxis()
    ax.set_xlim(0, max(total, 1) * 1.12)  # room for the n/N labels
    _integer_axis(ax.xaxis)
    ax.set_xlabel(f"participants (of {total})")
    ax.set_title("Theme frequencies" + _scope(df))
    for y, n, big in zip(ys, df["n"], depths):
        ax.text(
            int(n) + total * 0.01,
            y,
            count_share_text(int(n), total),
            va="center",
            fontsize=7,
            fontweight="bold" if big == 0 else "normal",
        )
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def plot_frequencies(df: pd.DataFrame, path: str | Path) -> Path:
    """Horizontal bars of n per code, each theme (dark, bold) followed by its subthemes
    (light, indented), n/N at the end of every bar, whole-number ticks; .png, .svg or .pdf
    (SVG keeps its text as text). Raises QualcodeError for a path it cannot write."""
    return _save(frequencies_figure(df), path)


def crosstab_figure(df: pd.DataFrame) -> Figure:
    """The figure of plot_crosstab: one bar per group for each code."""
    groups = df.attrs.get("groups", [])
    fig, ax = _subplots(8, max(3, 0.3 * len(df) * max(1, len(groups) / 2) + 1))
    height = 0.8 / max(len(groups), 1)
    for i, g in enumerate(groups):
        ys = [y + i * height for y in range(len(df))]
        size = int(df[f"{g} N"].iloc[0]) if len(df) else 0
        values = [percent_value(int(n), size) for n in df[f"{g} n"]]
        ax.barh(ys, values, height=height, label=f"{g} (N={size})")
        for y, n, value in zip(ys, df[f"{g} n"], values):
            ax.text(value + 1, y, count_share_text(int(n), size), va="center", fontsize=6)
    ax.set_yticks(
        [y + 0.4 - height / 2 for y in range(len(df))],
        [("    " * int(d)) + n for d, n in zip(df["depth"], df["name"])],
        fontsize=8,
    )
    for tick, depth in zip(ax.get_yticklabels(), df["depth"]):
        tick.set_fontweight("bold" if int(depth) == 0 else "normal")
    ax.invert_yaxis()
    ax.set_xlim(0, 112)
    ax.set_xlabel("% of the group (n/N at each bar)")
    ax.legend(fontsize=8)
    ax.set_title("Codes by group" + _scope(df))
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def plot_crosstab(df: pd.DataFrame, path: str | Path) -> Path:
    """Grouped bars of the percentage of each group with each code, n/N at each bar."""
    return _save(crosstab_figure(df), path)


def cooccurrence_plot_problem(df: pd.DataFrame) -> str | None:
    """Why a heat map of this co-occurrence table would be empty (None if it would not):
    off the diagonal every cell is 0, so there is nothing to draw."""
    import numpy as np

    values = df.to_numpy()
    if values.size and (values.sum() - np.trace(values)) > 0:
        return None
    if df.attrs.get("mode") == "participant":
        settings = "by participant"
    else:
        settings = (
            f"by segment, unit {df.attrs['unit']}"
            if df.attrs.get("unit")
            else "by segment, no --unit"
        )
    return (
        f"nothing co-occurs with these settings ({settings}), so there is no heat map to draw; "
        "try --unit paragraph or --by participant"
    )


def plot_cooccurrence(df: pd.DataFrame, path: str | Path) -> Path:
    """A heat map of the code-by-code table (diagonal masked: it is the code alone).
    A table where nothing co-occurs is refused rather than drawn as an empty map."""
    import numpy as np

    problem = cooccurrence_plot_problem(df)
    if problem:
        raise QualcodeError(problem)
    values = df.to_numpy().astype(float)
    np.fill_diagonal(values, np.nan)
    size = max(4, 0.28 * len(df) + 2)
    fig, ax = _subplots(size + 1.5, size)
    image = ax.imshow(values, cmap="viridis")
    names = [c.rsplit("/", 1)[-1] for c in df.columns]
    ax.set_xticks(range(len(names)), names, rotation=90, fontsize=7)
    ax.set_yticks(range(len(names)), names, fontsize=7)
    fig.colorbar(image, ax=ax, shrink=0.7)
    ax.set_title("Code co-occurrence" + _scope(df))
    return _save(fig, path)


def saturation_figure(df: pd.DataFrame) -> Figure:
    """The figure of plot_saturation (tests read its ticks and labels)."""
    unit = df.attrs.get("unit", "document")
    labels = [str(v) for v in df["label"]]
    fig, ax = _subplots(max(8, 0.22 * len(df) + 2), 4.5)
    steps = list(range(len(df)))
    ax.bar(steps, df["new"], color="#8fb8de", label="new codes")
    ax.plot(steps, df["cumulative"], color="#2b5d8a", marker="o", markersize=3, label="codes found")
    ax.set_xticks(
        steps,
        labels,
        rotation=60 if len(df) > 6 else 0,
        ha="right" if len(df) > 6 else "center",
        fontsize=7,
    )
    _integer_axis(ax.yaxis)
    ax.set_xlabel(f"{unit}s in coding order")
    ax.set_ylabel(f"codes (of {df.attrs.get('codes', '?')})")
    ax.legend(fontsize=8)
    ax.set_title("Saturation" + _scope(df))
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def plot_saturation(df: pd.DataFrame, path: str | Path) -> Path:
    """New codes per step (bars) and the cumulative curve (line); the x-axis names the
    documents (or participants) in coding order; whole-number ticks."""
    return _save(saturation_figure(df), path)


def draw_frequencies_chart(plt: TerminalPlot, df: pd.DataFrame) -> None:
    """Draw the terminal bar chart on a plotext module (the CLI's) or a textual-plotext
    `plot.plt`: main themes (all codes when there is one theme), labelled with n/N as in
    the image, whole-number ticks."""
    rows = df[df["depth"] == 0] if (df["depth"] == 0).sum() > 1 else df
    total = int(df["N"].iloc[0]) if len(df) else 0
    # "n/a" of nobody in scope, as the tables say (qualcode.percent), never "0/0"
    names = [
        f"{name} {count_share_text(int(n), total)}" for name, n in zip(rows["name"], rows["n"])
    ]
    if len(rows):
        plt.bar(names[::-1], [int(n) for n in rows["n"]][::-1], orientation="horizontal", width=0.3)
    top = max(total, 1)
    step = max(1, -(-top // 8))
    ticks: list[float] = list(range(0, top + 1, step))  # whole numbers, shown as such
    plt.xticks(ticks)
    plt.xlim(0, top)
    plt.title(f"participants with the theme (of {total})")


def chart_frequencies(df: pd.DataFrame, width: int = 100, colour: bool = True) -> str:
    """Terminal bar chart of the main themes' n (all codes when there is one theme)."""
    import plotext as plt

    plt.clear_figure()
    draw_frequencies_chart(plt, df)
    rows = (df["depth"] == 0).sum() if (df["depth"] == 0).sum() > 1 else len(df)
    plt.plotsize(width, 2 * rows + 5)
    return _build(plt, colour)


def chart_saturation(
    df: pd.DataFrame, width: int = 100, height: int = 20, colour: bool = True
) -> str:
    """Terminal chart: new codes per step and the cumulative number of codes found,
    the x-axis naming the documents (or participants) in coding order."""
    import plotext as plt

    plt.clear_figure()
    plt.plotsize(width, height)
    steps = list(range(1, len(df) + 1))
    plt.bar(steps, list(df["new"]), label="new codes")
    plt.plot(steps, list(df["cumulative"]), marker="braille", label="codes found")
    every = max(1, -(-len(df) // max(1, width // 12)))
    shown = steps[::every]
    plt.xticks(shown, [str(df["label"].iloc[i - 1])[:10] for i in shown])
    top = int(df["cumulative"].max()) if len(df) else 1
    plt.yticks(list(range(0, top + 1, max(1, -(-top // 6)))))
    plt.title("Saturation")
    plt.xlabel(f"{df.attrs.get('unit', 'document')}s in coding order")
    return _build(plt, colour)


def _build(plt: ModuleType, colour: bool) -> str:
    """The plotext figure as text (colourless with the "clear" theme), then cleared."""
    if not colour:
        plt.theme("clear")
    text: str = plt.build()
    plt.clear_figure()
    return text


def _scope(df: pd.DataFrame) -> str:
    scope = df.attrs.get("filters")
    return f" [{scope}]" if scope else ""
