"""`read_article`: a saved article (web page, plain text or Markdown) as title, byline, publication date,
language, main text and links.

Web pages go through trafilatura (Barbaresi 2021), which keeps the article and drops navigation, related
links and comments; what it leaves of cookie notices, share rows, "donate" appeals and copyright lines is
dropped here paragraph by paragraph. Plain text and Markdown may start with a front matter block or with
"Title:", "By …", "Date:" lines (in any of the three languages); Markdown is rendered with markdown-it-py
and read like a page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Final
from urllib.parse import urljoin, urlsplit

import dateparser
import trafilatura
from lxml import etree
from lxml import html as lxml_html
from markdown_it import MarkdownIt

from lestweforget.articles.encoding import decode, refuse_non_text
from lestweforget.articles.errors import ArticleError
from lestweforget.articles.language import detect_language

FORMATS: Final = ("html", "markdown", "text")
_HTML_START: Final = re.compile(
    r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|article|div|p|meta)\b", re.I | re.S
)
_HTML_TAGS: Final = re.compile(r"<(?:p|div|br|a\s+href|article|h[1-6])\b", re.I)
_MARKDOWN: Final = re.compile(r"^(?:#{1,6}\s|---\s*$)|\[[^\]\n]+\]\([^)\s]+\)|^\s*[-*]\s+\S", re.M)
_URL: Final = re.compile(r"(?:https?://|geo:)[^\s<>\"'«»()\[\]]+(?:\([^\s()]*\)[^\s<>\"'«»()\[\]]*)*", re.I)
_TRAILING_PUNCTUATION: Final = ".,;:!?…»”’'"

# Paragraphs that are a site's furniture, not the article (checked only on short paragraphs).
_FURNITURE: Final = re.compile(
    r"""cookie|куки\b|файл\w*\s+cookie
    |^\s*(?:share|поділитися|поделиться|поширити)\b
    |\b(?:donate|support\s+(?:us|our)|become\s+a\s+(?:patron|member)|підтримайте|підтримати\s+(?:нас|редакцію|проєкт)
       |задонатити|донат|поддержите|поддержать\s+(?:нас|редакцию)|пожертвуйте)\b
    |^\s*(?:©|\(c\)|copyright\b)|all\s+rights\s+reserved|усі\s+права\s+захищен|всі\s+права\s+захищен
    |все\s+права\s+защищен|передрук\w*\s+(?:матеріалів\s+)?(?:дозволен|заборонен)|перепечатка\s+(?:материалов\s+)?(?:разрешена|запрещена)
    |^\s*(?:subscribe|підпишіться|підписуйтесь|подпишитесь|подписывайтесь)\b
    |^\s*(?:read\s+also|читайте\s+також|читайте\s+также|також\s+читайте|related)\s*:""",
    re.IGNORECASE | re.VERBOSE,
)
_FURNITURE_MAX_CHARS: Final = 300
# Fewer words than this is a page's furniture or a caption, not an article.
_MIN_WORDS: Final = 5

_HEADER_FIELDS: Final = {
    "title": "title",
    "заголовок": "title",
    "назва": "title",
    "author": "byline",
    "by": "byline",
    "byline": "byline",
    "автор": "byline",
    "авторка": "byline",
    "текст": "byline",
    "date": "published",
    "published": "published",
    "дата": "published",
    "опубліковано": "published",
    "опубликовано": "published",
    "url": "url",
    "source": "url",
    "джерело": "url",
    "источник": "url",
    "publisher": "publisher",
    "site": "publisher",
    "видання": "publisher",
    "издание": "publisher",
}
_HEADER_LINE: Final = re.compile(r"^\s*([^\W\d_]+)\s*:\s*(.+?)\s*$")
_BY_LINE: Final = re.compile(r"^\s*(?:by|автор(?:ка|и)?|текст)\s*[:—–-]?\s+(.+?)\s*$", re.IGNORECASE)
# What a byline found in the body must look like: one to five capitalised words (a name or a pseudonym), so that
# "By the end of the year ..." is not taken for one.
_NAME_LIKE: Final = re.compile(r"[A-ZА-ЯІЇЄҐЁ][\w'’.-]*(?:\s+[A-ZА-ЯІЇЄҐЁ][\w'’.-]*){0,4}")
_BODY_BYLINE_PARAGRAPHS: Final = 4  # a byline stands among the first paragraphs or the last ones
_FRONT_MATTER: Final = re.compile(r"\A\s*---\s*\n(.*?)\n---\s*\n", re.S)


@dataclass(frozen=True)
class Link:
    """A link in the article: its address (absolute when the page's URL is known) and its text."""

    url: str
    text: str


@dataclass(frozen=True)
class PublicationDate:
    """When the article says it was published, and how precisely: "day", "month" or "year"."""

    date: date
    precision: str


@dataclass(frozen=True)
class Article:
    """A saved article, read. ``byline`` is as written (a pseudonym stays a pseudonym); ``language`` is "uk",
    "ru" or "en"; ``text`` is the main text, paragraphs separated by blank lines; ``notes`` say what the reader
    repaired or could not find."""

    title: str
    byline: str
    published: PublicationDate | None
    language: str
    text: str
    links: tuple[Link, ...]
    format: str
    url: str | None = None
    publisher: str = ""
    encoding: str = "utf-8"
    notes: tuple[str, ...] = ()


def read_article(
    data: bytes | str, url: str | None = None, name: str = "article", format: str | None = None
) -> Article:
    """Read a saved article. ``data`` is the file's bytes (decoded here) or text already decoded; ``url`` is
    where it was published (resolves relative links); ``format`` forces "html", "markdown" or "text".

    Refuses (ArticleError, the message starting with ``name``) empty or binary input, a PDF or an image, a
    file over MAX_ARTICLE_BYTES, a broken encoding, a page with no article text, and a language other than
    Ukrainian, Russian or English.
    """
    if isinstance(data, bytes):
        decoded = decode(data, name)
        text, encoding, notes = decoded.text, decoded.encoding, decoded.notes
    else:
        refuse_non_text(data.encode("utf-8", errors="surrogatepass"), name)
        text, encoding, notes = data, "utf-8", ()
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    if format is not None and format not in FORMATS:
        raise ArticleError(f"{name}: format {format!r} is not one of {', '.join(FORMATS)}")
    chosen = format or sniff_format(text)
    parts = _read_html(text, url, name) if chosen == "html" else _read_plain(text, url, markdown=chosen == "markdown")
    if not parts.byline:
        _byline_from_body(parts)
    body = "\n\n".join(parts.paragraphs)
    if len(body.split()) < _MIN_WORDS:
        raise ArticleError(f"{name}: no article text found in the {'page' if chosen == 'html' else 'file'}")
    language = detect_language(f"{parts.title}\n{body}", name, parts.language_hint)
    # In the article's language first; a date line in another language (an English byline date over Ukrainian
    # text) is still read.
    published = (
        _publication_date(parts.published, language) or _publication_date(parts.published, None)
        if parts.published
        else None
    )
    if parts.published and published is None:
        notes = (*notes, f"publication date {parts.published!r} could not be read")
    return Article(
        title=parts.title,
        byline=parts.byline,
        published=published,
        language=language,
        text=body,
        links=_unique_links(parts.links),
        format=chosen,
        url=parts.url or url,
        publisher=parts.publisher,
        encoding=encoding,
        notes=notes,
    )


def sniff_format(text: str) -> str:
    """ "html", "markdown" or "text", from what the text looks like."""
    head = text[:5000]
    if _HTML_START.search(head) or len(_HTML_TAGS.findall(head)) >= 3:
        return "html"
    if _FRONT_MATTER.match(text) or (len(_MARKDOWN.findall(head)) >= 1 and re.search(r"^#{1,6}\s|\]\(", head, re.M)):
        return "markdown"
    return "text"


@dataclass
class _Parts:
    title: str = ""
    byline: str = ""
    published: str = ""
    url: str | None = None
    publisher: str = ""
    language_hint: str | None = None
    paragraphs: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()


def _read_html(text: str, url: str | None, name: str) -> _Parts:
    options = {"with_metadata": True, "include_links": True, "include_comments": False, "include_tables": True}
    params = {"extensive_search": False, "original_date": True}
    document = trafilatura.bare_extraction(text, url=url, date_extraction_params=params, **options)  # type: ignore[arg-type]
    if not isinstance(document, trafilatura.settings.Document) or not _has_text(document.body):
        document = trafilatura.bare_extraction(
            text,
            url=url,
            favor_recall=True,
            date_extraction_params=params,
            **options,  # type: ignore[arg-type]
        )
    if not isinstance(document, trafilatura.settings.Document) or document.body is None:
        raise ArticleError(f"{name}: no article text found in the page")
    base = document.url or url
    paragraphs, links = _blocks(document.body, base)
    title = _clean(document.title or "")
    if paragraphs and _clean(paragraphs[0]) == title:
        paragraphs = paragraphs[1:]
    page = _page_tree(text)
    return _Parts(
        title=title,
        byline=_clean(document.author or ""),
        published=document.date or "",
        url=document.url or url,
        publisher=_clean(document.sitename or ""),
        language_hint=page.get("lang") if page is not None else None,
        paragraphs=tuple(paragraphs),
        links=(*links, *_embedded_maps(page, base)),
    )


def _has_text(body: etree._Element | None) -> bool:
    return body is not None and bool("".join(body.itertext()).strip())


def _page_tree(text: str) -> etree._Element | None:
    try:
        return lxml_html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return None


def _embedded_maps(page: etree._Element | None, base: str | None) -> list[Link]:
    """Maps embedded in the page (iframes), which an extractor drops with the rest of the page's furniture."""
    if page is None:
        return []
    found = []
    for frame in page.iter("iframe"):
        source = (frame.get("src") or "").strip()
        if re.search(r"google\.[a-z.]+/maps|openstreetmap\.org|yandex\.[a-z.]+/map|maps\.apple\.com", source, re.I):
            found.append(Link(urljoin(base, source) if base else source, "[embedded map]"))
    return found


_BLOCK_TAGS: Final = frozenset({"p", "head", "item", "quote", "cell", "row", "list", "table", "lb", "div", "code"})


def _blocks(body: etree._Element, base: str | None) -> tuple[list[str], list[Link]]:
    """The text blocks of trafilatura's output tree (paragraphs, headings, list items) and their links."""
    paragraphs: list[str] = []
    links: list[Link] = []
    for element in body:
        for block in _leaf_blocks(element):
            paragraph = _clean("".join(block.itertext()))
            if not paragraph or _is_furniture(paragraph):
                continue
            paragraphs.append(paragraph)
            for ref in block.iter("ref", "a"):
                target = (ref.get("target") or ref.get("href") or "").strip()
                if target and not target.startswith(("#", "javascript:", "mailto:")):
                    links.append(Link(urljoin(base, target) if base else target, _clean("".join(ref.itertext()))))
            links.extend(_urls_in(paragraph))
    return paragraphs, links


def _leaf_blocks(element: etree._Element) -> list[etree._Element]:
    children = [child for child in element if child.tag in _BLOCK_TAGS and child.tag != "lb"]
    if element.tag in ("list", "table", "row", "div", "quote") and children:
        return [leaf for child in children for leaf in _leaf_blocks(child)]
    return [element]


def _is_furniture(paragraph: str) -> bool:
    return len(paragraph) <= _FURNITURE_MAX_CHARS and _FURNITURE.search(paragraph) is not None


def _byline(line: str, name_like: bool = False) -> tuple[str, str] | None:
    """(the byline, a date written after it or "") of a line such as "By Night Owl", "*By Pseudonym X, 20 September
    2022*", "Автор: Іван Коваль" or "Текст — Марта Ліс"; None for anything else. With ``name_like``, the byline must
    look like a name (for a line met in the body, not in the head)."""
    stripped = line.strip().strip("*_ ").strip()
    by = _BY_LINE.match(stripped) if len(stripped) < 120 else None
    if by is None:
        return None
    who, published = _clean(by.group(1).strip("*_ ")), ""
    head, comma, tail = who.rpartition(",")
    if comma and _publication_date(tail.strip(), None) is not None:
        who, published = head.strip(), tail.strip()
    if name_like and not _NAME_LIKE.fullmatch(who):
        return None
    return (who, published) if who else None


def _byline_from_body(parts: _Parts) -> None:
    """A byline the extractor left in the text (a page's "<p>Автор: Іван Коваль</p>", a Markdown line in the body):
    taken from the first or last paragraphs and removed from the text."""
    paragraphs = list(parts.paragraphs)
    ends = list(range(min(_BODY_BYLINE_PARAGRAPHS, len(paragraphs))))
    ends += [i for i in range(max(0, len(paragraphs) - _BODY_BYLINE_PARAGRAPHS), len(paragraphs)) if i not in ends]
    for index in ends:
        found = _byline(paragraphs[index], name_like=True)
        if found is not None:
            parts.byline, published = found
            parts.published = parts.published or published
            del paragraphs[index]
            parts.paragraphs = tuple(paragraphs)
            return


def _read_plain(text: str, url: str | None, markdown: bool) -> _Parts:
    parts = _Parts(url=url)
    front = _FRONT_MATTER.match(text)
    if front:
        for line in front.group(1).splitlines():
            _header_field(parts, line)
        text = text[front.end() :]
    lines = text.split("\n")
    index = 0
    # The head of the file: title, then any "By …" / "Date: …" lines, before the first blank line after them.
    while index < len(lines) and index < 12:
        line = lines[index]
        stripped = line.strip()
        if not stripped:
            index += 1
            if parts.title and (parts.byline or parts.published):
                break
            continue
        if _header_field(parts, stripped):
            index += 1
            continue
        by = _byline(stripped, name_like=True)
        if by and parts.title and not parts.byline:
            parts.byline, published = by
            parts.published = parts.published or published
            index += 1
            continue
        if not parts.title and len(stripped) < 300 and not stripped.endswith((".", ",", ";", ":")):
            parts.title = _clean(stripped.lstrip("#").strip().strip("*_"))
            index += 1
            continue
        if parts.title and not parts.published and len(stripped) < 60 and _publication_date(stripped, None):
            parts.published = stripped
            index += 1
            continue
        break
    rest = "\n".join(lines[index:])
    if markdown:
        rendered = MarkdownIt("commonmark").render(rest)
        tree = lxml_html.fragment_fromstring(rendered, create_parent="div") if rendered.strip() else None
        paragraphs: list[str] = []
        links: list[Link] = []
        if tree is not None:
            for block in tree.iter("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "td", "th", "pre"):
                if block.tag in ("li", "blockquote") and block.find("p") is not None:
                    continue
                paragraph = _clean("".join(block.itertext()))
                if paragraph and not _is_furniture(paragraph):
                    paragraphs.append(paragraph)
                    for anchor in block.iter("a"):
                        href = (anchor.get("href") or "").strip()
                        if href:
                            links.append(Link(urljoin(url, href) if url else href, _clean(anchor.text_content())))
                    links.extend(_urls_in(paragraph))
        parts.paragraphs, parts.links = tuple(paragraphs), tuple(links)
    else:
        blocks = [_clean(block) for block in re.split(r"\n\s*\n", rest)]
        kept = tuple(block for block in blocks if block and not _is_furniture(block))
        parts.paragraphs = kept
        parts.links = tuple(link for block in kept for link in _urls_in(block))
    return parts


def _header_field(parts: _Parts, line: str) -> bool:
    match = _HEADER_LINE.match(line)
    if match is None:
        return False
    field = _HEADER_FIELDS.get(match.group(1).lower())
    if field is None:
        return False
    value = match.group(2).strip().strip("\"'")
    if field == "url":
        parts.url = value
    else:
        setattr(parts, field, _clean(value))
    return True


def _urls_in(text: str) -> list[Link]:
    return [Link(url, url) for url in (m.group().rstrip(_TRAILING_PUNCTUATION) for m in _URL.finditer(text))]


def _unique_links(links: tuple[Link, ...] | list[Link]) -> tuple[Link, ...]:
    seen: dict[str, Link] = {}
    for link in links:
        if link.url not in seen or (seen[link.url].text == link.url and link.text != link.url):
            seen[link.url] = link
    return tuple(seen.values())


def _clean(text: str) -> str:
    return re.sub(r"[ \t\u00a0\u2009\u202f]+", " ", re.sub(r"\s*\n\s*", " ", text)).strip()


_PERIODS: Final = {"day": "day", "month": "month", "year": "year"}


def _publication_date(text: str, language: str | None) -> PublicationDate | None:
    """A publication date as the page or header states it, with its precision; None when unreadable."""
    iso = re.fullmatch(r"\s*(\d{4})-(\d{2})(?:-(\d{2}))?(?:[T ][\d:.+\-Z]*)?\s*", text)
    if iso:
        year, month, day = int(iso.group(1)), int(iso.group(2)), iso.group(3)
        try:
            return PublicationDate(date(year, month, int(day or 1)), "day" if day else "month")
        except ValueError:
            return None
    languages = [language] if language else ["uk", "ru", "en"]
    parser = dateparser.date.DateDataParser(languages=languages, settings={"PREFER_DAY_OF_MONTH": "first"})
    found = parser.get_date_data(text)
    if found.date_obj is None or found.period not in _PERIODS:
        return None
    return PublicationDate(found.date_obj.date(), _PERIODS[found.period])


def hostname(url: str | None) -> str:
    """The host of ``url`` without "www.", or ""."""
    host = urlsplit(url).hostname if url else None
    return (host or "").removeprefix("www.")
