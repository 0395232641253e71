"""The round-trip assertion every format's tests share: figures → document → extraction."""

from __future__ import annotations

import random

from xxgk.extractors.extract import extract
from xxgk.samples.figures import ReportSpec, random_report
from xxgk.samples.layout import Traits
from xxgk.schemas.records import Extraction

# Each publishing trait alone; every format that can show a trait is tested with it.
TRAITS = {
    "template layout": Traits(),
    "vertical group labels": Traits(vertical_group_labels=True),
    "wrapped labels": Traits(wrapped_labels=True),
    "broken header words": Traits(broken_header_words=True),
    "full-width digits": Traits(fullwidth_digits=True),
    "thousands separators": Traits(thousands_separators=True),
    "blank as dash": Traits(blank="—"),
    "blank as slash": Traits(blank="/"),
    "blank as 无": Traits(blank="无"),
    "blank as nbsp": Traits(blank="\xa0"),
    "fees in yuan": Traits(fees_in_yuan=True),
    "section 2 as one table": Traits(section2_tables="one"),
    "table 4 as three rows": Traits(table4="three_rows"),
    "header spans misaligned with data": Traits(header_spans="misaligned"),
    "misprinted labels": Traits(misprinted_labels=True),
    "data merged before the header's merge": Traits(data_merges="before_header"),
    "data merged after the header's merge": Traits(data_merges="after_header"),
}
# &nbsp; is HTML's own blank; the other formats print blanks as text.
NON_HTML_TRAITS = {name: traits for name, traits in TRAITS.items() if traits.blank != "\xa0"}
# Text keeps no merges: a merged cell is text at a position, so merges cannot disagree.
TEXT_TRAITS = {name: traits for name, traits in NON_HTML_TRAITS.items() if traits.data_merges == "as_header"}


def combined_traits(rng: random.Random, kind: str) -> Traits:
    """Several publishing traits at once, as real reports combine them (each flag about one
    time in three; text keeps no merges, and &nbsp; is HTML's own blank)."""
    flags = {name: rng.random() < 0.3 for name in ("vertical_group_labels", "wrapped_labels", "broken_header_words",
                                                   "fullwidth_digits", "thousands_separators", "fees_in_yuan",
                                                   "misprinted_labels", "misprinted_headings")}
    return Traits(**flags, blank=rng.choice(["", "", "—", "/", "无"] + (["\xa0"] if kind == "html" else [])),
                  section2_tables=rng.choice(["one", "several"]), table4=rng.choice(["single_line", "three_rows"]),
                  header_spans=rng.choice(["template", "template", "misaligned"]),
                  data_merges="as_header" if kind == "text" else rng.choice(["as_header", "before_header",
                                                                             "after_header"]))


def report(template: str, seed: int = 3) -> ReportSpec:
    """Random consistent figures of a template, large enough for thousands separators."""
    return random_report(random.Random(seed), template=template, year=2020 if template == "2019" else 2023, scale=3000)


def extracted(data: bytes, name: str = "report") -> Extraction:
    return extract(data, name)


def assert_cells_match(extraction: Extraction, spec: ReportSpec) -> None:
    """Every cell of the template comes back with the published value (blank stays None)."""
    got = {(c.table, c.row, c.col): c.value for c in extraction.cells}
    assert extraction.format == spec.template, extraction.issues
    wrong = {key: (want, got.get(key, "absent")) for key, want in spec.values.items() if got.get(key, "absent") != want}
    assert not wrong, (f"{len(wrong)} cells differ (want, got): {dict(list(wrong.items())[:8])}; "
                       f"issues: {extraction.issues[:5]}")


def assert_roundtrip(data: bytes, spec: ReportSpec, name: str = "report") -> Extraction:
    """Cells match, and consistent figures raise no error."""
    extraction = extracted(data, name)
    assert_cells_match(extraction, spec)
    assert not extraction.errors(), extraction.errors()
    return extraction
