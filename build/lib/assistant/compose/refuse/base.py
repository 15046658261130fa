"""What a refusal rule reads and returns."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from assistant.compose.evidence import Evidence
from assistant.compose.terms import TermsOfArt
from assistant.retrieve.hybrid import Query
from assistant.retrieve.sentences import Candidate
from assistant.settings import Settings


@dataclass(frozen=True)
class Refusal:
    reason: str
    # the guidance that would answer the question, which the index does not hold: the web chat asks
    # its user to have it added, the CLI says how to add it (`assistant ingest`)
    missing_guidance: str | None = None


@dataclass
class RefusalCheck:
    """One composed answer under review: the question, the chosen quotes and what they stand on."""

    q: Query
    chosen: list[Candidate]
    coverage: float
    evidence: Evidence
    terms: TermsOfArt
    settings: Settings

    @cached_property
    def units(self) -> list[str]:
        """The quoted sentences with their passages' list lead-ins."""
        return self.evidence.units(self.chosen)

    @cached_property
    def quoted(self) -> str:
        return " ".join(self.units)


class RefusalRule:
    """One reason not to answer. `check` returns a Refusal when the rule applies, else None."""

    message: str = ""

    def check(self, c: RefusalCheck) -> Refusal | None:
        raise NotImplementedError

    def refuse(self, missing_guidance: str | None = None, message: str | None = None, **values: str) -> Refusal:
        return Refusal((message or self.message).format(**values), missing_guidance)
