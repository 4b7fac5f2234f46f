"""cbmg: biotech press releases to clean, analysable polars tables.

>>> import cbmg
>>> corpus = cbmg.load("seeds")
>>> corpus.trials          # polars.DataFrame
>>> corpus = cbmg.extract(df["text"], ids=df["id"])        # texts already in memory
>>> for batch in cbmg.scan("releases/", batch_size=5000):   # corpora larger than memory
...     batch.financials.write_parquet(...)
"""

import os

from cbmg import _core
from cbmg._core import CbmgError, LexiconError, __version__
from cbmg.corpus import TABLES, Batches, Corpus, load, scan, write_parquet
from cbmg.texts import extract

# Loading cbmg._core started building the rules and the word automaton in the background (unless
# CBMG_NO_WARM_UP is set), so a first load a moment later starts warm. A fork waits for that
# build to finish, so no child inherits a half-built rule without the thread that was building it.
os.register_at_fork(before=_core.wait_for_warm_up)

__all__ = [
    "TABLES",
    "Batches",
    "CbmgError",
    "Corpus",
    "LexiconError",
    "__version__",
    "extract",
    "load",
    "scan",
    "write_parquet",
]
