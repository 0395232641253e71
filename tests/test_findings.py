"""The registry of checks (schemas/findings.py) is the one list: findings, the warehouse's
dictionary and the manual all follow it."""

import re
from pathlib import Path

import pytest

from xxgk.schemas.findings import CHECK_BY_NAME, CHECKS
from xxgk.schemas.records import Issue

MANUAL = Path(__file__).parent.parent / "docs" / "reading.md"


def test_every_check_is_named_once():
    assert len(CHECK_BY_NAME) == len(CHECKS)


def test_a_finding_of_an_unknown_check_is_refused():
    with pytest.raises(ValueError, match="not in schemas/findings.py"):
        Issue("no_such_check", "error", "…")


def test_a_finding_with_a_severity_its_check_does_not_report_is_refused():
    with pytest.raises(ValueError, match="balance"):
        Issue("balance", "info", "…")


def test_the_manuals_table_of_checks_names_every_check_and_no_other():
    text = MANUAL.read_text(encoding="utf-8")
    table = text[text.index("## What the checks mean"):].split("\n## ", 1)[0]
    first_cells = [line.split("|")[1] for line in table.splitlines() if line.startswith("| `")]
    assert set(re.findall(r"`([a-z_]+)`", "".join(first_cells))) == set(CHECK_BY_NAME)


def test_the_warehouse_holds_the_registry(tmp_path):
    from xxgk.warehouse.connect import open_warehouse

    with open_warehouse(str(tmp_path / "lake")) as con:
        rows = con.execute("SELECT check_name, severities FROM dictionary_checks ORDER BY check_name").fetchall()
    assert rows == sorted((c.name, ",".join(c.severities)) for c in CHECKS)
