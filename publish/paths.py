"""Where each page lives in the output folder, relative to its root, and the way back up.

Report files are named by a hash of the report key (organ names are long, and some file
systems and servers mangle non-ASCII names), under their jurisdiction and year.
"""

from __future__ import annotations

import hashlib
from urllib.parse import quote

NATIONAL = "index.html"
STYLESHEET = "assets/site.css"
SEARCH_INDEX = "assets/search-index.js"
MANIFEST = ".xxgk-site.json"
DICTIONARY = "dictionary.html"
FINDINGS = "findings.html"
FINDINGS_DATA = "assets/findings.js"
# `xxgk serve`: the snapshot's database name in Datasette's URLs, and where the site is mounted.
DATASETTE_DATABASE = "xxgk"
SITE_MOUNT = "site"


def province_page(code: str) -> str:
    return f"province/{code}.html"


def jurisdiction_page(code: str) -> str:
    return f"jurisdiction/{code}.html"


def report_stem(key: str, jurisdiction_code: str, year: int) -> str:
    """report/<code>/<year>-<hash>; the page adds .html, the downloads -<table>.csv and .xlsx."""
    return f"report/{jurisdiction_code}/{year}-{hashlib.sha1(key.encode()).hexdigest()[:12]}"


def root_of(path: str) -> str:
    """The relative way from a page back to the site's root: '', '../', '../../'."""
    return "../" * path.count("/")


def report_page_of_key(key: str) -> str | None:
    """A report's page from its key alone (jurisdiction_code/year/organ, records.report_key),
    as tools that hold only the key link it; None for what is no report key."""
    code, _, rest = key.partition("/")
    year, _, organ = rest.partition("/")
    if not (code.isdigit() and year.isdigit() and organ):
        return None
    return report_stem(key, code, int(year)) + ".html"


def browse_link(base: str, table: str, **equal: str) -> str:
    """A Datasette page of the snapshot's `table` filtered to rows whose columns equal the
    given values (`xxgk serve` at `base`)."""
    query = "&".join(f"{quote(column)}={quote(value, safe='')}" for column, value in equal.items())
    return f"{base}{DATASETTE_DATABASE}/{quote(table)}" + (f"?{query}" if query else "")
