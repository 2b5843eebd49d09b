from qualcode.analysis.filters import Filters


def test_label_shows_alternatives_of_one_attribute_as_or():
    f = Filters.from_options(kinds=("report",), where=("sex=F", "sex=M", "host_income=LMIC"))
    assert f.describe() == "kind=report, sex=F|M, host_income=LMIC"
