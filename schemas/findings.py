"""Every check that can report a finding, as data: its name, the severities it reports
with, what it looks at and what it means.

This is the one list of checks. `Issue` refuses a check that is not here, the warehouse
writes it as `dictionary_checks` (so an analyst can join a finding to its meaning), and
a test holds the check table of docs/reading.md to it. A new check is a new row here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    name: str
    severities: tuple[str, ...]  # the severities its findings carry
    scope: str                   # what it looks at: a table, the metadata, the whole document, …
    meaning: str
    unreadable: bool = False     # its finding means nothing could be read from the document
    unread: bool = False         # its finding names printed cells left null because they were not read


def _unreadable(name: str, meaning: str) -> Check:
    return Check(name, ("error",), "document", meaning, unreadable=True)


CHECKS: tuple[Check, ...] = (
    # The template's identities (schemas/checks.py) and the values' types (schemas/models.py).
    Check("balance", ("error", "warning"), "applications",
          "new_received + carried_over = total_processed + carried_forward does not hold (expected: the computed "
          "sum, actual: the published figure); a warning when the total or every part is blank"),
    Check("results_sum", ("error", "warning"), "applications",
          "total_processed is not the sum of the result rows"),
    Check("row_total", ("error", "warning"), "applications",
          "a row's total is not the sum of its applicant columns"),
    Check("rl_total", ("error", "warning"), "review_litigation",
          "a review or lawsuit total is not upheld + corrected + other + pending"),
    Check("non_negative", ("error",), "any table", "a negative count"),
    Check("integer", ("error",), "any table", "a fractional count"),
    # Across years, in the warehouse (warehouse/crosscheck.py).
    Check("carry_chain", ("error", "warning"), "applications",
          "what a report carried over differs from what the same organ carried forward the year before; "
          "a warning where one side is blank"),
    Check("in_force_chain", ("warning",), "active_disclosure",
          "documents in force differ from last year's in force + issued − repealed"),
    # Reading the tables (extractors/normalize.py and the text readers).
    Check("table_missing", ("error",), "any table", "a table of the template is not in the document"),
    Check("table_empty", ("warning",), "any table", "the table's header is there but no figure row"),
    Check("table_layout_mismatch", ("error",), "active_disclosure",
          "a report read as one template prints this table with the other template's columns (a 2021 report's "
          "table 二 with 上一年项目数量, 本年增/减): its figures are not read into cells that mean other things"),
    Check("row_missing", ("warning",), "any table", "a row of a found table was not found; its cells have raw null"),
    Check("label_variant", ("warning",), "any table",
          "a row printed with a misprinted label was read as the template's row in its place"),
    Check("unreadable_value", ("error",), "any table",
          "a cell's text is no figure, or a run of figures no split of which adds up; value null, raw kept",
          unread=True),
    Check("misaligned_values", ("error",), "any table", "more figures than columns", unread=True),
    Check("ambiguous_alignment", ("warning",), "any table",
          "the document does not show which column a figure sits in, or a run of figures has several plausible "
          "splits (listed); the cells are left blank", unread=True),
    Check("duplicate_row", ("warning",), "any table", "a row printed twice with different figures; the first is kept"),
    # Two readings of one report (extractors/reconcile.py) and the narrative as evidence (extractors/anchored.py).
    Check("second_reading", ("info",), "any table",
          "a row or table the grids left unread was read from the page's text against the template, or a broken "
          "identity's figures read alike both ways (the error is the publisher's)"),
    Check("reading_disagreement", ("warning",), "any table",
          "the grids and the page's text read a cell differently; the reading under which the table's identities "
          "hold is kept (expected), the other is recorded (actual)"),
    Check("narrative_settled", ("info",), "any table",
          "a run of figures with several plausible cuts was cut as a figure the narrative restates requires"),
    Check("template_unknown", ("error",), "document", "no statistical table of the 2019 or 2021 template was found"),
    # Metadata (extractors/metadata.py).
    Check("year_missing", ("warning",), "metadata", "the reporting year was not determined"),
    Check("organ_missing", ("warning",), "metadata", "the publishing organ was not determined"),
    Check("jurisdiction_missing", ("warning",), "metadata", "the jurisdiction was not determined"),
    Check("title_missing", ("warning",), "metadata", "the report's title was not found"),
    Check("year_conflict", ("warning",), "metadata",
          "the title, the statistics period or the listing name different years"),
    Check("jurisdiction_inferred", ("warning",), "metadata",
          "the organ is a zone without a GB/T 2260 code; the code is the division it administers or sits in"),
    Check("jurisdiction_ambiguous", ("warning",), "metadata",
          "the place named fits several divisions; the one assumed is named"),
    Check("jurisdiction_invalid", ("error",), "metadata", "a jurisdiction code supplied is no GB/T 2260 division"),
    # Documents nothing could be read from (extractors/, flows/isolation.py).
    _unreadable("empty_document", "the document is empty"),
    _unreadable("corrupt_document", "the document is damaged"),
    _unreadable("encrypted_document", "the document is encrypted"),
    _unreadable("no_text_layer", "a scan in which OCR found no text"),
    _unreadable("unsupported_format", "a format no reader reads (a Word 6.0/95 .doc, a .wps in WPS's own format, "
                                      "an image …)"),
    _unreadable("too_large", "the document is over a bound (size, inflated size, cells, tables, memory)"),
    _unreadable("extraction_timeout", "reading the document took over the time limit of its worker process"),
    _unreadable("extraction_failed", "a reader library failed on the document; the exception is named"),
    # Scripts (extractors/script.py).
    Check("traditional_script", ("info",), "document",
          "a page or text printed in Traditional characters was read after conversion to Simplified"),
    # Scans (extractors/ocr.py, pdf.py).
    Check("ocr", ("info",), "document", "pages without a text layer were read by OCR"),
    # Bounds (extractors/bounds.py).
    Check("streams_unjudged", ("warning",), "document",
          "an encrypted PDF whose streams the decompression bound could not decrypt (a security handler or "
          "algorithm outside the standard one): only the extraction worker's memory limit bounded them"),
    Check("ocr_truncated", ("warning",), "document", "a scan's pages beyond the OCR bounds were not read"),
    Check("ocr_uncertain", ("warning",), "any table",
          "a scanned figure read with low confidence that no identity confirms; the value is null, the reading raw",
          unread=True),
    # The narrative (extractors/narrative.py).
    Check("narrative_mismatch", ("warning",), "applications, review_litigation, legacy_summary",
          "the narrative restates a headline figure differently from the table"),
    # Legacy reports (extractors/legacy.py, prose.py; schemas/legacy.py).
    Check("legacy_channels", ("warning",), "legacy_summary",
          "the channel rows do not add up to applications_total (this year's, or the running totals)"),
    Check("legacy_replies", ("warning",), "legacy_summary",
          "the reply kinds do not add up to replies_total (this year's, or the running totals)"),
    Check("legacy_cumulative", ("warning",), "legacy_summary", "a running total is below the year's figure"),
    Check("prose_ambiguous", ("warning",), "legacy_summary",
          "a sentence leaves a figure open (约30件, one figure for two subjects, two figures for one, a figure as of a "
          "date not said to be the year's); it stays null"),
    Check("legacy_split_ambiguous", ("warning",), "legacy_summary",
          "a statistics table's figures run together (条4251516) split more than one way that the prose, the parts "
          "and the running total leave open; the row stays null"),
    Check("legacy_row_unknown", ("warning",), "legacy_summary",
          "statistics table rows whose labels name no indicator (misprinted, or ones the catalog lacks) were "
          "skipped, all listed in one finding a table; the rows after them are read"),
    Check("legacy_one_column", ("info",), "legacy_summary",
          "a statistics table headed with this year and the running total prints one figure a row (some a lone 0): "
          "each is read as this year's figure, the running totals null"),
    Check("legacy_figures_missing", ("warning",), "legacy_summary",
          "a report before the template with neither a statistics table nor a sentence stating its figures"),
)

CHECK_BY_NAME: dict[str, Check] = {check.name: check for check in CHECKS}
UNREADABLE: frozenset[str] = frozenset(check.name for check in CHECKS if check.unreadable)
UNREAD: frozenset[str] = frozenset(check.name for check in CHECKS if check.unread)
