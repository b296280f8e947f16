"""How diagnostics are printed: compiler-style text, JSON for tools, GitHub annotations."""

from __future__ import annotations

import json
from collections.abc import Sequence

import click

from .diagnostics import ONE_LINE, Diagnostic, Severity


def report(diagnostics: Sequence[Diagnostic], output_format: str, summary: bool = True) -> None:
    ordered = sorted(diagnostics, key=lambda d: d.sort_key)
    if output_format == "json":
        click.echo(json.dumps([as_json(d) for d in ordered], indent=2, ensure_ascii=False))
        return
    for d in ordered:
        if output_format == "github":
            click.echo(annotation(d))
        else:
            click.echo(str(d), err=True)
    if summary:
        errors = sum(d.severity is Severity.ERROR for d in ordered)
        warnings = len(ordered) - errors
        line = f"{errors} error(s), {warnings} warning(s)" if ordered else "no problems found"
        click.echo(line, err=output_format == "text")


def annotation(d: Diagnostic) -> str:
    """A GitHub Actions workflow command. Its data and its property values are escaped as
    GitHub's runner unescapes them, so no file name can add or change a property."""

    def data(text: str) -> str:
        escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return escaped.translate(ONE_LINE)  # any other control or line separator: shown

    def prop(text: str) -> str:
        return data(text).replace(":", "%3A").replace(",", "%2C")

    kind = "error" if d.severity is Severity.ERROR else "warning"
    loc = d.location
    return (
        f"::{kind} file={prop(loc.path)},line={loc.line},col={loc.col},"
        f"title={prop(d.code)}::{data(d.message)}"
    )


def as_json(d: Diagnostic) -> dict[str, object]:
    loc = d.location
    return {
        "path": loc.path,
        "line": loc.line,
        "col": loc.col,
        "severity": d.severity.value,
        "code": d.code,
        "message": d.message,
    }
