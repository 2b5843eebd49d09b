"""Figures a worker has not posted yet show "…", never a 0 that reads as a real count."""

from __future__ import annotations

from qualcode.tui.components.codebook_tree import CodebookTree
from qualcode.tui.components.participants_tree import ParticipantsTree
from qualcode.tui.screens.corpus_counts import CorpusCounts


async def opened(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def document_labels(tree: ParticipantsTree) -> list[str]:
    return [leaf.label.plain for leaf in tree._leaves.values()]


async def test_shares_and_counts_show_a_placeholder_until_the_worker_posts_them(
    plan_project, make_app, monkeypatch
):
    path = plan_project.path
    coverage = plan_project.coverage()
    plan_project.close()
    real_load = CorpusCounts.load_counts
    monkeypatch.setattr(CorpusCounts, "load_counts", lambda self: None)  # held back
    async with make_app(path).run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        screen = pilot.app.screen
        tree = screen.query_one(ParticipantsTree)
        labels = document_labels(tree)
        assert labels and all(label.startswith("   … ") for label in labels)
        assert not any("%" in label for label in labels)
        codebook = screen.query_one(CodebookTree)
        first = next(iter(codebook._code_nodes.values()))
        assert "…" in first.label.plain and "·" not in first.label.plain
        assert codebook.detail(first.data).endswith("counting codings…")

        real_load(screen)  # the worker now runs and posts the figures
        await opened(pilot)
        labels = document_labels(tree)
        assert all("%" in label and "…" not in label[:5] for label in labels)
        shares = {doc_id: leaf.label.plain[:4].strip() for doc_id, leaf in tree._leaves.items()}
        assert shares == {d: f"{coverage[d]:.0%}" for d in shares}
        assert "·" in first.label.plain
        assert "coding" in codebook.detail(first.data)
