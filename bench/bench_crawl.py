"""Crawl throughput against the politeness bound, on a simulated farm of portals.

    python bench/bench_crawl.py [--portals 200] [--rate 2] [--latency 0.1] [--pages 24] [--per-list 8]
                                [--concurrency 128] [--families static,trs,hanweb,fujian,gkmlpt]

A nightly crawl of thousands of county portals is meant to be bounded by politeness, not
by our code: with every host at its rate limit, the crawl can go no faster than
hosts × rate requests/s. This measures how close `crawl` (crawler/crawl.py) comes to that
bound, and at what CPU cost, against a farm of portals served from a separate process
(asyncio, so the farm takes little CPU and none of the crawler's GIL). Each portal listens
on its own 127.0.0.1 port, so each is its own origin (a host, for the rate limiter), and
answers every request after `--latency` seconds: robots.txt, a report column, and one HTML
detail page per report, which is the report document. Columns cycle through `--families`
as samples/cms.py writes them: list pages linked by 下一页 (static), a createPageHTML
pager (trs), a datastore page and dataproxy.jsp POSTs (hanweb), a static page 1 and
list-API POSTs (fujian), a script shell and its JSON API (gkmlpt). Discovery's CPU per
listing page of each family is measured too, in this process, on the same pages.

Politeness is what crawler/ratelimit.py defines: one request at a time per origin, and
1/rate seconds from the END of one response to the start of the next. So a host can do at
most 1 / (1/rate + latency) requests/s (1.67/s at 2/s and 100 ms: 83% of the bound); that
stricter "achievable" figure is printed too, to tell politeness from overhead. So is the
gap the farm saw between a response and the host's next request: the interval plus what
the crawler adds (reading the response, storing and parsing it, waiting for the GIL). The
crawler's threads share one GIL, so its CPU is given in % of ONE core: near 100%, every
host waits for the interpreter and the gaps grow. Target (issue): ≥ 80% of the bound
hosts × rate, on a 2-core machine.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import html
import multiprocessing
import resource
import statistics
import tempfile
import time
from collections import Counter
from urllib.parse import parse_qsl

from xxgk.crawler.crawl import crawl
from xxgk.crawler.discover import listing
from xxgk.crawler.families import PageRequest
from xxgk.crawler.http import Fetcher, Settings
from xxgk.crawler.registry import Portal, Profile
from xxgk.crawler.store import RawStore
from xxgk.samples import cms

ORGANS = ["人民政府", "人民政府办公室", "发展和改革局", "教育局", "财政局", "自然资源局", "生态环境局",
          "住房和城乡建设局", "交通运输局", "农业农村局", "卫生健康委员会", "市场监督管理局"]
ROBOTS = b"User-agent: *\nAllow: /\n"
TARGET = 0.80


# ---------------------------------------------------------------- the farm (its own process)

ENTRIES = {"static": "/ndbg/index.html", "trs": "/ndbg/index.html", "hanweb": "/col/col1/index.html",
           "fujian": "/ndbg/", "gkmlpt": "/gkmlpt/annualreport#1"}


def site(portal: int, reports: int, per_list: int, family: str = "static") -> dict[str, bytes]:
    """One portal's pages by route (`route()`): robots.txt, the column in the family's way,
    and one detail page per report (no attachment, so the page is the document)."""
    county = f"第{portal + 1}县"
    titles = [f"{county}{ORGANS[k // 24 % len(ORGANS)]}{2023 - k % 24}年政府信息公开工作年度报告"
              for k in range(reports)]
    pages = {"/robots.txt": ROBOTS}
    for k, title in enumerate(titles):
        paragraphs = "".join(f"<p>{county}第{k + 1}份报告第{i + 1}段："
                             f"本年度主动公开政府信息{(portal * 31 + k * 7 + i) % 997}条，"
                             f"收到并办理政府信息公开申请若干件。</p>" for i in range(12))
        pages[f"/ndbg/{k + 1:04d}.html"] = (
            f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title></head><body>"
            f"<div class=\"nav\"><a href=\"/\">首页</a> &gt; <a href=\"/ndbg/index.html\">政府信息公开年报</a></div>"
            f"<h1>{title}</h1><div class=\"content\">{paragraphs}</div></body></html>").encode()
    count = max(1, -(-reports // per_list))
    if family != "static":
        items = [(title, f"/ndbg/{k + 1:04d}.html", "2024-01-01") for k, title in enumerate(titles)]
        return pages | column(family, county, items, per_list)
    names = ["index.html"] + [f"index_{p + 1}.html" for p in range(1, count)]
    for p, name in enumerate(names):
        items = "".join(f"<li><a href=\"{k + 1:04d}.html\" title=\"{title}\">{html.escape(title)}</a>"
                        f"<span>2024-0{1 + k % 9}-1{k % 10}</span></li>"
                        for k, title in enumerate(titles) if k // per_list == p)
        more = f"<a href=\"{names[p + 1]}\">下一页</a>" if p + 1 < count else ""
        back = f"<a href=\"{names[p - 1]}\">上一页</a>" if p else ""
        pages[f"/ndbg/{name}"] = (
            f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{county}政府信息公开年报</title></head><body>"
            f"<h2>政府信息公开年报</h2><ul class=\"list\">{items}</ul><div class=\"page\">{back} {more}</div>"
            f"</body></html>").encode()
    return pages


def column(family: str, county: str, items: list[cms.Item], per_list: int) -> dict[str, bytes]:
    """A column's listing pages and list-API answers, by route."""
    chunks = [items[i:i + per_list] for i in range(0, len(items), per_list)]

    def page(body: str) -> bytes:
        return f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>{body}</body></html>".encode()

    if family == "trs":
        return {"/ndbg/" + ("index.html" if p == 0 else f"index_{p}.html"):
                page(f"<ul>{cms.list_items(chunk)}</ul>{cms.trs_pager('createPageHTML', len(chunks), p)}")
                for p, chunk in enumerate(chunks)}
    if family == "hanweb":
        pages = {"/col/col1/index.html": page(cms.hanweb_column(chunks[0], 1, 2, 3, county, per_list, len(items)))}
        return pages | {f"{cms.HANWEB_PROXY}?startrecord={p * per_list + 1}": cms.hanweb_answer(chunk, 1, 2, 3, county)
                        for p, chunk in enumerate(chunks) if p}
    if family == "fujian":
        pages = {"/ndbg/": page(cms.fujian_list(chunks[0], 1813, 200210, len(items), per_list))}
        return pages | {f"{cms.FUJIAN_API}?page={p + 1}": cms.fujian_answer(chunk, len(chunks), len(items))
                        for p, chunk in enumerate(chunks) if p}
    if family == "gkmlpt":
        pages = {"/gkmlpt/annualreport": page(cms.gkmlpt_shell(757))}
        return pages | {cms.gkmlpt_api(1, 757, p + 1): cms.gkmlpt_answer(chunk, len(items))
                        for p, chunk in enumerate(chunks)}
    raise ValueError(f"unknown family {family!r}")


