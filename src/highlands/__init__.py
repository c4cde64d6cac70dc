"""Shared code of the Seven Highlands book: data loading and validation, chart style, figures."""
from importlib.metadata import version as _version
from .data import DataError, load
from .figures import export_figure, glue_figure, glue_value
from .style import HOME, OTHER, PALETTE, PEER, use_book_style

__all__ = ["DataError", "load", "glue_value", "glue_figure", "export_figure", "use_book_style",
           "PALETTE", "HOME", "PEER", "OTHER"]

# The book's version has one home: pyproject.toml.
__version__ = _version("seven-highlands")
