"""`python -m pos` is the same as the `pos` console script."""

from pos.cli import main

raise SystemExit(main())
