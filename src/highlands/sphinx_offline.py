"""Sphinx extension: keep the built book free of references to code on CDNs.

Jupyter Book 1 always loads sphinx-thebe, which writes the Thebe CDN address into every page as an
inline constant (it is fetched only if Thebe is launched, and Thebe is off here). The book promises
pages that load nothing from outside, so the constant is removed from each page's scripts.
"""
from __future__ import annotations

CDN_MARKERS = ("unpkg.com", "cdn.jsdelivr.net", "cdnjs.cloudflare.com")


def _drop_cdn_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    kept = []
    for script in scripts:
        body = getattr(script, "attributes", {}).get("body", "") or ""
        source = getattr(script, "filename", None) or str(script)
        if any(marker in body or marker in (source or "") for marker in CDN_MARKERS):
            continue
        kept.append(script)
    context["script_files"] = kept


def setup(app):
    app.connect("html-page-context", _drop_cdn_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
