"""The charts: whole-number ticks, n/N labels, themes grouped with their subthemes, the
saturation x-axis naming the steps; PNG and SVG; the terminal chart with the same labels."""

from __future__ import annotations

import pytest

from qualcode.analysis import plots


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from qualcode.demo import build_demo

    project = build_demo(tmp_path_factory.mktemp("plots") / "demo.qualcode")
    yield project
    project.close()


def test_frequency_bars_are_grouped_labelled_and_counted_in_whole_numbers(demo, tmp_path):
    df = demo.frequencies()
    fig = plots.frequencies_figure(df)
    ax = fig.axes[0]
    assert all(float(t).is_integer() for t in ax.get_xticks())
    labels = [t.get_text() for t in ax.texts]
    expected = [f"{n}/{total}" for n, total in zip(df["n"], df["N"])]
    assert labels == expected
    layout = plots.frequency_layout(df)
    themes = [y for (y, i), d in zip(layout, df["depth"]) if d == 0]
    ys = [y for y, _ in layout]
    steps = [b - a for a, b in zip(ys, ys[1:])]
    # one bar apart within a theme, one and a half before the next theme
    assert steps == [1.5 if d == 0 else 1.0 for d in list(df["depth"])[1:]]
    assert len(themes) == 5
    ticks = [t.get_text().strip() for t in ax.get_yticklabels()]
    assert ticks == [str(n) for n in df["name"]]
    bold = [t.get_fontweight() for t in ax.get_yticklabels()]
    assert [b == "bold" for b in bold] == [d == 0 for d in df["depth"]]
    png = plots.plot_frequencies(df, tmp_path / "f.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = plots.plot_frequencies(df, tmp_path / "f.svg").read_text()
    assert "17/23" in svg and "Perspective transformation" in svg  # text stays text


def test_saturation_axis_names_the_steps_in_order(demo):
    df = demo.saturation(unit="participant")
    fig = plots.saturation_figure(df)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == list(df["label"])
    assert all(float(t).is_integer() for t in ax.get_yticks())
    text = plots.chart_saturation(df, colour=False)
    assert "R1" in text and "participants in coding order" in text


def test_terminal_chart_has_the_same_labels(demo):
    df = demo.frequencies()
    text = plots.chart_frequencies(df, colour=False)
    for name, n, total in zip(df["name"], df["n"], df["N"]):
        if name in set(df["name"][df["depth"] == 0]):
            assert f"{name} {n}/{total}" in text
    assert "5.8" not in text and "11.5" not in text
