"""Generated reports as scans: every page rasterised, tilted, speckled, saved as images only.

A scanner or a phone camera turns a report into an image-only PDF: the page is sampled
at 150–200 dpi, a little rotated, with noise from paper and toner. `scan` does the same
to any PDF (a generated report rendered by samples.pdf), deterministically for a seed;
`degrade` also smudges the figures beyond reading, for tests of what OCR must not invent.
"""

from __future__ import annotations

import io

import numpy as np
import pypdfium2
from PIL import Image


def scan(pdf: bytes, *, dpi: int = 200, angle: float = 0.4, noise: float = 0.01, blur: float = 0.0,
         seed: int = 0) -> bytes:
    """The PDF's pages as one image-only PDF. `noise` is the share of pixels flipped to
    dark or light; `blur` (0–1) washes the page out towards grey."""
    rng = np.random.default_rng(seed)
    document = pypdfium2.PdfDocument(pdf)
    try:
        pages = [_page(document[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L"),
                       angle, noise, blur, rng)
                 for i in range(len(document))]
    finally:
        document.close()
    out = io.BytesIO()
    pages[0].save(out, format="PDF", save_all=True, append_images=pages[1:], resolution=dpi)
    return out.getvalue()


def _page(image: Image.Image, angle: float, noise: float, blur: float, rng: np.random.Generator) -> Image.Image:
    image = image.rotate(angle, resample=Image.Resampling.BILINEAR, expand=False, fillcolor=255)
    pixels: np.ndarray = np.asarray(image, dtype=np.float32)
    if blur:
        pixels = pixels * (1 - blur) + 200 * blur + rng.normal(0, 60 * blur, pixels.shape)
    flips = rng.random(pixels.shape)
    pixels[flips < noise / 2] = 0
    pixels[flips > 1 - noise / 2] = 255
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), mode="L")
