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
    assert columns == ["kind", "table_name", "key", "label", "group", "unit", "templates"]
    by_key = {(kind, key): row for kind, _, key, *row in rows}
    label, group, _, templates = by_key[("row", "unavailable_not_held")]
    assert "本机关不掌握" in label and group and templates
    assert by_key[("column", "natural_person")][-1] == "2019,2021"


def test_every_table_view_and_column_has_a_comment(con):
    missing = con.execute("""
        SELECT table_name FROM duckdb_tables() WHERE database_name = 'lake' AND comment IS NULL
        UNION ALL SELECT view_name FROM duckdb_views() WHERE database_name = 'lake' AND comment IS NULL
        UNION ALL SELECT c.table_name || '.' || c.column_name FROM duckdb_columns() c
            JOIN duckdb_tables() t USING (database_name, schema_name, table_name)
            WHERE c.database_name = 'lake' AND c.comment IS NULL""").fetchall()
    assert missing == []


def test_the_dictionary_command_prints_every_key(tmp_path, capsys):
    import json

    from xxgk.cli import main

    where = str(tmp_path / "lake")
    open_warehouse(where).close()
    assert main(["dictionary", "--warehouse", where, "--format", "json"]) in (0, None)
    keys = {entry["key"] for entry in json.loads(capsys.readouterr().out)}
    assert {"unavailable_not_held", "amount_10k_yuan", "natural_person"} <= keys


def test_legacy_rows_carry_their_own_unit(con):
    assert con.execute("SELECT label, unit FROM dictionary WHERE kind = 'row' AND key = 'fees_yuan'").fetchall() == [
        ("政府信息公开收费减免金额", "yuan")]
