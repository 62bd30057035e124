"""Migration register 0007 sums the sites already stored per cell and kind, as `view_cells` keeps them since."""

from __future__ import annotations

import pytest

from lestweforget.register import synthetic
from lestweforget.register.models import ViewCell
from migrating import migrate_to_latest, models_at


def _kind_rows() -> dict[tuple[int, str, str, str], tuple[int, float, float]]:
    return {
        (cell.resolution, cell.cell, cell.parent, cell.kind): (cell.count, round(cell.south, 9), round(cell.east, 9))
        for cell in ViewCell.objects.exclude(kind="")
    }


@pytest.mark.django_db(transaction=True)
def test_stored_sites_are_counted_per_cell_and_kind() -> None:
    synthetic.generate(150, seed=5)
    kept = _kind_rows()
    # Before migration 0008 a finer cell's rows were not kept apart per parent cell.
    every_kind = ViewCell.objects.filter(kind="").values("resolution", "cell").distinct().count()
    assert kept and sum(count for (resolution, _, _, _), (count, _, _) in kept.items() if resolution == 5) == sum(
        ViewCell.objects.filter(kind="", resolution=5).values_list("count", flat=True)
    )
    old = models_at([("register", "0006_view_cell_boxes_of_published_points")])
    assert old.get_model("register", "ViewCell").objects.count() == every_kind
    migrate_to_latest()
    assert _kind_rows() == kept
