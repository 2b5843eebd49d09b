"""Lazy module imports for start-up time: the module is found now and executed on
first attribute access (the standard library's importlib.util.LazyLoader recipe,
https://docs.python.org/3/library/importlib.html#implementing-lazy-imports)."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType


def lazy_module(name: str) -> ModuleType:
    """`name` imported lazily (already imported: that module). Raises ModuleNotFoundError
    now, not at first use, when the module is not installed."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module