def route(target: str, body: bytes) -> str:
    """What a request asks for, as `column` keys it: the path and query, narrowed to the
    record or page number for the list APIs (the rest of their form is the column's)."""
    path, _, query = target.partition("?")
    if path == cms.HANWEB_PROXY:
        return f"{path}?startrecord={dict(parse_qsl(query)).get('startrecord')}"
    if path == cms.FUJIAN_API:
        return f"{path}?page={dict(parse_qsl(body.decode('utf-8', 'replace'))).get('page')}"
    return target


def discovery_cpu(families: list[str], per_list: int, rounds: int = 200) -> list[tuple[str, float]]:
    """(family, ms of CPU per listing page) for `listing()` on each family's first page of
    items (gkmlpt's first API answer, its shell holding none)."""
    rows = []
    for family in families:
        pages = site(0, 4 * per_list, per_list, family)
        path = cms.gkmlpt_api(1, 757, 1) if family == "gkmlpt" else ENTRIES[family]
        request = PageRequest("http://127.0.0.1:8000" + path, reads="gkmlpt" if family == "gkmlpt" else None)
        text = pages[path.split("#")[0]].decode()
        start = time.process_time()
        for _ in range(rounds):
            listing(text, request.url, request=request)
        rows.append((family, (time.process_time() - start) / rounds * 1000))
    return rows


