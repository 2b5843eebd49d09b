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
        overlapping passages of one code shown once as their union). Raises
        NotFoundError for an unknown participant id, QualcodeError for an unknown coder."""
        from qualcode.analysis.filters import Filters
        from qualcode.member_check import build

        pids = [r[0] for r in self.db.execute("SELECT pid FROM participants")]
        if participant not in pids:
            folded = [p for p in pids if p.casefold() == participant.strip().casefold()]
            if len(folded) != 1:
                raise NotFoundError(f"no participant {participant!r}")
            participant = folded[0]
        filters = Filters(participants=(participant,), coders=(coder,) if coder else ())
        excerpts = self.excerpts(filters=filters)  # type: ignore[attr-defined]
        return build(participant, self.name, self.codes(), excerpts)

    def participant_ids(self) -> list[str]:
        """Every participant id, in natural order (R2 before R10)."""
        return [p.pid for p in self.participants()]
