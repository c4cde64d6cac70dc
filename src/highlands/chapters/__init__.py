"""One module per chapter: named, documented functions returning the tables, figures and glued
values that chapter shows. A chapter notebook is an outline that calls them; tests call them too.

Modules: ch1_open_economy, ch2_industrial_clusters, ch3_sci_tech, ch4_outward_cooperation,
ch5_land_energy, ch6_talent, ch7_institutions. Each defines ``key_values()`` (every number and
label the chapter's prose glues, by key) and registers its figures with
``highlands.figures.figure_builder``.
"""
import importlib
import pkgutil


def all_modules() -> list:
    """Import and return every chapter module (registers their figure builders)."""
    return [importlib.import_module(f"{__name__}.{m.name}") for m in pkgutil.iter_modules(__path__)]
