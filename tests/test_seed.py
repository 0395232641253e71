"""The seed report (海东市 2023, ../shared/seed) read as published, defects included."""

import pytest

from tests.shared import ABSENT, SEED
from xxgk.extractors.extract import extract

# Every figure the seed publishes; every other cell of the 2021 template is blank.
PUBLISHED = {
    ("active_disclosure", "regulations"): {"issued": 9, "repealed": 0, "in_force": 53},
    ("active_disclosure", "normative_documents"): {"issued": 15, "repealed": 1, "in_force": 79},
    ("active_disclosure", "licensing"): {"decisions": 32510},
    ("active_disclosure", "penalty"): {"decisions": 3523},
    ("active_disclosure", "coercion"): {"decisions": 995},
    ("active_disclosure", "fees"): {"amount_10k_yuan": 3297},
    ("applications", "new_received"): {"natural_person": 107, "legal_service": 12, "other_org": 9, "total": 128},
    ("applications", "granted"): {"natural_person": 47, "legal_service": 4, "other_org": 7, "total": 58},
    ("applications", "partially_granted"): {"natural_person": 2, "total": 2},
    ("applications", "unavailable_not_held"): {"natural_person": 27, "legal_service": 8, "other_org": 2, "total": 25},
    ("applications", "rejected_petition"): {"natural_person": 30, "total": 30},
    ("applications", "rejected_excessive"): {"natural_person": 1, "total": 1},
    ("applications", "total_processed"): {"natural_person": 107, "legal_service": 12, "other_org": 9, "total": 128},
}


@pytest.fixture(scope="module")
def seed():
    if not SEED.exists():
        pytest.skip(ABSENT)
    return extract(SEED.read_bytes(), SEED.name)


def test_every_cell_is_read_as_published(seed):
    got = {(c.table, c.row, c.col): c.value for c in seed.cells}
    want = {key: None for key in got}
    want.update({(t, r, c): v for (t, r), cols in PUBLISHED.items() for c, v in cols.items()})
    assert got == want


def test_table_4_is_present_and_entirely_blank(seed):
    review = [c for c in seed.cells if c.table == "review_litigation"]
    assert len(review) == 15 and all(c.value is None for c in review)


def test_the_identity_of_the_report(seed):
    assert (seed.organ, seed.year, seed.jurisdiction_code, seed.jurisdiction_name, seed.format) == (
        "海东市人民政府", 2023, "630200", "海东市", "2021")
    assert seed.title == "海东市人民政府2023年政府信息公开工作年度报告"


def test_exactly_the_two_published_inconsistencies_are_errors(seed):
    errors = sorted((i.check, i.row, i.col, i.expected, i.actual) for i in seed.errors())
    assert errors == [("results_sum", "total_processed", "total", 116, 128),
                      ("row_total", "unavailable_not_held", "total", 37, 25)]


def test_no_row_of_the_seed_is_read_by_guesswork(seed):
    assert not [i for i in seed.issues if i.check in ("ambiguous_alignment", "misaligned_values", "row_missing")]


def test_cells_point_back_to_their_line(seed):
    cell = next(c for c in seed.cells if (c.row, c.col) == ("unavailable_not_held", "total"))
    assert cell.raw == "25" and cell.position.startswith("line ")
