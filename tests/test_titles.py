"""Title recognition: which titles are annual reports on government information
disclosure, for which year and organ. Measured on real titles labelled by hand
(../shared/real/corpus/titles.tsv) and on generated families of every wording."""

from __future__ import annotations

import csv
from itertools import product
from pathlib import Path

import pytest

from xxgk.schemas.titles import read_title, report_title

TITLES = Path(__file__).resolve().parents[1] / ".." / "shared" / "real" / "corpus" / "titles.tsv"
REQUIRED = 0.995  # precision and recall on the real titles, each

ORGANS = ("某某县人民政府", "某某市统计局", "某某区某某街道办事处", "某某县教育局")
# How the reporting year is written: Arabic or Chinese digits, with 年, 年度, or nothing.
YEARS = {"2017年": 2017, "2017年度": 2017, "2017": 2017, "二〇一七年": 2017, "二零二三年度": 2023, "2023 年": 2023}
# The report's own wording after the year.
WORDINGS = ("政府信息公开工作年度报告", "政府信息公开年度报告", "政府信息年度报告", "政府信息公开报告",
            "政务信息公开报告", "信息公开工作总结报告", "政府信息公开年报", "政务公开工作年度报告", "信息公开年度报告",
            "政府信息公开工作报告",
            "政府信息公开年度工作报告", "政府信息公开工作情况的报告", "政府信息公开情况总结")
# What is not the report, however close: each a family, {organ} and {year} filled in.
NEGATIVES = ("{organ}{year}工作总结和2018年工作计划", "{organ}{year}工作总结及下一年工作思路",
             "{organ}{year}政府工作报告",
             "政府工作报告（{year}）", "{organ}{year}政府网站年度工作报表", "{organ}{year}政务新媒体年度报表",
             "{organ}关于{year}政府信息公开工作的自查报告", "{organ}{year}部门预算", "{organ}{year}部门决算公开",
             "{organ}{year}预决算信息公开", "{organ}政府信息公开指南（{year}修订）", "{organ}{year}政府信息公开目录",
             "{organ}{year}政府信息公开保密审查制度", "{organ}{year}政府信息公开工作要点",
             "{organ}{year}政务公开工作要点落实情况",
             "关于做好{year}政府信息公开工作年度报告编制和发布工作的通知", "{organ}关于{year}政务公开工作的通知",
             "{organ}{year}政府信息公开工作年度报告解读", "{organ}{year}第二季度政务公开工作情况",
             "{organ}{year}信息公开表", "{organ}{year}度报告", "{organ}政府信息公开工作年度报告",
             "{organ}{year}公开招聘工作人员公告", "{organ}关于{year}政务公开工作主要任务分解表的通知",
             "{organ}{year}政府信息公开申请办理情况")


def labelled_titles() -> list[dict[str, str]]:
    if not TITLES.is_file():
        pytest.skip("../shared/real/corpus/titles.tsv is not beside the repository (the real titles measure)")
    with TITLES.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file, delimiter="\t"))


def test_real_titles_are_recognised_with_the_required_precision_and_recall():
    rows = labelled_titles()
    read = [(row, read_title(row["title"])) for row in rows]
    true_positive = [(row, r) for row, r in read if r.is_report and row["is_report"] == "1"]
    false_positive = [(row, r) for row, r in read if r.is_report and row["is_report"] == "0"]
    missed = [(row, r) for row, r in read if not r.is_report and row["is_report"] == "1"]
    wrong = [f"  {'taken' if r.is_report else 'missed'}: {row['title']}  {r.why}" for row, r in false_positive + missed]
    precision = len(true_positive) / max(1, len(true_positive) + len(false_positive))
    recall = len(true_positive) / max(1, len(true_positive) + len(missed))
    print(f"{len(rows)} titles: precision {precision:.4f}, recall {recall:.4f}", *wrong, sep="\n")
    assert precision >= REQUIRED and recall >= REQUIRED, "\n".join(wrong)


