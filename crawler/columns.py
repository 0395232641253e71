"""Recognising a portal's annual-report columns by what their names say, for `xxgk portals
add` and `xxgk portals discover`.

Portals name the column in many ways (政府信息公开年报, 信息公开年度报告, 年度报告 under a
政府信息公开 heading), and many split it: a menu heading 信息公开年报 that links nowhere
(`<a class="a1">信息公开年报</a>`, a `<dt>`, a jump menu's placeholder option) over linked
sub-columns 政府年报 / 部门年报 / 乡镇（街道）年报, or 本级 / 部门 / 镇街. So a name is
scored, not matched: what kind of publication it names (年报, 年度报告), whether it names
information disclosure (信息公开, 政务公开), whose reports it holds (the government's own,
its departments', its towns' and streets'), and the heading it sits under; words naming
something else (统计, 预决算, 政府工作报告, 指南, a year: an item, not a column) rule it out.
A menu group is found from the page's structure: the links that follow a heading inside
its nearest enclosing block, up to the next heading of the same shape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import lxml.html

from xxgk.crawler.families import parse_html
from xxgk.crawler.links import PageLink, page_links

Context = Literal["reports", "disclosure"] | None
Scope = Literal["本级", "部门", "乡镇街道"]

# Weights, in tenths; a name is a column at THRESHOLD.
_KIND_WEIGHT, _TOPIC_WEIGHT, _SCOPE_WEIGHT = 5, 4, 3
_CONTEXT_WEIGHT = {"reports": 4, "disclosure": 2}
THRESHOLD = 7

_KIND = re.compile(r"(?:工作)?年度(?:工作)?(?:公开)?报告|年报")
_TOPIC = re.compile(r"(?:政府|政务)?(?:信息|政务)公开(?:工作)?|政府信息")
# Names of something else: other reports and statistics, guides and rules, business
# registers, the 政府工作报告, a year (a report itself, not its column).
_OTHER = re.compile(r"统计|财政|预算|决算|审计|企业|网站|报表|公报|国民经济|社会组织|年鉴|指南|目录"
                    r"|制度|规定|依申请|意见|要点|计划|总结|政府工作报告|年检|公示|监测|考核|人大|政协|提案|建议"
                    r"|(?:19|20)\d\d|[〇零一二三四五六七八九]{4}")
_SCOPES: tuple[tuple[Scope, re.Pattern[str]], ...] = (
    ("乡镇街道", re.compile(r"乡镇|街道|镇街|街镇|镇|乡|苏木|办事处")),
    ("部门", re.compile(r"部门|区直|县直|市直|旗直|委办局|单位|直属|机关")),
    ("本级", re.compile(r"本级|政府|县级|区级|市级|旗级")),
)
_DISCLOSURE = re.compile(r"^(?:政府|政务)?(?:信息|政务)?公开(?:专栏|目录|平台|专题)?$|^法定主动公开内容$")
_DECORATION = re.compile(r"[\s()（）【】\[\]《》<>·•|｜:：>＞»]+|(?:专栏|栏目|列表)$")
_MAX_NAME = 20               # characters: a longer text is an item or a sentence, not a column's name
_MAX_LABEL_TEXT = 60         # characters of an element's text worth reading as a heading
_MAX_ELEMENTS = 50_000       # elements of one page examined for headings
_MAX_UP = 4                  # levels above a heading searched for its group
_MAX_HEADINGS = 200          # headings of one page whose groups are read
_MAX_ITEMS = 40              # links of one menu group


@dataclass(frozen=True)
class Naming:
    score: int                 # in tenths; THRESHOLD and over: an annual-report column
    scope: Scope | None        # whose reports; None: all of them (the combined column)

    @property
    def column(self) -> bool:
        return self.score >= THRESHOLD


@dataclass(frozen=True)
class Column:
    name: str
    url: str
    scope: Scope | None
    score: int
    heading: str | None = None   # the menu heading it was found under
    heading_linked: bool = True  # whether that heading links anywhere

    @property
    def combined(self) -> bool:
        return self.scope is None


@dataclass(frozen=True)
class PageColumns:
    columns: list[Column]        # best score first, then page order
    disclosure: list[str]        # 信息公开 pages linked, where the column usually is


def read_name(text: str, context: Context = None) -> Naming:
    """How surely `text` names an annual-report column, under a heading of `context`."""
    name = _DECORATION.sub("", text)
    if not name or len(name) > _MAX_NAME or _OTHER.search(name):
        return Naming(0, None)
    rest = _TOPIC.sub("", name)
    topic = rest != name
    kind = _KIND.search(rest) is not None or (topic and rest == "报告")   # 政府信息公开(工作)报告
    scope = _scope(_KIND.sub("", rest))
    if not kind and not (scope and context == "reports" and _bare_scope(rest)):
        return Naming(0, scope)
    score = _KIND_WEIGHT * kind + _TOPIC_WEIGHT * topic + _SCOPE_WEIGHT * (scope is not None)
    return Naming(score + _CONTEXT_WEIGHT.get(context or "", 0), scope)


def heading_context(text: str) -> Context:
    """What a heading names: the annual reports as a whole, a 信息公开 section, or neither."""
    name = _DECORATION.sub("", text)
    if _DISCLOSURE.match(name):
        return "disclosure"
    naming = read_name(name, "reports")
    return "reports" if naming.scope is None and naming.score >= THRESHOLD and _KIND.search(name) else None


def page_columns(html: str, url: str, context: Context = None) -> PageColumns:
    """The annual-report columns a page links, by name and by the menu heading they are
    under (`context`: what the page itself is, a 信息公开 page reached by its link), and its
    links to 信息公开 pages."""
    root = parse_html(html, url)
    links = page_links(root, url, keep_fragment=True)
    by_element = {link.element: link for link in links}
    found: dict[str, tuple[tuple[int, int], Column]] = {}

    def consider(link: PageLink, where: Context, heading: str | None = None, linked: bool = True,
                 distance: int = _MAX_UP) -> None:
        """Keep the link's best reading: the highest score, then the nearest heading."""
        for title in link.titles:
            naming = read_name(title, where)
            rank = (naming.score, -distance)
            if naming.column and (link.url not in found or rank > found[link.url][0]):
                column = Column(re.sub(r"\s+", "", title), link.url, naming.scope, naming.score, heading, linked)
                found[link.url] = (rank, column)

    for link in links:
        consider(link, context)
    disclosure = list(dict.fromkeys(link.url for link in links
                                    if any(heading_context(t) == "disclosure" for t in link.titles)))
    for element, text, where in _headings(root, by_element):
        items, distance = _group(element, by_element)
        for item in items:
            consider(item, where, _DECORATION.sub("", text), element in by_element, distance)
    # Stable: page order among equals.
    columns = sorted((column for _, column in found.values()), key=lambda c: -c.score)
    return PageColumns(columns, [u for u in disclosure if u not in found])


