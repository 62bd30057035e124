"""The offline field guide as a ZIP: what it holds, what it shows without JavaScript, and what it refuses."""

from __future__ import annotations

import dataclasses
import io
import json
import re
import shutil
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from lestweforget.exports import ExportError
from lestweforget.exports.guide import (
    DEFAULT_LABELS_EN,
    DEFAULT_LABELS_UK,
    WAYPOINT_REACHED_M,
    FieldGuide,
    GuideDiary,
    GuidePhoto,
    GuideWaypoint,
    build_guide,
    compass_word,
    format_distance,
)

SHARED_TESTDATA = Path(__file__).resolve().parents[2].parent / "shared" / "testdata"

SITE_LAT = 49.220922
SITE_LON = 37.244553
SAFETY = "The forest around Izium is among the most mined areas. Stay on hard roads and marked paths."
DIRECTIONS = "From the centre, take the Kharkiv road north-west.\nTurn left at the Pishchanske cemetery sign."
EVIL_CAPTION = "<script>alert('x')</script> Crosses & names"
COORDINATE_FORMS = (
    ("Decimal degrees", "49.220922, 37.244553"),
    ("Degrees, minutes, seconds", "49°13′15.3″N 37°14′40.4″E"),
    ("MGRS", "37U CQ 72173 53498"),
    ("Plus Code", "8GXV66CV+9R"),
    ("SK-42 (Pulkovo 1942)", "X 5 456 789, Y 7 517 654"),
    ("geo: URI", "geo:49.220922,37.244553;u=300"),
)


def jpeg(colour: tuple[int, int, int], text: str, size: tuple[int, int] = (480, 320)) -> bytes:
    """A small JPEG written from pixels only, as a clean derivative is: JFIF and nothing else."""
    image = Image.new("RGB", size, colour)
    ImageDraw.Draw(image).text((20, 20), text, fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def photo(
    photo_id: str, caption: str, time_label: str, offset: float, note: str = "", heading: float | None = 10.0
) -> GuidePhoto:
    colour = (120, 40, 40) if note else (40, 90, 120)
    return GuidePhoto(
        id=photo_id,
        caption=caption,
        text=f"Entry text for {photo_id}.",
        time_label=time_label,
        latitude=SITE_LAT - offset,
        longitude=SITE_LON,
        heading_deg=heading,
        content_note=note,
        web_jpeg=jpeg(colour, photo_id),
        thumb_jpeg=jpeg(colour, photo_id, (120, 80)),
        credit="Test photographer",
    )


PHOTOS = (
    photo("p-01", "Entrance from the road", "16:31", 0.0030),
    photo("p-02", EVIL_CAPTION, "16:38", 0.0010),
    photo("p-03/grave", "A grave opened by the exhumation team", "16:44", 0.0, note="human remains"),
)
WAYPOINTS = (
    GuideWaypoint(1, "Entrance from the road", "Leave the car here.", SITE_LAT - 0.0030, SITE_LON),
    GuideWaypoint(2, "Numbered crosses", "Rows of wooden crosses.", SITE_LAT - 0.0010, SITE_LON),
)


def make_guide(language: str = "en", photos: tuple[GuidePhoto, ...] = PHOTOS, **changes: object) -> FieldGuide:
    labels = DEFAULT_LABELS_UK if language == "uk" else DEFAULT_LABELS_EN
    guide = FieldGuide(
        language=language,
        site_name="Izium mass burial site" if language == "en" else "Масове поховання в Ізюмі",
        site_slug="izium-mass-burial-site",
        summary="A burial site in the pine forest by the Pishchanske cemetery.\n\n447 bodies were exhumed.",
        settlement_offset="1.3 km north-west of central Izium",
        safety=SAFETY,
        directions=DIRECTIONS,
        start_name="Central Izium",
        start_latitude=49.2085,
        start_longitude=37.2594,
        mode_label="On foot",
        last_checked_label="1 May 2024",
        latitude=SITE_LAT,
        longitude=SITE_LON,
        uncertainty_m=50.0,
        coordinate_forms=COORDINATE_FORMS,
        diaries=(
            GuideDiary(
                title="An afternoon at the site",
                author="Pilgrim",
                visit_date_label="4 June 2023",
                introduction="We walked from the road to the graves.",
                photos=photos,
                waypoints=WAYPOINTS,
                route=tuple((p.latitude, p.longitude) for p in photos if p.latitude is not None),  # type: ignore[misc]
            ),
        ),
        sources=(
            ("Reuters, 16 September 2022", "https://example.org/reuters/izium"),
            ("Kharkiv regional prosecutor", "https://example.org/prosecutor?id=1&lang=uk"),
        ),
        citable_url="https://example.org/sites/izium-mass-burial-site/",
        generated_label="1 May 2024",
        labels=labels,
    )
    return dataclasses.replace(guide, **changes)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def archive() -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(build_guide(make_guide())))


