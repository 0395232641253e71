"""Export through fsspec: a local folder, a file:// URL or a remote filesystem (memory://
here), views, the dictionary and the crawl log included, every year named."""

import fsspec
import pyarrow.parquet as pq
import pytest

from tests.lake_loads import built
from xxgk.schemas.records import Extraction, Issue
from xxgk.warehouse.connect import open_warehouse
from xxgk.warehouse.export import export_parquet
from xxgk.warehouse.load import DocumentInfo, load_many


@pytest.fixture(scope="module")
def lake(tmp_path_factory):
    where = str(tmp_path_factory.mktemp("export") / "lake")
    nameless = Extraction(source="x.doc", sha256="e" * 64, issues=[Issue("unsupported_format", "error", "a .doc")])
    with open_warehouse(where) as con:
        load_many(con, [built(i) for i in range(6)] + [(nameless, DocumentInfo(url="https://example.gov.cn/x.doc"))])
    return where


def read(filesystem, path):
    """Every row of a Parquet file or hive-partitioned folder, with the partition column."""
    return pq.read_table(path, filesystem=filesystem, partitioning="hive").to_pylist()


def test_an_export_to_memory_round_trips(lake):
    url = "memory://exports/round-trip"
    with open_warehouse(lake, read_only=True) as con:
        export_parquet(con, url)
        cells = con.execute("SELECT report_key, table_name, row_key, col_key, value, amount FROM cells").fetchall()
        counts = {name: con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
                  for name in ("documents", "crawl_log", "dictionary_rows", "report_summary", "coverage")}
    memory = fsspec.filesystem("memory")
    exported = read(memory, "/exports/round-trip/cells")
    assert sorted((r["report_key"], r["table_name"], r["row_key"], r["col_key"], r["value"], r["amount"])
                  for r in exported) == sorted(cells)
    for name, count in counts.items():
        path = f"/exports/round-trip/{name}" + ("" if name == "report_summary" else ".parquet")
        assert len(read(memory, path)) == count, name


def test_a_finding_without_a_year_is_exported_under_a_named_year(lake, tmp_path):
    with open_warehouse(lake, read_only=True) as con:
        export_parquet(con, str(tmp_path / "out"))
    years = {p.name for p in (tmp_path / "out" / "quality_issues").iterdir()}
    assert "year=unknown" in years and not any("HIVE_DEFAULT" in y for y in years)


def test_a_file_url_is_a_folder_not_a_folder_named_file(lake, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with open_warehouse(lake, read_only=True) as con:
        export_parquet(con, f"file://{tmp_path}/by-url")
    assert (tmp_path / "by-url" / "documents.parquet").is_file() and not (tmp_path / "file:").exists()
