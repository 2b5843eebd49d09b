"""Starting child processes from inside the workbench.

multiprocessing hands a new child (and its resource tracker) the parent's stderr
descriptor. Textual replaces sys.stderr with an object without a real one (fileno() -1:
"bad value(s) in fds_to_keep"), so `real_stderr` puts the real one back while a child
starts. Used by qualcode.nlp.elsewhere (sentence segmentation) and
qualcode.suggest_process (code suggestions).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def real_stderr() -> Iterator[None]:
    """Within the block, sys.stderr is the process's real stderr if the current one has
    no file descriptor; restored afterwards."""
    saved = sys.stderr
    try:
        if _descriptor(saved) < 0 and sys.__stderr__ is not None:
            sys.stderr = sys.__stderr__
        yield
    finally:
        sys.stderr = saved


def _descriptor(stream) -> int:
    try:
        return stream.fileno()
    except Exception:  # io.UnsupportedOperation, AttributeError, ValueError (closed)
        return -1
