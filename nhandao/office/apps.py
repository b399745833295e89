from django.apps import AppConfig


class OfficeConfig(AppConfig):
    """The staff's office: home page, job and import pages, the menu, the demo data command.

    It sits above `org` (it needs the organisation tree and the scopes); no app imports it,
    while core, the ground floor, imports no app at all.  It has no models (Job and
    ImportBatch are core's), so nothing of it shows in the admin."""

    name = "nhandao.office"
    label = "office"
