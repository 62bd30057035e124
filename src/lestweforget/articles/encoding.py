"""From an article's raw bytes to text: what they are (HTML, text, a PDF or an image by mistake) and how they
are encoded.

The bytes are judged before any parser sees them: a file that is not text is refused by its signature, an
encoding is taken from a byte-order mark or the page's own declaration, else UTF-8, else the best Cyrillic or
Latin single-byte code page charset-normalizer finds. Text that decodes but is garbled (UTF-8 read once as
Latin-1 or Windows-1251 and saved again, "mojibake") is refused rather than read as words.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import Final

import charset_normalizer

from lestweforget.articles.errors import ArticleError

# A news article page, scripts and inline styles included, stays well under this; a page over it is a saved
# site, a feed or a file that is not an article (the largest real article pages seen are about 3 MB).
MAX_ARTICLE_BYTES: Final = 8 * 1024 * 1024

# File signatures (magic numbers) of what people save by mistake instead of an article's page or text.
_SIGNATURES: Final = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"PK\x03\x04", "a ZIP archive (or a Word or OpenDocument file)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"{\\rtf", "an RTF document"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"ID3", "an MP3 audio file"),
    (b"OggS", "an Ogg media file"),
)
_BOMS: Final = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET: Final = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING: Final = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# The single-byte encodings Ukrainian, Russian and English pages were saved in before UTF-8.
_LEGACY_ENCODINGS: Final = ("cp1251", "koi8_u", "koi8_r", "iso8859_5", "mac_cyrillic", "cp1252", "latin_1")
# UTF-8 of Cyrillic or of typographic punctuation, read as Latin-1/Windows-1252 ("Ð†Ð·ÑŽÐ¼") or as
# Windows-1251 ("Р†Р·СЋРј"): a lead character followed by a continuation character, over and over.
_MOJIBAKE_LATIN: Final = re.compile(r"[ÐÑ][\u0080-\u00bf\u2018-\u203a\u0152-\u0178\u02c6\u02dc\u0192]|â€")
_MOJIBAKE_CYRILLIC: Final = re.compile(r"[РС][\u0402-\u040f\u0452-\u045f\u0490\u0491\u201a-\u203a\u00a0-\u00bf]")
# Undecodable bytes tolerated in a page that is otherwise valid in its encoding (a stray byte pasted from
# elsewhere): each becomes U+FFFD and the article notes it. More than this and the page is refused.
_MAX_BAD_BYTES: Final = 8


@dataclass(frozen=True)
class DecodedText:
    """The article's text and how it was decoded; ``notes`` say what was repaired on the way."""

    text: str
    encoding: str
    notes: tuple[str, ...] = ()


def refuse_non_text(data: bytes, name: str) -> None:
    """Raise ArticleError when ``data`` is empty, too large, or by its signature not text at all."""
    if not data.strip():
        raise ArticleError(f"{name}: the file is empty; there is no article in it")
    if len(data) > MAX_ARTICLE_BYTES:
        raise ArticleError(
            f"{name}: {len(data) / 1_048_576:.1f} MB is more than any article page "
            f"(limit {MAX_ARTICLE_BYTES // 1_048_576} MB); save the article alone (reader view, or as text)"
        )
    head = data[:16]
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            raise ArticleError(f"{name}: this is {kind}, not an article; save the article's web page or its text")
    if head[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftypavif", b"ftypisom", b"ftypmp42"):
        raise ArticleError(f"{name}: this is an image or video file, not an article; save the article's page")
    if head.startswith(b"RIFF") and head[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        raise ArticleError(f"{name}: this is a WebP image or RIFF media file, not an article")


def decode(data: bytes, name: str) -> DecodedText:
    """Decode an article's bytes; refuses (ArticleError) binary data and broken or garbled encodings."""
    refuse_non_text(data, name)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data, encoding, name, f"its byte-order mark says {encoding}")
    declared = _declared_encoding(data)
    if declared is None and b"\x00" in data:
        raise ArticleError(f"{name}: binary data (NUL bytes), not an article's text")
    if declared is not None:
        decoded = _strict(data, declared, name, f"the page declares {declared}")
    else:
        decoded = _undeclared(data, name)
    _refuse_mojibake(decoded.text, name)
    return decoded


def _declared_encoding(data: bytes) -> str | None:
    head = data[:4096]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if match is None:
        return None
    label = match.group(1).decode("ascii").lower()
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _strict(data: bytes, encoding: str, name: str, why: str) -> DecodedText:
    try:
        return DecodedText(data.decode(encoding), encoding)
    except UnicodeDecodeError as error:
        bad = _count_bad_bytes(data, encoding)
        if bad > _MAX_BAD_BYTES:
            raise ArticleError(
                f"{name}: broken encoding: {why}, but {bad} bytes are not valid {encoding} "
                f"(the first at byte {error.start}); save the page again from the browser"
            ) from error
        text = data.decode(encoding, errors="replace")
        note = f"{bad} byte(s) not valid {encoding} were replaced by U+FFFD (the first at byte {error.start})"
        return DecodedText(text, encoding, (note,))
    except LookupError as error:
        raise ArticleError(f"{name}: {why}, an encoding Python does not know") from error


def _count_bad_bytes(data: bytes, encoding: str) -> int:
    """How many bytes of ``data`` are not valid in ``encoding`` (each becomes a lone surrogate)."""
    text = data.decode(encoding, errors="surrogateescape")
    return sum(1 for char in text if "\udc80" <= char <= "\udcff")


def _undeclared(data: bytes, name: str) -> DecodedText:
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as utf8_error:
        ascii_share = sum(1 for byte in data if byte < 0x80) / len(data)
        best = charset_normalizer.from_bytes(data, cp_isolation=list(_LEGACY_ENCODINGS)).best()
        if best is None or best.chaos > 0.2:
            what = "" if best is None else f" (the closest, {best.encoding}, reads as {best.chaos:.0%} noise)"
            raise ArticleError(
                f"{name}: broken encoding: not UTF-8 (invalid at byte {utf8_error.start}) and no page encoding "
                f"reads it cleanly{what}; save the page again as UTF-8"
            ) from utf8_error
        if ascii_share > 0.97 and _count_bad_bytes(data, "utf-8") <= _MAX_BAD_BYTES:
            # Nearly all ASCII with a few broken UTF-8 sequences: a UTF-8 page with stray bytes, not a code page.
            return _strict(data, "utf-8", name, "it reads as UTF-8")
        return DecodedText(str(best), best.encoding, (f"no encoding declared; read as {best.encoding}",))


def _refuse_mojibake(text: str, name: str) -> None:
    sample = text[:200_000]
    letters = sum(1 for char in sample if char.isalpha()) or 1
    for pattern, how in ((_MOJIBAKE_LATIN, "Latin-1"), (_MOJIBAKE_CYRILLIC, "Windows-1251")):
        hits = pattern.findall(sample)
        if len(hits) >= 5 and len(hits) * 2 / letters > 0.05:
            example = sample[max(0, sample.find(hits[0]) - 4) :][:24].replace("\n", " ")
            raise ArticleError(
                f"{name}: broken encoding: UTF-8 text that was read as {how} and saved again (mojibake, "
                f"e.g. {example!r}); save the page again from its original"
            )
