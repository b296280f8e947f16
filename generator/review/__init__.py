"""Review: read packages back and show what students get.

Contract: what this phase shows is what Anki does. `apkg.py` reads packages (ours or anyone's:
untrusted input), `diff.py` compares two builds and predicts the import, `verify.py` imports
with the real `anki` package, `render.py` renders cards as Anki's template engine does
(tests compare it with Anki's renderer), `preview.py` writes the HTML page of every card.
Nothing here writes a package or the lock.
"""
