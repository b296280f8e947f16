"""The desktop tier: the real Anki desktop client, driven from inside by an add-on
(`deckgen_probe`), through what a student does with two courses (test_desktop.py)."""
