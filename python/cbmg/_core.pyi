"""Type stub of the compiled extension module (src/python.rs)."""

from collections.abc import Sequence
from typing import Any

__version__: str

class CbmgError(Exception): ...
class LexiconError(ValueError): ...

def load(paths: Sequence[str], lexicon: str | None = None) -> list[tuple[str, Any]]:
    """Read paths; return ``[(table_name, arrow_table)]`` (objects with ``__arrow_c_stream__``)."""

def schemas() -> list[tuple[str, list[tuple[str, str, bool]]]]:
    """Each table's columns as ``(name, arrow type, nullable)``."""