class Farm:
    """The portals' servers, in one asyncio loop, and what they saw: requests, connections,
    and for each host the gap from a response to its next request (politeness as the
    server sees it: the interval plus whatever the crawler adds)."""

    def __init__(self, latency: float):
        self.latency = latency
        self.requests = self.connections = 0
        self.gaps: list[float] = []
        self.answered: dict[int, float] = {}
        self.open: dict[asyncio.StreamWriter, asyncio.Task] = {}  # to end connections cleanly on stop

    async def answer(self, portal: int, pages: dict[str, bytes],
                     reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Minimal HTTP/1.1 with keep-alive: every response after `latency` seconds."""
        self.connections += 1
        self.open[writer] = asyncio.current_task()
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                if portal in self.answered:
                    self.gaps.append(time.monotonic() - self.answered[portal])
                length = next((int(line.split(b":", 1)[1]) for line in head.lower().split(b"\r\n")
                               if line.startswith(b"content-length:")), 0)
                form = await reader.readexactly(length) if length else b""
                target = route(head.split(b" ", 2)[1].decode("latin-1"), form)
                body = pages.get(target)
                status = b"200 OK" if body is not None else b"404 Not Found"
                body = body if body is not None else b"not found"
                kind = b"text/plain" if target.endswith(".txt") or status != b"200 OK" else b"text/html; charset=utf-8"
                await asyncio.sleep(self.latency)
                writer.write(b"HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n"
                             b"Connection: keep-alive\r\n\r\n%s"
                             % (status, kind, len(body), body))
                await writer.drain()
                self.answered[portal] = time.monotonic()
                self.requests += 1
                if b"connection: close" in head.lower():
                    break
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError, IndexError):
            pass
        finally:
            self.open.pop(writer, None)
            writer.close()

    async def run(self, portals: int, reports: int, per_list: int, families: list[str], control) -> None:
        servers = [await asyncio.start_server(functools.partial(self.answer, i, site(i, reports, per_list,
                                                                                      families[i % len(families)])),
                                              "127.0.0.1", 0, backlog=64) for i in range(portals)]
        loop = asyncio.get_running_loop()
        stop = loop.create_future()
        loop.add_reader(control.fileno(), lambda: stop.done() or stop.set_result(None))
        control.send(([s.sockets[0].getsockname()[1] for s in servers], time.process_time()))
        await stop
        control.recv()
        control.send((time.process_time(), self.requests, self.connections, self.gaps))
        for server in servers:
            server.close()
        tasks = list(self.open.values())
        for writer in list(self.open):
            writer.close()
        await asyncio.gather(*tasks, return_exceptions=True)


def serve(portals: int, reports: int, per_list: int, latency: float, families: list[str], control) -> None:
    asyncio.run(Farm(latency).run(portals, reports, per_list, families, control))


# ---------------------------------------------------------------- the crawler (this process)

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--portals", type=int, default=200, help="simulated portals, one host (port) each")
    parser.add_argument("--rate", type=float, default=2.0, help="requests/s/host allowed (the portal profile's rate)")
    parser.add_argument("--latency", type=float, default=0.1, help="seconds before the farm answers a request")
    parser.add_argument("--pages", type=int, default=24, help="report detail pages per portal")
    parser.add_argument("--per-list", type=int, default=8, help="report links per list page")
    parser.add_argument("--concurrency", type=int, default=128, help="the fetcher's bound on requests in flight")
    parser.add_argument("--families", default="static", help="CMS families the columns cycle through, comma-separated "
                                                              "(static, trs, hanweb, fujian, gkmlpt)")
    args = parser.parse_args()
    families = args.families.split(",")

    lists = max(1, -(-args.pages // args.per_list))
    # robots.txt, the list pages (gkmlpt: its shell too), the detail pages
    requests_per_host = [1 + lists + (family == "gkmlpt") + args.pages for family in families]
    per_host = max(requests_per_host)
    context = multiprocessing.get_context("spawn")
    control, child = context.Pipe()
    server = context.Process(
        target=serve, args=(args.portals, args.pages, args.per_list, args.latency, families, child), daemon=True)
    server.start()
    ports, farm_cpu_start = control.recv()
    portals = [Portal(f"bench-{i}", "110101", "某某县人民政府办公室",
                      f"http://127.0.0.1:{port}{ENTRIES[families[i % len(families)]]}",
                      ("127.0.0.1",), Profile(rate=args.rate)) for i, port in enumerate(ports)]
    folder = tempfile.TemporaryDirectory(prefix="xxgk-bench-crawl-")
    fetcher = Fetcher(RawStore(folder.name, write_behind=True), {},  # as the pipeline's crawl writes its store
                      Settings(allow_private=True, concurrency=args.concurrency))
    try:
        with folder:
            usage = resource.getrusage(resource.RUSAGE_SELF)
            cpu, start = time.process_time(), time.perf_counter()
            results = list(crawl(portals, fetcher, workers=args.portals))
            wall, cpu = time.perf_counter() - start, time.process_time() - cpu
            after = resource.getrusage(resource.RUSAGE_SELF)
    finally:
        fetcher.client.close()
        control.send("stop")
        farm_cpu_end, served, connections, gaps = control.recv()
        server.join(5)

    # A benchmark of wrong answers is worthless: every portal fully crawled, every request fetched.
    failed = [r for r in results if r.error or len(r.reports) != args.pages]
    outcomes = Counter(entry.outcome for entry in fetcher.log)
    assert not failed, [(r.portal, r.error, len(r.reports)) for r in failed[:3]]
    expected = sum(requests_per_host[i % len(families)] for i in range(args.portals))
    assert outcomes == {"fetched": expected}, outcomes

    requests = len(fetcher.log)
    achieved, bound = requests / wall, args.portals * args.rate
    spacing = 1 / args.rate + args.latency
    achievable = args.portals / spacing
    finite = args.portals * per_host / ((per_host - 1) * spacing + args.latency)  # no wait after a host's last request
    farm_cpu = farm_cpu_end - farm_cpu_start
    print(f"{args.portals} portals on 127.0.0.1 ({', '.join(families)}), {args.latency * 1000:.0f} ms latency, "
          f"{args.rate:g} requests/s/host, up to {per_host} requests/host (robots.txt, {lists} list pages, "
          f"{args.pages} reports); concurrency {args.concurrency}, workers {args.portals}")
    print(f"crawled {requests:,} requests in {wall:.2f} s, {sum(len(r.reports) for r in results):,} reports found; "
          f"the farm served {served:,} requests on {connections:,} connections")
    print()
    print(f"{'requests/s':<66}{'':>9}{'of bound':>10}")
    rows = [("politeness bound: hosts × rate", bound),
            ("achievable under end-to-start spacing: hosts / (1/rate + latency)", achievable),
            (f"  the same over {per_host} requests per host (no wait after the last)", finite),
            ("achieved", achieved)]
    for name, value in rows:
        print(f"{name:<66}{value:>9.1f}{value / bound:>10.1%}")
    print(f"{'achieved / achievable over ' + str(per_host) + ' requests per host':<66}{'':>9}"
          f"{achieved / finite:>10.1%}")
    print()
    gaps = sorted(gaps)
    interval = 1000 / args.rate
    if gaps:
        mean, median, p90 = (1000 * statistics.fmean(gaps), 1000 * gaps[len(gaps) // 2],
                             1000 * gaps[int(len(gaps) * 0.9)])
        print(f"gap from a response to the host's next request, as the farm saw it: mean {mean:.0f} ms, median "
              f"{median:.0f}, p90 {p90:.0f} (interval {interval:.0f}); "
              f"the crawler adds {mean - interval:.0f} ms a request")
    user, system = after.ru_utime - usage.ru_utime, after.ru_stime - usage.ru_stime
    print(f"CPU, crawler: {cpu:.2f} s (user {user:.2f}, sys {system:.2f}) = {cpu / wall:.0%} of one core, "
          f"{cpu / requests * 1000:.2f} ms/request")
    print(f"CPU, farm:    {farm_cpu:.2f} s = {farm_cpu / wall:.0%} of one core, "
          f"{farm_cpu / requests * 1000:.2f} ms/request")
    ratio = achieved / bound
    print(f"target ≥ {TARGET:.0%} of the bound: {ratio:.1%} {'ok' if ratio >= TARGET else 'BELOW TARGET'} "
          f"(politeness alone allows {finite / bound:.1%})")
    print()
    for family, ms in discovery_cpu(families, args.per_list):
        print(f"discovery CPU per listing page, {family:<7} {ms:.2f} ms")

if __name__ == "__main__":
    main()
