"""The site's pages as text: Jinja templates (files in templates/) filled with plain values.

Each function takes what one page shows and returns its HTML; where to write it and
when is build.py's business.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from xxgk.publish.series import shown
from xxgk.publish.tables import LaidOutTable, NumberedFinding, Slot, figure_text

_SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}


@cache
def environment() -> Environment:
    env = Environment(loader=PackageLoader("xxgk.publish", "templates"), autoescape=True, trim_blocks=True,
                      lstrip_blocks=True, undefined=StrictUndefined)
    env.globals.update(figure=figure_text, shown=shown, severity=lambda s: _SEVERITY.get(s, s))
    return env


def _slot_class(slot: Slot) -> str:
    classes = ["fig"] if slot.cell else []
    if slot.absent:
        classes.append("absent")
    return " ".join(classes)


def render(template: str, **context: object) -> str:
    return environment().get_template(template).render(**context)


def report_page(findings: Sequence[NumberedFinding], **context: object) -> str:
    """A report page; each finding's marker links to its line in the list and shows, on
    the cell, what the check expected and what was published."""
    by_number = {item.number: item for item in findings}

    def marker(number: int) -> Markup:
        finding = by_number[number].finding
        tip = f"{_SEVERITY.get(finding.severity, finding.severity)} {finding.check}: {finding.message}"
        figures = ""
        if finding.expected is not None or finding.actual is not None:
            figures = (f'<span class="fx">应为 {escape(figure_text(finding.expected) or "空")} · '
                       f'公布 {escape(figure_text(finding.actual) or "空")}</span>')
        return Markup(f'<a class="marker {escape(finding.severity)}" href="#f{number}" title="{escape(tip)}">'
                      f'{number}</a>{figures}')

    def cell_class(slot: Slot) -> str:
        base = _slot_class(slot)
        if not slot.findings:
            return base
        worst = "error" if any(by_number[n].finding.severity == "error" for n in slot.findings) else "warning"
        return f"{base} finding {worst}".strip()

    def table_html(table: LaidOutTable) -> Markup:
        """Written here rather than in the template: a build writes thousands of these
        tables, and a template loop over every cell costs most of a build's time."""
        parts = ['<table class="published">']
        for row in table.rows:
            parts.append("<tr>")
            for slot in row:
                tag = "th" if slot.header or not slot.cell else "td"
                attributes = "".join((
                    f' rowspan="{slot.rowspan}"' if slot.rowspan > 1 else "",
                    f' colspan="{slot.colspan}"' if slot.colspan > 1 else "",
                    f' class="{cell_class(slot)}"' if slot.cell or slot.findings else "",
                    f' data-cell="{"/".join(slot.cell)}"' if slot.cell else "",
                    f' title="第{slot.page}页"' if slot.page else ""))
                markers = "".join(marker(n) for n in slot.findings)
                parts.append(f"<{tag}{attributes}>{escape(slot.text)}{markers}</{tag}>")
            parts.append("</tr>")
        parts.append("</table>")
        return Markup("\n".join(parts))

    return render("report.html.j2", findings=findings, marker=marker, table_html=table_html, **context)
