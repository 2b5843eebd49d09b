"""The pipeline factory: blank fallback with a notice, languages, and NER when present."""

import importlib.util

import pytest
import spacy

from qualcode.errors import QualcodeError
from qualcode.nlp.pipeline import BLANK, describe_pipeline, has_ner, make_pipeline
from qualcode.pseudonymise import NameRule, find_replacements
from qualcode.segment import sentence_spans


def test_default_pipeline_needs_no_model():
    nlp = make_pipeline("en")
    assert nlp.pipe_names == ["sentencizer", "qualcode_sentence_fixer"]
    assert make_pipeline("en") is nlp  # cached


def test_missing_trained_pipeline_falls_back_with_a_notice():
    notices = []
    nlp = make_pipeline("en", "en_qualcode_missing_model", on_notice=notices.append)
    assert nlp.pipe_names == ["sentencizer", "qualcode_sentence_fixer"]
    assert notices == [
        "spaCy pipeline 'en_qualcode_missing_model' is not installed; using the rule-based "
        "'en' pipeline instead (install it with: python -m spacy download en_qualcode_missing_model)"
    ]


def test_unknown_language_is_one_clear_error():
    with pytest.raises(QualcodeError, match="unknown spaCy language code 'xx-nope'"):
        make_pipeline("xx-nope")


def test_project_setting_names_the_model(project):
    project.set_spacy_model("en_qualcode_missing_model")
    assert project.settings() == {"spacy_model": "en_qualcode_missing_model"}
    notices = []
    assert project.nlp(notices.append).pipe_names == ["sentencizer", "qualcode_sentence_fixer"]
    assert notices == [
        "spaCy pipeline 'en_qualcode_missing_model' is not installed; using the rule-based "
        "'en' pipeline instead (install it with: python -m spacy download en_qualcode_missing_model)"
    ]
    project.set_spacy_model(None)
    assert project.settings() == {}


def test_entities_are_proposed_when_the_pipeline_has_ner():
    # A stand-in for a trained NER: an entity ruler registered under the name "ner".
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler", name="ner")
    ruler.add_patterns(
        [
            {"label": "PERSON", "pattern": "Maria Gomez"},
            {"label": "GPE", "pattern": "Lyon"},
            {"label": "ORG", "pattern": "WHO"},
            {"label": "PERSON", "pattern": "Tanaka"},
        ]
    )
    assert has_ner(nlp)
    text = "Maria Gomez met Tanaka in Lyon. The WHO paid. Then Maria Gomez left Lyon."
    found = find_replacements([(5, text)], [NameRule("Tanaka", "Li")], nlp=nlp)
    assert [(r.old, r.new, r.kind, r.source) for r in found] == [
        ("Maria Gomez", "[PERSON 1]", "person", "ner"),
        ("Tanaka", "Li", "person", "list"),
        ("Lyon", "[PLACE 1]", "place", "ner"),
        ("Maria Gomez", "[PERSON 1]", "person", "ner"),
        ("Lyon", "[PLACE 1]", "place", "ner"),
    ]
    assert [
        r.source
        for r in find_replacements([(5, text)], [NameRule("Tanaka", "Li")], nlp=nlp, use_ner=False)
    ] == ["list"]


def test_japanese_names_are_found():
    pytest.importorskip("sudachipy")
    text = "田中さんは大阪の病院で働いていました。田中先生は優しかった。"
    found = find_replacements(
        [(1, text)], [NameRule("田中", "佐藤"), NameRule("大阪", "神戸", "place")], lang="ja"
    )
    assert [(r.old, r.new, text[r.start : r.end]) for r in found] == [
        ("田中", "佐藤", "田中"),
        ("大阪", "神戸", "大阪"),
        ("田中", "佐藤", "田中"),
    ]


def test_japanese_without_ja_ginza_uses_the_blank_pipeline_and_says_so(monkeypatch):
    pytest.importorskip("sudachipy")
    from qualcode.nlp import pipeline

    monkeypatch.setattr(pipeline, "TRAINED_PIPELINES", {"ja": "ja_qualcode_missing"})
    monkeypatch.setattr(pipeline, "_cache", {})
    assert make_pipeline("ja").pipe_names == ["sentencizer", "qualcode_sentence_fixer"]
    rules = "blank spaCy 'ja' pipeline with qualcode's sentence rules"
    assert describe_pipeline("ja") == (
        f"{rules} (the trained ja_qualcode_missing is not installed: pip install 'qualcode[ja]')"
    )
    assert describe_pipeline("ja", BLANK) == rules
    assert describe_pipeline("en") == "blank spaCy 'en' pipeline with qualcode's sentence rules"


def test_blank_setting_keeps_the_rules_whatever_is_installed(project):
    project.set_meta("language", "ja")
    project.set_spacy_model(BLANK)
    assert project.pipeline_description() == (
        "blank spaCy 'ja' pipeline with qualcode's sentence rules"
    )


def test_ja_ginza_sets_boundaries_where_no_punctuation_does():
    if importlib.util.find_spec("ja_ginza") is None:
        pytest.skip(
            "ja_ginza is not installed (pip install 'qualcode[ja]'; CI installs only .[test])"
        )
    nlp = make_pipeline("ja")
    assert nlp.pipe_names[-1] == "qualcode_parser_sentences"
    assert describe_pipeline("ja").startswith("trained spaCy pipeline ja_ginza 5.")
    text = "感じのいいところでした駅から遠く。「はい」と言った。"
    [spans] = sentence_spans([text], "ja", nlp=nlp)
    # the parser gives the first start (no 。 before 駅); the rules give the quote's
    assert [text[s:e] for s, e in spans] == [
        "感じのいいところでした",
        "駅から遠く。",
        "「はい」と言った。",
    ]
    blank = make_pipeline("ja", BLANK)
    [spans] = sentence_spans([text], "ja", nlp=blank)
    assert [text[s:e] for s, e in spans] == [
        "感じのいいところでした駅から遠く。",
        "「はい」と言った。",
    ]
