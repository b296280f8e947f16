"""`python -m generator` runs the deckgen command line."""

from .cli import main

main(prog_name="deckgen")
