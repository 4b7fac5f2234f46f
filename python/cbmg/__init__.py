"""cbmg: biotech press releases to clean, analysable polars tables.

>>> import cbmg
>>> corpus = cbmg.load("seeds")
>>> corpus.trials          # polars.DataFrame
"""

from cbmg._core import CbmgError, LexiconError, __version__
from cbmg.corpus import TABLES, Corpus, load

__all__ = ["TABLES", "CbmgError", "Corpus", "LexiconError", "__version__", "load"]
