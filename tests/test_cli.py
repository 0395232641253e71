"""The command line as a user meets it: `xxgk extract` (JSON contract, readable summary, bad
input), help, completion, the version, and arguments out of their domain."""

import json
import os
import random
import subprocess
import sys

import pytest

import xxgk
from xxgk.cli import main
from xxgk.samples.figures import random_report, with_other_handling_as_one_row
from xxgk.samples.layout import Traits
from xxgk.samples.render import render

SPEC = random_report(random.Random(11), organ="福州市晋安区人民政府", year=2022, jurisdiction_code="350111")


@pytest.fixture
def report(tmp_path):
    path = tmp_path / "report.html"
    path.write_bytes(render(SPEC, "html"))
    return path


def run(capsys, *argv):
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_json_follows_the_extract_contract(capsys, report):
    status, out, _ = run(capsys, "extract", report, "--json")
    document = json.loads(out)
    assert status == 0
    assert {"source", "sha256", "title", "organ", "jurisdiction_code", "jurisdiction_name", "year", "format",
            "cells", "issues"} <= document.keys()
    assert (document["jurisdiction_code"], document["year"], document["format"]) == ("350111", 2022, "2021")
    granted = next(c for c in document["cells"] if (c["row"], c["col"]) == ("granted", "total"))
    assert granted["value"] == SPEC.value("applications", "granted", "total")


def test_several_inputs_print_one_json_object_per_line(capsys, report, tmp_path):
    other = tmp_path / "other.txt"
    other.write_bytes(render(SPEC, "text"))
    _, out, _ = run(capsys, "extract", report, other, "--json")
    assert [json.loads(line)["source"] for line in out.splitlines()] == [str(report), str(other)]


def test_the_summary_lays_out_the_tables_then_the_issues(capsys, report):
    status, out, _ = run(capsys, "extract", report)
    assert status == 0
    assert (out.index("二、主动公开政府信息情况") < out.index("三、收到和处理政府信息公开申请情况")
            < out.index("No issues."))


def test_overrides_replace_what_the_document_says(capsys, report):
    _, out, _ = run(capsys, "extract", report, "--json", "--year", "2021", "--jurisdiction", "350100", "--organ", "X局")
    document = json.loads(out)
    assert (document["year"], document["jurisdiction_code"], document["organ"]) == (2021, "350100", "X局")


def test_a_missing_file_is_one_line_on_stderr_and_a_failure(capsys, tmp_path):
    status, out, err = run(capsys, "extract", tmp_path / "nope.pdf")
    assert status == 1 and out == "" and len(err.strip().splitlines()) == 1


