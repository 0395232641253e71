"""`python -m xxgk` is the `xxgk` console script."""

from xxgk.flows.cli import main

raise SystemExit(main())
