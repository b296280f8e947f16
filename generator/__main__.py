"""`python -m generator` runs the deckgen command line."""

from .cli import main

if __name__ == "__main__":  # not when a worker process imports it (parse.cache)
    main(prog_name="deckgen")
