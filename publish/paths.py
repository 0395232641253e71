"""Where each page lives in the output folder, relative to its root, and the way back up.

Report files are named by a hash of the report key (organ names are long, and some file
systems and servers mangle non-ASCII names), under their jurisdiction and year.
"""

from __future__ import annotations

import hashlib

NATIONAL = "index.html"
STYLESHEET = "assets/site.css"
SEARCH_INDEX = "assets/search-index.js"
MANIFEST = ".xxgk-site.json"


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
