"""Coverage check for policy leads: the national minimum expectations (checklist), how far an
authority's local documents evidence each one, possible divergences, and the gap report."""
from assistant.coverage.checklist import (
    Expectation,
    extract_expectations,
    load_checklist,
)
from assistant.coverage.matcher import CoverageMatcher, CoverageRow

__all__ = ["Expectation", "extract_expectations", "load_checklist", "CoverageMatcher", "CoverageRow"]
