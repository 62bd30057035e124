"""Which language an article is written in: Ukrainian, Russian or English, else refused by name.

py3langid (a maintained fork of langid.py, Lui & Baldwin 2012) ranks the text among 97 languages. A page
whose most likely language is another one, with confidence, is refused; where the text is too short to tell,
the most likely of the three is taken.
"""

from __future__ import annotations

import functools
from typing import Final

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from lestweforget.articles.errors import ArticleError

SUPPORTED_LANGUAGES: Final = ("uk", "ru", "en")
LANGUAGE_NAMES: Final = {
    "uk": "Ukrainian",
    "ru": "Russian",
    "en": "English",
    "be": "Belarusian",
    "bg": "Bulgarian",
    "pl": "Polish",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "it": "Italian",
    "cs": "Czech",
    "sk": "Slovak",
    "ro": "Romanian",
    "hu": "Hungarian",
    "lt": "Lithuanian",
    "lv": "Latvian",
    "et": "Estonian",
    "ka": "Georgian",
    "tr": "Turkish",
    "sr": "Serbian",
    "mk": "Macedonian",
    "kk": "Kazakh",
    "nl": "Dutch",
    "pt": "Portuguese",
    "ja": "Japanese",
    "zh": "Chinese",
    "ar": "Arabic",
    "he": "Hebrew",
}
_SURE: Final = 0.9
_WORDS_TO_BE_SURE: Final = 12
_SAMPLE_CHARS: Final = 20_000


@functools.cache
def _identifier() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str, name: str, hint: str | None = None) -> str:
    """ "uk", "ru" or "en" for ``text``; refuses (ArticleError) a text that is surely in another language.

    ``hint`` (a page's declared language, "uk-UA") decides only when the text is too short to tell.
    """
    sample = text[:_SAMPLE_CHARS]
    ranking = [(str(language), float(p)) for language, p in _identifier().rank(sample)]
    top, probability = ranking[0]
    words = len(sample.split())
    if top in SUPPORTED_LANGUAGES and (probability >= _SURE or words >= _WORDS_TO_BE_SURE):
        return top
    if top not in SUPPORTED_LANGUAGES and probability >= _SURE and words >= _WORDS_TO_BE_SURE:
        language = LANGUAGE_NAMES.get(top, top)
        raise ArticleError(
            f"{name}: the article is in {language} ({top}, {probability:.0%} sure); "
            "the reader handles Ukrainian, Russian and English"
        )
    hinted = (hint or "").split("-")[0].lower()
    if hinted in SUPPORTED_LANGUAGES:
        return hinted
    return max((p, language) for language, p in ranking if language in SUPPORTED_LANGUAGES)[1]
