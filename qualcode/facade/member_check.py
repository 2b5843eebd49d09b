"""Member-checking reports on the facade: project.member_check(participant)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from qualcode.errors import NotFoundError
from qualcode.facade.base import ProjectBase

if TYPE_CHECKING:
    from qualcode.member_check import MemberCheck


class MemberCheckOps(ProjectBase):
    def member_check(self, participant: str, coder: str | None = None) -> MemberCheck:
        """One participant's coded passages grouped by theme and subtheme with the
        codebook's descriptions (qualcode/member_check.py). Only that participant's
        documents are read. coder: only that coder's codings (default: every coder's,
        overlapping passages of one code shown once as their union).

        In a document with speakers mapped to participants (a focus group, set_speaker)
        each coding is clipped to the participant's own turns (member_check.clip_to_turns);
        a document of several participants with no speaker mapped is left out, and said in
        the report's notes (for the researcher), since its words cannot be told apart.
        Raises NotFoundError for an unknown participant id, QualcodeError for an unknown
        coder."""
        from qualcode.analysis.filters import Filters
        from qualcode.member_check import build, clip_to_turns
        from qualcode.plural import plural

        pids = [r[0] for r in self.db.execute("SELECT pid FROM participants")]
        if participant not in pids:
            folded = [p for p in pids if p.casefold() == participant.strip().casefold()]
            if len(folded) != 1:
                raise NotFoundError(f"no participant {participant!r}")
            participant = folded[0]
        filters = Filters(participants=(participant,), coders=(coder,) if coder else ())
        excerpts = self.excerpts(filters=filters)  # type: ignore[attr-defined]
        own, others = self._turns_of(participant)
        unmapped = {
            r[0]: r[1]
            for r in self.db.execute(
                "SELECT dp.document_id, count(*) FROM document_participants dp "
                "WHERE dp.document_id NOT IN (SELECT document_id FROM speaker_participants) "
                "GROUP BY dp.document_id HAVING count(*) > 1"
            )
        }
        left_out = sorted({e.document for e in excerpts if e.document_id in unmapped})
        kept = [e for e in excerpts if e.document_id not in unmapped]
        report = build(participant, self.name, self.codes(), clip_to_turns(kept, own, others))
        for title in left_out:
            report.notes.append(
                f"{title}: shared by several participants with no speaker mapped, so its "
                f"codings cannot be told apart by speaker; left out of {participant}'s report "
                "(map the speakers with `qualcode set-speaker`)"
            )
        clipped = sum(
            sum(p.clipped for p in t.passages)
            + sum(p.clipped for s in t.subthemes for p in s.passages)
            for t in report.themes
        )
        if clipped:
            report.notes.append(
                f"{plural(clipped, 'passage')} clipped to {participant}'s own turns "
                "(the coding reached into other speakers' turns)"
            )
        return report

    def _turns_of(
        self, participant: str
    ) -> tuple[dict[int, list[tuple[int, int]]], dict[int, list[tuple[int, int]]]]:
        """In every document with mapped speakers: (document id -> the participant's
        turns, document id -> every other turn), (start, end) sorted. A document where
        no turn is theirs maps to [] (nothing there is theirs)."""
        own: dict[int, list[tuple[int, int]]] = {}
        others: dict[int, list[tuple[int, int]]] = {}
        for doc_id, start, end, mine in self.db.execute(
            'SELECT s.document_id, s.start, s."end", coalesce(p.pid = ?, 0) FROM segments s '
            "LEFT JOIN speaker_participants sp ON sp.document_id = s.document_id "
            "AND sp.speaker = s.speaker LEFT JOIN participants p ON p.id = sp.participant_id "
            "WHERE s.kind = 'turn' AND s.document_id IN "
            "(SELECT document_id FROM speaker_participants) ORDER BY s.document_id, s.start",
            [participant],
        ):
            own.setdefault(doc_id, [])
            (own if mine else others).setdefault(doc_id, []).append((start, end))
        return own, others

    def participant_ids(self) -> list[str]:
        """Every participant id, in natural order (R2 before R10)."""
        return [p.pid for p in self.participants()]
