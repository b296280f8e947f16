"""The stylesheet of every deckgen note type, day and night, phone and desktop.

Part of each note type's content hash (note_types.py): a change here replaces the note
types in every student's collection on the next import, which is how a new look reaches
them; tests/test_identity_contract.py pins the hashes, so a change is always deliberate.
"""

from __future__ import annotations

CSS = """\
.card {
  --deckgen-muted: #6b6b70;
  --deckgen-rule: #d2d2d7;
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
.card.nightMode, .nightMode .card, .card.night_mode, .night_mode .card {
  --deckgen-muted: #a1a1a6;
  --deckgen-rule: #48484a;
  color: #e8e8ea;
  background: #1e1e20;
}
.context { font-size: 0.7em; color: var(--deckgen-muted); margin-bottom: 0.75em; }
.prompt { font-weight: 600; }
.hint { font-size: 0.75em; color: var(--deckgen-muted); margin-top: 0.5em; }
.answer { margin-top: 0.25em; }
.answer ol, .answer ul, .cloze-text ol, .cloze-text ul { padding-left: 1.4em; margin: 0.25em 0; }
.answer li, .cloze-text li { margin: 0.2em 0; }
.cloze { font-weight: 700; color: #0a60c2; }
.nightMode .cloze, .night_mode .cloze, .card.nightMode .cloze { color: #6cb4ff; }
.source { margin-top: 1.5em; font-size: 0.6em; color: var(--deckgen-muted); font-family: ui-monospace, Menlo, Consolas, monospace; }
.course-header {
  font-size: 0.65em; font-weight: 600; letter-spacing: 0.06em; text-transform: uppercase;
  color: var(--deckgen-muted); padding-bottom: 0.5em; margin-bottom: 1em;
  border-bottom: 1px solid var(--deckgen-rule);
}
.course-footer {
  font-size: 0.7em; color: var(--deckgen-muted); margin-top: 2em; padding-top: 0.6em;
  border-top: 1px solid var(--deckgen-rule);
}
.course-footer + .source { margin-top: 0.4em; }
code, pre { font-family: ui-monospace, Menlo, Consolas, "Roboto Mono", "Courier New", monospace; font-size: 0.9em; }
code { background: #f0f0f3; border-radius: 4px; padding: 0.05em 0.3em; }
pre { background: #f6f6f8; border-radius: 6px; padding: 0.6em 0.8em; line-height: 1.4; }
pre code, .nightMode pre code, .night_mode pre code { background: none; padding: 0; font-size: 1em; }
.nightMode code, .night_mode code { background: #2c2c2f; }
.nightMode pre, .night_mode pre { background: #26262a; }
img { max-width: 100%; height: auto; }
table { border-collapse: collapse; margin: 0.5em 0; }
th, td { padding: 0.2em 0.6em; border-bottom: 1px solid var(--deckgen-rule); }
/* What can be wider than a phone scrolls sideways in its own box. Never up and down: a box
   that scrolls on one axis scrolls on both (overflow-x: auto alone makes overflow-y auto), and
   MathJax's glyphs reach a few pixels past their box, hence the padding. */
pre, table, mjx-container[display="true"] { display: block; max-width: 100%; overflow-x: auto; overflow-y: hidden; }
mjx-container[display="true"] { padding: 0.25em 0; }
hr#answer { height: 0; background: none; border: none; border-top: 1px solid var(--deckgen-rule); margin: 0.75em 0; }
#typeans, .typed-hint { font-size: 0.9em; }
@media (max-width: 480px) {
  .card { font-size: 18px; padding: 0.5em 0.6em; }
}
"""

_CODE_COLOURS = (
    # Pygments' token classes (`parse.markdown` writes them with the `hl-` prefix), day colour,
    # night colour, other declarations. Both contrast at least 4.5:1 with their background.
    ("c ch cm c1 cs cp cpf sd", "#5f646d", "#a3a8b1", "font-style: italic; "),
    ("k kc kd kn kp kr kt ow nt", "#9a1f98", "#e08ee6", ""),
    ("s s1 s2 sa sb sc se sh si sr ss sx dl gi", "#22692a", "#8fd694", ""),
    ("m mb mf mh mi mo il na", "#8a5600", "#f0c274", ""),
    ("nf fm nc nd nn", "#2a56c0", "#8ab4ff", ""),
    ("nb bp gd err", "#b0311f", "#ff8a80", ""),
)


def _code_css() -> str:
    """Colours of highlighted code, day and night (Anki's night-mode classes, old and new)."""
    lines = []
    for classes, day, night, other in _CODE_COLOURS:
        selectors = [f".hl-{name}" for name in classes.split()]
        lines.append(f"{', '.join(selectors)} {{ {other}color: {day}; }}")
        at_night = [f"{mode} {s}" for mode in (".nightMode", ".night_mode") for s in selectors]
        lines.append(f"{', '.join(at_night)} {{ color: {night}; }}")
    return "\n".join(lines) + "\n"


CSS += _code_css()