def test_real_reports_give_their_labelled_year():
    rows = [row for row in labelled_titles() if row["is_report"] == "1"]
    wrong = [f"  {row['title']}: {read_title(row['title']).year} (labelled {row['year']})"
             for row in rows if str(read_title(row["title"]).year) != row["year"]]
    print(f"{len(rows)} reports, {len(wrong)} with a wrong year", *wrong, sep="\n")
    assert len(wrong) <= (1 - REQUIRED) * len(rows), "\n".join(wrong)


@pytest.mark.parametrize("written, wording", list(product(YEARS, WORDINGS)))
def test_every_wording_is_a_report_of_its_year_and_organ_before_the_year(written, wording):
    reading = report_title(f"{ORGANS[0]}{written}{wording}")
    assert reading is not None and (reading.year, reading.organ) == (YEARS[written], ORGANS[0])


@pytest.mark.parametrize("written, wording", list(product(YEARS, WORDINGS)))
def test_every_wording_is_a_report_with_the_organ_after_the_year(written, wording):
    reading = report_title(f"{written}{ORGANS[1]}{wording}")
    assert reading is not None and (reading.year, reading.organ) == (YEARS[written], ORGANS[1])


@pytest.mark.parametrize("organ", ORGANS)
def test_the_year_may_follow_the_disclosure_and_the_organ_lead(organ):
    reading = report_title(f"{organ}政府信息公开工作2022年度报告")
    assert reading is not None and (reading.year, reading.organ) == (2022, organ)


@pytest.mark.parametrize("title", ["某某县人民政府 2017年 政府信息公开 工作年度报告",
                                   "某某县人民政府\u30002017年度政府信息公开年报",
                                   "２０１７年某某县人民政府政府信息公开工作年度报告"])
def test_spaces_and_full_width_digits_change_nothing(title):
    reading = report_title(title)
    assert reading is not None and (reading.year, reading.organ) == (2017, "某某县人民政府")


@pytest.mark.parametrize("organ", ["某某市审计局", "某某县机构编制委员会办公室", "某某县政务公开办公室",
                                   "某某县人民政府督查室"])
def test_words_of_the_organs_name_are_no_cue(organ):
    reading = report_title(f"{organ}2023年政府信息公开工作年度报告")
    assert reading is not None and reading.organ == organ


def test_a_disclosure_office_s_yearly_work_summary_is_not_its_report():
    assert report_title("某某县政务公开办公室2023年工作总结") is None


@pytest.mark.parametrize("title", ["【年度报告】某某县统计局2023年政府信息公开工作年度报告",
                                   "2024-01-20 某某县统计局2023年政府信息公开工作年度报告",
                                   "某某县统计局2023年政府信息公开工作年度报告[2024-01-20]"])
def test_a_tag_or_a_date_around_the_title_is_not_the_organ(title):
    reading = report_title(title)
    assert reading is not None and (reading.year, reading.organ) == (2023, "某某县统计局")


def test_a_letter_forwarding_the_report_is_the_report():
    reading = report_title("关于报送《某某县统计局2016年政府信息公开工作情况》的函")
    assert reading is not None and (reading.year, reading.organ) == (2016, "某某县统计局")


def test_a_title_naming_only_the_year_and_the_disclosure_is_the_report():
    assert report_title("某某县卫生局2011年度政府信息公开").year == 2011


@pytest.mark.parametrize("title", ["某某县2023年政府信息公开工作年度报告（2024年3月修订）",
                                   "2024年1月发布：某某县2023年政府信息公开工作年度报告",
                                   "2024.01.20某某县2023年政府信息公开工作年度报告"])
def test_a_date_in_the_title_is_not_the_reporting_year(title):
    assert report_title(title).year == 2023


@pytest.mark.parametrize("family, written", list(product(NEGATIVES, ["2017年", "2017", "二〇一七年度"])))
def test_near_misses_are_not_reports(family, written):
    title = family.format(organ=ORGANS[1], year=written)
    assert report_title(title) is None, read_title(title).why


@pytest.mark.parametrize("title", ["某某县2007年政府信息公开工作年度报告", "某某县政府信息公开工作年度报告"])
def test_a_report_without_a_plausible_year_is_not_taken(title):
    reading = read_title(title)
    assert not reading.is_report and "no reporting year" in reading.cues


def test_the_reading_says_which_cues_decided():
    assert "plans (要点)" in read_title("2023年政府信息公开工作要点").why
