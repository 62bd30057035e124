"""Map points: map links and coordinates written in the text, read by lestweforget.geo."""

from __future__ import annotations

from lestweforget.articles import Link, find_map_points


def test_map_links_and_written_coordinates_become_points() -> None:
    text = (
        "Місце: 49°13′15.3″N 37°14′40.4″E. Також 49°13'15\" пн. ш. 37°14'40\" сх. д. "
        "MGRS 37U CQ 72173 53498, координати: 49.220922, 37.244553."
    )
    links = [
        Link("https://www.openstreetmap.org/?mlat=49.2209&mlon=37.2446#map=16/49.2209/37.2446", "на мапі"),
        Link("https://yandex.ru/maps/?pt=37.244553,49.220922&z=16", "Яндекс"),
        Link("geo:49.4627,36.8605;u=50", "geo"),
        Link("https://t.me/synegubov", "Telegram"),
    ]
    points, unreadable = find_map_points(text, links)
    assert [(p.how, round(p.latitude, 4), round(p.longitude, 4)) for p in points] == [
        ("map link", 49.2209, 37.2446),
        ("map link", 49.2209, 37.2446),
        ("map link", 49.4627, 36.8605),
        ("coordinates in the text", 49.2209, 37.2446),
        ("coordinates in the text", 49.2208, 37.2444),
        ("coordinates in the text", 49.2209, 37.2445),
        ("coordinates in the text", 49.2209, 37.2446),
    ]
    assert unreadable == ()
    assert points[3].text.rstrip(".") == "49°13′15.3″N 37°14′40.4″E"
    assert points[2].uncertainty_m == 50  # the geo: URI's u=50
    assert points[5].read_as == "MGRS"


def test_a_short_map_link_is_kept_as_unreadable_with_the_reason() -> None:
    points, unreadable = find_map_points("No coordinates here.", [Link("https://goo.gl/maps/AbCdEf12345", "map")])
    assert points == ()
    (link,) = unreadable
    assert link.url == "https://goo.gl/maps/AbCdEf12345"
    assert "short link" in link.reason


def test_plain_numbers_are_not_coordinates() -> None:
    points, _ = find_map_points("Between 1.5 and 2.75 km; 447 bodies; version 3.14159.", [])
    assert points == ()


def test_an_mgrs_reference_at_the_end_of_a_sentence() -> None:
    points, unreadable = find_map_points("The site is at MGRS 37U CQ 72173 53498.", [])
    assert [(round(p.latitude, 4), round(p.longitude, 4)) for p in points] == [(49.2209, 37.2445)]
    assert unreadable == ()
