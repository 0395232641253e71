"""Runs and lineage: every run that writes leaves a row in `runs`, its id on what it wrote,
and a snapshot to read the warehouse as it left it."""

import pytest

from tests.roundtrip import report
from xxgk import connect
from xxgk.cli import main
from xxgk.samples.render import render


@pytest.mark.slow
def test_a_load_leaves_its_run_with_counts_by_outcome_and_its_id_on_what_it_wrote(tmp_path, capsys):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.html").write_bytes(render(report("2021"), "html"))
    (tmp_path / "docs" / "b.pdf").write_bytes(b"%PDF-1.4 truncated")
    lake = str(tmp_path / "lake")
    main(["load", str(tmp_path / "docs"), "--warehouse", lake])
    with connect(lake) as con:
        [(run_id, command, extracted, loaded, unreadable, in_order)] = con.execute(
            "SELECT run_id, command, extracted, loaded, unreadable, started_at <= ended_at FROM runs").fetchall()
        assert (command, extracted, loaded, unreadable, in_order) == ("load", 2, 1, 1, True)
        for table in ("documents", "reports"):
            assert con.execute(f"SELECT DISTINCT run_id FROM {table}").fetchall() == [(run_id,)]
    main(["load", str(tmp_path / "docs" / "a.html"), "--warehouse", lake])
    with connect(lake, at=run_id) as con:
        assert con.execute("SELECT count(*) FROM runs").fetchone() == (1,)
