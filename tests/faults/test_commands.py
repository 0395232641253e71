"""Commands as a user runs them, their cost summed over every process they start: a bomb
in any disguise ends `xxgk extract` as too_large within 60 s and 2 GiB, and a command's
memory budget holds for all its processes together."""

from __future__ import annotations

import json
import random

import pytest

from tests.faults import bombs
from tests.faults.measure import run_measured
from xxgk.extractors.bounds import MAX_STREAM_BYTES
from xxgk.samples.figures import random_report
from xxgk.samples.render import render

MiB = 1024 * 1024
GiB_SPACES = [bombs.TEXT, bombs.Run(b" ", 1024 * MiB)]
HOG = 12_000_000  # lines drawn: 170 MB of content stream, over 2 GB of a PDF library's objects


@pytest.mark.parametrize("document", [
    lambda: bombs.pdf(GiB_SPACES, ["FlateDecode"], decoy=True),
    lambda: bombs.pdf(GiB_SPACES, ["ASCIIHexDecode", "FlateDecode"]),
    lambda: bombs.pdf(GiB_SPACES, ["ASCII85Decode", "LZWDecode"], filter_in="object stream"),
    lambda: bombs.pdf(GiB_SPACES, ["FlateDecode"], decoy=True, lock=bombs.Lock("RC4-128")),
    lambda: bombs.pdf(GiB_SPACES, ["ASCIIHexDecode", "FlateDecode"], filter_in="object stream",
                      lock=bombs.Lock("AES-256")),
], ids=["image dictionary before it", "hex then flate", "ascii85 then lzw, named in an object stream",
        "encrypted with RC4, an image dictionary before it", "encrypted with AES-256, hex then flate"])
@pytest.mark.slow
def test_xxgk_extract_ends_a_disguised_gigabyte_bomb_as_too_large_within_60_s_and_2_gib(tmp_path, document):
    path = tmp_path / "bomb.pdf"
    path.write_bytes(document())
    run = run_measured("extract", str(path), "--json")
    assert run.status == 1 and [i["check"] for i in json.loads(run.stdout)["issues"]] == ["too_large"]
    assert f"decodes to over {MAX_STREAM_BYTES:,} bytes" in run.stderr and "Traceback" not in run.stderr
    assert run.seconds < 60 and run.peak_mib < 2048, f"{run.seconds:.0f} s, {run.peak_mib:.0f} MiB"


@pytest.mark.slow
def test_xxgk_extract_reads_in_a_worker_held_to_the_command_memory_budget(tmp_path):
    path = tmp_path / "paths.pdf"
    path.write_bytes(bombs.pdf_paths(HOG))
    run = run_measured("extract", str(path), "--json", env={"XXGK_MEMORY_MB": "2560"})  # 1024 kept + 1536
    assert run.status == 1 and "memory limit of 1,536 MiB" in run.stderr and "Traceback" not in run.stderr
    assert run.peak_mib < 2560, f"{run.peak_mib:.0f} MiB"


@pytest.mark.slow
def test_xxgk_load_holds_its_memory_budget_summed_over_its_workers(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "report.html").write_bytes(render(random_report(random.Random(5)), "html"))
    for n in range(3):
        (folder / f"paths{n}.pdf").write_bytes(bombs.pdf_paths(HOG + n))
    budget = {"XXGK_MEMORY_MB": "4096", "XXGK_EXTRACT_WORKERS": "2"}  # 1024 kept + 2 workers × 1536
    run = run_measured("load", str(folder), "--warehouse", str(tmp_path / "lake"), env=budget)
    assert run.status == 0 and "Traceback" not in run.stderr, run.stderr
    assert "loaded 1 (0 with errors, 3 unreadable" in run.stdout, run.stdout
    assert run.peak_mib < 4096, f"{run.peak_mib:.0f} MiB"
