"""Legacy prose: a figure counts only when its clause is about the key. Each behaviour is
tested on a family of generated wordings (subjects, verbs, channels, counts combined)."""

import itertools

import pytest

from xxgk.extractors.grid import Paragraph
from xxgk.extractors.legacy import read_legacy


def read(*sentences: str) -> tuple[dict[str, object], list[tuple[str, str | None]]]:
    cells, issues = read_legacy([Paragraph(sentence) for sentence in sentences])
    return ({c.row: c.value for c in cells if c.col == "year_value" and c.value is not None},
            [(i.check, i.row) for i in issues])


PARTS = ("概述", "主动公开政府信息情况", "依申请公开政府信息情况", "政府信息公开的收费及减免情况",
         "因政府信息公开申请行政复议、提起行政诉讼的情况", "存在的主要问题及改进措施")


@pytest.mark.parametrize("opening, count, closing", list(itertools.product(
    ("本报告由", "本年报包括", "报告全文分为"), ("五个部分", "六个部分", "六部分", "七个方面"), ("组成。", "。"))))
def test_a_count_of_the_reports_own_parts_is_no_figure(opening, count, closing):
    assert read(f"{opening}{'、'.join(PARTS)}等{count}{closing}") == ({}, [])


@pytest.mark.parametrize("none_found", (
    "目前尚无发现应主动公开政府信息而未予公开的情况。", "未发现应公开而未公开政府信息的情况。",
    "没有查出不予公开政府信息不当的情况。"))
def test_none_found_at_fault_is_no_count_of_none(none_found):
    assert read("全年主动公开政府信息22条。", none_found) == ({"active_total": 22}, [])


@pytest.mark.parametrize("rules", ("9项政府信息公开工作制度", "5项制度", "3个工作机制"))
def test_a_count_of_rules_is_no_figure_whatever_they_are_about(rules):
    assert read(f"制定了主动公开、依申请公开、保密审查等{rules}。") == ({}, [])


@pytest.mark.parametrize("ways", ("四条途径", "三种方式", "两个渠道", "五项措施"))
def test_a_count_of_the_ways_of_disclosure_is_no_figure(ways):
    assert read(f"我局向社会主动公开政府信息主要通过{ways}。") == ({}, [])


@pytest.mark.parametrize("channel, matter", list(itertools.product(
    ("12315热线", "12345便民服务平台", "信访窗口", "咨询电话"), ("投诉", "举报", "投诉举报"))))
def test_a_hotlines_or_petition_offices_cases_are_not_disclosure_complaints(channel, matter):
    figures, issues = read(f"全年通过{channel}受理{matter}356件。", "未收到有关政府信息公开的举报、投诉和申诉。")
    assert figures == {"complaints": 0} and issues == []


@pytest.mark.parametrize("kinds, unit", list(itertools.product(("（9类）", "(12类)", "（共9类）"), ("条", "件"))))
def test_a_total_written_with_its_count_of_kinds_is_the_total(kinds, unit):
    assert read(f"主动公开的政府信息{kinds}共1200{unit}。")[0] == {"active_total": 1200}


@pytest.mark.parametrize("site, verb", list(itertools.product(
    ("政府网站", "门户网站", "“某县人民政府门户网站”"), ("主动公开政府信息", "公开", "发布信息"))))
def test_a_channel_named_with_its_whole_owns_the_figure_and_the_total_stands(site, verb):
    figures, issues = read("全年主动公开政府信息37条。", f"其中通过{site}{verb}29条。")
    assert (figures["active_total"], figures["active_website"], issues) == (37, 29, [])