def _scope(rest: str) -> Scope | None:
    return next((scope for scope, words in _SCOPES if words.search(rest)), None)


def _bare_scope(name: str) -> bool:
    """A name that is nothing but whose reports (本级, 区直部门, 乡镇（街道）, 县政府): under an
    annual-report heading, a sub-column; anything more (机关党建) is some other column."""
    for _, words in _SCOPES:
        name = words.sub("", name)
    return len(name) <= 1


def _headings(root: lxml.html.HtmlElement, by_element: dict) -> list[tuple[lxml.html.HtmlElement, str, Context]]:
    """(element, text, what it names) of the page's texts that head a menu group: links by their
    titles, other elements by their own text (theirs, not their children's: `<a class="a1">
    <i></i>信息公开年报</a>`) where no link holds them (a heading that links nowhere)."""
    found: list[tuple[lxml.html.HtmlElement, str, Context]] = []
    for count, element in enumerate(root.iter()):
        if count >= _MAX_ELEMENTS or len(found) >= _MAX_HEADINGS:
            break
        if not isinstance(element.tag, str) or element.tag in ("script", "style", "head", "title", "html", "body"):
            continue
        link = by_element.get(element)
        if link is not None:
            found += [(element, title, where) for title in link.titles if (where := heading_context(title))]
            continue
        text = "".join([element.text or "", *(child.tail or "" for child in element)])
        if len(text) > _MAX_LABEL_TEXT or not text.strip() or not (where := heading_context(text)):
            continue
        if not any(ancestor in by_element for ancestor in element.iterancestors()):
            found.append((element, text, where))
    return found


def _group(heading: lxml.html.HtmlElement, by_element: dict) -> tuple[list[PageLink], int]:
    """The links a heading heads: those after it in the nearest block around it that holds
    any, up to the next heading shaped like it (a sibling of the same tag and class); and
    how many levels up that block is."""
    node = heading
    for level in range(_MAX_UP):
        parent = node.getparent()
        if parent is None:
            break
        items = [] if node is heading else _links_after(node, heading, by_element)
        for sibling in node.itersiblings():
            if _same_shape(sibling, node, by_element):
                break
            items += _links_in(sibling, by_element)
        if items:
            return items[:_MAX_ITEMS], level
        node = parent
    return [], _MAX_UP


def _same_shape(a: lxml.html.HtmlElement, b: lxml.html.HtmlElement, by_element: dict) -> bool:
    """Whether `a` is a heading of the same menu level as `b`: the same tag and class (a
    linked heading `<a class="a1" href>` as much as one that links nowhere); without a
    class, the same tag and the same linking (in `<a>X</a><a href>Y</a>` the second is an item)."""
    if a.tag != b.tag or a.get("class") != b.get("class"):
        return False
    return bool(a.get("class")) or (a in by_element) == (b in by_element)


def _links_in(element: lxml.html.HtmlElement, by_element: dict) -> list[PageLink]:
    return [by_element[e] for e in element.iter() if e in by_element]


def _links_after(block: lxml.html.HtmlElement, heading: lxml.html.HtmlElement, by_element: dict) -> list[PageLink]:
    """The links inside `block` that come after `heading` (which it holds)."""
    after, items = False, []
    for element in block.iter():
        if element is heading:
            after = True
        elif after and element in by_element:
            items.append(by_element[element])
    return items
