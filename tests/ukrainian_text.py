"""What Ukrainian text may hold in Latin letters: codes and names of standards, formats and apps, proper names the
demo record's Ukrainian text writes as Ukrainian media do, and addresses. Shared by the page checks (the HTML the
server sends, tests/atlas) and the browser's (what the reader sees, tests/browser)."""

from __future__ import annotations

import re

# Codes and names of standards, formats and apps, written in Latin in Ukrainian too.
CODES = {
    "WGS", "MGRS", "Plus", "Code", "geo", "URI", "GeoJSON", "KML", "GPX", "CSV", "ZIP", "API", "OpenAPI", "JavaScript",
    "OpenStreetMap", "Google", "Maps", "Apple", "Leaflet", "GPS", "X", "Y", "AGPL", "GNU",
    "Affero", "General", "Public", "License",
}  # fmt: skip
# Proper names in the demo record's Ukrainian text, as Ukrainian media write them.
PROPER_NAMES = {
    "Human", "Rights", "Watch", "HRW", "New", "Lines", "CIR", "Bellingcat", "Maxar", "Sky", "News", "AP", "Associated",
    "Press", "Euromaidan", "Kyiv", "Independent", "Post", "Media", "Center", "Ukraine", "Wikiwand", "WikiSum",
    "Current", "Time", "Lokmat", "Times", "Earth", "Daily", "Beast", "Tribune", "UA", "Poland", "Instant", "AFP",
    "IWPR", "Objectiv", "Censor", "NET", "Racurs", "Gwara", "DW", "BBC", "UNN", "Reuters", "Graty",
    "Pischanske", "Pishanske", "Pishchanske", "Izium", "Izyum",
}  # fmt: skip
# Format names as the download links write them (an extension in capitals).
FORMATS = {"csv", "geojson", "gpx", "kml", "GEOJSON"}
ALLOWED = CODES | PROPER_NAMES | FORMATS
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
# Kept as written: a web address, a domain or an e-mail address; a slug (an address's last part); a code with
# digits in it (37U, A4); what the reader typed, quoted back in «».
ADDRESS = re.compile(r"\S*(?:https?://|www\.|@|\.[a-z]{2,}\b|/)\S*|\b[a-z0-9]+(?:-[a-z0-9]+)+\b|\b\w*\d\w*\b|«[^»]*»")