@pytest.fixture(scope="module")
def index(archive: zipfile.ZipFile) -> str:
    return archive.read("index.html").decode("utf-8")


class Elements(HTMLParser):
    """Every start tag with its attributes and the page's text in order, as the standard parser reads them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        (self.scripts if self._in_script else self.text).append(data)


def parse(page: str) -> Elements:
    parser = Elements()
    # A <wbr> only offers a line break inside a word or an address: the text reads on across it.
    parser.feed(page.replace("<wbr>", ""))
    parser.close()
    return parser


def test_zip_holds_the_page_its_style_script_and_the_images(archive: zipfile.ZipFile) -> None:
    # A graphic photo sits apart, in a folder phone galleries skip, and has no thumbnail.
    assert archive.namelist() == [
        "index.html",
        "guide.css",
        "guide.js",
        "images/p-01-web.jpg",
        "images/p-01-thumb.jpg",
        "images/p-02-web.jpg",
        "images/p-02-thumb.jpg",
        "images/graphic/.nomedia",
        "images/graphic/p-03-grave-web.jpg",
    ]
    assert all(re.fullmatch(r"[A-Za-z0-9_./-]+", name) for name in archive.namelist())
    assert archive.testzip() is None


def test_the_same_guide_packs_to_the_same_bytes() -> None:
    assert build_guide(make_guide()) == build_guide(make_guide())


def test_page_text_reads_without_javascript_safety_before_directions(index: str) -> None:
    text = " ".join(parse(index).text)
    assert "Izium mass burial site" in text
    assert "1.3 km north-west of central Izium" in text
    safety, directions = text.index(SAFETY), text.index("From the centre, take the Kharkiv road north-west.")
    assert text.index("Safety first") < safety < directions
    assert "Central Izium" in text and "On foot" in text and "1 May 2024" in text
    assert "447 bodies were exhumed." in text
    assert "Reuters, 16 September 2022" in text and "https://example.org/prosecutor?id=1&lang=uk" in text


def test_start_point_shows_distance_and_bearing_to_the_site(index: str) -> None:
    # Central Izium (49.2085, 37.2594) to the site on WGS84 (pyproj): 1754.6 m, initial azimuth 321.9°.
    text = " ".join(parse(index).text)
    assert "From the start to the site: 1.8 km, north-west (322°)." in text


def test_every_coordinate_form_is_on_the_page(index: str) -> None:
    text = " ".join(parse(index).text)
    for label, value in COORDINATE_FORMS:
        assert label in text and value in text
    links = [attrs.get("href") for tag, attrs in parse(index).tags if tag == "a"]
    assert "geo:49.220922,37.244553;u=300" in links


def test_captions_appear_in_diary_order_with_times_and_waypoint_numbers(index: str) -> None:
    text = " ".join(parse(index).text)
    body = text[text.index("An afternoon at the site") :]
    positions = [body.index(caption) for caption in (p.caption for p in PHOTOS)]
    assert positions == sorted(positions)
    assert body.index("16:31") < body.index("16:38") < body.index("16:44")
    # The first two photos were taken at the two waypoints; the third, 111 m on, at neither.
    figures = re.findall(r'<figure class="entry[^"]*".*?</figure>', index, flags=re.S)
    assert len(figures) == 3
    assert "Waypoint 1" in figures[0] and "Waypoint 2" in figures[1] and "Waypoint" not in figures[2]


def test_graphic_photo_has_no_src_only_its_note(index: str) -> None:
    images = [attrs for tag, attrs in parse(index).tags if tag == "img"]
    graphic = [attrs for attrs in images if "data-src" in attrs]
    assert len(graphic) == 1
    assert "src" not in graphic[0]
    assert graphic[0]["data-src"] == "images/graphic/p-03-grave-web.jpg"
    assert "This photo shows human remains. Show it" in " ".join(parse(index).text)
    sources = {attrs["src"] for attrs in images if "src" in attrs}
    assert not any("p-03-grave" in (source or "") for source in sources), "no thumbnail of a graphic photo either"


def test_a_script_in_a_caption_is_text_not_markup(index: str) -> None:
    assert "<script>alert" not in index
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Crosses &amp; names" in index
    parsed = parse(index)
    scripts = [attrs for tag, attrs in parsed.tags if tag == "script"]
    assert scripts == [{"type": "application/json", "id": "guide-data"}, {"src": "guide.js"}]
    assert EVIL_CAPTION in " ".join(parsed.text)


def test_data_block_is_json_that_cannot_close_its_script(index: str) -> None:
    block = re.search(r'<script type="application/json" id="guide-data">(.*?)</script>', index, re.S)
    assert block is not None
    assert "<" not in block.group(1)
    data = json.loads(block.group(1))
    assert data["site"] == {
        "name": "Izium mass burial site",
        "latitude": SITE_LAT,
        "longitude": SITE_LON,
        "uncertainty_m": 50.0,
    }
    assert data["reached_m"] == WAYPOINT_REACHED_M
    assert [w["number"] for w in data["diaries"][0]["waypoints"]] == [1, 2]
    assert data["labels"]["direction_n"] == "north"


def test_nothing_in_the_zip_loads_from_the_network(archive: zipfile.ZipFile) -> None:
    remote = re.compile(
        r"""<(?:img|script|iframe|source|video|audio|embed|object)\b[^>]*\s(?:src|data|srcset)\s*=\s*["']?\s*(?:https?:)?//"""
        r"""|<link\b[^>]*\shref\s*=\s*["']?\s*(?:https?:)?//"""
        r"""|url\(\s*["']?\s*(?:https?:)?//"""
        r"""|@import""",
        re.I,
    )
    for name in ("index.html", "guide.css", "guide.js"):
        text = archive.read(name).decode("utf-8")
        assert not remote.search(text), f"{name} loads something from outside the zip"
    script = archive.read("guide.js").decode("utf-8")
    kept = ("localStorage", "sessionStorage", "indexedDB", "document.cookie", "caches.")
    for call in ("fetch(", "XMLHttpRequest", "WebSocket", "EventSource", "sendBeacon", "import(", *kept):
        assert call not in script
    css = archive.read("guide.css").decode("utf-8")
    assert "url(" not in css


