"""xxgk: government information-disclosure annual reports → a validated SQL warehouse.

The design card's top-level folders (flows/, extractors/, schemas/, warehouse/, ...) are
installed as subpackages of this package (see pyproject.toml's package-dir), so the
distribution claims only the name `xxgk`.
"""

__version__ = "0.1.0"
