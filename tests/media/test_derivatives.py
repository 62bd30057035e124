"""make_derivatives: upright, sized, sRGB, metadata-free JPEGs, checked with exiftool and by pixels."""

from __future__ import annotations

import hashlib
import io
import itertools
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageChops, ImageCms, ImageOps, ImageStat

from lestweforget.media import (
    NEAR_DUPLICATE_MAX_DISTANCE,
    Derivatives,
    hamming_distance,
    make_derivatives,
    read_capture,
)

from .conftest import encode, run_exiftool
from .exif_block import SHORT, build_exif

SIZES = {"thumb": 320, "web": 1600}
# exiftool groups (family 0) that describe the file itself rather than metadata carried inside it.
FILE_ONLY_GROUPS = {"ExifTool", "File", "JFIF", "Composite"}


@pytest.fixture(scope="module")
def corpus_derivatives(camera_files: list[Path], camera_dir: Path) -> dict[str, Derivatives]:
    """Derivatives of every real camera file, made once for this module."""
    return {
        str(path.relative_to(camera_dir)): make_derivatives(path.read_bytes(), path.name, SIZES)
        for path in camera_files
    }


def _mean_difference(a: Image.Image, b: Image.Image) -> float:
    return sum(ImageStat.Stat(ImageChops.difference(a.convert("RGB"), b.convert("RGB"))).mean) / 3


@pytest.mark.parametrize("orientation", [1, 3, 6, 8])
def test_real_orientation_samples_come_out_upright(
    orientation: int, read_camera_file: Callable[[str], bytes], opened: Callable[[bytes], Image.Image]
) -> None:
    data = read_camera_file(f"jpg/orientation/landscape_{orientation}.jpg")
    web = opened(make_derivatives(data, f"landscape_{orientation}.jpg", SIZES).items["web"].jpeg)
    assert web.size == (600, 450)
    # The reference takes another road: a full-size decode, Pillow's own exif_transpose, the profile applied
    # last.
    with Image.open(io.BytesIO(data)) as original:
        reference = ImageOps.exif_transpose(original).convert("RGB")
        as_stored = original.convert("RGB").resize(web.size)
        profile = original.info.get("icc_profile")
    if profile:  # landscape_3/6/8 carry Apple's "Generic RGB Profile" (gamma 1.8)
        srgb = ImageCms.createProfile("sRGB")
        reference = ImageCms.profileToProfile(reference, ImageCms.ImageCmsProfile(io.BytesIO(profile)), srgb)
        as_stored = ImageCms.profileToProfile(as_stored, ImageCms.ImageCmsProfile(io.BytesIO(profile)), srgb)
    assert reference is not None and as_stored is not None
    assert _mean_difference(web, reference) < 6  # what re-encoding this leafy picture at quality 85 costs
    if orientation != 1:
        assert _mean_difference(web, as_stored) > 30


def test_real_orientation_samples_all_show_the_same_picture(
    corpus_derivatives: dict[str, Derivatives],
) -> None:
    hashes = [corpus_derivatives[f"jpg/orientation/landscape_{o}.jpg"].perceptual_hash for o in (1, 3, 6, 8)]
    assert all(hamming_distance(a, b) <= 2 for a, b in itertools.combinations(hashes, 2))


# EXIF 2.32, tag 0x0112: on which visual side the stored first row lies, and on which the stored first column.
EXIF_ORIENTATION_SIDES = {
    1: ("top", "left"),
    2: ("top", "right"),
    3: ("bottom", "right"),
    4: ("bottom", "left"),
    5: ("left", "top"),
    6: ("right", "top"),
    7: ("right", "bottom"),
    8: ("left", "bottom"),
}
OPPOSITE = {"top": "bottom", "bottom": "top", "left": "right", "right": "left"}
CORNER_COLOURS = {  # stored (first/last row, first/last column) -> colour
    ("first", "first"): (220, 30, 30),
    ("first", "last"): (30, 200, 30),
    ("last", "first"): (30, 30, 220),
    ("last", "last"): (230, 230, 40),
}