@pytest.mark.parametrize("sentence, key", [
    *((f"全年{verb}发生{subject}。", "lawsuits") for verb, subject in itertools.product(
        ("未", "没有"), ("政府信息公开诉讼案件", "因政府信息公开引起的诉讼"))),
    *((f"本年度{verb}依申请公开{what}的情况。", "applications_total") for verb, what in itertools.product(
        ("未发生", "没有发生", "无"), ("", "政府信息"))),
    *((f"全年{verb}{who}要求公开政府信息的申请。", "applications_total") for verb, who in itertools.product(
        ("未收到", "没有收到"), ("", "公民、法人或其他组织"))),
    *((f"全年{verb}{who}的政府信息公开申请。", "applications_total") for verb, who in itertools.product(
        ("未收到", "没有收到"), ("公民、法人或其他组织", "公民、法人和其他组织提出"))),
    *((f"本年度未收到申请公开政府信息{tail}。", "applications_total") for tail in ("的情况", "")),
    ("全年未发生政府信息公开复议案件。", "reviews"),
    ("2013年度我委未收取任何政府信息公开检索、复制、邮寄等费用。", "fees_yuan"),
])
def test_a_sentence_saying_none_without_the_usual_word_gives_zero(sentence, key):
    figures, issues = read(sentence)
    assert figures.get(key) == 0 and issues == []


def test_information_classed_for_disclosure_on_request_is_no_request():
    figures, _ = read("制作政府信息1873条，其中主动公开政府信息425条，作为依申请公开信息数46条，不予公开信息数1402条。")
    assert "applications_total" not in figures and figures["active_total"] == 425


@pytest.mark.parametrize("account", ("政务", "政府", "官方", ""))
def test_a_social_media_channel_named_alone_counts(account):
    assert read(f"通过{account}微博发布信息40条。")[0] == {"active_social_media": 40}


@pytest.mark.parametrize("weibo, weixin", list(itertools.product(("政务微博", "官方微博"), ("政务微信", "微信公众号"))))
def test_microblog_and_wechat_stated_apart_add_up(weibo, weixin):
    assert read(f"通过{weibo}发布信息40条，通过{weixin}发布信息25条。")[0] == {"active_social_media": 65}


@pytest.mark.parametrize("what", ("政务微博", "微信公众号", "政务新媒体账号"))
def test_a_count_of_accounts_is_not_a_count_of_posts(what):
    assert read(f"全区开通{what}29个。")[0] == {}


@pytest.mark.parametrize("space", ("\u00a0", "\u3000", " ", "\u202f"))
def test_figures_padded_or_grouped_with_spaces_are_read_whole(space):
    assert read(f"全年主动公开政府信息{space}1{space}250{space}条。")[0] == {"active_total": 1250}


@pytest.mark.parametrize("figure, value", (("1,250", 1250), ("1,250,000", 1250000)))
@pytest.mark.parametrize("after", ("。", "，比上年增加200条。", ",较上年增长5%。"))
def test_figures_grouped_with_commas_are_read_whole(figure, value, after):
    assert read(f"全年主动公开政府信息{figure}条{after}")[0] == {"active_total": value}


def test_a_comma_between_clauses_still_parts_them():
    assert read("全年受理政府信息公开申请12件,其中当面申请5件,网上申请7件。")[0] == {
        "applications_total": 12, "applications_in_person": 5, "applications_online": 7}


@pytest.mark.parametrize("sentence", ("全年政府信息公开申请数为0。", "全年收到政府信息公开申请数3件。"))
def test_a_count_of_requests_named_as_a_number_of_requests_is_read(sentence):
    assert set(read(sentence)[0]) == {"applications_total"}


@pytest.mark.parametrize("figure, rest", list(itertools.product(("1250", "1,250"), ("条。", "条，比上年增加20条。"))))
def test_a_sentence_broken_around_a_figure_on_its_own_line_is_read_whole(figure, rest):
    assert read("二、主动公开政府信息情况", "全年主动公开政府信息", figure, rest) == ({"active_total": 1250}, [])


def test_a_figure_on_its_own_line_after_a_full_stop_starts_no_sentence_of_the_line_before():
    assert read("全年主动公开政府信息。", "120", "条。") == ({}, [])


@pytest.mark.parametrize("running", ("到年底累计", "截至年底累计", "累计"))
def test_a_total_said_cumulative_beside_the_years_figure_in_its_sentence_is_the_running_total(running):
    sentence = f"本区{running}主动公开政府信息5928条，其中，本年度新增主动公开政府信息2110条。"
    cells, issues = read_legacy([Paragraph(sentence)])
    values = {(c.row, c.col): c.value for c in cells if c.value is not None}
    assert values == {("active_total", "year_value"): 2110, ("active_total", "cumulative"): 5928} and issues == []


