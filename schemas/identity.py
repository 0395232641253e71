"""A report's identity, (jurisdiction, organ, year), and the one rule that settles it.

The warehouse keys a report by its identity (`ReportIdentity.key`). Three witnesses may
say what it is: the listing (the portal's registry entry and the link title it was found
under), the document (its title, header lines and signature) and the caller (`xxgk
extract --jurisdiction/--organ/--year`). `settle` decides between them, once, for the
extractor and for the loader alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from xxgk.schemas.divisions import division_names, locate, short_form
from xxgk.schemas.zones import named_zone

_FIELDS = ("jurisdiction_code", "organ", "year")


@dataclass(frozen=True)
class ReportIdentity:
    """Whose report of which year: a GB/T 2260 division code, the publishing organ's name
    and the reporting year (None where a witness does not say)."""

    jurisdiction_code: str | None = None
    organ: str | None = None
    year: int | None = None

    @property
    def missing(self) -> list[str]:
        """The parts not determined, by name."""
        return [name for name in _FIELDS if getattr(self, name) is None]

    @property
    def key(self) -> str | None:
        """The warehouse's key of the report, as one string (None while a part is missing)."""
        return None if self.missing else f"{self.jurisdiction_code}/{self.year}/{self.organ}"


def settle(listing: ReportIdentity, document: ReportIdentity, given: ReportIdentity = ReportIdentity()
           ) -> ReportIdentity:
    """The report's identity from what its listing, the document itself and the caller say.

    * The caller's values win outright: they are stated for this document by someone who
      knows (`--jurisdiction`, `--organ`, `--year`), and are taken as given.
    * The listing wins the year and the jurisdiction where it says them: the portal is
      registered for its division, and its link title's year is the one the publisher
      filed the report under (the document's own title and 统计期限 sentence fill in
      where the listing is silent).
    * The organ: a listed organ that names its place (海东市人民政府, 四川省统计局) is
      kept, so a body is keyed by one name year after year. A listed organ without a place
      (教育局 in the link title of a county's column) is that jurisdiction's body: the
      document's name for it is taken where the document names the same body in full
      (海东市乐都区教育局; 发改委 for 某县发展和改革委员会), else the listed name is
      qualified with the jurisdiction's place (乐都区教育局). Without a listed organ, the
      document's is taken, qualified the same way where it names no place.
    * Whatever one side leaves open, the other fills.
    """
    jurisdiction_code = given.jurisdiction_code or listing.jurisdiction_code or document.jurisdiction_code
    return ReportIdentity(
        jurisdiction_code,
        given.organ or _organ(listing.organ, document.organ, jurisdiction_code),
        given.year or listing.year or document.year,
    )


def _organ(listed: str | None, read: str | None, jurisdiction_code: str | None) -> str | None:
    """The organ of a report from the one its listing names and the one its document
    names (`settle`'s rule for the organ)."""
    if listed and has_place(listed):
        return listed
    if listed:
        return read if read and has_place(read) and same_body(listed, read) else _qualified(listed, jurisdiction_code)
    return read and _qualified(read, jurisdiction_code)


def has_place(organ: str) -> bool:
    """Does the organ's name say where it is (a division, or a zone of schemas/zones.py)?"""
    return named_zone(organ) is not None or locate(organ) is not None


def same_body(bare: str, full: str) -> bool:
    """Does the full name name the body the bare one does? Its tail (平潭县公安局 for 公安局),
    or the bare name as an abbreviation of it, its characters in order (发改委 for
    某县发展和改革委员会)."""
    if full.endswith(bare):
        return True
    rest = iter(full)
    return len(bare) >= 2 and all(char in rest for char in bare)


def _qualified(organ: str, jurisdiction_code: str | None) -> str:
    """A bare organ with its jurisdiction's place before it, where the jurisdiction is a
    known division (an unknown code is reported where it is resolved, never prefixed); a
    name led by the place's short form and a department's name after it (平潭市场监督管理局
    in 平潭县) names it already, while 公安局 in 公安县 does not."""
    place = division_names().get((jurisdiction_code or "").strip())
    if place is None or has_place(organ) or organ.startswith(place):
        return organ
    short = short_form(place)
    return organ if short and organ.startswith(short) and len(organ) - len(short) >= 2 else f"{place}{organ}"
