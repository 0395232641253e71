"""Narrative that restates a template report's figures, agreeing with its tables or not.

Section 一 of a report often repeats headline figures in prose. `narrative` writes them
from the report's figures, each shifted by the amount `disagree` gives, so a test knows
exactly which statements contradict the table; `with_narrative` puts the paragraph under
一、总体情况.
"""

from __future__ import annotations

from dataclasses import replace

from xxgk.samples.figures import ReportSpec
from xxgk.samples.layout import Heading, Layout, Para
from xxgk.schemas.catalog import APPLICATIONS, REVIEW
from xxgk.schemas.records import Number

# Each headline figure: how the prose names it, and the table cells it restates.
HEADLINES: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "new_received": ("全年共收到政府信息公开申请{}件", ((APPLICATIONS, "new_received"),)),
    "carried_over": ("上年结转政府信息公开申请{}件", ((APPLICATIONS, "carried_over"),)),
    "total_processed": ("办结政府信息公开申请{}件", ((APPLICATIONS, "total_processed"),)),
    "granted": ("其中予以公开{}件", ((APPLICATIONS, "granted"),)),
    "partially_granted": ("部分公开{}件", ((APPLICATIONS, "partially_granted"),)),
    "denied": ("不予公开{}件", tuple((APPLICATIONS, f"denied_{kind}") for kind in (
        "state_secret", "law_prohibited", "three_safety", "third_party", "internal_affairs", "process_info",
        "enforcement_file", "query_matter"))),
    "carried_forward": ("结转下年度继续办理{}件", ((APPLICATIONS, "carried_forward"),)),
}
LITIGATION: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "reviews": ("因政府信息公开被申请行政复议{}件", ((REVIEW, "review"),)),
    "lawsuits": ("被提起行政诉讼{}件", ((REVIEW, "litigation_direct"), (REVIEW, "litigation_after_review"))),
}


def headline(spec: ReportSpec, key: str) -> Number:
    """The table's figure for a headline: its cells' totals added (blank counts as 0)."""
    _, cells = {**HEADLINES, **LITIGATION}[key]
    return sum(spec.value(table, row, "total") or 0 for table, row in cells)


def narrative(spec: ReportSpec, disagree: dict[str, int] | None = None) -> list[str]:
    """Two sentences restating every headline figure, shifted by `disagree`."""
    shift = disagree or {}

    def stated(phrases: dict) -> str:
        return "，".join(phrase.format(headline(spec, key) + shift.get(key, 0)) for key, (phrase, _) in phrases.items())

    return [f"（四）依申请公开办理情况。{stated(HEADLINES)}。", f"（五）复议诉讼情况。{stated(LITIGATION)}。"]


def with_narrative(layout: Layout, sentences: list[str]) -> Layout:
    """The layout with the sentences as a paragraph under the 一、总体情况 heading."""
    at = next(i for i, block in enumerate(layout.blocks) if isinstance(block, Heading) and "总体情况" in block.text) + 1
    return replace(layout, blocks=[*layout.blocks[:at], Para("".join(sentences)), *layout.blocks[at:]])
