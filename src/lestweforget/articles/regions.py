"""Ukraine's first-level divisions: 24 oblasts, the Autonomous Republic of Crimea and the two cities with
special status, under the GeoNames admin1 codes ("UA.07" is Kharkiv oblast) that the gazetteer's places carry.

Names: the official English form (Cabinet of Ministers resolution 55 of 2010 romanisation), the Ukrainian and
Russian adjectives that name an oblast with "область" (masculine lemma, as a morphological analyser returns
it), the regional "-щина" names and older spellings still common in reporting. The centre is the oblast's
administrative centre by its GeoNames name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class Region:
    """A first-level division. ``adjectives``: lemmas used with "область"/"oblast"; ``names``: standalone names."""

    code: str
    name_en: str
    name_uk: str
    name_ru: str
    centre: str
    adjectives: tuple[str, ...]
    names: tuple[str, ...] = ()


REGIONS: Final = (
    Region(
        "01",
        "Cherkasy",
        "Черкаська",
        "Черкасская",
        "Cherkasy",
        ("черкаський", "черкасский", "cherkasy"),
        ("черкащина", "cherkashchyna"),
    ),
    Region(
        "02",
        "Chernihiv",
        "Чернігівська",
        "Черниговская",
        "Chernihiv",
        ("чернігівський", "черниговский", "chernihiv", "chernigov"),
        ("чернігівщина", "черниговщина", "chernihivshchyna"),
    ),
    Region(
        "03",
        "Chernivtsi",
        "Чернівецька",
        "Черновицкая",
        "Chernivtsi",
        ("чернівецький", "черновицкий", "chernivtsi"),
        ("буковина", "bukovyna", "bukovina"),
    ),
    Region(
        "04",
        "Dnipropetrovsk",
        "Дніпропетровська",
        "Днепропетровская",
        "Dnipro",
        ("дніпропетровський", "днепропетровский", "dnipropetrovsk", "dnipro", "dnepropetrovsk"),
        ("дніпропетровщина", "днепропетровщина", "dnipropetrovshchyna"),
    ),
    Region(
        "05",
        "Donetsk",
        "Донецька",
        "Донецкая",
        "Donetsk",
        ("донецький", "донецкий", "donetsk"),
        ("донеччина", "донетчина", "donechchyna"),
    ),
    Region(
        "06",
        "Ivano-Frankivsk",
        "Івано-Франківська",
        "Ивано-Франковская",
        "Ivano-Frankivsk",
        ("івано-франківський", "ивано-франковский", "ivano-frankivsk"),
        ("прикарпаття", "прикарпатье", "prykarpattia"),
    ),
    Region(
        "07",
        "Kharkiv",
        "Харківська",
        "Харьковская",
        "Kharkiv",
        ("харківський", "харьковский", "kharkiv", "kharkov"),
        ("харківщина", "харьковщина", "kharkivshchyna", "слобожанщина"),
    ),
    Region(
        "08",
        "Kherson",
        "Херсонська",
        "Херсонская",
        "Kherson",
        ("херсонський", "херсонский", "kherson"),
        ("херсонщина", "khersonshchyna"),
    ),
    Region(
        "09",
        "Khmelnytskyi",
        "Хмельницька",
        "Хмельницкая",
        "Khmelnytskyi",
        ("хмельницький", "хмельницкий", "khmelnytskyi", "khmelnytsky"),
        ("хмельниччина", "хмельнитчина", "khmelnychchyna", "поділля", "подолье"),
    ),
    Region(
        "10",
        "Kirovohrad",
        "Кіровоградська",
        "Кировоградская",
        "Kropyvnytskyi",
        ("кіровоградський", "кировоградский", "kirovohrad", "kirovograd"),
        ("кіровоградщина", "кировоградщина", "kirovohradshchyna"),
    ),
    Region(
        "11",
        "Crimea",
        "Автономна Республіка Крим",
        "Автономная Республика Крым",
        "Simferopol",
        ("кримський", "крымский", "crimea", "crimean"),
        ("крим", "крым", "crimea", "krym"),
    ),
    Region("12", "Kyiv City", "Київ", "Киев", "Kyiv", (), ()),
    Region(
        "13",
        "Kyiv",
        "Київська",
        "Киевская",
        "Kyiv",
        ("київський", "киевский", "kyiv", "kiev"),
        ("київщина", "киевщина", "kyivshchyna"),
    ),
    Region(
        "14",
        "Luhansk",
        "Луганська",
        "Луганская",
        "Luhansk",
        ("луганський", "луганский", "luhansk", "lugansk"),
        ("луганщина", "luhanshchyna"),
    ),
    Region(
        "15",
        "Lviv",
        "Львівська",
        "Львовская",
        "Lviv",
        ("львівський", "львовский", "lviv", "lvov"),
        ("львівщина", "львовщина", "lvivshchyna"),
    ),
    Region(
        "16",
        "Mykolaiv",
        "Миколаївська",
        "Николаевская",
        "Mykolayiv",
        ("миколаївський", "николаевский", "mykolaiv", "mykolayiv", "nikolaev"),
        ("миколаївщина", "николаевщина", "mykolaivshchyna"),
    ),
    Region(
        "17",
        "Odesa",
        "Одеська",
        "Одесская",
        "Odesa",
        ("одеський", "одесский", "odesa", "odessa"),
        ("одещина", "одесщина", "odeshchyna"),
    ),
    Region(
        "18",
        "Poltava",
        "Полтавська",
        "Полтавская",
        "Poltava",
        ("полтавський", "полтавский", "poltava"),
        ("полтавщина", "poltavshchyna"),
    ),
    Region(
        "19",
        "Rivne",
        "Рівненська",
        "Ровенская",
        "Rivne",
        ("рівненський", "ровенский", "rivne", "rovno"),
        ("рівненщина", "ровенщина", "rivnenshchyna"),
    ),
    Region("20", "Sevastopol", "Севастополь", "Севастополь", "Sevastopol", (), ()),
    Region("21", "Sumy", "Сумська", "Сумская", "Sumy", ("сумський", "сумской", "sumy"), ("сумщина", "sumshchyna")),
    Region(
        "22",
        "Ternopil",
        "Тернопільська",
        "Тернопольская",
        "Ternopil",
        ("тернопільський", "тернопольский", "ternopil"),
        ("тернопільщина", "тернопольщина", "ternopilshchyna"),
    ),
    Region(
        "23",
        "Vinnytsia",
        "Вінницька",
        "Винницкая",
        "Vinnytsya",
        ("вінницький", "винницкий", "vinnytsia", "vinnytsya"),
        ("вінниччина", "винничина", "vinnychchyna"),
    ),
    Region(
        "24",
        "Volyn",
        "Волинська",
        "Волынская",
        "Lutsk",
        ("волинський", "волынский", "volyn"),
        ("волинь", "волынь", "volyn"),
    ),
    Region(
        "25",
        "Zakarpattia",
        "Закарпатська",
        "Закарпатская",
        "Uzhhorod",
        ("закарпатський", "закарпатский", "zakarpattia", "transcarpathian"),
        ("закарпаття", "закарпатье", "transcarpathia", "zakarpattia"),
    ),
    Region(
        "26",
        "Zaporizhzhia",
        "Запорізька",
        "Запорожская",
        "Zaporizhzhya",
        ("запорізький", "запорожский", "zaporizhzhia", "zaporizhia", "zaporozhye"),
        (),
    ),
    Region(
        "27",
        "Zhytomyr",
        "Житомирська",
        "Житомирская",
        "Zhytomyr",
        ("житомирський", "житомирский", "zhytomyr"),
        ("житомирщина", "zhytomyrshchyna"),
    ),
)

# Historical regions wider than one oblast, named in reporting as places: the code lists the oblasts.
WIDER_REGIONS: Final = {
    "donbas": ("Donbas", ("05", "14"), ("донбас", "донбасс", "donbas", "donbass")),
}

REGIONS_BY_CODE: Final = {region.code: region for region in REGIONS}

# Words that make an adjective or a name an oblast: "Харківська область", "Kharkiv Oblast", "Kharkiv region".
OBLAST_WORDS: Final = frozenset({"область", "обл", "oblast", "region", "province"})
# Adjectives of "oblast" that make the name before them the oblast's: "Kharkiv regional prosecutor's office",
# "Харківська обласна прокуратура", "Донецкой областной администрации".
OBLAST_ADJECTIVES: Final = frozenset({"regional", "обласний", "областной"})
# Words before a name that make it a street's or a city district's, not a settlement's: "вулиця Харківська",
# "район Пески"; and after it: "Kharkiv Street".
STREET_WORDS_BEFORE: Final = frozenset(
    {
        "вулиця",
        "вул",
        "улица",
        "ул",
        "проспект",
        "просп",
        "провулок",
        "пров",
        "переулок",
        "пер",
        "бульвар",
        "площа",
        "площадь",
        "узвіз",
        "шосе",
        "шоссе",
        "район",
        "мікрорайон",
        "микрорайон",
        "квартал",
        "street",
        "avenue",
    }
)
STREET_WORDS_AFTER: Final = frozenset({"street", "avenue", "road", "square", "lane", "st", "ave"})
RAION_WORDS: Final = frozenset({"район", "р-н", "raion", "rayon", "district"})
# Words that mark the next name as a settlement: "с. Виноградне", "село", "місто", "village of".
SETTLEMENT_WORDS: Final = frozenset(
    {
        "м",
        "с",
        "смт",
        "сел",
        "село",
        "селище",
        "місто",
        "город",
        "поселок",
        "посёлок",
        "пгт",
        "деревня",
        "village",
        "town",
        "city",
        "settlement",
    }
)
