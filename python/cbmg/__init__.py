"""cbmg: biotech press releases to clean, analysable polars tables.

>>> import cbmg
>>> corpus = cbmg.load("seeds")
>>> corpus.trials          # polars.DataFrame
>>> for batch in cbmg.scan("releases/", batch_size=5000):   # corpora larger than memory
...     batch.financials.write_parquet(...)
"""

import os

from cbmg import _core
from cbmg._core import CbmgError, LexiconError, __version__
from cbmg.corpus import TABLES, Corpus, load, scan, write_parquet

# The rules and the word automaton are built in the background from here on, so a first load a
# moment later (the next notebook cell) starts warm. CBMG_NO_WARM_UP=1 leaves it to the first
# load. A fork waits for the build to finish, so no child inherits a half-built rule.
if not os.environ.get("CBMG_NO_WARM_UP"):
    os.register_at_fork(before=_core.wait_for_warm_up)
    _core.start_warm_up()

__all__ = [
    "TABLES",
    "CbmgError",
    "Corpus",
    "LexiconError",
    "__version__",
    "load",
    "scan",
    "write_parquet",
]
