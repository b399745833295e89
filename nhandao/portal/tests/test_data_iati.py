"""The IATI 2.03 export validates against the official XSD and uses only codes of the codelists."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from lxml import etree

from nhandao.core.choices import ContentArea
from nhandao.portal.data import iati

IATI_DIR = Path(iati.__file__).resolve().parent.parent / "iati"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Which codelist each coded attribute takes its values from.
CODED = {
    ("iati-activity", XML_LANG): "Language",
    ("iati-activity", "default-currency"): "Currency",
    ("reporting-org", "type"): "OrganisationType",
    ("participating-org", "role"): "OrganisationRole",
    ("participating-org", "type"): "OrganisationType",
    ("activity-status", "code"): "ActivityStatus",
    ("activity-date", "type"): "ActivityDateType",
    ("recipient-country", "code"): "Country",
    ("sector", "code"): "Sector",
    ("transaction-type", "code"): "TransactionType",
    ("value", "currency"): "Currency",
}


@cache
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(IATI_DIR / "iati-activities-schema.xsd")))


@cache
def codelist(name: str) -> frozenset[str]:
    tree = etree.parse(str(IATI_DIR / "codelists" / f"{name}.xml"))
    return frozenset(code.text.strip() for code in tree.iter("code"))


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def check(xml: bytes) -> etree._Element:
    """Parse, validate against the XSD and check every coded value; returns the root."""
    root = etree.fromstring(xml)
    if not schema().validate(root):
        raise AssertionError("\n".join(str(e) for e in schema().error_log))
    for element in root.iter():
        for attribute, value in element.attrib.items():
            name = CODED.get((element.tag, attribute))
            if name:
                assert value in codelist(name), f"{element.tag}/@{attribute}={value} not in {name}"
    return root


def test_a_campaign_activity_is_valid_iati(portal):
    response = Client().get(reverse("portal_data:campaign_iati", args=[portal.campaign.code]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = check(body(response))
    assert root.get("version") == "2.03"
    (activity,) = root.findall("iati-activity")
    assert activity.findtext("iati-identifier") == f"{iati.DEFAULT_ORGANISATION_ID}-{portal.campaign.code}"
    assert activity.get("default-currency") == "VND"
    assert activity.find("reporting-org").get("ref") == iati.DEFAULT_ORGANISATION_ID
    assert activity.find("title/narrative").text == portal.campaign.name
    assert activity.find("activity-status").get("code") == "2"  # open
    roles = {p.get("role") for p in activity.findall("participating-org")}
    assert roles == {"1", "2", "4"}
    types = [t.find("transaction-type").get("code") for t in activity.findall("transaction")]
    assert "1" in types and "3" in types
    incoming = sum(
        int(t.findtext("value"))
        for t in activity.findall("transaction")
        if t.find("transaction-type").get("code") == "1"
    )
    from nhandao.funds.public import campaign_totals

    assert incoming == campaign_totals(portal.campaign).raised_money  # gifts of money, net
    locations = activity.findall("location")
    assert locations and all(loc.get("ref").startswith("VN-") for loc in locations)
    assert activity.find("sector").get("code") == iati.SECTORS[portal.campaign.content_area]


def test_every_public_campaign_is_one_activity(portal):
    root = check(body(Client().get(reverse("portal_data:iati"))))
    identifiers = [a.findtext("iati-identifier") for a in root.findall("iati-activity")]
    assert identifiers == [f"{iati.DEFAULT_ORGANISATION_ID}-{portal.campaign.code}"]


@override_settings(NHANDAO_IATI_ORGANISATION_ID="XM-DAC-00-1")
def test_the_organisation_identifier_is_a_setting(portal):
    root = check(body(Client().get(reverse("portal_data:campaign_iati", args=[portal.campaign.code]))))
    assert root.find("iati-activity/iati-identifier").text == f"XM-DAC-00-1-{portal.campaign.code}"


def test_every_content_area_maps_to_a_listed_sector():
    for area in ContentArea:
        assert iati.SECTORS[area] in codelist("Sector")


def test_a_closed_campaign_is_finalised_then_closed(portal):
    import datetime as dt

    campaign = portal.campaign
    campaign.status = "closed"
    campaign.distribution_ends_on = dt.date(2099, 1, 1)
    assert iati.activity_status(campaign, dt.date(2026, 1, 1)) == "3"
    assert iati.activity_status(campaign, dt.date(2099, 1, 2)) == "4"


@pytest.mark.parametrize(
    "xml",
    [
        b'<iati-activities version="2.03"/>',  # no activity at all
        b'<iati-activities version="2.03"><iati-activity><iati-identifier>X</iati-identifier></iati-activity></iati-activities>',
    ],
)
def test_the_schema_really_rejects_invalid_files(xml):
    with pytest.raises(AssertionError):
        check(xml)