def bad_inputs():
    pdf = render(SPEC, "pdf")
    return {
        "empty.html": (b"", "empty_document"),
        "truncated.pdf": (pdf[: len(pdf) // 2], "corrupt_document"),
        "scanned.pdf": (render(SPEC, "pdf", scanned=True), "no_text_layer"),
        "binary.html": (bytes(range(256)) * 64, "unsupported_format"),
        "damaged.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "corrupt_document"),
    }


@pytest.mark.slow
@pytest.mark.parametrize("name", ["empty.html", "truncated.pdf", "scanned.pdf", "binary.html", "damaged.doc"])
def test_unreadable_input_gets_its_reason_without_a_traceback(capsys, tmp_path, name):
    data, check = bad_inputs()[name]
    (tmp_path / name).write_bytes(data)
    status, out, err = run(capsys, "extract", tmp_path / name, "--json")
    assert status == 1
    assert [i["check"] for i in json.loads(out)["issues"]] == [check]
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_a_file_over_the_size_limit_is_refused_before_reading(capsys, report):
    status, _, err = run(capsys, "extract", report, "--max-bytes", "1000")
    assert status == 1 and "over the limit" in err


def test_a_report_page_without_any_table_reports_the_three_tables_missing(capsys, tmp_path):
    page = tmp_path / "report.html"
    page.write_text("<html><body><h1>海东市人民政府2023年政府信息公开工作年度报告</h1><p>一、总体情况</p>"
                    "<p><img src='table.png'></p></body></html>", encoding="utf-8")
    status, out, _ = run(capsys, "extract", page, "--json")
    assert status == 0
    assert [i["table"] for i in json.loads(out)["issues"] if i["check"] == "table_missing"] == [
        "active_disclosure", "applications", "review_litigation"]


def test_a_report_missing_table_4_says_so_and_keeps_the_others(capsys, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(render(SPEC, "pdf", Traits(omit_table4=True)))
    status, out, _ = run(capsys, "extract", path, "--json")
    document = json.loads(out)
    assert status == 0
    assert [i["table"] for i in document["issues"] if i["check"] == "table_missing"] == ["review_litigation"]
    assert {c["table"] for c in document["cells"]} == {"active_disclosure", "applications"}


def test_a_url_is_fetched(capsys, report):
    from http.server import HTTPServer, SimpleHTTPRequestHandler
    from threading import Thread

    handler = lambda *a: SimpleHTTPRequestHandler(*a, directory=str(report.parent))  # noqa: E731
    server = HTTPServer(("127.0.0.1", 0), handler)
    Thread(target=server.serve_forever, daemon=True).start()
    try:
        status, out, _ = run(capsys, "extract", f"http://127.0.0.1:{server.server_port}/report.html", "--json")
    finally:
        server.shutdown()
    assert status == 0 and json.loads(out)["year"] == 2022


@pytest.mark.slow
def test_the_console_script_runs():
    result = subprocess.run([sys.executable, "-m", "xxgk", "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "extract" in result.stdout


def test_a_reader_that_chokes_is_recorded_not_a_traceback(report, monkeypatch):
    """(On extract() itself: the command runs it in a worker process, where no patch reaches.)"""
    import xxgk.extractors.html
    from xxgk.extractors.extract import extract

    def choke(data, charset=None):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(xxgk.extractors.html, "read_html", choke)
    [issue] = extract(report.read_bytes(), str(report)).issues
    assert issue.check == "extraction_failed" and "RecursionError" in issue.message


@pytest.mark.slow
def test_the_shell_completes_commands_and_options():
    def complete(words: str) -> str:
        env = {**os.environ, "_XXGK_COMPLETE": "complete_bash", "COMP_WORDS": words,
               "COMP_CWORD": str(len(words.split()) - 1)}
        return subprocess.run([sys.executable, "-m", "xxgk"], env=env, capture_output=True, text=True).stdout.split()

    assert complete("xxgk ba") == ["backfill"]
    assert complete("xxgk backfill --ta") == ["--task-runner"]


def test_help_shows_each_options_default_and_environment_variable(capsys):
    status, out, _ = run(capsys, "crawl", "--help")
    assert status == 0
    assert "XXGK_WAREHOUSE" in out and "xxgk.lake" in out and "XXGK_REGISTRY" in out and "portals.json" in out


def test_the_version_is_printed(capsys):
    status, out, _ = run(capsys, "--version")
    assert status == 0 and out.strip() == f"xxgk {xxgk.__version__}"


@pytest.mark.parametrize("argv", [["backfill", "--years", "2000-99999999"], ["backfill", "--years", "-5"],
                                  ["issues", "--jurisdiction", "999999"], ["extract", "x.html", "--year", "1999"],
                                  ["issues", "--year", "23"], ["explain", "630200", "23"],
                                  ["issues", "--jurisdiction", "海东县"], ["explain", "鼓楼区", "2023"]])
def test_an_argument_out_of_its_domain_is_refused_in_one_line_before_any_work(capsys, argv):
    status, out, err = run(capsys, *argv)
    assert status == 2 and out == "" and len(err.strip().splitlines()) == 1 and "Traceback" not in err


@pytest.mark.parametrize("argv", [["issues", "--year", "2023-24"], ["query"], ["nosuch"], ["query", "--nope", "x"],
                                  ["load", "f", "--year", "24"]])
@pytest.mark.slow
def test_a_usage_mistake_is_one_line_naming_the_command_and_its_help(argv):
    """Run as a user runs it (the console script, a fresh process), whichever click typer raises from."""
    result = subprocess.run([sys.executable, "-m", "xxgk", *argv], capture_output=True, text=True)
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and "--help" in result.stderr


def test_a_name_several_divisions_share_is_refused_with_each_code_and_full_name(capsys):
    status, _, err = run(capsys, "issues", "--jurisdiction", "鼓楼区")
    assert status == 2
    assert all(f"{code} {name}" in err for code, name in [("320106", "江苏省南京市鼓楼区"),
                                                          ("320302", "江苏省徐州市鼓楼区"),
                                                          ("350102", "福建省福州市鼓楼区"),
                                                          ("410204", "河南省开封市鼓楼区")])


def test_the_summary_shows_other_handling_where_a_2021_report_prints_it_as_one_row(capsys, tmp_path):
    path = tmp_path / "report.html"
    path.write_bytes(render(with_other_handling_as_one_row(SPEC), "html"))
    status, out, _ = run(capsys, "extract", path)
    assert status == 0 and "（六）其他处理" in out and "3.其他" not in out


def test_a_table_written_to_a_file_or_a_pipe_is_never_cut(capsys):
    from xxgk.cli.output import print_rows

    long = "海东市人民政府办公室" * 20 + " http://portal.test/" + "x" * 300
    print_rows(["organ", "url"], [(long, long)], "table")
    out = capsys.readouterr().out
    assert out.count(long) == 2 and "…" not in out
