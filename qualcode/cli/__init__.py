"""Command-line entry point: a thin click layer over the project facade.

Each command module opens the project, calls one facade method and turns
QualcodeError into a one-line message. Heavy libraries (pandas, textual, spacy)
are imported inside the commands that need them so that `qualcode --help` and the
simple commands start fast.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import click

from qualcode import __version__
from qualcode.errors import QualcodeError

# One module per area; each defines click commands and a COMMANDS list.
_MODULES = (
    "core_commands",
    "import_commands",
    "nlp_commands",
    "analysis_commands",
    "agreement_commands",
    "codings_file_commands",
    "codings_list_commands",
    "interop_commands",
    "team_commands",
    "search_commands",
    "serve_commands",
    "backup_commands",
    "participant_commands",
    "speakers_commands",
)
# Where the commands that must start fast live, so that running one imports only its
# module (the others pull in the importers, the interop readers...). Any other name
# loads every module: a command missing here is slower to start, never missing.
_FAST = {
    "import": "import_commands",
    "info": "core_commands",
    "documents": "core_commands",
    "participants": "participant_commands",
    "code": "core_commands",
    "uncode": "core_commands",
    "excerpts": "core_commands",
    "codings": "codings_list_commands",
    "freq": "analysis_commands",
    "crosstab": "analysis_commands",
    "matrix": "analysis_commands",
    "cooccur": "analysis_commands",
    "saturation": "analysis_commands",
    "agreement": "agreement_commands",
    "search": "search_commands",
    "serve": "serve_commands",
    "speakers": "speakers_commands",
}


class QualcodeGroup(click.Group):
    """A group that turns QualcodeError into 'error: ...' and exit status 1, that
    treats `qualcode PROJECT` (a path, not a command) as `qualcode open PROJECT`, and
    that imports a command's module only when that command (or the list) is asked for."""

    def _load(self, modules) -> None:
        import importlib

        for name in modules:
            module = importlib.import_module(f"qualcode.cli.{name}")
            for command in module.COMMANDS:
                if command.name not in self.commands:
                    self.add_command(command)

    def get_command(self, ctx, cmd_name):
        if cmd_name not in self.commands and cmd_name in _FAST:
            self._load([_FAST[cmd_name]])
        if cmd_name not in self.commands:
            self._load(_MODULES)
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx):
        self._load(_MODULES)
        return super().list_commands(ctx)

    def resolve_command(self, ctx, args):
        if (
            args
            and self.get_command(ctx, args[0]) is None
            and not args[0].startswith("-")
            and (len(args) == 1 or Path(args[0]).exists())
        ):
            # `qualcode PROJECT`; a misspelt command with arguments stays an unknown command.
            args = ["open", *args]
        return super().resolve_command(ctx, args)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except QualcodeError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)
        except sqlite3.Error as exc:
            # A busy, full or damaged project met outside a write transaction (which already
            # translates these): still one line naming the file, never a traceback.
            from qualcode import store

            click.echo(f"error: {store.describe_error(exc, store.last_opened)}", err=True)
            sys.exit(1)
        except click.UsageError as exc:
            # One line, like every other error, instead of click's usage screen.
            where = exc.ctx.command_path if exc.ctx is not None else ctx.command_path
            click.echo(f"error: {exc.format_message()} (see `{where} --help`)", err=True)
            sys.exit(exc.exit_code)


@click.group(cls=QualcodeGroup, invoke_without_command=True)
@click.version_option(version=__version__, prog_name="qualcode")  # works from a source tree too
@click.pass_context
def main(ctx: click.Context) -> None:
    """qualcode: qualitative thematic coding in the terminal.

    Run `qualcode PROJECT.qualcode` to open the coding workbench on a project.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(main.get_command(ctx, "open"), project=None)
