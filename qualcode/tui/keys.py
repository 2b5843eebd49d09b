"""Keys the document view and main screen use; code shortcuts may not take them.

The list lives in the core (qualcode.codebook) so that the CLI refuses the same keys.
"""

from qualcode.codebook import WORKBENCH_KEYS as RESERVED_KEYS
from qualcode.codebook import shortcut_problem

__all__ = ["RESERVED_KEYS", "shortcut_problem"]