@pytest.mark.parametrize("label, figure, key", [
    ("（一）主动公开政府信息数", "156条", "active_total"), ("政府信息公开申请数", "3件", "applications_total"),
    ("受理政府信息公开申请", "2件", "applications_total"), ("依申请公开收费金额", "0元", "fees_yuan"),
    ("行政复议数", "0件", "reviews"), ("1.主动公开政府信息", "156条", "active_total")])
@pytest.mark.parametrize("colon", ("：", ":", "： "))
def test_a_label_and_its_figure_after_a_colon_are_one_statement(label, figure, key, colon):
    assert read(f"{label}{colon}{figure}。")[0] == {key: int(figure[:-1])}


def test_a_colon_before_words_still_parts_the_label_from_them():
    assert read("依申请公开情况：本年度共收到政府信息公开申请2件。") == ({"applications_total": 2}, [])


@pytest.mark.parametrize("verb, what", list(itertools.product(("公开", "共公开", "累计公开"),
                                                         ("政府信息", "各类政府信息", "各类信息"))))
def test_an_active_disclosure_sentence_without_the_word_active_is_read(verb, what):
    assert read(f"全年{verb}{what}88条。")[0] == {"active_total": 88}


@pytest.mark.parametrize("kind", ("价格和收费信息", "行政事业性收费信息", "收费项目"))
def test_a_count_of_fee_items_is_not_a_fee(kind):
    assert "fees_yuan" not in read(f"全年公开{kind}3条。")[0]


def test_a_breakdown_by_category_is_not_a_second_statement_of_the_total():
    figures, issues = read("全年主动公开政府信息706条。", "主动公开政府信息的主要类别：公告通知12条，招标信息243条。")
    assert figures == {"active_total": 706} and issues == []


@pytest.mark.parametrize("as_of", ("截至12月14日", "截至目前", "至今"))
def test_a_figure_as_of_a_date_is_put_in_doubt(as_of):
    figures, issues = read(f"{as_of}，官方微博共发布信息1288条。")
    assert figures == {} and issues == [("prose_ambiguous", "active_social_media")]


@pytest.mark.parametrize("since", ("自2008年5月1日《条例》施行以来，", "《条例》实施以来，", "自2010年7月以来"))
def test_a_figure_since_a_date_is_put_in_doubt(since):
    figures, issues = read(f"{since}共受理政府信息公开申请56件。")
    assert figures == {} and issues == [("prose_ambiguous", "applications_total")]


@pytest.mark.parametrize("none_since", ("自《条例》施行以来，我局没有受理过公民、法人或其他组织的政府信息公开申请。",
                                        "《条例》实施至今，我局未收到政府信息公开申请。"))
def test_none_since_a_date_is_none_this_year(none_since):
    assert read(none_since) == ({"applications_total": 0}, [])


@pytest.mark.parametrize("since", ("《条例》颁布实施以来，", "自2008年以来，", "《条例》实施至今，"))
def test_a_cumulative_figure_since_a_date_is_the_running_total(since):
    cells, issues = read_legacy([Paragraph(f"2018年主动公开政府信息4492条。{since}累计主动公开政府信息28413条。")])
    values = {(c.row, c.col): c.value for c in cells if c.value is not None}
    assert values == {("active_total", "year_value"): 4492, ("active_total", "cumulative"): 28413} and issues == []


@pytest.mark.parametrize("since", ("今年以来，", "年初以来，", "2015年以来，", "长期以来，我局重视公开工作，全年"))
def test_a_figure_since_the_years_start_is_the_years(since):
    assert read(f"{since}共受理政府信息公开申请12件。") == ({"applications_total": 12}, [])


@pytest.mark.parametrize("as_of", ("截至12月31日，全年", "截至2015年12月31日，本年度"))
def test_a_figure_as_of_the_years_end_said_to_be_the_years_is_read(as_of):
    assert read(f"{as_of}共受理政府信息公开申请12件。")[0] == {"applications_total": 12}


