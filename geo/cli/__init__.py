"""The ``conflictmap`` command line: one group of verbs, data to stdout, logs to stderr.

Each verb lives in a small module of its own (``*_cmd.py``) that exposes
``register(app)``; this module only assembles them and turns the application's
errors into one-line messages with a non-zero exit code (never a traceback).
"""

from __future__ import annotations

import click
from rich.console import Console
from rich.text import Text

from geo import __version__
from geo.errors import ConflictmapError

err = Console(stderr=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="conflictmap")
def app() -> None:
    """Turn news reports of violent incidents into resolved places, incidents,
    border distances, maps and exports."""


def _register_all() -> None:
    from geo.cli import borders_cmd, extract_cmd, gazetteer_cmd, geoparse_cmd, map_cmd, query_cmd

    for module in (map_cmd, query_cmd, geoparse_cmd, extract_cmd, borders_cmd, gazetteer_cmd):
        module.register(app)


_register_all()


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``conflictmap`` and ``python -m geo``; returns the exit code."""
    try:
        rv = app.main(args=argv, standalone_mode=False, prog_name="conflictmap")
    except ConflictmapError as exc:
        err.print(Text.assemble(("error: ", "bold red"), str(exc)), soft_wrap=True)
        return exc.exit_code
    except click.exceptions.Abort:
        err.print("aborted")
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except KeyboardInterrupt:
        err.print("interrupted")
        return 130
    except BrokenPipeError:
        return 0
    return rv if isinstance(rv, int) else 0
