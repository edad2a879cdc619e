"""`python -m liuxia_tracker` runs the same command line as `tracker`."""

from liuxia_tracker.cli import main

main()
