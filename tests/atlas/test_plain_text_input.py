"""No text field takes a control character: the admin, the record loader and the import commands all refuse one,
naming the field and the character, and store nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.db.models import CharField, TextField
from django.test import Client

from accounts import sign_in
from admin_form import form_values
from lestweforget.atlas.demo import RecordFileError, load_record_file
from lestweforget.atlas.models import Site
from lestweforget.atlas.validators import validate_plain_text
from lestweforget.cli import main

SITE = "izium-mass-burial-site"


def test_every_text_field_of_every_model_of_the_project_refuses_control_characters() -> None:
    fields = [
        (model._meta.label, field.name)
        for model in apps.get_models()
        if model._meta.app_config.name.startswith("lestweforget.")
        for field in model._meta.get_fields()
        if isinstance(field, CharField | TextField)
    ]
    assert ("atlas.Site", "summary_en") in fields and ("photos.DiaryEntry", "waypoint_name_en") in fields
    missing = [
        (label, name)
        for label, name in fields
        if validate_plain_text not in apps.get_model(label)._meta.get_field(name).validators
    ]
    assert missing == []


@pytest.fixture
def editor(db: None) -> Client:
    user = User.objects.create_superuser("editor", "editor@example.org", "a long passphrase 1")
    return sign_in(Client(), user)


def test_the_admin_refuses_a_summary_pasted_from_word_and_keeps_the_stored_one(demo: object, editor: Client) -> None:
    site = Site.objects.get(slug=SITE)
    before = site.summary_en
    url = f"/admin/atlas/site/{site.pk}/change/"
    data = form_values(editor.get(url).content.decode(), "site_form")
    data["summary_en"] = ["First line\x0bsecond line"]
    response = editor.post(url, data)
    assert response.status_code == 200  # the form again, with the error
    page = response.content.decode()
    assert "control character U+000B at character 11 (after “First line”)" in page
    site.refresh_from_db()
    assert site.summary_en == before


def test_the_admin_saves_the_same_form_without_the_character(demo: object, editor: Client) -> None:
    site = Site.objects.get(slug=SITE)
    url = f"/admin/atlas/site/{site.pk}/change/"
    data = form_values(editor.get(url).content.decode(), "site_form")
    data["summary_en"] = ["First line\nsecond line"]
    response = editor.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    site.refresh_from_db()
    assert site.summary_en == "First line\nsecond line"


def test_the_record_loader_refuses_a_control_character_naming_the_entry(db: None, tmp_path: Path) -> None:
    record = tmp_path / "record.yaml"
    # YAML's own escapes let a file carry one; a raw one is refused by the YAML reader already.
    record.write_text(
        'sources: [{key: s, title: "Title\\vwith a tab"}]\nsettlements: []\nsites: []\nevents: []\n',
        encoding="utf-8",
    )
    with pytest.raises(RecordFileError, match=r"source 's': .*control character U\+000B at character 6"):
        load_record_file(record)


def test_import_refuses_a_diary_title_or_author_with_a_control_character_before_importing(
    demo: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    photo = tmp_path / "empty-folder"
    photo.mkdir()
    code = main(["import", "photos", str(photo), "--site", SITE, "--diary", "Walk\x07"])
    assert code == 2
    assert "control character U+0007 at character 5" in capsys.readouterr().err
    code = main(["import", "photos", str(photo), "--site", SITE, "--author", "Team\x1b"])
    assert code == 2
    assert "--author 'Team\\x1b': contains the control character U+001B" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("character", "code"),
    [("\u202e", "U+202E"), ("\u200b", "U+200B"), ("\u2066", "U+2066"), ("\ufeff", "U+FEFF")],
)
def test_the_record_loader_refuses_a_bidi_override_or_zero_width_character(
    db: None, tmp_path: Path, character: str, code: str
) -> None:
    record = tmp_path / "bidi.yaml"
    # Written raw: the YAML reader takes these printable-class characters as they are.
    record.write_text(
        f'sources: [{{key: s, title: "Title{character}here"}}]\nsettlements: []\nsites: []\nevents: []\n',
        encoding="utf-8",
    )
    with pytest.raises(
        RecordFileError, match=rf"source 's': .*control character {code[:2]}\+{code[2:]} at character 6"
    ):
        load_record_file(record)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("site:\n  - slug: a\n", r"unknown key\(s\) 'site'; a record file holds only sources, claim_subjects, "),
        ("sites: []\nevent: []\n", r"unknown key\(s\) 'event'"),
        ("Sources: []\nsetlements: []\n", r"unknown key\(s\) 'Sources', 'setlements'"),
    ],
)
def test_a_record_file_with_an_unknown_key_is_refused_naming_it(
    db: None, tmp_path: Path, text: str, message: str
) -> None:
    record = tmp_path / "record.yaml"
    record.write_text(text, encoding="utf-8")
    with pytest.raises(RecordFileError, match=message):
        load_record_file(record)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("sites:\n  - slug: a\n   title: b\n", "line 3, column 4: while parsing a block collection: expected"),
        ("sources: [\n", "line 2, column 1"),
        ('sites: "unclosed\n', "line 2, column 1"),
    ],
)
def test_a_yaml_syntax_error_is_one_line_with_where(
    db: None, tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, where: str
) -> None:
    record = tmp_path / "record.yaml"
    record.write_text(text, encoding="utf-8")
    assert main(["load", str(record)]) == 2
    err = capsys.readouterr().err
    assert "not valid YAML (" in err and where in err
    assert "\\x0a" not in err
