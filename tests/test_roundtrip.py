"""Figures in, document out, figures back: every format under every publishing trait."""

import random

import pytest

from tests.roundtrip import NON_HTML_TRAITS, TRAITS, assert_roundtrip, combined_traits, report
from xxgk.samples.figures import random_report, with_other_handling_as_one_row
from xxgk.samples.layout import Traits
from xxgk.samples.render import render

CASES = [(kind, trait) for kind in ("html", "pdf", "docx") for trait in (TRAITS if kind == "html" else NON_HTML_TRAITS)]


@pytest.mark.slow
@pytest.mark.parametrize("template", ["2019", "2021"])
@pytest.mark.parametrize("kind, trait", CASES)
def test_every_cell_comes_back(kind, trait, template):
    spec = report(template)
    assert_roundtrip(render(spec, kind, TRAITS[trait]), spec)


@pytest.mark.parametrize("kind", ["html", "pdf", "docx", "text"])
def test_a_2021_report_printing_other_handling_as_one_row_comes_back(kind):
    spec = with_other_handling_as_one_row(report("2021", 3))
    assert any(v for (t, r, c), v in spec.values.items() if r == "other_handling")
    extraction = assert_roundtrip(render(spec, kind, style="spaces") if kind == "text" else render(spec, kind), spec)
    assert not [i for i in extraction.issues if i.check == "row_missing" and i.table == "applications"]


@pytest.mark.parametrize("merges", ["before_header", "after_header"])
@pytest.mark.parametrize("seed", range(8))
def test_a_row_merging_other_slots_than_its_header_gives_every_cell_back_whatever_it_leaves_blank(merges, seed):
    """One cell per column however the merges fall: a blank beside a merged figure does not
    move the figure into the next column."""
    spec = random_report(random.Random(seed), template="2019", year=2020, scale=3000)
    assert_roundtrip(render(spec, "html", Traits(data_merges=merges)), spec)


@pytest.mark.parametrize("kind", ["html", "docx"])
@pytest.mark.parametrize("seed", range(12))
def test_traits_combined_give_every_cell_back(kind, seed):
    rng = random.Random(seed)
    traits, template = combined_traits(rng, kind), rng.choice(["2019", "2021"])
    year, scale = (2020 if template == "2019" else 2023), rng.choice([30, 3000])
    spec = random_report(rng, template=template, year=year, scale=scale)
    assert_roundtrip(render(spec, kind, traits), spec)
