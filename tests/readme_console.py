"""The commands of the README's ```console blocks, for the tests that run them."""

from __future__ import annotations

import shlex


def console_commands(text: str) -> list[tuple[list[str], list[str]]]:
    """[(command arguments, lines shown under it)] of every `$ qualcode ...` line in the
    ```console blocks of `text` (a part of the README), in order."""
    out: list[tuple[list[str], list[str]]] = []
    for block in text.split("```console\n")[1:]:
        for line in block.split("\n```", 1)[0].splitlines():
            if line.startswith("$ qualcode "):
                out.append((shlex.split(line[len("$ qualcode ") :]), []))
            else:
                out[-1][1].append(line)
    return out
