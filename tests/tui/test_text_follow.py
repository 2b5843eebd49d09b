"""The cursor kept near the same words when another session changes a document's text."""

from qualcode.tui.text_follow import follow_selection

OLD = (
    "Dr. Kowalski came in first. My husband cried, and he thanked Dr. Kowalski. "
    "Then Kowalski left the ward and we went home together."
)
NEW = OLD.replace("Kowalski", "Li")


def moved(words: str, nth: int = 0) -> str:
    start = OLD.index(words)
    for _ in range(nth):
        start = OLD.index(words, start + 1)
    a, b = follow_selection(OLD, NEW, start, start + len(words))
    return NEW[a:b]


def test_words_before_between_and_after_the_changes_are_followed():
    assert moved("Dr.") == "Dr."  # before the first change: same offsets
    assert moved("husband cried") == "husband cried"  # between changes: found by its words
    assert moved("thanked Dr.") == "thanked Dr."
    assert moved("went home together.") == "went home together."  # after the last one


def test_a_selected_name_becomes_its_replacement():
    assert moved("Kowalski", nth=1) == "Li"


def test_a_caret_and_texts_that_shrank_to_nothing_stay_in_range():
    start = OLD.index("ward")
    assert follow_selection(OLD, NEW, start, start) == (NEW.index("ward"),) * 2
    assert follow_selection(OLD, "", 10, 20) == (0, 0)
