"""Fixtures and file makers for the photo-import tests: a real evidence folder, real camera files, exiftool.

Imported by the photo tests (`from photo_fixtures import ...`); tests/atlas is on sys.path while they run.
"""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
import zlib
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from PIL import ExifTags, Image

from lestweforget.photos.ingest import ImportOptions, ImportReport, import_photos

TESTDATA = Path(__file__).resolve().parents[2].parent / "shared" / "testdata"
CAMERA = TESTDATA / "camera"
SITE = "izium-mass-burial-site"
# The demo site's precise point, as tests/conftest.py's demo record gives it (49.220922, 37.244553).
NEAR_SITE = (49.2212, 37.2449)


@pytest.fixture
def evidence_dir(settings: Any, tmp_path: Path) -> Path:
    """A fresh evidence store and ledger for the test, wherever settings would put one."""
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    return Path(settings.EVIDENCE_DIR)


@pytest.fixture
def camera() -> Path:
    if not CAMERA.is_dir():
        pytest.skip(f"real camera files not found at {CAMERA} (see shared/testdata/camera/PROVENANCE.md)")
    return CAMERA


@pytest.fixture
def exiftool() -> str:
    path = shutil.which("exiftool")
    if path is None:
        pytest.skip("exiftool is not installed (Debian: libimage-exiftool-perl)")
    return path


def exiftool_json(exiftool: str, *args: str) -> list[dict[str, Any]]:
    """exiftool's own reading (-json) of the arguments; it exits 1 for bad files, yet gives their JSON."""
    result = subprocess.run([exiftool, "-json", *args], capture_output=True, text=True, timeout=120, check=False)
    assert result.stdout.strip(), result.stderr
    records: list[dict[str, Any]] = json.loads(result.stdout)
    return records


def run_import(paths: Sequence[Path | str], **options: Any) -> ImportReport:
    """Import as `lwf import photos` does, into the demo site unless told otherwise; one worker by default."""
    options.setdefault("site_slug", SITE)
    options.setdefault("workers", 1)
    return import_photos([str(p) for p in paths], ImportOptions(**options))


def jpeg(
    path: Path,
    *,
    colour: tuple[int, int, int] = (120, 40, 40),
    size: tuple[int, int] = (640, 480),
    taken: datetime | None = None,
    offset: str | None = None,
    position: tuple[float, float] | None = None,
    device: tuple[str, str] | None = ("TestCam", "Field-7"),
    pattern: int = 0,
) -> Path:
    """Write a JPEG with the EXIF a camera writes: device, capture time (and offset), GPS."""
    image = Image.new("RGB", size, colour)
    # Stripes make each pattern a different picture to the perceptual hash, not only a different colour.
    for x in range(0, size[0], max(1, size[0] // (pattern + 2))):
        for y in range(size[1]):
            image.putpixel((min(x, size[0] - 1), y), (255, 255, 255))
    exif = Image.Exif()
    if device:
        exif[ExifTags.Base.Make], exif[ExifTags.Base.Model] = device
    if taken is not None:
        sub = exif.get_ifd(ExifTags.IFD.Exif)
        sub[ExifTags.Base.DateTimeOriginal] = taken.strftime("%Y:%m:%d %H:%M:%S")
        if offset:
            sub[ExifTags.Base.OffsetTimeOriginal] = offset
    if position is not None:
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
        lat, lon = position
        gps[ExifTags.GPS.GPSLatitudeRef] = "N" if lat >= 0 else "S"
        gps[ExifTags.GPS.GPSLatitude] = _dms(abs(lat))
        gps[ExifTags.GPS.GPSLongitudeRef] = "E" if lon >= 0 else "W"
        gps[ExifTags.GPS.GPSLongitude] = _dms(abs(lon))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG", quality=90, exif=exif.tobytes())
    return path


def _dms(value: float) -> tuple[float, float, float]:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60, 4)
    return float(degrees), float(minutes), seconds


def decompression_bomb_png(width: int = 30_000, height: int = 30_000) -> bytes:
    """A small PNG whose header claims 900 megapixels: decoding it would take gigabytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (width + 1) * 16)  # only the first rows; the header is what counts
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
