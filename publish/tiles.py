"""Where each province sits on the site's tile map: a grid that keeps China's rough
geography (west to east, north to south) with one equal tile per province, so a small
province is as visible as a large one. Data, not drawing: charts.tile_map draws it."""

from __future__ import annotations

from typing import NamedTuple


class Tile(NamedTuple):
    code: str
    short_name: str
    row: int
    col: int


PROVINCE_TILES: tuple[Tile, ...] = (
    Tile("230000", "黑龙江", 0, 7),
    Tile("650000", "新疆", 1, 1), Tile("150000", "内蒙古", 1, 4), Tile("110000", "北京", 1, 5),
    Tile("120000", "天津", 1, 6), Tile("220000", "吉林", 1, 7),
    Tile("620000", "甘肃", 2, 2), Tile("640000", "宁夏", 2, 3), Tile("140000", "山西", 2, 4),
    Tile("130000", "河北", 2, 5), Tile("210000", "辽宁", 2, 6),
    Tile("540000", "西藏", 3, 1), Tile("630000", "青海", 3, 2), Tile("610000", "陕西", 3, 3),
    Tile("410000", "河南", 3, 4), Tile("370000", "山东", 3, 5),
    Tile("510000", "四川", 4, 2), Tile("500000", "重庆", 4, 3), Tile("420000", "湖北", 4, 4),
    Tile("340000", "安徽", 4, 5), Tile("320000", "江苏", 4, 6),
    Tile("530000", "云南", 5, 2), Tile("520000", "贵州", 5, 3), Tile("430000", "湖南", 5, 4),
    Tile("360000", "江西", 5, 5), Tile("330000", "浙江", 5, 6), Tile("310000", "上海", 5, 7),
    Tile("450000", "广西", 6, 3), Tile("440000", "广东", 6, 4), Tile("350000", "福建", 6, 5),
    Tile("710000", "台湾", 6, 6),
    Tile("460000", "海南", 7, 3), Tile("820000", "澳门", 7, 4), Tile("810000", "香港", 7, 5),
)

SHORT_NAMES = {tile.code: tile.short_name for tile in PROVINCE_TILES}