@pytest.mark.parametrize("year, running", list(itertools.product(("2018年度，", "全年", ""), ("历年累计", "累计至今"))))
def test_a_running_total_in_the_prose_is_the_running_total_not_a_second_figure(year, running):
    cells, issues = read_legacy([Paragraph(f"{year}主动公开政府信息389条，{running}主动公开政府信息1176条。")])
    values = {(c.row, c.col): c.value for c in cells if c.value is not None}
    assert values == {("active_total", "year_value"): 389, ("active_total", "cumulative"): 1176} and issues == []


@pytest.mark.parametrize("verb", ["不存在", "未发生", "没有"])
def test_a_none_sentence_gives_zero_to_every_key_it_lists(verb):
    figures, issues = read(f"本年度{verb}因政府信息公开而被申请行政复议、行政诉讼或接受行政申诉、举报的情况。")
    assert figures == {"reviews": 0, "lawsuits": 0, "complaints": 0} and issues == []


@pytest.mark.parametrize("sentence, key", [
    ("全年未收到有关政府信息公开行政复议申请。", "reviews"),
    ("本年度没有接到因政府信息公开提起的行政诉讼申请。", "lawsuits"),
])
def test_an_application_for_review_or_a_lawsuit_is_no_disclosure_application(sentence, key):
    assert read(sentence) == ({key: 0}, [])


@pytest.mark.parametrize("comma, stop", [("，", "；"), (",", ";")])
def test_the_total_before_a_breakdown_with_shares_stays_the_total(comma, stop):
    said = (f"全年主动公开政府信息354条{comma}其中{comma}政策法规类信息9条{comma}占2.5%{stop}"
            f"工作动态类信息318条{comma}占89.8%。")
    assert read(said)[0] == {"active_total": 354}


@pytest.mark.parametrize("verb", ("共发布", "累计发布", "共公开", "发布"))
def test_what_the_website_carried_is_read_with_a_word_between_the_website_and_its_verb(verb):
    assert read(f"全年门户网站{verb}政府信息1557条。")[0] == {"active_website": 1557}


@pytest.mark.parametrize("share", ["，占总数的53%", "，约占全部信息的53.3%", "，占比53%"])
def test_a_figure_given_with_its_share_of_a_total_is_a_part_not_the_total(share):
    figures, _ = read(f"通过公告栏、宣传单等其它方式公开信息16条{share}。", f"其中通过政府网站公开信息14条{share}。")
    assert "active_total" not in figures and figures["active_website"] == 14


@pytest.mark.parametrize("qualifier", ["当年生成的各类", "本单位制作的", "各部门产生的"])
def test_words_between_active_disclosure_and_information_still_name_the_total(qualifier):
    assert read(f"2012年，我局共主动公开{qualifier}政府信息47条。")[0] == {"active_total": 47}


@pytest.mark.parametrize("classed", ["不予公开信息数1658条", "免予公开的政府信息数1658条"])
def test_information_classed_as_not_to_be_disclosed_is_no_reply(classed):
    figures, _ = read(f"2013年制作政府信息总数3618条，其中主动公开政府信息1853条，"
                      f"作为依申请公开信息数107条，{classed}。")
    assert figures == {"active_total": 1853}


@pytest.mark.parametrize("withheld", ("不予公开信息有10条", "不予公开的政府信息共10条"))
def test_information_withheld_counted_in_items_is_no_reply(withheld):
    said = f"本年度没有依申请公开信息的情况。{withheld}，主要是人事安排的信息。"
    assert read("二、依申请公开信息的情况和不予公开信息的情况", said) == ({"applications_total": 0}, [])


@pytest.mark.parametrize("said, kept", [
    ("2010年度主动公开政府信息54条。", False), ("2011年度主动公开政府信息54条。", True),
    ("2011年主动公开政府信息54条，比2010年增加20条。", True), ("主动公开政府信息54条。", True),
    ("按照《2010年政府信息公开工作要点》，主动公开政府信息54条。", True)])
def test_a_figure_said_to_be_of_another_year_than_the_reports_is_put_in_doubt(said, kept):
    cells, issues = read_legacy([Paragraph(said)], year=2011)
    value = next(c.value for c in cells if (c.row, c.col) == ("active_total", "year_value"))
    assert (value, [i.check for i in issues]) == ((54, []) if kept else (None, ["prose_ambiguous"]))


