"""The command reference in README.md, generated from the commands' own `--help`.

README.md holds it between cog markers (https://nedbatchelder.com/code/cog/), as sqlite-utils
does for its CLI docs: `make docs` (cog -r README.md) rewrites it, and tests/test_docs.py
fails when it is out of date, so the reference cannot drift from the code.
"""

from __future__ import annotations

import click

WIDTH = 88  # columns the help text is wrapped to (fits a README code block)


def _help(path: list[str]) -> str:
    from click.testing import CliRunner

    from qualcode.cli import main

    result = CliRunner().invoke(
        main, [*path, "--help"], prog_name="qualcode", terminal_width=WIDTH, max_content_width=WIDTH
    )
    if result.exit_code != 0:
        raise RuntimeError(f"qualcode {' '.join(path)} --help failed: {result.output}")
    return result.output.rstrip() + "\n"


def _commands(group: click.Group, path: list[str]) -> list[tuple[list[str], click.Command]]:
    """(path, command) for every command under `group`, depth-first, in name order."""
    ctx = click.Context(group, info_name="qualcode")
    out: list[tuple[list[str], click.Command]] = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is None or command.hidden:
            continue
        out.append(([*path, name], command))
        if isinstance(command, click.Group):
            out += _commands(command, [*path, name])
    return out


def markdown() -> str:
    """The reference as Markdown: `qualcode --help`, then each command's help in a
    collapsed block headed by its one-line summary."""
    from qualcode.cli import main

    parts = ["```console\n$ qualcode --help\n" + _help([]) + "```\n"]
    for path, command in _commands(main, []):
        name = " ".join(path)
        summary = command.get_short_help_str(limit=80)
        parts.append(
            f"<details><summary><code>qualcode {name}</code>: {summary}</summary>\n\n"
            f"```console\n$ qualcode {name} --help\n{_help(path)}```\n\n</details>\n"
        )
    return "\n".join(parts)
