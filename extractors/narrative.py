"""What the narrative says against the tables: figures restated in prose, compared.

Section 一 or 三 of a template report often restates headline figures (共收到政府信息公开
申请128件, 予以公开47件, 行政复议7件). Each is read with the prose reader and compared
with the table figure of the same meaning; a difference is a warning
`narrative_mismatch` carrying both values and the sentence. Only sentences about
applications count for the application figures (a hotline's 办结68710件 is not one), and a
figure the words leave open (约, 余, one figure for two subjects) is not compared, nor is
one against a table of which no figure could be read. A
paragraph that speaks of an applicant group (其中自然人提交107件。予以公开47件…) may give
that column's figures rather than the totals: either agrees.
"""

from __future__ import annotations

import re

from xxgk.extractors.grid import Block, Paragraph
from xxgk.extractors.prose import Statement, Subject, classes_information, read_statements, sentences, unwrapped
from xxgk.schemas.catalog import ACTIVE, APPLICANT_COLUMNS, APPLICATIONS, REVIEW, TEMPLATE_2021
from xxgk.schemas.checks import is_unread, unread_cells
from xxgk.schemas.records import Cell, Issue, Number

CellKey = tuple[str, str, str]


def _subject(key: str, pattern: str, narrows: tuple[str, ...] = ()) -> Subject:
    return Subject(key, re.compile(pattern), narrows)


_RESULT = ("total_processed",)  # a result named with the word for replies (同意公开答复数1件) counts the result


_APPLICATION = r"(?:各类|群众|公民、法人(?:和|或)其他组织(?:的)?)?(?:政府信息公开|依申请公开)?(?:信息)?(?:的)?申请"
SUBJECTS = (
    _subject("new_received", rf"(?:收到|受理|新收|接收|接到){_APPLICATION}"),
    _subject("carried_over", r"上(?:一)?年(?:度)?结转(?:的)?(?:政府信息公开)?(?:申请)?"),
    _subject("total_processed", r"(?:已)?(?:办结|办理完毕|答复|处理|办理)(?:了)?(?:政府信息公开)?(?:申请)?"),
    _subject("granted", r"(?:予以|同意)公开|全部公开", _RESULT),
    _subject("partially_granted", r"(?:同意)?部分公开|区分处理(?:后)?(?:公开)?", _RESULT),
    _subject("granted_or_partly", r"(?:予以|同意)公开(?:及|和|与|、|或)(?:同意)?部分公开", _RESULT),
    _subject("denied", r"不予公开", _RESULT),
    _subject("carried_forward", r"结转(?:至|到)?下(?:一)?年(?:度)?(?:继续办理)?"),
    _subject("reviews", r"行政复议"),
    _subject("lawsuits", r"行政诉讼"),
    # Results that are none of the above: named so that their words (不予处理 holds 处理)
    # are not read as another subject's.
    _subject("other_result", r"不予处理|其他处理|无法提供", _RESULT),
)
# The table figure each narrative subject restates: the sum of these cells.
_TOTAL = "total"
TABLE_FIGURES: dict[str, tuple[CellKey, ...]] = {
    "new_received": ((APPLICATIONS, "new_received", _TOTAL),),
    "carried_over": ((APPLICATIONS, "carried_over", _TOTAL),),
    "total_processed": ((APPLICATIONS, "total_processed", _TOTAL),),
    "granted": ((APPLICATIONS, "granted", _TOTAL),),
    "partially_granted": ((APPLICATIONS, "partially_granted", _TOTAL),),
    "granted_or_partly": ((APPLICATIONS, "granted", _TOTAL), (APPLICATIONS, "partially_granted", _TOTAL)),
    "denied": tuple((APPLICATIONS, row.key, _TOTAL) for row in TEMPLATE_2021.table(APPLICATIONS).rows
                    if row.group == "denied"),
    "carried_forward": ((APPLICATIONS, "carried_forward", _TOTAL),),
    "reviews": ((REVIEW, "review", _TOTAL),),
    "lawsuits": ((REVIEW, "litigation_direct", _TOTAL), (REVIEW, "litigation_after_review", _TOTAL)),
}
# Table 2's figures a narrative restates (本年度制发行政规范性文件62件, 现行有效行政规范性文件440件):
# evidence for cutting a run of figures, not compared (its scope is often the whole body's).
_NORMATIVE = r"(?:行政)?规范性文件"
ACTIVE_SUBJECTS = (
    _subject("normative_issued", rf"(?:制发|制定|出台|印发)(?:了)?{_NORMATIVE}"),
    _subject("normative_repealed", rf"废止(?:了)?{_NORMATIVE}"),
    _subject("normative_in_force", rf"现行有效(?:的)?{_NORMATIVE}"),
)
ACTIVE_FIGURES: dict[str, tuple[CellKey, ...]] = {
    "normative_issued": ((ACTIVE, "normative_documents", "issued"),),
    "normative_repealed": ((ACTIVE, "normative_documents", "repealed"),),
    "normative_in_force": ((ACTIVE, "normative_documents", "in_force"),),
}
_FIGURES = {**TABLE_FIGURES, **ACTIVE_FIGURES}
# 共受理申请859件 often counts last year's carried-over requests too: either reading agrees.
_ALSO = {"new_received": ((APPLICATIONS, "new_received", _TOTAL), (APPLICATIONS, "carried_over", _TOTAL))}
_ABOUT_APPLICATIONS = re.compile(r"申请")
_APPLICATION_KEYS = frozenset(TABLE_FIGURES) - {"reviews", "lawsuits"}


