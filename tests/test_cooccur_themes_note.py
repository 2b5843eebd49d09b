"""A theme coded only through its subcodes reads 0 in the full co-occurrence table (its
cells count the codings made with the theme itself, as MAXQDA's Code Relations Browser
does): every output says so, and names those themes; at depth 0 the theme has counts."""

from __future__ import annotations

from click.testing import CliRunner

from qualcode.cli import main
from qualcode.models import NewDocument
from qualcode.project import Project
from qualcode.tables.shape import paper_table

TEXT = "I was tired all the time. My mentor helped me. I read at night to catch up."


def build(path):
    with Project.create(path, coder="ana") as p:
        stress = p.add_code("Stress")
        tired = p.add_code("Stress/Fatigue")
        support = p.add_code("Support")
        p.add_code("Support/Mentor")  # Support has a coding of its own: not named
        own = p.add_code("Self-study")  # no subcodes and no coding: not a theme
        [doc] = p.add_documents(
            [NewDocument("P1", "interview", "P1", TEXT, "P1.txt", "s1", "utf-8")]
        )
        p.add_coding(doc, 0, 24, tired.id)
        p.add_coding(doc, 0, 46, support.id)  # the theme itself, overlapping Fatigue
        return stress, own


def test_full_table_names_the_themes_coded_only_through_subcodes(tmp_path):
    path = tmp_path / "p.qualcode"
    build(path)
    with Project.open(path) as p:
        table = p.cooccurrence_table()
        rows = {r[0]: r[1:] for r in table.rows}
        assert not any(rows["Stress"])  # coded only through Stress/Fatigue
        assert table.attrs["themes_coded_below"] == ["Stress"]
        assert p.cooccurrence_table(depth=0).attrs["themes_coded_below"] == []
        depth0 = {r[0]: r[1:] for r in p.cooccurrence_table(depth=0).rows}
        labels = [r[0] for r in p.cooccurrence_table(depth=0).rows]
        assert depth0["Stress"][labels.index("Stress")] == 1  # Fatigue's coding counts
        note = paper_table(table).note
        assert "1 theme coded only through its subcodes (Stress) reads 0" in note
    out = CliRunner().invoke(main, ["cooccur", str(path)])
    assert out.exit_code == 0, out.output
    assert "Note: 1 theme coded only through its subcodes (Stress) reads 0" in out.output
    assert "--depth 0 counts each main theme with its subcodes" in out.output
    again = CliRunner().invoke(main, ["cooccur", str(path), "--depth", "0"])
    assert "coded only through" not in again.output
