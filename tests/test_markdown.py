"""The one markdown-it instance (parse/markdown.py): what its rules make of the notes."""

from __future__ import annotations

from generator.parse.markdown import MD, render_blocks


def test_displayed_math_followed_by_a_number_is_displayed_math() -> None:
    """texmath's numbered equation (`\\[...\\] (1)`) was written as `<eqn>` HTML, not math."""
    html = render_blocks(MD.parse("- **Area**\n\n  \\[a<b\\] (1)\n"))
    assert "<div>\\[a&lt;b\\]</div>" in html
    assert "eqn" not in html
