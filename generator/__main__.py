"""`python -m generator` is the `scorecard` command."""

import sys

from generator.cli import main

sys.exit(main())
