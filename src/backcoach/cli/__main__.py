"""`python -m backcoach.cli` runs the `backcoach` command."""

from backcoach.cli import main

main()
