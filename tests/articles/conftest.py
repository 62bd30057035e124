"""Fixtures for the articles library: the gazetteer is built once per test process (GeoNames takes seconds)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lestweforget.articles import Gazetteer, Place, build_gazetteer, ukraine_gazetteer

QUALITY_SET = Path(__file__).resolve().parents[2] / "benchmarks" / "articles"

IZIUM_SITE = Place(
    key="atlas:site:izium-mass-burial-site",
    name="Izium mass burial site",
    kind="site",
    latitude=49.220922,
    longitude=37.244553,
    uncertainty_m=300,
    region="07",
    names=("Pishchanske cemetery", "Піщанське кладовище", "Пищанское кладбище"),
)
IZIUM_SETTLEMENT = Place(
    key="atlas:settlement:izium",
    name="Izium",
    kind="settlement",
    latitude=49.21278,
    longitude=37.25694,
    uncertainty_m=3600,
    region="07",
    population=45884,
    names=("Izyum", "Ізюм", "Изюм"),
)


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return ukraine_gazetteer()


@pytest.fixture(scope="session")
def atlas_gazetteer() -> Gazetteer:
    return build_gazetteer([IZIUM_SITE, IZIUM_SETTLEMENT])