def check_narrative(blocks: list[Block], cells: list[Cell], reading: list[Issue] | None = None) -> list[Issue]:
    """One warning per figure the narrative states differently from the table. A figure
    about cells the reader left unread (`reading`'s findings name them) is not compared:
    their null is no figure of the table's."""
    values = {(c.table, c.row, c.col): c.value for c in cells}
    unread = unread_cells(reading or [])
    paragraphs = [b for b in blocks if isinstance(b, Paragraph)]
    texts = [p.text for p in unwrapped(paragraphs)]
    issues: list[Issue] = []
    for statement in restated_figures(paragraphs):
        if unread and any(is_unread(key, unread) for key in TABLE_FIGURES[statement.key]):
            continue
        issue = _compare(statement, values, _named_columns(texts[statement.paragraph - 1]))
        if issue is not None:
            issues.append(issue)
    return issues


def restated_figures(paragraphs: list[Paragraph], subjects: tuple[Subject, ...] = SUBJECTS) -> list[Statement]:
    """The table figures the narrative states plainly (no unit, about applications where
    it names one), each keyed as TABLE_FIGURES or ACTIVE_FIGURES keys it."""
    return [s for s in read_statements(sentences(paragraphs), subjects)
            if s.value is not None and s.key in _FIGURES and s.unit is None
            and (s.key not in _APPLICATION_KEYS
                 or _ABOUT_APPLICATIONS.search(s.sentence) and not classes_information(s))]


def settling(statements: list[Statement], cells: tuple[CellKey, ...],
             candidates: tuple[tuple[str, ...], ...]) -> tuple[list[tuple[str, ...]], list[Statement]]:
    """The candidate readings of `cells` (a run of figures with several plausible cuts)
    under which every figure the narrative states about these cells holds, with those
    statements (none: every candidate stands)."""
    position = {key: i for i, key in enumerate(cells)}
    about = [s for s in statements if all(key in position for key in _FIGURES[s.key])]
    fitting = [c for c in candidates
               if all(sum(_figure(c[position[key]]) for key in _FIGURES[s.key]) == s.value for s in about)]
    return fitting, about


def _figure(text: str) -> Number:
    return int(text) if text.isdigit() else 0


def _named_columns(paragraph: str) -> tuple[str, ...]:
    """Applicant columns a paragraph speaks of (其中自然人提交107件): its figures may be theirs."""
    return tuple(c.key for c in APPLICANT_COLUMNS
                 if c.key != _TOTAL and any(len(n) > 2 and n in paragraph for n in c.needles))


def _compare(statement: Statement, values: dict[CellKey, Number | None], columns: tuple[str, ...]) -> Issue | None:
    keys = TABLE_FIGURES[statement.key]
    table_value = _sum(keys, values)
    readings = {table_value} | ({_sum(_ALSO[statement.key], values)} if statement.key in _ALSO else set())
    if statement.key in _APPLICATION_KEYS:
        readings |= {_sum(tuple((t, r, column) for t, r, _ in keys), values) for column in columns}
    if statement.value in readings or (table_value is None and (statement.value == 0 or not _read(keys[0][0], values))):
        return None
    table, row, col = keys[0]
    shown = "blank" if table_value is None else table_value
    return Issue("narrative_mismatch", "warning",
                 f"the narrative states {statement.key} as {statement.value}, the table as {shown}: "
                 f"{statement.sentence}",
                 table=table, row=row, col=col, expected=table_value, actual=statement.value)


def _read(table: str, values: dict[CellKey, Number | None]) -> bool:
    """Was any figure of the table read? A table that could not be read is no evidence."""
    return any(value is not None for (t, _, _), value in values.items() if t == table)


def _sum(keys: tuple[CellKey, ...], values: dict[CellKey, Number | None]) -> Number | None:
    """The table's figure: the cells added, blank only when all of them are blank."""
    found = [values.get(key) for key in keys]
    return None if all(v is None for v in found) else sum(v or 0 for v in found)
