"""`python -m xxgk` is the `xxgk` console script."""

from xxgk.cli import main

raise SystemExit(main())
