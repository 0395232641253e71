"""Faulty servers on 127.0.0.1, scripted per path: each answer is a list of byte strings
sent in turn with a pause between them, so a test can trickle, stall or send headers no
well-behaved server would. Every server stops with its test."""

from __future__ import annotations

import socket
import socketserver
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Script:
    pieces: tuple[bytes, ...]
    pause: float = 0.0        # seconds between pieces
    hold: float = 0.0         # seconds the connection stays open after the last piece (keep-alive)


def answer(status: str, headers: dict[str, str] | list[tuple[str, str]], body: bytes = b"", *, pause: float = 0.0,
           trickle: bool = False, hold: float = 0.0) -> Script:
    """An HTTP/1.1 answer; `trickle` sends the body one byte at a time, `pause` apart;
    `hold` keeps the connection open that long after the body, as a keep-alive server
    does (without it the answer says `Connection: close` and closes). Headers as a list
    may repeat a name."""
    pairs = headers.items() if isinstance(headers, dict) else headers
    head = f"HTTP/1.1 {status}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in pairs)
    head += "\r\n" if hold else "Connection: close\r\n\r\n"
    body_pieces = tuple(body[i:i + 1] for i in range(len(body))) if trickle else (body,)
    return Script((head.encode("latin-1"), *body_pieces), pause, hold)


@dataclass
class Server:
    port: int
    scripts: dict[str, Script]
    paths: list[str] = field(default_factory=list)   # requested paths, in order
    hosts: list[str] = field(default_factory=list)   # their Host headers

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"


@contextmanager
def scripted_server(scripts: dict[str, Script], tls: ssl.SSLContext | None = None) -> Iterator[Server]:
    """A server answering each path with its script (404 for any other), on 127.0.0.1;
    over TLS with `tls`."""
    server = Server(0, scripts)

    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            if tls is not None:
                try:
                    self.request = tls.wrap_socket(self.request, server_side=True)
                except (ssl.SSLError, OSError):  # the client refused our certificate
                    return
            head = b""
            while b"\r\n\r\n" not in head and len(head) < 65536:
                chunk = self.request.recv(4096)
                if not chunk:
                    return
                head += chunk
            lines = head.decode("latin-1").split("\r\n")
            path = lines[0].split(" ")[1]
            server.paths.append(path)
            server.hosts.append(next((line.split(":", 1)[1].strip() for line in lines
                                      if line.lower().startswith("host:")), ""))
            script = server.scripts.get(path, answer("404 Not Found", {"Content-Length": "0"}))
            try:
                for i, piece in enumerate(script.pieces):
                    if i and script.pause:
                        time.sleep(script.pause)
                    self.request.sendall(piece)
                if script.hold:  # until the client closes, or the hold is over
                    self.request.settimeout(script.hold)
                    try:
                        while self.request.recv(4096):
                            pass
                    except TimeoutError:
                        pass
                self.request.shutdown(socket.SHUT_RDWR)
            except OSError:  # the client gave up: what a deadline is for
                pass

    class ThreadedServer(socketserver.ThreadingTCPServer):
        daemon_threads = True
        allow_reuse_address = True

    with ThreadedServer(("127.0.0.1", 0), Handler) as tcp:
        server.port = tcp.server_address[1]
        thread = threading.Thread(target=tcp.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
        try:
            yield server
        finally:
            tcp.shutdown()