def _quadrant_image() -> Image.Image:
    image = Image.new("RGB", (48, 32))
    for (row, column), colour in CORNER_COLOURS.items():
        left, top = (0 if column == "first" else 24), (0 if row == "first" else 16)
        image.paste(colour, (left, top, left + 24, top + 16))
    return image


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_exif_orientation_puts_each_stored_corner_where_the_standard_says(
    orientation: int, opened: Callable[[bytes], Image.Image]
) -> None:
    exif = build_exif(ifd0=[(0x0112, SHORT, orientation)])
    data = encode(_quadrant_image(), "JPEG", quality=95, exif=exif)
    result = make_derivatives(data, f"o{orientation}.jpg", {"full": 100})
    image = opened(result.items["full"].jpeg).convert("RGB")
    width, height = image.size
    assert (width, height) == ((32, 48) if orientation >= 5 else (48, 32))
    row_side, column_side = EXIF_ORIENTATION_SIDES[orientation]
    for (row, column), colour in CORNER_COLOURS.items():
        edges = {
            row_side if row == "first" else OPPOSITE[row_side],
            column_side if column == "first" else OPPOSITE[column_side],
        }
        x = 4 if "left" in edges else width - 5
        y = 4 if "top" in edges else height - 5
        pixel = image.getpixel((x, y))
        assert isinstance(pixel, tuple)
        nearest = min(CORNER_COLOURS.values(), key=lambda c: sum(abs(p - q) for p, q in zip(pixel, c, strict=True)))
        assert nearest == colour, f"orientation {orientation}: stored {row} row/{column} column not at {edges}"


def test_derivatives_never_exceed_the_requested_edge_nor_enlarge(
    corpus_derivatives: dict[str, Derivatives],
) -> None:
    for relative, result in corpus_derivatives.items():
        for label, item in result.items.items():
            longest_source = max(result.source_width, result.source_height)
            assert max(item.width, item.height) == min(SIZES[label], longest_source), relative
            # The shape is kept, to within the one pixel of rounding.
            assert abs(item.width * result.source_height - item.height * result.source_width) <= max(
                result.source_width, result.source_height
            )


def test_derivative_size_and_upright_source_size_match_what_the_file_says(
    corpus_derivatives: dict[str, Derivatives], opened: Callable[[bytes], Image.Image], camera_dir: Path
) -> None:
    for relative, result in corpus_derivatives.items():
        capture = read_capture((camera_dir / relative).read_bytes(), Path(relative).name)
        assert (result.source_width, result.source_height) == (capture.display_width, capture.display_height)
        for item in result.items.values():
            image = opened(item.jpeg)
            assert (image.format, image.mode, image.size) == ("JPEG", "RGB", (item.width, item.height))
            assert item.sha256 == hashlib.sha256(item.jpeg).hexdigest()


def test_heif_rotated_by_its_container_comes_out_portrait(
    corpus_derivatives: dict[str, Derivatives], exiftool_records: dict[str, dict[str, Any]]
) -> None:
    for relative in ("heic/mobile/iphone_13_pro_max.HEIC", "heic/mobile/HMD_Nokia_8.3_5G.heif"):
        record = exiftool_records[relative]
        assert record["QuickTime:Rotation"] in (90, 270)
        assert record["File:ImageWidth"] > record["File:ImageHeight"]
        web = corpus_derivatives[relative].items["web"]
        assert web.height > web.width


def _metadata_laden_jpeg() -> bytes:
    """A JPEG with each kind of block a camera or editor leaves: EXIF with GPS, XMP, ICC profile, comment."""
    exif = Image.Exif()
    exif[0x010F] = "Acme"
    exif.get_ifd(0x8825).update({1: "N", 2: (49.0, 12.0, 3.0), 3: "E", 4: (37.0, 15.0, 1.0)})
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>'
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return encode(
        Image.new("RGB", (400, 300), (120, 90, 60)),
        "JPEG",
        exif=exif.tobytes(),
        xmp=xmp,
        icc_profile=icc,
        comment=b"taken by a witness",
    )


