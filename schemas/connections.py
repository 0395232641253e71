"""How the layers below the edges reach the outside world, as the edges resolve it.

xxgk/config.py reads these from the environment; the CLI, the flows and `xxgk.connect`
pass them down (the crawler's `Settings.network`, `open_warehouse(storage=)`). A layer
that receives one never reads the environment itself, so what a run uses is what its
entry point resolved, once, and a test or a library caller can say it in a line.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Network:
    """The way out for the crawler's requests. `proxies`: urllib's (scheme, proxy URL)
    pairs, with ("no", hosts) for the hosts that go direct (what http_proxy,
    https_proxy, all_proxy and no_proxy say); none: every request goes direct.
    `ca_bundle`: a CA file to verify TLS with in place of the system's."""

    proxies: tuple[tuple[str, str], ...] = ()
    ca_bundle: str | None = None


@dataclass(frozen=True)
class ObjectStorage:
    """Credentials for a lake whose data is on S3-compatible object storage. `endpoint`:
    the server's URL for one that is not AWS (MinIO, Ceph and the like), which is then
    addressed by path (http://host/bucket/key), without TLS when the URL says http. The
    secrets are left out of its repr, so no log or traceback shows them."""

    key_id: str
    secret: str = field(default="", repr=False)
    region: str = ""
    endpoint: str = ""
    session_token: str = field(default="", repr=False)
