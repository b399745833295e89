"""The address printed in receipts' QR codes is the portal's receipt page, never cached."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_printed_receipt_address_keeps_its_path():
    assert reverse("portal:verify_receipt", args=["ABC123"]) == "/xac-minh/bien-nhan/ABC123/"


def test_the_printed_receipt_address_is_never_cached(client):
    response = client.get("/xac-minh/bien-nhan/ABC123/")
    assert response.status_code == 404
    assert "no-cache" in response["Cache-Control"]
    assert "no-cache" not in client.get("/minh-bach/bien-nhan/ABC123/").get("Cache-Control", "")
