"""Fixtures of the QR code pages: logged-in clients, poppler tools, a deputy of station 2."""

import shutil
import subprocess
from xml.etree import ElementTree

import pytest
from django.test import Client

from lianxin.deputies.services import deputy_create


@pytest.fixture
def as_user():
    """A client logged in as `user`, reading the English msgids (they survive the catalogue)."""

    def login(user) -> Client:
        client = Client(headers={"accept-language": "en"})
        client.force_login(user)
        return client

    return login


@pytest.fixture
def far_deputy(world):
    """A deputy of the other town's station: outside station 1's and town 1's scope."""
    return deputy_create(name="李代表", station=world.station2)


def poppler(tool: str, *args: str) -> str:
    """Run a poppler-utils tool (pdfinfo, pdffonts, pdftotext); skip when it is not installed."""
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} (poppler-utils) is not installed")
    return subprocess.run([tool, *args], check=True, capture_output=True, text=True, timeout=60).stdout


def svg_root(content: bytes) -> ElementTree.Element:
    return ElementTree.fromstring(content)  # noqa: S314 (our own output)
