"""The stylesheet of every deckgen note type, day and night, phone and desktop.

Part of each note type's content hash (note_types.py): a change here replaces the note
types in every student's collection on the next import, which is how a new look reaches
them; tests/test_identity_contract.py pins the hashes, so a change is always deliberate.
"""

from __future__ import annotations

CSS = """\
.card {
  font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 20px;
  line-height: 1.5;
  text-align: left;
  color: #1d1d1f;
  background: #ffffff;
  max-width: 42em;
  margin: 0 auto;
  padding: 0.75em 1em;
}
.card.nightMode, .nightMode .card, .night_mode .card {
  color: #e8e8ea;
  background: #1e1e20;
}
.context { font-size: 0.7em; color: #6e6e73; margin-bottom: 0.75em; }
.prompt { font-weight: 600; }
.hint { font-size: 0.75em; color: #6e6e73; margin-top: 0.5em; }
.answer { margin-top: 0.25em; }
.answer ol, .answer ul, .cloze-text ol, .cloze-text ul { padding-left: 1.4em; margin: 0.25em 0; }
.answer li, .cloze-text li { margin: 0.2em 0; }
.cloze { font-weight: 700; color: #0a60c2; }
.nightMode .cloze, .night_mode .cloze, .card.nightMode .cloze { color: #6cb4ff; }
.source { margin-top: 1.5em; font-size: 0.6em; color: #8e8e93; font-family: ui-monospace, Menlo, Consolas, monospace; }
code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.9em; }
img { max-width: 100%; height: auto; }
pre, mjx-container[display="true"] { max-width: 100%; overflow-x: auto; }
hr#answer { border: none; border-top: 1px solid #d2d2d7; margin: 0.75em 0; }
.nightMode hr#answer, .night_mode hr#answer { border-top-color: #48484a; }
#typeans, .typed-hint { font-size: 0.9em; }
@media (max-width: 480px) {
  .card { font-size: 18px; padding: 0.5em 0.6em; }
}
"""
