"""The filters every analysis table takes, and their parsing from command-line text."""

from __future__ import annotations

from dataclasses import dataclass, field

from qualcode.errors import QualcodeError


@dataclass(frozen=True)
class Filters:
    """Which documents, codings and participants a table looks at.

    - kinds: document kinds to keep ("interview", "report"); empty keeps all.
    - coders: coders whose codings count; empty keeps all.
    - where: (attribute, value) conditions on participants. Conditions on different
      attributes must all hold; several values of one attribute are alternatives
      (`sex=F` and `sex=M` together keep both). Values compare case-insensitively.
    - participants: participant ids to keep; empty keeps all.

    Documents without a participant are kept only when neither `where` nor
    `participants` is given (they have no attributes to match).
    """

    kinds: tuple[str, ...] = ()
    coders: tuple[str, ...] = ()
    where: tuple[tuple[str, str], ...] = ()
    participants: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        # Accept lists from callers; keep the dataclass hashable and immutable.
        for name in ("kinds", "coders", "participants"):
            object.__setattr__(self, name, tuple(getattr(self, name) or ()))
        object.__setattr__(self, "where", tuple((str(a), str(v)) for a, v in (self.where or ())))

    @property
    def restricts_participants(self) -> bool:
        return bool(self.where or self.participants)

    def describe(self) -> str:
        """A short human label ('kind=report, sex=F'), empty when nothing is filtered."""
        parts = [f"kind={'|'.join(self.kinds)}"] if self.kinds else []
        values: dict[str, list[str]] = {}
        for a, v in self.where:  # values of one attribute are alternatives
            values.setdefault(a, []).append(v)
        parts += [f"{a}={'|'.join(vs)}" for a, vs in values.items()]
        if self.coders:
            parts.append(f"coder={'|'.join(self.coders)}")
        if self.participants:
            parts.append(f"participants={','.join(self.participants)}")
        return ", ".join(parts)

    @classmethod
    def from_options(cls, kinds=(), coders=(), where=(), participants=()) -> "Filters":
        """Build from CLI-style text: where items 'ATTR=VALUE', participants 'R1,R2'."""
        pairs = []
        for item in where or ():
            attr, sep, value = item.partition("=")
            if not sep or not attr.strip() or not value.strip():
                raise QualcodeError(f"--where {item!r}: expected ATTRIBUTE=VALUE, e.g. sex=F")
            pairs.append((attr.strip(), value.strip()))
        people = [p.strip() for chunk in participants or () for p in chunk.split(",") if p.strip()]
        split = lambda items: [x.strip() for chunk in items or () for x in chunk.split(",") if x.strip()]  # noqa: E731
        return cls(kinds=split(kinds), coders=split(coders), where=pairs, participants=people)
