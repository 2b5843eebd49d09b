"""Charts of the analysis tables: image files with matplotlib (Agg backend, no display
needed) and terminal charts with plotext."""

from __future__ import annotations

from pathlib import Path

from qualcode.errors import QualcodeError

IMAGE_SUFFIXES = (".png", ".svg", ".pdf")


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def check_image_path(path) -> Path:
    """Refuse an image path that cannot be written, before any table is computed or printed."""
    path = Path(path)
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        raise QualcodeError(f"{path.name}: a plot is saved as {', '.join(IMAGE_SUFFIXES)}")
    if not path.parent.is_dir():
        raise QualcodeError(f"{path}: cannot write (folder {path.parent} does not exist)")
    return path


def _save(fig, path: Path) -> Path:
    path = check_image_path(path)
    try:
        fig.savefig(path, dpi=120, bbox_inches="tight")
    except OSError as exc:
        raise QualcodeError(f"{path}: cannot write ({exc.strerror or exc})") from None
    finally:
        _pyplot().close(fig)
    return path


def plot_frequencies(df, path) -> Path:
    """Horizontal bars of n per code (themes dark, subthemes light), table order top down."""
    plt = _pyplot()
    labels = [("    " * int(d)) + name for d, name in zip(df["depth"], df["name"])]
    fig, ax = plt.subplots(figsize=(8, max(3, 0.26 * len(df) + 1)))
    colours = ["#2b5d8a" if d == 0 else "#8fb8de" for d in df["depth"]]
    ax.barh(range(len(df)), df["n"], color=colours)
    ax.set_yticks(range(len(df)), labels, fontsize=8)
    ax.invert_yaxis()
    total = int(df["N"].iloc[0]) if len(df) else 0
    ax.set_xlim(0, max(total, 1))
    ax.set_xlabel(f"participants (of {total})")
    ax.set_title("Theme frequencies" + _scope(df))
    for y, n in enumerate(df["n"]):
        ax.text(n + 0.1, y, str(n), va="center", fontsize=7)
    return _save(fig, path)


def plot_crosstab(df, path) -> Path:
    """Grouped bars of the percentage of each group with each code."""
    plt = _pyplot()
    groups = df.attrs.get("groups", [])
    fig, ax = plt.subplots(figsize=(8, max(3, 0.3 * len(df) + 1)))
    height = 0.8 / max(len(groups), 1)
    for i, g in enumerate(groups):
        ax.barh(
            [y + i * height for y in range(len(df))],
            df[f"{g} %"],
            height=height,
            label=f"{g} (N={df[f'{g} N'].iloc[0] if len(df) else 0})",
        )
    ax.set_yticks(
        [y + 0.4 - height / 2 for y in range(len(df))],
        [("    " * int(d)) + n for d, n in zip(df["depth"], df["name"])],
        fontsize=8,
    )
    ax.invert_yaxis()
    ax.set_xlabel("% of the group")
    ax.legend(fontsize=8)
    ax.set_title("Codes by group" + _scope(df))
    return _save(fig, path)


def cooccurrence_plot_problem(df) -> str | None:
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


def plot_cooccurrence(df, path) -> Path:
    """A heat map of the code-by-code table (diagonal masked: it is the code alone).
    A table where nothing co-occurs is refused rather than drawn as an empty map."""
    import numpy as np

    problem = cooccurrence_plot_problem(df)
    if problem:
        raise QualcodeError(problem)
    plt = _pyplot()
    values = df.to_numpy().astype(float)
    np.fill_diagonal(values, np.nan)
    size = max(4, 0.28 * len(df) + 2)
    fig, ax = plt.subplots(figsize=(size + 1.5, size))
    image = ax.imshow(values, cmap="viridis")
    names = [c.rsplit("/", 1)[-1] for c in df.columns]
    ax.set_xticks(range(len(names)), names, rotation=90, fontsize=7)
    ax.set_yticks(range(len(names)), names, fontsize=7)
    fig.colorbar(image, ax=ax, shrink=0.7)
    ax.set_title("Code co-occurrence" + _scope(df))
    return _save(fig, path)


def plot_saturation(df, path) -> Path:
    """New codes per step (bars) and the cumulative curve (line)."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, 4))
    ax.bar(df["step"], df["new"], color="#8fb8de", label="new codes")
    ax.plot(
        df["step"], df["cumulative"], color="#2b5d8a", marker="o", markersize=3, label="codes found"
    )
    ax.set_xlabel(f"{df.attrs.get('unit', 'document')} (in order)")
    ax.set_ylabel("codes")
    ax.legend(fontsize=8)
    ax.set_title("Saturation" + _scope(df))
    return _save(fig, path)


def chart_frequencies(df, width: int = 100, colour: bool = True) -> str:
    """Terminal bar chart of the main themes' n (all codes when there is one theme)."""
    import plotext as plt

    rows = df[df["depth"] == 0] if (df["depth"] == 0).sum() > 1 else df
    total = int(df["N"].iloc[0]) if len(df) else 0
    plt.clear_figure()
    plt.bar(list(rows["name"])[::-1], list(rows["n"])[::-1], orientation="horizontal", width=0.3)
    plt.plotsize(width, 2 * len(rows) + 5)
    plt.title(f"participants with the theme (of {total})")
    return _build(plt, colour)


def chart_saturation(df, width: int = 100, height: int = 20, colour: bool = True) -> str:
    """Terminal chart: the cumulative number of codes found, step by step."""
    import plotext as plt

    plt.clear_figure()
    plt.plotsize(width, height)
    plt.bar(list(df["step"]), list(df["new"]), label="new codes")
    plt.plot(list(df["step"]), list(df["cumulative"]), marker="braille", label="codes found")
    plt.title("Saturation")
    plt.xlabel(df.attrs.get("unit", "document"))
    return _build(plt, colour)


def _build(plt, colour: bool) -> str:
    if not colour:
        plt.theme("clear")
    text = plt.build()
    plt.clear_figure()
    return text


def _scope(df) -> str:
    scope = df.attrs.get("filters")
    return f" [{scope}]" if scope else ""