def test_every_image_is_a_jpeg_without_metadata(archive: zipfile.ZipFile, tmp_path: Path) -> None:
    names = [name for name in archive.namelist() if name.endswith(".jpg")]
    for name in names:
        with Image.open(io.BytesIO(archive.read(name))) as image:
            assert image.format == "JPEG"
            assert not {"exif", "icc_profile", "xmp", "photoshop", "comment"} & set(image.info), name
    if shutil.which("exiftool") is None:
        pytest.skip("exiftool is not installed: the independent metadata check did not run")
    archive.extractall(tmp_path)
    report = subprocess.run(
        ["exiftool", "-j", "-G", *(str(tmp_path / name) for name in names)],
        check=True,
        capture_output=True,
        text=True,
    )
    for entry in json.loads(report.stdout):
        groups = {key.split(":", 1)[0] for key in entry if ":" in key}
        assert groups <= {"File", "JFIF", "Composite", "ExifTool"}, (entry["SourceFile"], groups)


def test_ukrainian_guide_uses_ukrainian_labels() -> None:
    page = zipfile.ZipFile(io.BytesIO(build_guide(make_guide("uk")))).read("index.html").decode("utf-8")
    text = " ".join(parse(page).text)
    assert '<html lang="uk">' in page
    for key in ("safety_first", "getting_there", "coordinates", "sources", "you_are_here", "directions"):
        assert DEFAULT_LABELS_UK[key] in text
    assert "На цьому фото human remains. Показати" in text
    assert "Від початкової точки до місця: 1,8 км, напрямок — північний захід (322°)." in text
    assert "Safety first" not in text and "Getting there" not in text


def test_ukrainian_labels_cover_every_key_with_the_same_placeholders() -> None:
    assert set(DEFAULT_LABELS_UK) == set(DEFAULT_LABELS_EN)
    placeholder = re.compile(r"\{[a-z_]+\}")
    for key, english in DEFAULT_LABELS_EN.items():
        assert sorted(placeholder.findall(DEFAULT_LABELS_UK[key])) == sorted(placeholder.findall(english)), key


