"""Media fixtures: the real camera files in shared/testdata and exiftool's reading of them, run once."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

CAMERA = Path(__file__).resolve().parents[2].parent / "shared" / "testdata" / "camera"
CAMERA_SUFFIXES = (".jpg", ".heic", ".heif")


@pytest.fixture(scope="session")
def camera_dir() -> Path:
    if not CAMERA.is_dir():
        pytest.skip(f"real camera files not found at {CAMERA} (see shared/testdata/camera/PROVENANCE.md)")
    return CAMERA


@pytest.fixture(scope="session")
def camera_files(camera_dir: Path) -> list[Path]:
    """Every JPEG and HEIF file of the camera corpus."""
    return sorted(p for p in camera_dir.rglob("*") if p.suffix.lower() in CAMERA_SUFFIXES)


@pytest.fixture(scope="session")
def exiftool() -> str:
    path = shutil.which("exiftool")
    if path is None:
        pytest.skip("exiftool is not installed (Debian: libimage-exiftool-perl)")
    return path


def run_exiftool(exiftool: str, *args: str) -> list[dict[str, Any]]:
    """exiftool's JSON for the arguments (it exits 1 when a file has errors; the JSON still has them all)."""
    result = subprocess.run([exiftool, "-json", *args], capture_output=True, text=True, check=False, timeout=120)
    assert result.stdout.strip(), result.stderr
    records: list[dict[str, Any]] = json.loads(result.stdout)
    return records


@pytest.fixture(scope="session")
def exiftool_records(camera_dir: Path, exiftool: str) -> dict[str, dict[str, Any]]:
    """exiftool -n -G1 for the whole corpus in one run, keyed by path relative to the camera folder."""
    records = run_exiftool(exiftool, "-n", "-G1", "-r", "-ext", "jpg", "-ext", "heic", "-ext", "heif", str(camera_dir))
    return {str(Path(r["SourceFile"]).relative_to(camera_dir)): r for r in records}


@pytest.fixture(scope="session")
def read_camera_file(camera_dir: Path) -> Callable[[str], bytes]:
    def read(relative: str) -> bytes:
        return (camera_dir / relative).read_bytes()

    return read


def encode(image: Image.Image, image_format: str, **options: Any) -> bytes:
    """An image saved to bytes through Pillow, for generated test inputs."""
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


@pytest.fixture
def opened() -> Iterator[Callable[[bytes], Image.Image]]:
    """Open derivative bytes as images, closing them all afterwards."""
    images: list[Image.Image] = []

    def open_bytes(data: bytes) -> Image.Image:
        image = Image.open(io.BytesIO(data))
        images.append(image)
        return image

    yield open_bytes
    for image in images:
        image.close()
