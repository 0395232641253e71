"""xxgk: government information-disclosure annual reports → a validated SQL warehouse.

The design card's top-level folders (flows/, extractors/, schemas/, warehouse/, ...) are
installed as subpackages of this package (see pyproject.toml's package-dir), so the
distribution claims only the name `xxgk`.

`from xxgk import connect` gives a notebook a DuckDB connection with the warehouse
attached (read-only unless asked otherwise); it is imported on first use, so importing
xxgk stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xxgk.warehouse.connect import connect

__version__ = "0.1.0"
__all__ = ["connect"]


def __getattr__(name: str) -> Any:
    if name == "connect":
        from xxgk.warehouse.connect import connect

        return connect
    raise AttributeError(f"module 'xxgk' has no attribute {name!r}")
