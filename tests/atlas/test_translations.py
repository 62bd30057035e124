"""Every public string has a Ukrainian translation, and the compiled catalogue says what the source catalogue says."""

from __future__ import annotations

import gettext
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "src" / "lestweforget" / "locale" / "uk" / "LC_MESSAGES"


@pytest.fixture(scope="module")
def catalogue() -> polib.POFile:
    return polib.pofile(str(LOCALE / "django.po"))


def test_no_ukrainian_entry_is_fuzzy_or_missing(catalogue: polib.POFile) -> None:
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []
    assert [e.msgid for e in catalogue.untranslated_entries()] == []


def test_compiled_catalogue_matches_the_source(catalogue: polib.POFile) -> None:
    with open(LOCALE / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in catalogue.translated_entries():
        if entry.msgid_plural:
            # Ukrainian has three plural forms: 1 (and 21...), 2-4 (and 22-24...), the rest.
            for count, form in ((1, 0), (3, 1), (5, 2)):
                translated = compiled.ngettext(entry.msgid, entry.msgid_plural, count)
                assert translated == entry.msgstr_plural[form], entry.msgid
        elif entry.msgctxt:
            # The same English word in another context ("any" oblast: будь-яка) is its own entry.
            assert compiled.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr, (entry.msgctxt, entry.msgid)
        else:
            assert compiled.gettext(entry.msgid) == entry.msgstr, entry.msgid


def test_placeholders_survive_translation(catalogue: polib.POFile) -> None:
    import re

    for entry in catalogue.translated_entries():
        wanted = sorted(re.findall(r"%\(\w+\)[sd]|%\(\w+\)\.\d+f", entry.msgid))
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for translation in translations:
            assert sorted(re.findall(r"%\(\w+\)[sd]|%\(\w+\)\.\d+f", translation)) == wanted, entry.msgid
