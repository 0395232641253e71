"""Reports printed in Traditional characters: a gateway's or a mirror's rendering of a
report reads to the figures of the report, and the extraction says it was converted."""

import pytest
from opencc import OpenCC

from tests.roundtrip import assert_cells_match, report
from tests.test_legacy import assert_figures, legacy
from xxgk.extractors.extract import extract
from xxgk.extractors.script import is_traditional
from xxgk.samples.legacy import build_legacy_layout, without_cumulative
from xxgk.samples.render import render, render_layout

# Character for character, as mainland portals' big5 gateways convert; with Taiwan's words
# too (信息 → 資訊, 网络 → 網路), as renderings for Taiwanese readers do.
RENDERINGS = {"characters": OpenCC("s2t"), "characters and words": OpenCC("s2twp")}


def in_traditional(data: bytes, rendering: str) -> bytes:
    return RENDERINGS[rendering].convert(data.decode("utf-8")).encode("utf-8")


@pytest.mark.parametrize("rendering", RENDERINGS)
@pytest.mark.parametrize("kind", ["html", "text"])
@pytest.mark.parametrize("template", ["2019", "2021"])
def test_a_template_report_in_traditional_characters_gives_every_figure(template, kind, rendering):
    spec = report(template)
    extraction = extract(in_traditional(render(spec, kind), rendering), f"report.{kind}")
    assert_cells_match(extraction, spec)
    assert extraction.year == spec.year and extraction.organ is not None


@pytest.mark.parametrize("rendering", RENDERINGS)
@pytest.mark.parametrize("kind", ["html", "text"])
@pytest.mark.parametrize("table", [True, False])
def test_a_legacy_report_in_traditional_characters_gives_its_figures(table, kind, rendering):
    spec = legacy(4 if table else 14)
    data = render_layout(build_legacy_layout(spec, table=table, phrasing=1), kind)
    extraction = extract(in_traditional(data, rendering), f"report.{kind}")
    extraction.issues = [i for i in extraction.issues if i.check != "traditional_script"]
    assert_figures(extraction, spec if table else without_cumulative(spec))


def test_a_report_read_after_conversion_says_so():
    extraction = extract(in_traditional(render(report("2021"), "html"), "characters"), "report.html")
    assert [i.check for i in extraction.issues if i.check == "traditional_script"] == ["traditional_script"]


def test_a_simplified_page_linking_its_traditional_version_is_read_as_printed():
    page = render(report("2021"), "html").replace(b"<body>", '<body><a href="/gate/big5/">繁體版</a>'.encode(), 1)
    assert not any(i.check == "traditional_script" for i in extract(page, "report.html").issues)


@pytest.mark.parametrize("text, traditional", [
    ("本機關全年主動公開政府資訊120條，受理政府資訊公開申請3件，行政復議0件。" * 3, True),
    ("本机关全年主动公开政府信息120条，受理政府信息公开申请3件，行政复议0件。" * 3, False),
    ("繁體 English only page " * 50, False),
])
def test_the_script_is_told_by_the_characters_that_differ(text, traditional):
    assert is_traditional(text) is traditional