HEADINGS = ("（一）主动公开政府信息的数量", "（一）主动公开政府信息情况", "二、主动公开政府信息的数量")


@pytest.mark.parametrize("heading, separator, counted", list(itertools.product(
    HEADINGS, (" ", ""), ("制作政府信息", "制作、获取政府信息", "产生各类文件"))))
def test_a_heading_run_into_its_sentence_does_not_own_what_the_sentence_counts(heading, separator, counted):
    """（一）主动公开政府信息的数量 2014年共制作政府信息152条。其中，主动公开政府信息67条。"""
    figures, issues = read(f"{heading}{separator}2014年共{counted}152条。其中，主动公开政府信息67条。")
    assert figures == {"active_total": 67} and issues == []


@pytest.mark.parametrize("heading, separator", list(itertools.product(HEADINGS, (" ", ""))))
def test_a_heading_run_into_a_sentence_naming_nothing_gives_the_figure_its_subject(heading, separator):
    assert read(f"{heading}{separator}2015年共152条。") == ({"active_total": 152}, [])


@pytest.mark.parametrize("heading, answer", list(itertools.product(
    (("三、依申请公开政府信息办理情况", ("applications_total",)),
     ("五、因政府信息公开被申请行政复议、提起行政诉讼的情况", ("reviews", "lawsuits")),
     ("（四）政府信息公开的收费及减免情况", ("fees_yuan",))),
    (" 无", "：无", " 无此类情况", "：没有", " 暂无"))))
def test_a_heading_answered_with_a_bare_none_gives_zero_to_what_it_names(heading, answer):
    title, keys = heading
    assert read(f"{title}{answer}。") == (dict.fromkeys(keys, 0), [])


@pytest.mark.parametrize("answer", (" 无专门经费保障", "：无专人负责，由办公室兼管", " 没有单独设立查阅场所"))
def test_a_heading_followed_by_a_none_about_something_else_gives_nothing(answer):
    assert read(f"四、政府信息公开的收费及减免情况{answer}。") == ({}, [])


@pytest.mark.parametrize("made, lead, info, suffix", list(itertools.product(
    ("制作政府信息", "制作、获取政府信息", "共产生政府信息", "生成各类政府信息"), ("，其中", "，"),
    ("政府信息", "信息", ""), ("", "数"))))
def test_the_classes_of_the_information_made_are_no_requests_and_no_replies(made, lead, info, suffix):
    """制作政府信息200条，其中主动公开150条，依申请公开30条，不予公开20条: how the information
    made is to be disclosed, not 30 requests received and 20 refused."""
    sentence = f"全年{made}200条{lead}主动公开{info}150条，依申请公开{info}{suffix}30条，不予公开{info}{suffix}20条。"
    assert read(sentence) == ({"active_total": 150}, [])


@pytest.mark.parametrize("received", ("受理依申请公开申请", "收到政府信息公开申请", "受理依申请公开"))
def test_requests_received_beside_the_information_made_are_requests(received):
    figures, issues = read(f"全年制作政府信息200条，其中主动公开政府信息150条，{received}12件，其中不予公开答复2件。")
    assert figures == {"active_total": 150, "applications_total": 12, "replies_denied": 2} and issues == []


@pytest.mark.parametrize("channel, verb", list(itertools.product(
    ("政务公开栏", "公示栏", "《平潭时报》", "县电视台", "行政服务中心显示屏", "新闻媒体"),
    ("公开信息", "公开政府信息", "主动公开政府信息"))))
def test_what_one_channel_other_than_the_website_carried_is_no_total(channel, verb):
    assert read(f"通过{channel}{verb}20条。") == ({}, [])
    assert read("全年主动公开政府信息106条。", f"通过{channel}{verb}20条。") == ({"active_total": 106}, [])


@pytest.mark.parametrize("channels, ways", list(itertools.product(
    ("政府网站、公开栏、报纸", "门户网站和政务公开栏", "报纸、电视、网站"), ("等形式", "等渠道", ""))))
def test_channels_listed_as_the_ways_of_the_total_leave_it_the_total(channels, ways):
    assert read(f"全年通过{channels}{ways}主动公开政府信息150条。") == ({"active_total": 150}, [])