def test_derivatives_carry_no_metadata_according_to_exiftool(
    corpus_derivatives: dict[str, Derivatives], exiftool: str, tmp_path: Path
) -> None:
    laden = make_derivatives(_metadata_laden_jpeg(), "laden.jpg", SIZES)
    paths = []
    for index, result in enumerate([*corpus_derivatives.values(), laden]):
        for item in result.items.values():
            path = tmp_path / f"{index}-{item.name}.jpg"
            path.write_bytes(item.jpeg)
            paths.append(path)
            assert b"Exif\x00\x00" not in item.jpeg and b"ICC_PROFILE" not in item.jpeg
            assert b"http://ns.adobe.com/xap/1.0/" not in item.jpeg and b"Photoshop 3.0" not in item.jpeg
    records = run_exiftool(exiftool, "-G", "-a", *map(str, paths))
    assert len(records) == len(paths)
    for record in records:
        groups = {key.split(":", 1)[0] for key in record if ":" in key}
        assert groups <= FILE_ONLY_GROUPS, f"{record['SourceFile']}: carries {groups - FILE_ONLY_GROUPS}"
        assert "File:Comment" not in record


def test_cmyk_jpeg_becomes_rgb_with_its_colours(opened: Callable[[bytes], Image.Image]) -> None:
    data = encode(Image.new("CMYK", (120, 80), (0, 255, 255, 0)), "JPEG", quality=95)
    image = opened(make_derivatives(data, "cmyk.jpg", SIZES).items["web"].jpeg)
    assert image.mode == "RGB"
    red, green, blue = image.convert("RGB").getpixel((60, 40))  # type: ignore[misc]
    assert red > 230 and green < 25 and blue < 25


def test_transparent_png_is_flattened_onto_white(opened: Callable[[bytes], Image.Image]) -> None:
    source = Image.new("RGBA", (100, 50), (0, 0, 0, 0))
    source.paste((20, 40, 200, 255), (50, 0, 100, 50))
    image = opened(make_derivatives(encode(source, "PNG"), "alpha.png", SIZES).items["web"].jpeg).convert("RGB")
    assert min(image.getpixel((10, 25))) > 245  # type: ignore[arg-type]
    red, _, blue = image.getpixel((90, 25))  # type: ignore[misc]
    assert blue > 180 and red < 40


def test_palette_png_with_transparent_index_is_flattened_onto_white(
    opened: Callable[[bytes], Image.Image],
) -> None:
    source = Image.new("P", (40, 20), 0)
    source.putpalette([0, 0, 0, 200, 30, 30] + [0] * 762)
    source.paste(1, (20, 0, 40, 20))
    data = encode(source, "PNG", transparency=0)
    image = opened(make_derivatives(data, "palette.png", SIZES).items["web"].jpeg).convert("RGB")
    assert min(image.getpixel((5, 10))) > 245  # type: ignore[arg-type]
    assert image.getpixel((35, 10))[0] > 170  # type: ignore[index]


def test_sixteen_bit_greyscale_png_is_scaled_not_clipped(opened: Callable[[bytes], Image.Image]) -> None:
    source = Image.new("I;16", (256, 16))
    source.putdata([x * 257 for x in range(256)] * 16)
    data = encode(source, "PNG")
    with Image.open(io.BytesIO(data)) as check:
        assert check.mode.startswith("I")
    image = opened(make_derivatives(data, "sixteen.png", SIZES).items["web"].jpeg).convert("L")
    for x in (32, 128, 224):
        assert abs(image.getpixel((x, 8)) - x) <= 4  # type: ignore[operator]


def _sRGB_profile_with_red_and_blue_primaries_swapped() -> bytes:
    """An RGB ICC profile under which a stored pure red means sRGB's pure blue, and the other way round."""
    profile = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    (count,) = struct.unpack(">I", profile[128:132])
    entries = {bytes(profile[132 + 12 * i : 136 + 12 * i]): 132 + 12 * i for i in range(count)}
    red, blue = entries[b"rXYZ"], entries[b"bXYZ"]
    profile[red + 4 : red + 12], profile[blue + 4 : blue + 12] = (
        profile[blue + 4 : blue + 12],
        profile[red + 4 : red + 12],
    )
    return bytes(profile)


