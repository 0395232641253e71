"""A lake that notices damage and survives its own maintenance: checksums recorded as files
are written, `xxgk verify` on a whole lake, an identity that outlives its catalog, and
readers that keep answering through compaction."""

from __future__ import annotations

import shutil

import pytest

from tests.lake_loads import built
from xxgk import connect
from xxgk.cli import main
from xxgk.flows.prefect_flows import compact_warehouse
from xxgk.warehouse.connect import open_warehouse
from xxgk.warehouse.errors import LakeDamaged
from xxgk.warehouse.integrity import CHECKSUMS, MARKER, catalog_files
from xxgk.warehouse.load import load_many
from xxgk.warehouse.maintenance import compact


@pytest.fixture
def lake(tmp_path) -> str:
    where = str(tmp_path / "lake")
    with open_warehouse(where) as con:
        for i in range(0, 6, 2):
            load_many(con, [built(i), built(i + 1)])
    return where


@pytest.mark.slow
def test_every_data_file_has_its_checksum_recorded_when_written(lake):
    with open_warehouse(lake, read_only=True) as con:
        files = {f.name: f.size for f in catalog_files(con)}
        recorded = dict(con.execute(f"SELECT path, size FROM __ducklake_metadata_lake.{CHECKSUMS}").fetchall())
    assert files and recorded == files


@pytest.mark.slow
def test_a_whole_lake_verifies(lake, capsys):
    assert main(["verify", "--warehouse", lake]) == 0
    assert "nothing damaged" in capsys.readouterr().out


@pytest.mark.slow
def test_compaction_records_the_files_it_writes_and_forgets_those_it_removes(lake, capsys):
    with open_warehouse(lake) as con:
        compact(con, keep_days=0, grace_hours=0)
        files = {f.name for f in catalog_files(con)}
        recorded = {p for (p,) in con.execute(f"SELECT path FROM __ducklake_metadata_lake.{CHECKSUMS}").fetchall()}
    assert recorded == files
    assert main(["verify", "--warehouse", lake]) == 0


@pytest.mark.slow
def test_a_lake_records_its_identity_beside_its_catalog(lake, tmp_path):
    with open_warehouse(lake, read_only=True) as con:
        [(lake_id,)] = con.execute("SELECT lake_id FROM lake_identity").fetchall()
    assert (tmp_path / "lake" / MARKER).read_text().strip() == lake_id


@pytest.mark.slow
def test_a_lake_folder_that_lost_catalog_and_data_is_not_made_anew(lake, tmp_path):
    (tmp_path / "lake" / "catalog.sqlite").unlink()
    shutil.rmtree(tmp_path / "lake" / "data")
    with pytest.raises(LakeDamaged, match="is missing but its data is still there"):
        open_warehouse(lake)


@pytest.mark.slow
@pytest.mark.parametrize("keep_days", [90, 0])
def test_a_connection_held_through_compact_keeps_answering(lake, keep_days):
    with open_warehouse(lake, read_only=True) as reader:
        before = reader.execute("SELECT count(*), sum(value) FROM cells").fetchall()
        assert main(["compact", "--warehouse", lake, "--keep-days", str(keep_days)]) == 0
        assert reader.execute("SELECT count(*), sum(value) FROM cells").fetchall() == before
        assert reader.execute("SELECT count(*) FROM reports").fetchall() == [(6,)]


@pytest.mark.slow
def test_a_notebooks_reader_held_through_a_load_and_compact_keeps_answering(lake):
    figures = "SELECT count(*), sum(value) FROM cells UNION ALL SELECT count(*), NULL FROM reports"
    with connect(lake) as notebook:
        notebook.sql(figures).fetchall()
        with open_warehouse(lake) as writer:
            load_many(writer, [built(6), built(7)])
        assert main(["compact", "--warehouse", lake, "--keep-days", "0"]) == 0
        with connect(lake) as fresh:
            assert notebook.sql(figures).fetchall() == fresh.sql(figures).fetchall()


@pytest.mark.slow
def test_a_connection_held_through_a_load_and_the_nightly_compaction_answers_as_a_new_one(lake):
    figures = "SELECT count(*), sum(value) FROM cells UNION ALL SELECT count(*), NULL FROM reports"
    with open_warehouse(lake, read_only=True) as reader:
        reader.execute(figures).fetchall()
        with open_warehouse(lake) as writer:
            load_many(writer, [built(6), built(7)])
        compact_warehouse.fn(lake)
        with open_warehouse(lake, read_only=True) as fresh:
            assert reader.execute(figures).fetchall() == fresh.execute(figures).fetchall()


@pytest.mark.slow
def test_a_connection_held_through_compact_sees_the_lake_anew_when_reopened(lake):
    with open_warehouse(lake) as writer:
        load_many(writer, [built(6), built(7)])
        compact(writer, keep_days=0, grace_hours=0)
    with open_warehouse(lake, read_only=True) as reader:
        assert reader.execute("SELECT count(*) FROM reports").fetchall() == [(8,)]


@pytest.mark.slow
@pytest.mark.parametrize("value", ["-1", "-100000000", "36501"])
def test_compact_refuses_keep_days_out_of_bounds(lake, value, capsys):
    assert main(["compact", "--warehouse", lake, "--keep-days", value]) == 2
    assert "--keep-days" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.parametrize("value", ["-1", "nan", "inf"])
def test_compact_refuses_a_grace_out_of_bounds(lake, value, capsys):
    assert main(["compact", "--warehouse", lake, "--grace-hours", value]) == 2
    assert "--grace-hours" in capsys.readouterr().err


@pytest.mark.slow
def test_a_writer_held_open_through_another_writers_load_and_compaction_writes_on(lake):
    with open_warehouse(lake) as held:
        with open_warehouse(lake) as other:
            load_many(other, [built(6), built(7)])
            compact(other, keep_days=0, grace_hours=0)
        load_many(held, [built(8), built(9)])
        assert held.execute("SELECT count(*) FROM reports").fetchall() == [(10,)]
    assert main(["verify", "--warehouse", lake]) == 0
