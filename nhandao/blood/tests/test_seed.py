"""The demo's blood donation: history with repeat donors, coming drives, a drive under way."""

from nhandao.blood import selectors
from nhandao.blood.models import Donation, Donor, Drive, Target
from nhandao.people.selectors import visible_people


def test_the_demo_has_years_of_donations_with_repeat_donors_and_coming_drives(seeded_city, db):
    assert Donation.objects.count() > 2000
    assert Donor.objects.filter(donation_count__gte=5).exists()  # honours lists are not empty
    assert Donor.objects.filter(donation_count__gte=20).exists()  # platelet donors reach high bands
    assert Drive.objects.filter(status="planned").count() >= 5
    assert Target.objects.exists()
    for donor in Donor.objects.filter(donation_count__gt=0).order_by("pk")[:200]:
        assert donor.donations.count() == donor.donation_count


def test_blood_donors_stay_out_of_the_people_registry_lists(seeded_city, db):
    from nhandao.accounts.models import User

    admin = User.objects.get(username="admin.thanhpho")
    only_donors = Donor.objects.filter(person__roles__isnull=True).values("person")
    assert not visible_people(admin).filter(pk__in=only_donors).exists()
    assert selectors.honours(admin, Donation.objects.latest("donated_on").donated_on.year)


def test_the_demo_has_honours_awarded_partner_targets_and_reminders(seeded_city, db):
    from nhandao.messaging.models import Message
    from nhandao.people.models import Award

    assert Award.objects.filter(title__startswith="Hiến máu tình nguyện").exists()
    assert Target.objects.filter(unit__branch_type__in=["school", "agency"]).exists()
    assert Message.objects.filter(purpose="blood.donor_reminder").exists()
