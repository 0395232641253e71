"""Reading reports (layer 2): a document's bytes → grids → the template's cells, with metadata.

One reader per document kind (HTML, PDF with OCR for scans, DOCX, text) produces the same
neutral grid; one normalizer maps grids to the catalog's canonical cells; `extract()` is
the entry point and never raises for a document: an unreadable one is an extraction whose
issue says why. Imports only `xxgk.schemas`.
"""
