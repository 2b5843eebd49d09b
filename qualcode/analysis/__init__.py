"""Analysis tables over a project's codings: frequencies, crosstabs, the framework
matrix, co-occurrence, saturation and inter-coder agreement.

The project facade (qualcode/facade/) reads what each table needs with a few bulk
queries (counts.py, overlap.py, agreement_data.py) and hands it to the functions of the
modules here, which compute with plain Python or numpy and return plain Tables
(table.py); the Python API turns them into pandas DataFrames. Only `Filters` is
imported eagerly: pandas and numpy stay out of `qualcode --help`.
"""

from qualcode.analysis.filters import Filters

__all__ = ["Filters"]
