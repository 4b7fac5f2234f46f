"""cbmg: biotech press releases to clean, analysable polars tables.

>>> import cbmg
>>> corpus = cbmg.load("seeds")
>>> corpus.trials          # polars.DataFrame
>>> for batch in cbmg.scan("releases/", batch_size=5000):   # corpora larger than memory
...     batch.financials.write_parquet(...)
"""

from cbmg._core import CbmgError, LexiconError, __version__
from cbmg.corpus import TABLES, Corpus, load, scan, write_parquet

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
