"""The zone table: data, checked against the division codes."""

from xxgk.schemas.divisions import division_names
from xxgk.schemas.zones import ZONES, named_zone, zone_word


def test_every_zone_is_keyed_to_a_known_division():
    assert not [zone for zone in ZONES if zone.code not in division_names()]


def test_no_zone_of_the_table_has_a_division_of_its_own_name():
    assert not [zone for zone in ZONES if zone.name in division_names().values()]


def test_an_administered_county_bears_the_zones_place_name():
    administered = [zone for zone in ZONES
                    if zone.relation == "administers" and division_names()[zone.code].endswith("县")]
    assert all(division_names()[zone.code].rstrip("县") in zone.name for zone in administered)


def test_the_longest_zone_name_in_a_place_wins():
    assert named_zone("平潭综合实验区管委会办公室").name == "平潭综合实验区"
    assert named_zone("海东市人民政府") is None


def test_a_zone_word_counts_only_beyond_the_divisions_own_name():
    assert zone_word("淮安经济技术开发区", "淮安市") == "开发区"
    assert zone_word("上海市浦东新区人民政府", "浦东新区") is None
