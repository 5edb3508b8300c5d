"""`manage.py qr_posters`: a station's deputies' posters as PDF files, for printing in bulk."""

import pytest
from django.core.management import CommandError, call_command

from lianxin.deputies.services import deputy_create


def test_writes_one_poster_per_active_deputy_of_the_station(world, tmp_path, far_deputy):
    second = deputy_create(name="张晓红", station=world.station1)
    retired = deputy_create(name="退休代表", station=world.station1)
    retired.active = False
    retired.save(update_fields=["active"])

    call_command("qr_posters", station="s1", out=str(tmp_path / "out"), base_url="https://lianxin.example.org")

    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert files == sorted([f"{world.deputy.qr_token}-王代表.pdf", f"{second.qr_token}-张晓红.pdf"])
    assert all((tmp_path / "out" / name).read_bytes().startswith(b"%PDF") for name in files)


def test_uses_site_url_when_no_base_url_is_given(world, tmp_path, settings):
    settings.SITE_URL = "https://lianxin.example.org/"

    call_command("qr_posters", "--station", "s2", "--out", str(tmp_path))

    assert list(tmp_path.iterdir()) == []  # station 2 has no deputies: nothing written, no error


def test_unknown_station_is_a_clear_error(world, tmp_path):
    with pytest.raises(CommandError, match="nosuch"):
        call_command("qr_posters", station="nosuch", out=str(tmp_path), base_url="https://x.example.org")


def test_without_a_base_url_the_command_refuses(world, tmp_path, settings):
    settings.SITE_URL = ""

    with pytest.raises(CommandError):
        call_command("qr_posters", station="s1", out=str(tmp_path))
    assert list(tmp_path.iterdir()) == []


def test_names_that_look_like_paths_stay_inside_the_folder(world, tmp_path):
    odd = deputy_create(name="../王/代表", station=world.station2)

    call_command("qr_posters", station="s2", out=str(tmp_path), base_url="https://lianxin.example.org")

    assert [p.name for p in tmp_path.iterdir()] == [f"{odd.qr_token}-王_代表.pdf"]
