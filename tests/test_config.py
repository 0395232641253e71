"""Configuration read from the environment at the edges (xxgk/config.py): the network's
proxies and CA bundle, and object storage's credentials, each resolved by one function
into the value the layers below are given."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from xxgk import config
from xxgk.crawler.client import Client
from xxgk.crawler.connection import Policy
from xxgk.schemas.connections import Network, ObjectStorage


@pytest.fixture
def clean(monkeypatch):
    for name in (*config.PROXY_ENV, *config.CA_BUNDLE_ENV, *config.OBJECT_STORAGE_ENV.values()):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    return monkeypatch


def test_no_variable_means_direct_requests_verified_by_the_system(clean):
    assert config.network() == Network()


def test_the_proxies_and_their_exceptions_come_as_urllib_reads_them(clean):
    clean.setenv("https_proxy", "http://proxy.test:3128")
    clean.setenv("no_proxy", "gov.cn")
    assert config.network().proxies == (("https", "http://proxy.test:3128"), ("no", "gov.cn"))


def test_requests_ca_bundle_comes_before_curls(clean):
    clean.setenv("CURL_CA_BUNDLE", "/etc/curl.pem")
    assert config.network().ca_bundle == "/etc/curl.pem"
    clean.setenv("REQUESTS_CA_BUNDLE", "/etc/requests.pem")
    assert config.network().ca_bundle == "/etc/requests.pem"


def test_the_client_goes_through_the_proxy_it_is_given_except_for_the_hosts_listed(clean):
    clean.setenv("http_proxy", "http://elsewhere.test:1")  # read only by config.network(), never by the client
    network = Network(proxies=(("http", "http://proxy.test:3128"), ("no", "direct.gov.cn")))
    client = Client(Policy(1.0, False), "test", network=network)
    assert client._proxy("http://www.gov.cn/a") == "http://proxy.test:3128"
    assert client._proxy("http://direct.gov.cn/a") is None
    assert Client(Policy(1.0, False), "test")._proxy("http://www.gov.cn/a") is None


def test_no_access_key_means_no_object_storage_credentials(clean):
    clean.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    assert config.object_storage() is None


def test_object_storage_credentials_are_the_aws_variables(clean):
    for name, value in {"AWS_ACCESS_KEY_ID": "key", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_REGION": "cn-north-1",
                        "AWS_ENDPOINT_URL": "http://127.0.0.1:9000"}.items():
        clean.setenv(name, value)
    assert config.object_storage() == ObjectStorage("key", "secret", "cn-north-1", "http://127.0.0.1:9000", "")


def test_the_operations_manual_lists_every_variable_config_reads_and_no_other():
    read = {*(setting.env for setting in config.SETTINGS.values()), config.ALLOW_PRIVATE_ENV, config.SHARED_ENV,
            config.CACHE_ENV, *config.EXTRACTION_LIMITS, *config.QUERY_LIMITS, *config.PROXY_ENV,
            *config.CA_BUNDLE_ENV, *config.OBJECT_STORAGE_ENV.values()}
    manual = (Path(__file__).parent.parent / "docs" / "operations.md").read_text(encoding="utf-8")
    section = manual.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    listed = {name for line in section.splitlines() if line.startswith("| `")
              for name in re.findall(r"`([A-Za-z_]+)`", line.split(" | ")[0])}
    assert listed == read


def test_object_storage_secrets_stay_out_of_its_repr():
    shown = repr(ObjectStorage("key", "s3cr3t", session_token="t0k3n"))
    assert "key" in shown and "s3cr3t" not in shown and "t0k3n" not in shown
