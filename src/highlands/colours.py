"""One colour per entity for the whole book, from ``data/entities.csv``.

Guangzhou (``guangzhou_dz`` and every entity whose parent it is: the high-tech zone, Science
City …) is always drawn in vermillion; the main peers have fixed colours of the Okabe-Ito
palette (colour-blind safe), never vermillion or orange; every other entity is grey. Charts
that compare the zone's own scopes keep Guangzhou's colour and vary line style and marker.
"""
from __future__ import annotations

from functools import lru_cache

from . import data

OTHER = "#999999"
HOME_ID = "guangzhou_dz"
# Line style and marker per scope, for charts of one entity at several scopes.
SCOPE_STYLES = {
    "zone": ("-", "o"), "district": ("--", "s"), "zone_and_district": ("-.", "D"), "etdz": (":", "^"),
    "high_tech_zone": ((0, (1, 1)), "v"), "new_area": ((0, (4, 1, 1, 1, 1, 1)), "P"), "city": ("--", "X"), "park": (":", "h"),
}


@lru_cache(maxsize=1)
def _entities() -> dict[str, dict[str, str]]:
    return {e["entity_id"]: e for e in data.read_rows("entities")[1]}


def colour(entity_id: str) -> str:
    """The entity's chart colour (hex): its own, else its parent's, else grey.

    Raises KeyError for an entity that is not in entities.csv.
    """
    entity = _entities()[entity_id]
    if entity["colour"]:
        return entity["colour"]
    if entity["parent_entity_id"]:
        return colour(entity["parent_entity_id"])
    return OTHER


def is_home(entity_id: str) -> bool:
    """True for Guangzhou and the parts of it the book names separately."""
    entity = _entities()[entity_id]
    return entity_id == HOME_ID or entity["parent_entity_id"] == HOME_ID



def home() -> str:
    """Guangzhou's colour."""
    return colour(HOME_ID)


def name(entity_id: str, chinese: bool = False) -> str:
    """The entity's short English name (and its Chinese name in brackets with ``chinese``)."""
    entity = _entities()[entity_id]
    return f"{entity['short_en']} ({entity['name_zh']})" if chinese else entity["short_en"]


def scope_style(scope: str) -> tuple:
    """(line style, marker) for a scope (zone, district …)."""
    return SCOPE_STYLES.get(scope, ("-", "o"))
