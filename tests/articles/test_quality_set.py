"""The quality set's goals hold: places and dates at 0.9 precision and recall or better, figures at 0.8."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from lestweforget.articles import find_in_article, read_article

from .conftest import QUALITY_SET

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "article_quality.py"


@pytest.mark.slow
def test_precision_and_recall_meet_the_goals_on_the_quality_set() -> None:
    spec = importlib.util.spec_from_file_location("article_quality", BENCHMARK)
    assert spec is not None and spec.loader is not None
    quality = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = quality  # dataclasses look their module up while the module runs
    spec.loader.exec_module(quality)
    result = quality.run(["ours"])
    assert result.articles >= 20
    assert {name[:2] for name in quality.load_set()[1]} == {"uk", "ru", "en"}
    for kind, goal in quality.GOALS.items():
        score = result.scores["ours"][kind]
        assert score.precision >= goal, (kind, score.spurious)
        assert score.recall >= goal, (kind, score.missed)


def test_the_findings_are_json_ready(atlas_gazetteer) -> None:  # type: ignore[no-untyped-def]
    article = read_article((QUALITY_SET / "uk-01-ekshumatsiia-zavershena.html").read_bytes())
    data = json.loads(json.dumps(find_in_article(article, atlas_gazetteer).as_dict(), ensure_ascii=False))
    assert data["byline"] == "Марта Ліс"
    assert data["published"] == "2022-09-23"
    place = next(p for p in data["places"] if p["text"] == "Ізюмі")["place"]
    assert (place["latitude"], place["longitude"], place["label"]) == (49.21278, 37.25694, "Izium (Kharkiv oblast)")
    assert {"text": "447 тіл", "value": "447", "qualifier": "", "unit": "bodies"}.items() <= data["figures"][0].items()
    assert data["dates"][0]["date"] == "2022-09-23" and data["dates"][0]["precision"] == "day"
    assert data["map_points"][0]["latitude"] == 49.2209