def test_embedded_icc_profile_is_applied_then_dropped(
    opened: Callable[[bytes], Image.Image], exiftool: str, tmp_path: Path
) -> None:
    data = encode(
        Image.new("RGB", (64, 64), (255, 0, 0)),
        "JPEG",
        quality=95,
        icc_profile=_sRGB_profile_with_red_and_blue_primaries_swapped(),
    )
    result = make_derivatives(data, "swapped.jpg", SIZES)
    image = opened(result.items["web"].jpeg)
    assert "icc_profile" not in image.info
    red, green, blue = image.convert("RGB").getpixel((32, 32))  # type: ignore[misc]
    assert blue > 230 and red < 25 and green < 25, "the profile's meaning of the pixels was not applied"
    path = tmp_path / "swapped-web.jpg"
    path.write_bytes(result.items["web"].jpeg)
    (record,) = run_exiftool(exiftool, "-G", "-a", str(path))
    assert not any(key.startswith("ICC") for key in record)


def test_unusable_icc_profile_is_reported_and_the_colours_kept(
    opened: Callable[[bytes], Image.Image],
) -> None:
    data = encode(Image.new("RGB", (64, 64), (200, 40, 40)), "JPEG", quality=95, icc_profile=b"not a profile" * 20)
    result = make_derivatives(data, "badprofile.jpg", SIZES)
    assert result.flags == ("icc-profile-unusable",)
    red, _, _ = opened(result.items["web"].jpeg).convert("RGB").getpixel((32, 32))  # type: ignore[misc]
    assert abs(red - 200) < 10


def test_large_jpeg_is_reduced_to_the_requested_sizes(opened: Callable[[bytes], Image.Image]) -> None:
    gradient = Image.linear_gradient("L").resize((4000, 3000)).convert("RGB")
    result = make_derivatives(encode(gradient, "JPEG", quality=90), "large.jpg", SIZES)
    assert (result.items["web"].width, result.items["web"].height) == (1600, 1200)
    assert (result.items["thumb"].width, result.items["thumb"].height) == (320, 240)
    assert (result.source_width, result.source_height) == (4000, 3000)


def test_hdr_variants_of_one_scene_are_near_duplicates_and_unrelated_photos_are_not(
    corpus_derivatives: dict[str, Derivatives],
) -> None:
    no_hdr = corpus_derivatives["jpg/hdr/iphone_hdr_NO.jpg"].perceptual_hash
    hdr = corpus_derivatives["jpg/hdr/iphone_hdr_YES.jpg"].perceptual_hash
    assert hamming_distance(no_hdr, hdr) <= 6  # measured: 4 of 64 bits
    # Every other pair in the corpus is a different picture: the same scene sets excepted, none is near.
    same_scene = [{"jpg/hdr/iphone_hdr_NO.jpg", "jpg/hdr/iphone_hdr_YES.jpg"}]
    same_scene.append({f"jpg/orientation/landscape_{o}.jpg" for o in (1, 3, 6, 8)})
    for (a, first), (b, second) in itertools.combinations(corpus_derivatives.items(), 2):
        if any({a, b} <= group for group in same_scene):
            continue
        assert hamming_distance(first.perceptual_hash, second.perceptual_hash) > NEAR_DUPLICATE_MAX_DISTANCE, (a, b)


def test_recompressed_and_resized_copy_stays_a_near_duplicate(
    read_camera_file: Callable[[str], bytes],
) -> None:
    original = read_camera_file("jpg/gps/DSCN0010.jpg")
    with Image.open(io.BytesIO(original)) as image:
        copy = encode(image.resize((400, 300)), "JPEG", quality=40)
    distance = hamming_distance(
        make_derivatives(original, "DSCN0010.jpg").perceptual_hash,
        make_derivatives(copy, "copy.jpg").perceptual_hash,
    )
    assert distance <= NEAR_DUPLICATE_MAX_DISTANCE // 2


@pytest.mark.parametrize(
    ("sizes", "quality"), [({}, 85), ({"thumb": 0}, 85), ({"thumb": 320}, 0), ({"thumb": 320}, 101)]
)
def test_impossible_requests_are_refused(sizes: dict[str, int], quality: int) -> None:
    with pytest.raises(ValueError):
        make_derivatives(encode(Image.new("RGB", (8, 8)), "JPEG"), "small.jpg", sizes, quality)
