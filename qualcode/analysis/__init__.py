"""Analysis tables over a project's codings: frequencies, crosstabs, the framework
matrix, co-occurrence and saturation, as pandas DataFrames.

The project facade (qualcode/facade/analysis.py) loads the rows each table needs with
one bulk query per table of the store (qualcode/analysis/data.py) and hands them to
the pure functions of the modules here, which compute with vectorised pandas/numpy.
Only `Filters` is imported eagerly: pandas stays out of `qualcode --help`.
"""

from qualcode.analysis.filters import Filters

__all__ = ["Filters"]
