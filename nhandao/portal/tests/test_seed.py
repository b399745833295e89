"""The portal's demo step gives every public campaign its Decree 93 disclosure and a document."""

from __future__ import annotations

import io

from nhandao.campaigns.models import Campaign
from nhandao.core.seeding import SeedContext


def test_seed_discloses_every_public_campaign(client, portal, settings, tmp_path):
    from nhandao.portal import seed

    settings.MEDIA_ROOT = tmp_path
    Campaign.objects.filter(pk=portal.campaign.pk).update(eligibility="", mobilisation_reference="")
    seed.run(SeedContext(scale="small", seed=2025, stdout=io.StringIO()))
    campaign = Campaign.objects.get(pk=portal.campaign.pk)
    assert campaign.eligibility and campaign.mobilisation_reference and campaign.mobilisation_document
    assert campaign.support_level == "5.000.000 đồng mỗi hộ có nhà bị sập"  # kept as it was
    response = client.get(f"/minh-bach/chien-dich/{campaign.code}/van-ban-van-dong/")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert not Campaign.objects.get(pk=portal.private_campaign.pk).mobilisation_document
