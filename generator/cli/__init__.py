"""The command line: options in, a typed Config to the library, diagnostics and exit codes out.

The group and its one error boundary live here; the commands, by what they work on, in
notes.py (build, check, preview, stats), releases.py (diff, verify, removed) and course.py (init,
import); options.py holds what they share.

The library is imported inside each command so that `deckgen --help` starts fast.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from .. import __version__
from .course import import_, init
from .notes import build, check, preview, stats
from .options import EXIT_INTERRUPTED, EXIT_PROBLEMS, EXIT_USAGE
from .releases import diff, removed, verify


class _Deckgen(click.Group):
    """The command group, with the one error boundary of deckgen: every command runs inside it.

    The library raises; here, and only here, exceptions become text and exit statuses:
    UsageError -> 2; BuildFailed -> the diagnostics and 1; CannotWrite and any other
    OSError -> `path: error: ...` and 1; Ctrl-C -> 130. No traceback reaches a user for
    bad input, a bad path or an interruption.
    """

    def invoke(self, ctx: click.Context) -> Any:
        from ..diagnostics import BuildFailed, CannotWrite, UsageError

        try:
            return super().invoke(ctx)
        except UsageError as exc:
            click.echo(f"deckgen: {exc}", err=True)
            raise click.exceptions.Exit(EXIT_USAGE) from None
        except BuildFailed as failed:
            from ..report import report

            report(failed.diagnostics, "text")
            raise click.exceptions.Exit(EXIT_PROBLEMS) from None
        except BrokenPipeError:  # `deckgen diff ... | head`: the reader has gone; so do we
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115  nothing more reaches the pipe
            raise click.exceptions.Exit(EXIT_PROBLEMS) from None
        except CannotWrite as exc:
            click.echo(f"{exc.path}: error: cannot write: {exc.reason}", err=True)
            raise click.exceptions.Exit(EXIT_PROBLEMS) from None
        except OSError as exc:
            where = exc.filename if exc.filename is not None else "deckgen"
            click.echo(f"{where}: error: {exc.strerror or exc}", err=True)
            raise click.exceptions.Exit(EXIT_PROBLEMS) from None
        except KeyboardInterrupt:
            click.echo("deckgen: interrupted", err=True)
            raise click.exceptions.Exit(EXIT_INTERRUPTED) from None


def _show_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        from ..fingerprint import byte_versions

        click.echo(f"deckgen {__version__} ({byte_versions()})")
        ctx.exit()


@click.group(cls=_Deckgen, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_show_version,
    help="Show deckgen's version and the versions its packages' bytes depend on.",
)
def main() -> None:
    """Build Anki decks (.apkg) from Markdown lecture notes kept in Git.

    Notes live in SOURCE (default: source/) as Markdown files, each opening with a
    metadata block naming its deck. `deckgen build` writes one package per top-level
    deck into OUT (default: build/), ready to import into Anki, AnkiDroid or AnkiMobile.
    """


for _command in (build, check, diff, verify, removed, preview, init, stats, import_):
    main.add_command(_command)
