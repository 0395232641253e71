"""The portal registry: which sites to crawl, as a JSON file validated on load.

Each entry names a government portal's annual-report column (its entry URL), the
jurisdiction and organ whose reports it lists, and the domains the crawler may follow
from it. Sites the generic discovery cannot read get a profile: a list-item XPath, a
next-page rule, an attachment pattern, a slower (or faster, for our own demo) rate, or
TLS verification turned off for a portal with a broken certificate chain.

A malformed entry is refused with a message naming it, so a typo in one of thousands of
entries is found when the file is checked, not in the middle of a nightly run.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import lxml.etree

from xxgk.crawler.families import FAMILIES
from xxgk.crawler.safety import within_domains
from xxgk.schemas.divisions import division_names
from xxgk.schemas.errors import XxgkError

_CODE = re.compile(r"^\d{6}$")
_PROFILE_KEYS = {"list_item", "next_page", "attachment", "rate", "verify_tls", "max_pages", "family"}
_FAMILY_NAMES = tuple(family.name for family in FAMILIES)
_PORTAL_KEYS = {"name", "jurisdiction", "organ", "entry", "allowed_domains", "profile"}


class RegistryError(XxgkError, ValueError):
    """The registry file is malformed; the message names the entry and the field."""


@dataclass(frozen=True)
class Profile:
    """How to read a site the generic rules cannot. Every field has the generic default."""

    list_item: str | None = None    # XPath of the report links on a list page
    next_page: str | None = None    # XPath of the next-page link(s) on a list page
    attachment: str | None = None   # regex an attachment URL matches
    rate: float = 1.0               # requests per second to each of the portal's hosts
    verify_tls: bool = True
    max_pages: int = 50             # list pages followed per crawl, at most
    family: str | None = None       # the CMS family, where detecting it from the page fails


@dataclass(frozen=True)
class Portal:
    name: str
    jurisdiction: str               # GB/T 2260 code
    organ: str
    entry: str                      # URL of the annual-report column
    allowed_domains: tuple[str, ...] = ()
    profile: Profile = field(default_factory=Profile)

    @property
    def domains(self) -> tuple[str, ...]:
        """The allowed domains, the entry's host when none are listed."""
        return self.allowed_domains or (urlsplit(self.entry).hostname or "",)

    def to_json(self) -> dict[str, Any]:
        entry = asdict(self)
        entry["allowed_domains"] = list(self.allowed_domains)
        defaults = asdict(Profile())
        entry["profile"] = {k: v for k, v in entry["profile"].items() if v != defaults[k]}
        if not entry["profile"]:
            del entry["profile"]
        if not entry["allowed_domains"]:
            del entry["allowed_domains"]
        return entry


MAX_REGISTRY_BYTES = 64 * 1024 * 1024  # some 3,000 portals take well under 2 MB


