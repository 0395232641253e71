"""Every real document of ../shared/real/documents against its hand-checked truth: each cell,
the identity, and exactly the findings its figures support. A row the document does not
tell apart (a run of figures with several plausible splits) may be left blank only if it
is flagged with the truth among the splits it lists."""

import json
from decimal import Decimal

import pytest

from tests.shared import needs_shared, shared, shared_cases
from xxgk.extractors.extract import extract
from xxgk.schemas.catalog import TEMPLATES

DOCUMENTS = shared("real", "documents")
TRUTHS = shared_cases(sorted(DOCUMENTS.glob("*.truth.json")))
IDENTITIES = ("balance", "results_sum", "row_total", "rl_total")


@pytest.fixture(scope="module", params=TRUTHS, ids=lambda path: path.name.removesuffix(".truth.json"))
def document(request):
    truth = json.loads(request.param.read_text(encoding="utf-8"))
    path = DOCUMENTS / truth["doc"]
    return truth, extract(path.read_bytes(), path.name)


@needs_shared
def test_there_are_real_documents_to_check():
    assert TRUTHS


def test_the_identity_is_the_truths(document):
    truth, extraction = document
    assert {key: getattr(extraction, key) for key in ("organ", "jurisdiction_code", "year", "format")} == {
        key: truth[key] for key in ("organ", "jurisdiction_code", "year", "format")}


def test_every_cell_is_the_truths_or_its_row_is_flagged_with_the_truth_among_its_candidates(document):
    truth, extraction = document
    got = {(c.table, c.row, c.col): c.value for c in extraction.cells}
    flagged = {(i.table, i.row): i.message for i in extraction.issues if i.check == "ambiguous_alignment"}
    wrong = []
    for cell in truth["cells"]:
        key = (cell["table"], cell["row"], cell["col"])
        want = None if cell["value"] is None else Decimal(str(cell["value"]))
        if key[:2] in flagged:
            assert got[key] is None and _figures(truth, *key[:2]) in flagged[key[:2]], (key, flagged[key[:2]])
        elif got.get(key, "absent") != want:
            wrong.append((key, want, got.get(key, "absent")))
    assert not wrong, wrong[:8]


def test_the_findings_are_exactly_those_the_figures_support(document):
    truth, extraction = document
    found = sorted((i.check, i.row, i.col) for i in extraction.issues if i.check in IDENTITIES)
    assert found == sorted((f["check"], f.get("row"), f.get("col")) for f in truth["identity_findings"])
    assert not extraction.errors(), extraction.errors()
    assert not [i for i in extraction.issues if i.check in ("row_missing", "table_missing", "table_empty")]


def _figures(truth: dict, table: str, row: str) -> str:
    columns = TEMPLATES[truth["format"]].table(table).row(row).columns
    values = {c["col"]: c["value"] for c in truth["cells"] if (c["table"], c["row"]) == (table, row)}
    return " | ".join(str(values[col]) for col in columns)
