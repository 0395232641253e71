"""Reporting years as titles and sentences write them: 2023, or 二〇二三 digit by digit.

Shared by the extractor (titles, 统计期限 sentences) and the crawler (link titles), so a
year one of them reads the other reads the same way.
"""

from __future__ import annotations

from datetime import date

YEAR = r"(?P<year>(?:19|20)\d{2}|[〇○零一二][〇○零一二三四五六七八九]{3})"
_CN_DIGITS = str.maketrans("〇○零一二三四五六七八九", "00012345678" + "9")
FIRST_REPORTING_YEAR = 2008  # the Regulations on Open Government Information took effect


def year_number(text: str) -> int:
    return int(text.translate(_CN_DIGITS))


def possible_years(today: date | None = None) -> range:
    """The years a report can be about: from 2008 to next year (a report is written in
    the year after the one it covers; a title a year ahead is read, not discarded)."""
    return range(FIRST_REPORTING_YEAR, (today or date.today()).year + 2)


def plausible_year(year: int) -> int | None:
    """The year, if a report can be about it."""
    return year if year in possible_years() else None
