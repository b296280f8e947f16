"""deckgen: build Anki decks (.apkg) from Markdown lecture notes kept in Git."""

__version__ = "0.1.0"
