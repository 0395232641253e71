"""One entry point for generated documents: figures and traits in, document bytes out."""

from __future__ import annotations

from typing import Any, Callable

from xxgk.samples.figures import ReportSpec
from xxgk.samples.layout import Layout, Traits, build_layout

SUFFIX = {"html": ".html", "pdf": ".pdf", "docx": ".docx", "text": ".txt"}


def _renderers() -> dict[str, Callable[..., bytes]]:
    """Imported on use: each renderer pulls in its own heavy library (reportlab, python-docx)."""
    from xxgk.samples import docx, html, pdf, text

    return {"html": html.render_html, "pdf": pdf.render_pdf, "docx": docx.render_docx, "text": text.render_text}


def render(spec: ReportSpec, kind: str, traits: Traits = Traits(), **options: Any) -> bytes:
    """The report `spec` as a document of `kind` (html, pdf, docx, text); `options` are the
    renderer's own (charset for HTML, page breaks for PDF, ...)."""
    return _renderers()[kind](build_layout(spec, traits), **options)


def render_layout(layout: Layout, kind: str, **options: Any) -> bytes:
    return _renderers()[kind](layout, **options)