@pytest.mark.parametrize(
    ("metres", "english", "ukrainian"),
    [
        (0, "0 m", "0 м"),
        (37.4, "37 m", "37 м"),
        (99.6, "100 m", "100 м"),
        (851, "850 m", "850 м"),
        (994.9, "990 m", "990 м"),
        (995, "1.0 km", "1,0 км"),
        (1000.1, "1.0 km", "1,0 км"),
        (1250, "1.3 km", "1,3 км"),
        (9949, "9.9 km", "9,9 км"),
        (23_400, "23 km", "23 км"),
    ],
)
def test_distances_read_as_a_visitor_says_them(metres: float, english: str, ukrainian: str) -> None:
    assert format_distance(metres, DEFAULT_LABELS_EN) == english
    assert format_distance(metres, DEFAULT_LABELS_UK) == ukrainian


@pytest.mark.parametrize(
    ("bearing", "word"),
    [(0, "north"), (22.4, "north"), (22.5, "north-east"), (180, "south"), (337.6, "north"), (359.9, "north")],
)
def test_bearings_name_the_nearest_of_eight_compass_points(bearing: float, word: str) -> None:
    assert compass_word(bearing, DEFAULT_LABELS_EN) == word


def test_an_image_with_exif_is_refused() -> None:
    image = Image.new("RGB", (64, 64), (10, 10, 10))
    exif = Image.Exif()
    exif[0x010F] = "TestCam"  # Make
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes())
    tainted = dataclasses.replace(PHOTOS[0], web_jpeg=buffer.getvalue())
    with pytest.raises(ExportError, match=r"photo p-01: web image: carries EXIF"):
        build_guide(make_guide(photos=(tainted, *PHOTOS[1:])))


def test_an_image_with_an_icc_profile_or_comment_is_refused() -> None:
    image = Image.new("RGB", (64, 64), (10, 10, 10))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", comment=b"shot by someone")
    tainted = dataclasses.replace(PHOTOS[1], thumb_jpeg=buffer.getvalue())
    with pytest.raises(ExportError, match=r"photo p-02: thumbnail: carries a comment"):
        build_guide(make_guide(photos=(PHOTOS[0], tainted, PHOTOS[2])))


def test_a_camera_original_is_refused_and_its_derivative_is_accepted() -> None:
    original = SHARED_TESTDATA / "camera" / "jpg" / "gps" / "DSCN0010.jpg"
    if not original.exists():
        pytest.skip(f"{original} is absent (shared test data not checked out)")
    from lestweforget.media.derivatives import make_derivatives

    data = original.read_bytes()
    raw = dataclasses.replace(PHOTOS[0], web_jpeg=data)
    with pytest.raises(ExportError, match="carries EXIF"):
        build_guide(make_guide(photos=(raw,)))
    derived = make_derivatives(data, original.name)
    clean = dataclasses.replace(PHOTOS[0], web_jpeg=derived.items["web"].jpeg, thumb_jpeg=derived.items["thumb"].jpeg)
    names = zipfile.ZipFile(io.BytesIO(build_guide(make_guide(photos=(clean,))))).namelist()
    assert "images/p-01-web.jpg" in names


def test_a_javascript_source_link_is_refused() -> None:
    with pytest.raises(ExportError, match=r"source 'Bad' 'javascript:alert\(1\)' is not an absolute http\(s\) link"):
        build_guide(make_guide(sources=(("Bad", "javascript:alert(1)"),)))


def test_missing_or_broken_labels_are_refused() -> None:
    partial = {key: value for key, value in DEFAULT_LABELS_EN.items() if key != "show_graphic"}
    with pytest.raises(ExportError, match="labels lack show_graphic"):
        build_guide(make_guide(labels=partial))
    broken = {**DEFAULT_LABELS_EN, "show_graphic": "Show it"}
    with pytest.raises(ExportError, match=r"label 'show_graphic' is 'Show it'; it must hold \{note\}"):
        build_guide(make_guide(labels=broken))


def test_coordinates_out_of_range_are_refused() -> None:
    with pytest.raises(ExportError, match=r"site latitude 95.0 is outside -90..90"):
        build_guide(make_guide(latitude=95.0))


def test_same_photo_id_with_different_images_is_refused() -> None:
    clash = dataclasses.replace(PHOTOS[1], id="p-01")
    with pytest.raises(ExportError, match="photo p-01: appears twice with different images"):
        build_guide(make_guide(photos=(PHOTOS[0], clash)))
