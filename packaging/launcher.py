"""The bundle's entry point: the same ``pos`` command as the installed package."""

import sys

from pos.cli import main

if __name__ == "__main__":
    sys.exit(main())
