"""Pseudonymisation ignores accents by default: a listed "Novak" also replaces "Novák",
"NOVÁK" and "Nova\u0301k" (a combining mark), "Hyogo" replaces "Hyōgo"; the report names
each accent variant; --exact-spelling matches only the spelling listed (case still
ignored). Nothing of a replaced spelling is left in the file's bytes."""

from __future__ import annotations

from click.testing import CliRunner

from qualcode.cli import main
from qualcode.models import NewDocument
from qualcode.project import Project
from qualcode.pseudonymise import NameMatcher, fold_accents

TEXT = (
    "Interviewer: Did Mrs Novák help you?\n\n"
    "R1: Yes, NOVÁK did, and Novak's sister, in Hyōgo prefecture. Nováková did not."
)


def test_matcher_folds_accents_and_keeps_case():
    m = NameMatcher([("Novak", "Li"), ("Hyogo", "Osaka"), ("Lukasz", "Jan")])
    got = m.sub("Mrs Novák, NOVÁK, novák, Nova\u0301k2, Hyōgo-ken, Łukasz, Nováková")
    assert got == "Mrs Li, LI, li, Li2, Osaka-ken, Jan, Nováková"
    assert m.variant("Novák") == "Novak" and m.variant("NOVAK") is None
    assert m.variant("Hyōgo") == "Hyogo"


def test_matcher_spans_are_code_points_of_the_text_as_written():
    m = NameMatcher([("Jose", "Juan")])
    text = "Dr Jose\u0301 and José."  # decomposed, then precomposed
    assert m.matches(text) == [(3, 8, "Juan"), (13, 17, "Juan")]
    assert fold_accents("Jose\u0301!") == ("Jose!", [0, 1, 2, 3, 5], [1, 2, 3, 5, 6])


def test_marks_of_other_scripts_are_kept():
    # Dakuten make another sound (か ka, が ga), so kana are compared as written.
    m = NameMatcher([("かとう", "さとう"), ("Андреи", "Иван")])
    assert m.sub("がとうさん、かとうさん") == "がとうさん、さとうさん"
    assert m.sub("Андрей") == "Иван"  # Cyrillic й is и with a breve


def test_a_listed_spelling_keeps_its_own_replacement():
    m = NameMatcher([("Novák", "Wu"), ("Novak", "Li")])
    assert m.sub("Novák, Novak, Nôvak") == "Wu, Li, Wu"  # Nôvak: the first listed


def test_exact_spelling_matches_only_as_listed():
    m = NameMatcher([("Novak", "Li")], fold_accents=False)
    assert m.sub("Novák, NOVAK, novak") == "Novák, LI, li"


def _project(path):
    with Project.create(path, coder="ana") as p:
        [doc] = p.add_documents([NewDocument("R1", "interview", "Novák interview", TEXT)])
        p.add_code("Help")
        start = TEXT.index("did, and")
        p.add_coding(doc, start, start + len("did, and"), "Help")
        p.add_memo("Ask Mrs Novák about Hyōgo", "document", doc)
        p.set_backups_keep(0)


def _run(path, names, *extra):
    return CliRunner().invoke(
        main, ["pseudonymise", str(path), "--names", str(names), "--yes", "--no-entities", *extra]
    )


def test_cli_replaces_accent_variants_everywhere_and_says_so(tmp_path):
    path = tmp_path / "p.qualcode"
    _project(path)
    names = tmp_path / "names.csv"
    names.write_text("name,replacement,kind\nNovak,Li\nHyogo,Osaka,place\n", encoding="utf-8")
    r = _run(path, names)
    assert r.exit_code == 0, r.output
    assert "Novák → Li (accent variant of Novak)" in r.stdout
    assert "NOVÁK → LI (accent variant of Novak)" in r.stdout
    assert "Hyōgo → Osaka (accent variant of Hyogo)" in r.stdout
    assert "Novak → Li (accent" not in r.stdout  # the listed spelling is no variant
    assert "4 replacements" in r.stdout
    for f in (path, tmp_path / "p.qualcode-wal"):
        data = f.read_bytes() if f.exists() else b""
        for gone in ("Novák ", "NOVÁK", "Hyōgo", "Novak"):
            assert gone.encode() not in data, (f, gone)
    with Project.open(path, daily_backup=False) as p:
        [doc] = p.documents()
        text = p.document(doc.id).text
        assert text == (
            "Interviewer: Did Mrs Li help you?\n\n"
            "R1: Yes, LI did, and Li's sister, in Osaka prefecture. Nováková did not."
        )
        [coding] = p.codings()
        assert text[coding.start : coding.end] == "did, and"
        assert doc.title == "Li interview"
        assert [m.text for m in p.memos()] == ["Ask Mrs Li about Osaka"]


def test_exact_spelling_leaves_accent_variants(tmp_path):
    path = tmp_path / "p.qualcode"
    _project(path)
    names = tmp_path / "names.csv"
    names.write_text("name,replacement\nNovak,Li\n", encoding="utf-8")
    r = _run(path, names, "--exact-spelling")
    assert r.exit_code == 0, r.output
    assert "accent variant" not in r.stdout and "1 replacement," in r.stdout
    with Project.open(path, daily_backup=False) as p:
        [doc] = p.documents()
        assert p.document(doc.id).text == (
            "Interviewer: Did Mrs Novák help you?\n\n"
            "R1: Yes, NOVÁK did, and Li's sister, in Hyōgo prefecture. Nováková did not."
        )
