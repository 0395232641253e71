"""The warehouse explains itself: every key's Chinese label and unit, and a comment on
every table, view and column."""

import pytest

from xxgk.schemas.catalog import TEMPLATES
from xxgk.warehouse.connect import open_warehouse
from xxgk.warehouse.dictionary import dictionary


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    where = str(tmp_path_factory.mktemp("dictionary") / "lake")
    open_warehouse(where).close()
    with open_warehouse(where, read_only=True) as connection:
        yield connection


@pytest.mark.slow
def test_every_key_of_every_template_has_its_label(con):
    for template in TEMPLATES.values():
        for table in template.tables:
            labelled = dict(con.execute("SELECT row_key, label FROM dictionary_rows "
                                        "WHERE template = ? AND table_name = ?",
                                        [template.name, table.key]).fetchall())
            assert labelled == {row.key: row.label for row in table.rows}


def test_money_columns_carry_their_unit(con):
    assert con.execute("SELECT DISTINCT unit FROM dictionary_columns WHERE col_key = 'amount_10k_yuan'").fetchall() == [
        ("10k_yuan",)]


def test_the_dictionary_merges_templates_and_names_groups(con):
    columns, rows = dictionary(con)
    assert columns == ["kind", "table_name", "row_key", "col_key", "label", "group", "unit", "templates"]
    by_key = {(kind, row_key or col_key): row for kind, _, row_key, col_key, *row in rows}
    label, group, _, templates = by_key[("row", "unavailable_not_held")]
    assert "本机关不掌握" in label and group and templates
    assert by_key[("column", "natural_person")][-1] == "2019,2021"


def test_the_dictionary_names_keys_as_the_cells_and_dictionary_tables_do(con):
    def keys(sql: str) -> set:
        return set(con.execute(sql).fetchall())

    assert keys("SELECT table_name, row_key FROM dictionary WHERE kind = 'row'") == keys(
        "SELECT table_name, row_key FROM dictionary_rows")
    assert keys("SELECT table_name, col_key FROM dictionary WHERE kind = 'column'") == keys(
        "SELECT table_name, col_key FROM dictionary_columns")


def test_every_table_view_and_column_has_a_comment(con):
    missing = con.execute("""
        SELECT table_name FROM duckdb_tables() WHERE database_name = 'lake' AND comment IS NULL
        UNION ALL SELECT view_name FROM duckdb_views() WHERE database_name = 'lake' AND comment IS NULL
        UNION ALL SELECT c.table_name || '.' || c.column_name FROM duckdb_columns() c
            JOIN duckdb_tables() t USING (database_name, schema_name, table_name)
            WHERE c.database_name = 'lake' AND c.comment IS NULL""").fetchall()
    assert missing == []


def test_every_column_of_every_table_and_view_is_described(con):
    """duckdb_columns() has no comment for a view's column (DuckLake keeps none); column_comments has it."""
    missing = con.execute("""
        SELECT c.table_name || '.' || c.column_name FROM duckdb_columns() c
        LEFT JOIN column_comments d USING (table_name, column_name)
        WHERE c.database_name = 'lake' AND coalesce(nullif(trim(c.comment), ''), nullif(trim(d.comment), '')) IS NULL
        ORDER BY 1""").fetchall()
    assert missing == []


def test_every_described_column_exists_and_a_table_columns_comment_is_the_catalogs(con):
    described = con.execute("""
        SELECT d.table_name || '.' || d.column_name, c.column_name IS NOT NULL, c.comment, d.comment,
            t.table_name IS NOT NULL
        FROM column_comments d
        LEFT JOIN duckdb_columns() c ON c.database_name = 'lake'
            AND (c.table_name, c.column_name) = (d.table_name, d.column_name)
        LEFT JOIN duckdb_tables() t ON t.database_name = 'lake' AND t.table_name = d.table_name""").fetchall()
    assert [name for name, exists, *_ in described if not exists] == []
    assert [name for name, _, native, text, is_table in described if is_table and native != text] == []


def test_the_report_template_comment_names_every_template(con):
    [(comment,)] = con.execute("SELECT comment FROM duckdb_columns() WHERE database_name = 'lake' "
                               "AND table_name = 'reports' AND column_name = 'template'").fetchall()
    assert all(name in comment for name in ("2019", "2021", "legacy"))


@pytest.mark.slow
def test_the_dictionary_command_prints_every_key(tmp_path, capsys):
    import json

    from xxgk.cli import main

    where = str(tmp_path / "lake")
    open_warehouse(where).close()
    assert main(["dictionary", "--warehouse", where, "--format", "json"]) in (0, None)
    keys = {entry["row_key"] or entry["col_key"] for entry in json.loads(capsys.readouterr().out)}
    assert {"unavailable_not_held", "amount_10k_yuan", "natural_person"} <= keys


def test_legacy_rows_carry_their_own_unit(con):
    assert con.execute("SELECT label, unit FROM dictionary "
                       "WHERE kind = 'row' AND row_key = 'fees_yuan'").fetchall() == [
        ("政府信息公开收费减免金额", "yuan")]