@pytest.mark.parametrize("matter, verb", list(itertools.product(
    ("行政复议", "行政诉讼"), ("办理", "受理", "审结", "参与应诉"))))
def test_a_legal_offices_own_cases_are_no_disclosure_reviews_or_lawsuits(matter, verb):
    assert read(f"全年共{verb}{matter}案件15件。") == ({}, [])


@pytest.mark.parametrize("heading", ("四、行政复议和诉讼情况", "（四）复议诉讼情况"))
def test_no_reviews_or_lawsuits_at_all_is_none_about_disclosure(heading):
    assert read(f"{heading} 我局在2011年度未收到申请行政复议、提起行政诉讼情况。") == (
        {"reviews": 0, "lawsuits": 0}, [])


@pytest.mark.parametrize("stated, named", [("通过微信公众号公开工作动态183条。", "通过微信公众号和政务微博进行公开。"),
                                           ("通过政务微博发布信息183条。", "加强政务微博、微信等平台建设。"),
                                           ("官方微信全年推送信息183条。", "开设了官方微博。")])
def test_one_channel_stated_while_the_other_is_named_without_a_figure_leaves_the_sum_open(stated, named):
    assert read(stated, named) == ({}, [("prose_ambiguous", "active_social_media")])


@pytest.mark.parametrize("none", ("暂未开通政务微博。", "未开通微博账号。", "没有开设政务微博。"))
def test_one_channel_stated_and_the_other_said_to_be_none_is_the_sum(none):
    assert read("通过微信公众号公开工作动态183条。", none) == ({"active_social_media": 183}, [])


@pytest.mark.parametrize("verb, count, noun", list(itertools.product(
    ("共收到", "受理了", "接到"), ("3件", "3条"), ("政府信息公开申请", "信息公开申请", "依申请公开政府信息的申请"))))
def test_a_request_count_printed_before_its_noun_is_read(verb, count, noun):
    assert read(f"2015年我局{verb}{count}{noun}，均已按时答复。") == ({"applications_total": 3}, [])


@pytest.mark.parametrize("asked", ("申请政府信息公开", "申请信息公开"))
def test_requests_named_verb_first_are_disclosure_requests(asked):
    assert read(f"2011年度，全市共收到{asked}26件（次），均已及时答复。")[0] == {"applications_total": 26}


@pytest.mark.parametrize("verb, count", list(itertools.product(("召开", "举办", "举行"), ("2次", "2场"))))
def test_a_press_conference_count_printed_before_its_noun_is_read(verb, count):
    assert read(f"全年共{verb}{count}新闻发布会。") == ({"active_press": 2}, [])


@pytest.mark.parametrize("sentence", ("共清理出3条政府公开信息，目前已在门户网站公开。", "全年共接到120件群众来信。",
                                      "全年共办理3件行政复议案件。"))
def test_a_figure_before_words_that_name_no_key_at_once_counts_nothing(sentence):
    assert read(sentence) == ({}, [])


@pytest.mark.parametrize("opening, count, noun", list(itertools.product(
    ("本年度因政府信息公开引发", "全年共发生", "本年度共有"), ("2件", "2起"),
    ("政府信息公开行政复议案件", "因政府信息公开申请引起的行政复议案件"))))
def test_a_count_of_disclosure_cases_printed_before_its_noun_is_read(opening, count, noun):
    assert read(f"{opening}{count}{noun}。") == ({"reviews": 2}, [])


def test_each_count_of_cases_printed_before_its_noun_counts_its_own_cases():
    assert read("全年共有1件因政府信息公开引起的行政复议案件和2件行政诉讼案件。") == ({"reviews": 1, "lawsuits": 2}, [])


@pytest.mark.parametrize("channels", ("报纸、电视、网站", "报刊和门户网站", "公开栏及政府网站"))
def test_the_website_last_in_a_list_of_channels_is_the_total(channels):
    """通过报纸、电视、网站主动公开政府信息150条 counts what every channel listed carried."""
    assert read(f"全年通过{channels}主动公开政府信息150条。") == ({"active_total": 150}, [])
