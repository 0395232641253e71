"""The raw store: content-addressed, written once, on any fsspec filesystem."""

from __future__ import annotations

import hashlib

import pytest

from xxgk.crawler.store import RawStore


def test_a_document_is_stored_under_its_sha256_with_its_metadata(tmp_path):
    store = RawStore(str(tmp_path))
    sha256, where = store.put(b"report", {"url": "http://a.gov.cn/x.pdf"})
    assert sha256 == hashlib.sha256(b"report").hexdigest() and where.endswith(f"/{sha256[:2]}/{sha256}")
    assert store.get(sha256) == b"report" and store.metadata(sha256)["url"] == "http://a.gov.cn/x.pdf"


def test_identical_documents_are_stored_once_keeping_the_first_metadata(tmp_path):
    store = RawStore(str(tmp_path))
    store.put(b"report", {"url": "http://a.gov.cn/1"})
    sha256, _ = store.put(b"report", {"url": "http://a.gov.cn/2"})
    assert len(store.fs.find(store.root)) == 2 and store.metadata(sha256)["url"] == "http://a.gov.cn/1"


def test_any_fsspec_filesystem_serves_as_the_store():
    store = RawStore("memory://xxgk-test-store")
    sha256, where = store.put(b"report", {})
    assert where.startswith("memory://") and store.get(sha256) == b"report"


def test_nothing_but_a_hex_digest_becomes_a_path(tmp_path):
    with pytest.raises(ValueError):
        RawStore(str(tmp_path)).get("../../etc/passwd")


def test_a_document_written_behind_is_there_at_once_and_on_disk_once_waited_for(tmp_path):
    store = RawStore(str(tmp_path), write_behind=True)
    sha256, _ = store.put(b"report", {"url": "http://a.gov.cn/x.pdf"})
    assert store.has(sha256) and store.get(sha256) == b"report"
    assert store.wait_written([sha256]) == {}
    on_disk = RawStore(str(tmp_path))
    assert on_disk.get(sha256) == b"report" and on_disk.metadata(sha256)["url"] == "http://a.gov.cn/x.pdf"


def test_a_document_that_cannot_be_written_behind_is_reported_by_the_wait_not_raised(tmp_path):
    sha256 = hashlib.sha256(b"report").hexdigest()
    (tmp_path / sha256[:2]).write_bytes(b"")  # a file where its folder should be
    store = RawStore(str(tmp_path), write_behind=True)
    store.put(b"report", {})
    assert "FileExistsError" in store.wait_written([sha256])[sha256] and not store.has(sha256)
