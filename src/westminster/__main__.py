"""`python -m westminster` runs the CLI."""

from westminster.cli.app import main

main()
