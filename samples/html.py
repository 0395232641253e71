"""Generated reports as portal pages: the report inside a government site's chrome.

The chrome is what real portals wrap a report in: a header, navigation, breadcrumb, a
sidebar of related links (other years' reports among them), a footer, all inside an
old-style layout table. The page is encoded in the requested charset, declared in a
meta tag or not at all (the HTTP header then carries it, or nothing does).
"""

from __future__ import annotations

import re
from html import escape
from typing import Literal

from xxgk.samples.layout import Heading, Layout, LCell, LTable, Para


def render_html(layout: Layout, *, charset: str = "utf-8", declare: Literal["meta", "http-equiv", "none"] = "meta",
                chrome: bool = True, br_in_labels: bool = False) -> bytes:
    body = "\n".join(_block(block, br_in_labels) for block in layout.blocks)
    content = f'<div class="article">\n<h1 class="title">{escape(layout.spec.title)}</h1>\n{body}\n</div>'
    page = _chrome(layout, content) if chrome else f"<body>\n{content}\n</body>"
    head = {"meta": f'<meta charset="{charset}">',
            "http-equiv": f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">',
            "none": ""}[declare]
    document = (f"<!DOCTYPE html>\n<html>\n<head>\n{head}\n"
                f"<title>{escape(layout.spec.title)}_{escape(layout.spec.organ)}门户网站</title>\n"
                f"<style>td{{border:1px solid #000}}</style>\n<script>var pageCount=1;</script>\n"
                f"</head>\n{page}\n</html>\n")
    return document.encode(charset, errors="xmlcharrefreplace")


def _block(block, br_in_labels: bool) -> str:
    if isinstance(block, Heading):
        return f'<p style="text-indent:2em"><strong>{escape(block.text)}</strong></p>'
    if isinstance(block, Para):
        return f'<p style="text-indent:2em">{escape(block.text)}</p>'
    return _table(block, br_in_labels)


def _table(table: LTable, br_in_labels: bool) -> str:
    rows = []
    for row in table.rows:
        rows.append("<tr>" + "".join(_cell(cell, br_in_labels) for cell in row) + "</tr>")
    return '<table border="1" cellspacing="0" width="100%">\n<tbody>\n' + "\n".join(rows) + "\n</tbody>\n</table>"


def _cell(cell: LCell, br_in_labels: bool) -> str:
    spans = ((f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "")
             + (f' colspan="{cell.colspan}"' if cell.colspan > 1 else ""))
    text = _text(cell.text, br_in_labels and not _is_figure(cell.text))
    if br_in_labels:  # Word-exported HTML wraps every cell's text in paragraphs and spans
        text = f'<p align="center"><span style="font-family:宋体">{text}</span></p>'
    tag = "th" if cell.header and not br_in_labels else "td"
    return f"<{tag}{spans}>{text}</{tag}>"


def _text(text: str, break_words: bool) -> str:
    if text == "\xa0":
        return "&nbsp;"
    if break_words and len(text) > 6 and "\n" not in text:
        text = text[: len(text) // 2] + "\n" + text[len(text) // 2:]
    return "<br>".join(escape(line) for line in text.split("\n"))


def _is_figure(text: str) -> bool:
    return re.match(r"[\d０-９+\-—/无]|\xa0|$", text) is not None


def _chrome(layout: Layout, content: str) -> str:
    spec = layout.spec
    related = "".join(f'<li><a href="/art/{y}/report.html">{escape(spec.organ)}{y}年政府信息公开工作年度报告</a></li>'
                      for y in (spec.year - 1, spec.year - 2))
    return f"""<body>
<div class="header"><div class="logo">{escape(spec.organ)}门户网站</div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>\
<li><a href="/hdjl/">互动交流</a></li></ul></div>
<table width="1000" align="center" class="layout"><tr>
<td width="220" valign="top"><div class="sidebar"><h3>相关链接</h3><ul>{related}</ul></div></td>
<td valign="top"><div class="crumb">当前位置：<a href="/">首页</a> &gt; \
<a href="/zwgk/">政务公开</a> &gt; 政府信息公开年报</div>
{content}
</td></tr></table>
<div class="footer"><p>主办单位：{escape(spec.organ)}办公室</p><p>ICP备案：青ICP备00000000号</p></div>
</body>"""
