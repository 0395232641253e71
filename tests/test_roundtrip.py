"""Figures in, document out, figures back: every format under every publishing trait."""

import pytest

from tests.roundtrip import NON_HTML_TRAITS, TRAITS, assert_roundtrip, report
from xxgk.samples.render import render

CASES = [(kind, trait) for kind in ("html", "pdf", "docx") for trait in (TRAITS if kind == "html" else NON_HTML_TRAITS)]


@pytest.mark.parametrize("template", ["2019", "2021"])
@pytest.mark.parametrize("kind, trait", CASES)
def test_every_cell_comes_back(kind, trait, template):
    spec = report(template)
    assert_roundtrip(render(spec, kind, TRAITS[trait]), spec)
