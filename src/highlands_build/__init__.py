"""Build and developer tools of the Seven Highlands book (not imported by the chapters).

- ``highlands_build.sphinx``: the book's Sphinx extension (offline pages, figure downloads and
  citations, generated pages).
- ``highlands_build.execute``: re-execute notebooks so their stored outputs match code and data.
- ``highlands_build.bench``: ``make bench``.

The runtime package the chapters import is ``highlands``; a change here never makes a chapter's
stored outputs stale.
"""
