"""Shared code of the Seven Highlands book, imported by the chapters.

- ``load`` (:mod:`highlands.data`): validated tables; ``DataError`` names file, row and column.
- :mod:`highlands.verdicts`: the verdict rule; :mod:`highlands.bounds`: bound labels of derived numbers.
- :mod:`highlands.claims`, :mod:`highlands.plans`, :mod:`highlands.record`: what the chapters show.
- :mod:`highlands.tables`: the formatter of every table readers see; :mod:`highlands.charts`,
  :mod:`highlands.colours`, :mod:`highlands.style`: charts; :mod:`highlands.figures`: glue and export.

Importing the package changes nothing: the chart style is set by ``use_book_style()``.
"""
from importlib.metadata import version as _version

from .data import DataError, load
from .figures import glue_figure, glue_value
from .style import use_book_style

__all__ = ["DataError", "load", "glue_value", "glue_figure", "use_book_style"]

# The book's version has one home: pyproject.toml.
__version__ = _version("seven-highlands")