def load_registry(path: str | Path) -> list[Portal]:
    """The registry file, refused in one line when it is not UTF-8 JSON of sane size and
    depth (json recurses once per nesting level)."""
    try:
        with open(path, "rb") as file:
            data = file.read(MAX_REGISTRY_BYTES + 1)
        if len(data) > MAX_REGISTRY_BYTES:
            raise RegistryError(f"{path}: over {MAX_REGISTRY_BYTES:,} bytes, not a registry")
        document = json.loads(data.decode("utf-8"))
    except OSError as error:
        raise RegistryError(f"{path}: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise RegistryError(f"{path}: not UTF-8 text: {error.reason} at byte {error.start}") from None
    except json.JSONDecodeError as error:
        raise RegistryError(f"{path}: not JSON: {error}") from None
    except RecursionError:
        raise RegistryError(f"{path}: JSON nested too deeply to be a registry") from None
    return parse_registry(document)


def parse_registry(document: Any) -> list[Portal]:
    """Every entry checked; the first malformed one raises RegistryError naming it."""
    entries = document.get("portals") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise RegistryError('the registry must be an object with a list "portals"')
    portals = [_portal(entry, f"portals[{i}]") for i, entry in enumerate(entries)]
    seen: set[str] = set()
    for i, portal in enumerate(portals):
        if portal.name in seen:
            raise RegistryError(f"portals[{i}] ({portal.name}): the name is used by an earlier entry")
        seen.add(portal.name)
    return portals


def write_registry(path: str | Path, portals: list[Portal]) -> None:
    text = json.dumps({"portals": [p.to_json() for p in portals]}, ensure_ascii=False, indent=2)
    Path(path).write_text(text + "\n", encoding="utf-8")


def known_jurisdiction(code: str) -> bool:
    """A code of cpca's division data (the data the extractor and the warehouse use)."""
    return code in division_names()


def _portal(entry: Any, where: str) -> Portal:
    if not isinstance(entry, dict):
        raise RegistryError(f"{where}: an entry must be an object")
    where = f"{where} ({entry.get('name', 'unnamed')})"

    def fail(message: str) -> RegistryError:
        return RegistryError(f"{where}: {message}")

    unknown = set(entry) - _PORTAL_KEYS
    if unknown:
        raise fail(f"unknown field(s) {', '.join(sorted(unknown))}")
    for key in ("name", "jurisdiction", "organ", "entry"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise fail(f'"{key}" is required and must be a non-empty string')
    if not _CODE.match(entry["jurisdiction"]):
        raise fail(f"jurisdiction {entry['jurisdiction']!r} is not a 6-digit GB/T 2260 code")
    if not known_jurisdiction(entry["jurisdiction"]):
        raise fail(f"jurisdiction {entry['jurisdiction']} is not a known administrative division")
    parts = urlsplit(entry["entry"])
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise fail(f"entry {entry['entry']!r} is not an http(s) URL")
    domains = entry.get("allowed_domains", [])
    if not isinstance(domains, list) or not all(isinstance(d, str) and d and "/" not in d for d in domains):
        raise fail('"allowed_domains" must be a list of host names')
    if domains and not within_domains(parts.hostname, domains):
        raise fail(f"the entry's host {parts.hostname} is not among the allowed domains")
    return Portal(entry["name"], entry["jurisdiction"], entry["organ"], entry["entry"],
                  tuple(d.lower() for d in domains), _profile(entry.get("profile", {}), fail))


def _profile(profile: Any, fail: Callable[[str], RegistryError]) -> Profile:
    if not isinstance(profile, dict):
        raise fail('"profile" must be an object')
    unknown = set(profile) - _PROFILE_KEYS
    if unknown:
        raise fail(f"unknown profile field(s) {', '.join(sorted(unknown))}")
    for key in ("list_item", "next_page", "attachment"):
        if key in profile and not isinstance(profile[key], str):
            raise fail(f"profile.{key} must be a string")
    for key in ("list_item", "next_page"):
        try:
            lxml.etree.XPath(profile.get(key) or ".")
        except lxml.etree.XPathSyntaxError as error:
            raise fail(f"profile.{key} is not an XPath expression: {error}") from None
    if "attachment" in profile:
        try:
            re.compile(profile["attachment"])
        except re.error as error:
            raise fail(f"profile.attachment is not a regular expression: {error}") from None
    rate = profile.get("rate", 1.0)
    if isinstance(rate, bool) or not isinstance(rate, int | float) or not 0 < rate <= 50:
        raise fail("profile.rate must be a number of requests per second in (0, 50]")
    if not isinstance(profile.get("verify_tls", True), bool):
        raise fail("profile.verify_tls must be true or false")
    pages = profile.get("max_pages", 50)
    if isinstance(pages, bool) or not isinstance(pages, int) or pages < 1:
        raise fail("profile.max_pages must be a positive integer")
    if profile.get("family", _FAMILY_NAMES[0]) not in _FAMILY_NAMES:
        raise fail(f"profile.family must be one of {', '.join(_FAMILY_NAMES)}")
    return Profile(profile.get("list_item"), profile.get("next_page"), profile.get("attachment"),
                   float(rate), profile.get("verify_tls", True), pages, profile.get("family"))


