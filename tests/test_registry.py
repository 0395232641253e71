"""The portal registry: what a valid entry is, and refusals that name the bad entry."""

from __future__ import annotations

import pytest

from xxgk.crawler.portal_finder import coverage
from xxgk.crawler.registry import Portal, Profile, RegistryError, load_registry, parse_registry, write_registry

GOOD = {"name": "海东市人民政府", "jurisdiction": "630200", "organ": "海东市人民政府",
        "entry": "http://www.haidong.gov.cn/xxgk/ndbg/index.html"}


def test_a_valid_entry_loads_with_generic_defaults():
    [portal] = parse_registry({"portals": [GOOD]})
    assert portal.domains == ("www.haidong.gov.cn",) and portal.profile == Profile()


def test_a_registry_survives_writing_and_reading(tmp_path):
    portals = [Portal("p", "630200", "海东市人民政府", "https://a.gov.cn/ndbg/", ("gov.cn",),
                      Profile(rate=0.5, verify_tls=False))]
    write_registry(tmp_path / "portals.json", portals)
    assert load_registry(tmp_path / "portals.json") == portals


@pytest.mark.parametrize("change, message", [
    ({"jurisdiction": "63020"}, "is not a 6-digit GB/T 2260 code"),
    ({"jurisdiction": "999999"}, "is not a known administrative division"),
    ({"entry": "ftp://example.gov.cn/"}, "is not an http(s) URL"),
    ({"organ": ""}, '"organ" is required'),
    ({"allowed_domains": ["other.gov.cn"]}, "is not among the allowed domains"),
    ({"profile": {"rate": 0}}, "profile.rate must be"),
    ({"profile": {"list_item": "//a["}}, "profile.list_item is not an XPath expression"),
    ({"profile": {"attachment": "(["}}, "profile.attachment is not a regular expression"),
    ({"profile": {"speed": 3}}, "unknown profile field(s) speed"),
    ({"homepage": "x"}, "unknown field(s) homepage"),
])
def test_a_malformed_entry_is_refused_with_a_message_naming_it(change, message):
    with pytest.raises(RegistryError) as refused:
        parse_registry({"portals": [GOOD, {**GOOD, "name": "broken", **change}]})
    assert str(refused.value).startswith("portals[1] (broken): ") and message in str(refused.value)


def test_two_entries_with_one_name_are_refused():
    with pytest.raises(RegistryError, match=r"portals\[1\] \(海东市人民政府\): the name is used by an earlier entry"):
        parse_registry({"portals": [GOOD, GOOD]})


def test_a_file_that_is_not_json_is_refused_with_its_name(tmp_path):
    path = tmp_path / "portals.json"
    path.write_text("{portals: [", encoding="utf-8")
    with pytest.raises(RegistryError, match="portals.json: not JSON"):
        load_registry(path)


def test_coverage_counts_the_divisions_with_a_registered_portal_by_level():
    portals = [Portal("青海省人民政府", "630000", "青海省人民政府", "http://www.qinghai.gov.cn/ndbg/"),
               Portal("海东市人民政府", "630200", "海东市人民政府", "http://www.haidong.gov.cn/ndbg/")]
    rows = {level: (registered, total) for level, registered, total in coverage(portals)}
    assert (rows["province"][0], rows["prefecture"][0], rows["county"][0]) == (1, 1, 0)
    assert rows["province"][1] >= 31 and rows["county"][1] > 2000


def test_a_profile_naming_an_unknown_family_is_refused():
    with pytest.raises(RegistryError, match="profile.family must be one of"):
        parse_registry({"portals": [{**GOOD, "profile": {"family": "wordpress"}}]})


@pytest.mark.parametrize("content, reason", [
    ("{}".encode("utf-16"), "not UTF-8"),
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    (b"\x00\x01 not json", "not JSON"),
])
def test_a_registry_file_that_is_not_utf8_json_of_sane_depth_is_refused_in_one_line(tmp_path, content, reason):
    path = tmp_path / "portals.json"
    path.write_bytes(content)
    with pytest.raises(RegistryError, match=reason):
        load_registry(path)
