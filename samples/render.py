"""One entry point for generated documents: figures and traits in, document bytes out."""

from __future__ import annotations

import importlib
from typing import Any

from xxgk.samples.figures import ReportSpec
from xxgk.samples.layout import Layout, Traits, build_layout

SUFFIX = {"html": ".html", "pdf": ".pdf", "docx": ".docx", "text": ".txt"}
# Imported on use: each renderer pulls in its own heavy library (reportlab, python-docx).
_RENDERERS = {"html": "render_html", "pdf": "render_pdf", "docx": "render_docx", "text": "render_text"}


def render(spec: ReportSpec, kind: str, traits: Traits = Traits(), **options: Any) -> bytes:
    """The report `spec` as a document of `kind` (html, pdf, docx, text); `options` are the
    renderer's own (charset for HTML, page breaks for PDF, ...)."""
    return render_layout(build_layout(spec, traits), kind, **options)


def render_layout(layout: Layout, kind: str, **options: Any) -> bytes:
    module = importlib.import_module(f"xxgk.samples.{kind}")
    return getattr(module, _RENDERERS[kind])(layout, **options)
