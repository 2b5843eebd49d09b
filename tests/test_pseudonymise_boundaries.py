"""Names joined to `_`, digits, `@` and `.` are pseudonymised too (tester report s24 item 1),
everywhere in the project's bytes; and the command says plainly that only listed names
were looked for when no NER pipeline is installed (item 3)."""

from __future__ import annotations

import string

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.cli import main
from qualcode.models import NewDocument
from qualcode.project import Project
from qualcode.pseudonymise import NameMatcher, NameRule, find_replacements

NAME = "Kowalski"
NEW = "Smith"
TEXT = (
    "Interviewer: Contact?\n"
    "P1: Write to kowalski_j@hosp.org or @dr_kowalski, or Kowalski2 on chat. "
    "Or jkowalski@hosp.org and KOWALSKI.txt."
)


def holds_any_case(path, needle: str) -> bool:
    """True if the file's bytes hold `needle` in any case, as UTF-8 or UTF-16."""
    data = path.read_bytes().lower() if path.exists() else b""
    return any(needle.lower().encode(enc) in data for enc in ("utf-8", "utf-16-le", "utf-16-be"))


def test_joined_forms_found_in_text():
    found = find_replacements([(1, TEXT)], [NameRule(NAME, NEW)], use_ner=False)
    assert [(r.old, r.new, TEXT[r.start - 1]) for r in found] == [
        ("kowalski", "smith", " "),
        ("kowalski", "smith", "_"),
        ("Kowalski", "Smith", " "),
        ("kowalski", "smith", "j"),  # inside an e-mail address: anywhere
        ("KOWALSKI", "SMITH", " "),
    ]
    # "Kowalskiego" (letters joined) is another word and stays.
    assert NameMatcher([(NAME, NEW)]).sub("Kowalskiego and Kowalski") == "Kowalskiego and Smith"


BOUNDARY = st.text(alphabet=string.digits + string.punctuation + " _\n\t@.", min_size=0, max_size=6)


@settings(max_examples=300, deadline=None)
@given(
    before=BOUNDARY,
    after=BOUNDARY,
    case=st.sampled_from(["Novak", "NOVAK", "novak"]),
)
def test_property_a_name_between_non_letters_is_always_replaced(before, after, case):
    text = f"{before}{case}{after}"
    out = NameMatcher([("Novak", "Brown")]).sub(text)
    assert "novak" not in out.lower()
    expected = {"Novak": "Brown", "NOVAK": "BROWN", "novak": "brown"}[case]
    if "@" not in before + after:  # outside an address the surrounding text is untouched
        assert out == f"{before}{expected}{after}"


@settings(max_examples=200, deadline=None)
@given(
    before=st.text(alphabet=string.ascii_letters, min_size=1, max_size=3),
    after=st.text(alphabet=string.ascii_letters, min_size=1, max_size=3),
    side=st.sampled_from(["before", "after", "both"]),
)
def test_property_letters_joined_to_a_name_make_another_word(before, after, side):
    text = (before if side != "after" else " ") + "Novak" + (after if side != "before" else " ")
    assert NameMatcher([("Novak", "Brown")]).sub(text) == text


def test_participant_ids_keep_whole_word_rule():
    # Renaming participant R1 must not touch R12 (digits join an id).
    assert NameMatcher([("R1", "P1")], whole_words=True).sub("R1, R12 and R1_x") == (
        "P1, R12 and R1_x"
    )


def _plant(path, tmp_path) -> None:
    with Project.create(path, coder="ana") as p:
        p.set_backups_keep(0)  # backups made before the operation keep names by design
        p.add_code(f"Said by {NAME.lower()}_team", description=f"see @dr_{NAME.lower()}")
        ids = p.add_documents(
            [
                NewDocument("P1", "interview", f"P1_{NAME}", TEXT, f"P1_{NAME}.txt", "s1"),
                NewDocument(
                    "P2",
                    "interview",
                    f"P2_{NAME}",
                    f"P2: mail {NAME.lower()}_j@hosp.org.",
                    f"P2_{NAME}.txt",
                    "s2",
                ),
            ]
        )
        p.upsert_participants([("P1", f"{NAME}2", {"contact": f"{NAME.lower()}_j@hosp.org"})])
        start = TEXT.index("Write")
        c = p.add_coding(ids[0], start, start + 5, f"Said by {NAME.lower()}_team")
        p.set_coding_memo(c.id, f"ask {NAME}2 again")
        p.add_memo(f"e-mail {NAME.lower()}_j@hosp.org", "document", ids[0], title=f"{NAME}_memo")
        p.delete_document(ids[1])  # in the trash during pseudonymisation


def test_no_joined_form_survives_in_the_file_bytes(tmp_path):
    work = tmp_path / "study"
    work.mkdir()
    path = work / "p.qualcode"
    _plant(path, tmp_path)
    assert holds_any_case(path, NAME)
    names = tmp_path / "names.csv"
    names.write_text(f"name,replacement\n{NAME},{NEW}\n")
    result = CliRunner().invoke(main, ["pseudonymise", str(path), "--names", str(names), "--yes"])
    assert result.exit_code == 0, result.output
    assert "nothing to do" not in result.output
    assert "names not in the list were NOT looked for" in result.output
    for f in work.rglob("*"):  # the project, its WAL/SHM, anything the operation left
        if f.is_file():
            assert not holds_any_case(f, NAME), f
    with Project.open(path, daily_backup=False) as p:
        [doc] = p.documents()
        assert (doc.title, doc.source_name) == (f"P1_{NEW}", f"P1_{NEW}.txt")
        text = p.document(doc.id).text
        assert text.endswith(
            "smith_j@hosp.org or @dr_smith, or Smith2 on chat. Or jsmith@hosp.org and SMITH.txt."
        )
        [coding] = p.codings()
        assert text[coding.start : coding.end] == "Write"
        [entry] = p.trash()
        p.restore(entry["id"])
        back = [d for d in p.documents() if d.id != doc.id][0]
        assert (back.title, back.source_name) == (f"P2_{NEW}", f"P2_{NEW}.txt")
        assert p.document(back.id).text == "P2: mail smith_j@hosp.org."
        out = tmp_path / "exports"
        out.mkdir()
        p.export_qdpx(out / "all.qdpx")
        p.export_codings_csv(out / "codings.csv")
    for f in out.iterdir():
        assert not holds_any_case(f, NAME), f


def test_a_name_only_in_a_file_name_is_not_nothing_to_do(tmp_path):
    path = tmp_path / "p.qualcode"
    with Project.create(path, coder="ana") as p:
        p.add_documents([NewDocument("P1", "interview", "P1_Novak", "P1: hello.", "P1_Novak.txt")])
        p.set_backups_keep(0)
    names = tmp_path / "names.csv"
    names.write_text("name,replacement\nNovak,Brown\n")
    result = CliRunner().invoke(
        main, ["pseudonymise", str(path), "--names", str(names), "--yes", "--no-entities"]
    )
    assert result.exit_code == 0, result.output
    assert "nothing to do" not in result.output
    assert "only the listed names were looked for (--no-entities)" in result.output
    assert not holds_any_case(path, "Novak")
