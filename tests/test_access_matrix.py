"""The access matrix: every URL of the site, tried by every demo role of phường Lê Chân against
phường Ngô Quyền's real objects.

Every URL pattern is classified below (`URLS`) as public, for any signed-in user, or scoped to a
unit; a pattern missing from the table (or a name in the table that no longer exists) fails
`test_every_url_pattern_is_classified`, so a new view cannot escape the matrix.

For each scoped pattern the matrix builds the URL from a Ngô Quyền object, and each Lê Chân role
requests it with GET, with a POST carrying the form its owner would submit (harvested from the page
a Ngô Quyền officer sees) and with an empty POST.  Each answer must be a refusal (403, 404, 405, a
redirect to the login page) or a page that shows none of the victims' distinguishing strings, and
no request may change a row (counts of every table, the object's own row).  The create forms'
query-string pre-fills (`?donor=`, `?fund=`, `?nha-tai-tro=`, `?don-vi=`…) are tried with the
victims' ids too.

The attackers are the demo's five Lê Chân logins, one per commune role: quanly.lechan (unit
manager), nhaplieu.lechan (data entry), ketoan.lechan (finance officer), duyetchi.lechan (finance
approver) and xem.lechan (viewer).  The demo's inspector (kiemtra.thanhpho), like its city admin and
the health department's reporter, holds a city role, whose scope is the whole city: Ngô Quyền is
inside it, so it is no attacker.  `test_the_attackers_are_every_role_scoped_to_lechan` fails if the
demo gains a commune-scoped role (a commune inspector, say) that the matrix does not try.

The city is the session's `seeded_city` (root conftest: the demo seeded once per test database); the
Ngô Quyền objects the demo seeds only for Lê Chân are added on top of it once for the module, inside
a savepoint rolled back at the module's end, and every request runs in a savepoint of its own.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.forms.models import model_to_dict
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

PUBLIC, SIGNED_IN, SCOPED = "public", "signed_in", "scoped"
ATTACKERS = ["quanly.lechan", "nhaplieu.lechan", "ketoan.lechan", "duyetchi.lechan", "xem.lechan"]
LOGIN_PATH = "/tai-khoan/dang-nhap/"


@dataclass(frozen=True)
class Url:
    kind: str
    # URL kwarg -> victim key (resolved from the seeded city); a `Lit` is passed as is.
    args: dict = field(default_factory=dict)
    # The object whose row must not change (a victim key); defaults to the first arg's victim.
    guards: str | None = None
    # Public GETs that answer something other than 200 by design (a redirect, 405).
    public_status: tuple[int, ...] = (200,)


@dataclass(frozen=True)
class Lit:
    value: str


def public(status=(200,), **args) -> Url:
    return Url(PUBLIC, args, public_status=status)


def signed_in() -> Url:
    return Url(SIGNED_IN)


def scoped(**args) -> Url:
    return Url(SCOPED, args)


# Every named URL of the site.  Django's admin is classified as a group (ADMIN_NAMESPACE).
URLS: dict[str, Url] = {
    # core
    "office:home": public(),  # the landing page for visitors, the dashboard once signed in
    "office:healthz": public(),
    "office:job": scoped(pk="job"),
    "office:job_progress": scoped(pk="job"),
    "office:job_retry": scoped(pk="job"),
    "office:import_batch": scoped(pk="import_batch"),
    "office:import_commit": scoped(pk="import_batch"),
    "office:import_discard": scoped(pk="import_batch"),
    "office:import_problems": scoped(pk="import_batch"),
    "office:import_upload": scoped(kind=Lit("nguoi")),
    "office:import_template": scoped(kind=Lit("nguoi")),
    # The search-as-you-type lists (core.search): each source finds in the caller's scope only.
    "office:search": scoped(source=Lit("nguoi")),
    # accounts
    "accounts:login": public(),
    "accounts:logout": public(status=(405,)),
    "accounts:password_change": signed_in(),
    "accounts:users": scoped(),
    "accounts:user_create": scoped(),
    "accounts:user": scoped(pk="user"),
    "accounts:user_unlock": scoped(pk="user"),
    "accounts:user_sign_out_everywhere": scoped(pk="user"),
    "accounts:sign_out_everywhere": signed_in(),  # ends the caller's own sessions
    # Two-factor sign-in (issue 16, point 1): the caller's own steps; a user manager's reset.
    "accounts:otp_verify": signed_in(),
    "accounts:otp_enrol": signed_in(),
    "accounts:user_otp_reset": scoped(pk="user"),
    "set_language": public(status=(302,)),
    # org
    "org:tree": scoped(),
    "org:unit": scoped(pk="unit"),
    "org:unit_children": scoped(pk="unit"),
    "org:unit_create": scoped(pk="unit"),
    "org:unit_edit": scoped(pk="unit"),
    "org:unit_move": scoped(pk="unit"),
    "org:unit_merge": scoped(pk="branch"),
    "org:unit_close": scoped(pk="branch"),
    "org:role_assign": scoped(pk="unit"),
    "org:role_revoke": scoped(pk="role_assignment"),
    "org:agencies": scoped(),
    "org:agency_create": scoped(),
    "org:agency": scoped(pk="agency"),
    "org:agency_close": scoped(pk="agency"),
    "org:audit": scoped(),
    "org:audit_event": scoped(pk="audit_event"),
    # people
    "people:list": scoped(),
    "people:export": scoped(),
    "people:create": scoped(),
    "people:duplicates": scoped(),
    "people:person": scoped(pk="person"),
    "people:edit": scoped(pk="person"),
    "people:role_add": scoped(pk="person"),
    "people:dues_add": scoped(pk="person"),
    "people:hours_add": scoped(pk="person"),
    "people:award_add": scoped(pk="person"),
    "people:club_join": scoped(pk="person"),
    "people:merge": scoped(pk="person"),
    "people:role_status": scoped(pk="member_role"),
    "people:card": scoped(pk="member_role"),
    "people:card_reissue": scoped(pk="member_role"),
    "people:card_verify": public(token="card_token"),
    "people:dues": scoped(),
    "people:dues_rate": scoped(),
    "people:clubs": scoped(),
    "people:club_create": scoped(),
    "people:club": scoped(pk="club"),
    "people:club_member_leave": scoped(pk="club_member"),
    "people:trainings": scoped(),
    "people:training_create": scoped(),
    "people:course_create": scoped(),
    "people:training": scoped(pk="training"),
    "people:certificates": scoped(),
    "people:rules": scoped(),
    # messaging: the outbox pages, and the public one-click unsubscribe link (its signed token is the
    # recipient's capability: a holder may stop that purpose; the generic POST lacks the button)
    "messaging:messages": scoped(),
    "messaging:message": scoped(pk="message"),
    "messaging:unsubscribe": public(token="unsubscribe_token"),
    # beneficiaries
    "beneficiaries:cases": scoped(),
    "beneficiaries:case_export": scoped(),
    "beneficiaries:case_create": scoped(),
    "beneficiaries:duplicates": scoped(),
    "beneficiaries:bulk_step": scoped(),
    "beneficiaries:case": scoped(pk="case"),
    "beneficiaries:case_edit": scoped(pk="case"),
    "beneficiaries:case_print": scoped(pk="case"),
    "beneficiaries:member_add": scoped(pk="case"),
    "beneficiaries:category_add": scoped(pk="case"),
    "beneficiaries:consent_add": scoped(pk="case"),
    "beneficiaries:case_step": scoped(pk="case", step=Lit("dong")),
    "beneficiaries:help_create": scoped(pk="case"),
    "beneficiaries:commitment_create": scoped(pk="case"),
    "beneficiaries:case_merge": scoped(pk="case"),
    "beneficiaries:member_leave": scoped(pk="case_member"),
    "beneficiaries:member_set_head": scoped(pk="case_member"),
    "beneficiaries:category_end": scoped(pk="case_category"),
    "beneficiaries:consent_withdraw": scoped(pk="consent"),
    "beneficiaries:help_list": scoped(),
    "beneficiaries:help_export": scoped(),
    "beneficiaries:help": scoped(pk="help"),
    "beneficiaries:help_cancel": scoped(pk="help"),
    "beneficiaries:evidence_upload": scoped(pk="help"),
    "beneficiaries:evidence": scoped(pk="evidence"),
    "beneficiaries:commitments": scoped(),
    "beneficiaries:commitment": scoped(pk="commitment"),
    "beneficiaries:commitment_deliver": scoped(pk="commitment"),
    "beneficiaries:commitment_end": scoped(pk="commitment"),
    "beneficiaries:follow_up_book": scoped(pk="commitment"),
    "beneficiaries:sponsors": scoped(),
    "beneficiaries:sponsor_create": scoped(),
    "beneficiaries:sponsor": scoped(pk="sponsor"),
    "beneficiaries:sponsor_edit": scoped(pk="sponsor"),
    "beneficiaries:statistics": scoped(),
    "beneficiaries:settings": scoped(),
    "beneficiaries:category_create": scoped(),
    "beneficiaries:category_edit": scoped(pk="category"),
    # campaigns
    "campaigns:list": scoped(),
    "campaigns:create": scoped(),
    "campaigns:detail": scoped(pk="campaign"),
    "campaigns:edit": scoped(pk="campaign"),
    "campaigns:open": scoped(pk="campaign"),
    "campaigns:close": scoped(pk="campaign"),
    "campaigns:document": scoped(pk="campaign"),
    # funds
    "funds:bank_accounts": scoped(),
    "funds:bank_accounts_moved": public(status=(301,)),  # the fund's former list, /ngan-hang/
    "funds:bank_account_create": scoped(),
    "funds:bank_account_toggle": scoped(pk="bank_account"),
    "funds:bank_account_confirm": scoped(pk="bank_account"),  # issue 15: a declared account confirmed
    "funds:funds": scoped(),
    "funds:fund_create": scoped(),
    "funds:fund": scoped(pk="fund"),
    "funds:fund_movements_xlsx": scoped(pk="fund"),
    "funds:fund_close": scoped(pk="fund"),
    "funds:account": scoped(pk="ledger_account"),
    "funds:donations": scoped(),
    "funds:donation_create": scoped(),
    "funds:donation": scoped(pk="donation"),
    "funds:receipt": scoped(pk="donation"),
    "funds:receipt_pdf": scoped(pk="donation"),
    "funds:donation_reverse": scoped(pk="donation"),
    "funds:donation_display": scoped(pk="donation"),
    "funds:donation_apply": scoped(pk="donation"),
    "funds:donation_attach": scoped(pk="donation"),
    "funds:disbursement_attach": scoped(pk="disbursement"),
    "funds:pledge_attach": scoped(pk="pledge"),
    "funds:attachment": scoped(pk="attachment"),
    "funds:donors": scoped(),
    "funds:donor_create": scoped(),
    "funds:donor": scoped(pk="donor"),
    "funds:donor_edit": scoped(pk="donor"),
    "funds:pledges": scoped(),
    "funds:pledge_create": scoped(),
    "funds:pledge": scoped(pk="pledge"),
    "funds:pledge_cancel": scoped(pk="pledge"),
    "funds:disbursements": scoped(),
    "funds:disbursement_create": scoped(),
    "funds:disbursement": scoped(pk="disbursement"),
    "funds:disbursement_approve": scoped(pk="disbursement"),
    "funds:disbursement_reject": scoped(pk="disbursement"),
    "funds:disbursement_withdraw": scoped(pk="disbursement"),
    "funds:disbursement_reverse": scoped(pk="disbursement"),
    "funds:postings": scoped(),
    "funds:posting": scoped(pk="posting"),
    "funds:posting_reverse": scoped(pk="posting"),
    "funds:digests": scoped(),
    "portal:verify_receipt": public(code="receipt_code"),
    # relief: incidents, field reports, stock, distributions
    "relief:incidents": scoped(),
    "relief:incident_create": scoped(),
    "relief:incident": scoped(pk="relief_incident"),
    "relief:sitrep": scoped(pk="relief_incident"),
    "relief:incident_edit": scoped(pk="relief_incident"),
    "relief:area_set": scoped(pk="relief_incident"),
    "relief:report_create": scoped(pk="relief_incident"),
    "relief:commune_history": scoped(pk="relief_incident", commune="unit"),
    "relief:distribution_create": scoped(pk="relief_incident"),
    "relief:warehouses": scoped(),
    "relief:warehouse_create": scoped(),
    "relief:warehouse": scoped(pk="relief_warehouse"),
    "relief:receipt_create": scoped(pk="relief_warehouse"),
    "relief:issue_create": scoped(pk="relief_warehouse"),
    "relief:transfer_create": scoped(pk="relief_warehouse"),
    "relief:count_create": scoped(pk="relief_warehouse"),
    "relief:receipt": scoped(pk="relief_receipt"),
    "relief:issue": scoped(pk="relief_issue"),
    "relief:transfer": scoped(pk="relief_transfer"),
    "relief:count": scoped(pk="relief_count"),
    "relief:count_decide": scoped(pk="relief_count"),
    "relief:items": scoped(),
    "relief:item_create": scoped(),
    "relief:packages": scoped(),
    "relief:package_create": scoped(),
    "relief:distribution": scoped(pk="relief_distribution"),
    "relief:distribution_fill": scoped(pk="relief_distribution"),
    "relief:distribution_close": scoped(pk="relief_distribution"),
    "relief:distribution_print": scoped(pk="relief_distribution"),
    "relief:recipient_confirm": scoped(pk="relief_recipient"),
    # relief (issue 18, points 1, 6, 7, 8): preparedness, deployments, sitrep files, on-the-spot registration
    "relief:sitrep_docx": scoped(pk="relief_incident"),
    "relief:sitrep_pdf": scoped(pk="relief_incident"),
    "relief:preparedness": scoped(),
    "relief:team_create": scoped(),
    "relief:team": scoped(pk="relief_team"),
    "relief:hazards": scoped(),
    "relief:hazard_set": scoped(),
    "relief:drills": scoped(),
    "relief:drill_create": scoped(),
    "relief:readiness": scoped(),
    "relief:readiness_set": scoped(commune="unit"),
    "relief:deployments": scoped(pk="relief_incident"),
    "relief:deployment_create": scoped(pk="relief_incident"),
    "relief:deployment": scoped(pk="relief_deployment"),
    "relief:deployment_hours": scoped(pk="relief_deployment"),
    "relief:recipient_register": scoped(pk="relief_distribution"),
    # banking
    "banking:vietqr": signed_in(),
    "banking:vietqr_png": signed_in(),
    "banking:statement_preview": signed_in(),
    "banking:mappings": scoped(),
    "banking:mapping_create": scoped(),
    "banking:mapping_edit": scoped(pk="mapping"),
    "banking:mapping_delete": scoped(pk="mapping"),
    "banking:account": scoped(pk="bank_account"),
    "banking:upload": scoped(pk="bank_account"),
    "banking:queue": scoped(pk="bank_account"),
    "banking:rematch": scoped(pk="bank_account"),
    "banking:rules": scoped(pk="bank_account"),
    "banking:reconcile": scoped(pk="bank_account"),
    "banking:account_vietqr": scoped(pk="bank_account"),
    "banking:account_vietqr_png": scoped(pk="bank_account"),
    "banking:rule_deactivate": scoped(pk="rule"),
    "banking:import": scoped(pk="statement_import"),
    "banking:import_commit": scoped(pk="statement_import"),
    "banking:import_discard": scoped(pk="statement_import"),
    "banking:import_confirm_other_account": scoped(pk="statement_import"),
    "banking:import_problems": scoped(pk="statement_import"),
    "banking:problem": scoped(pk="statement_problem"),
    "banking:line": scoped(pk="statement_line"),
    "banking:reference_vietqr": scoped(reference="qr_reference"),
    "banking:reference_vietqr_png": scoped(reference="qr_reference"),
    "banking:campaign_vietqr": scoped(pk="campaign"),
    "banking:campaign_vietqr_png": scoped(pk="campaign", account="bank_account"),
    "banking:pledge_vietqr": scoped(pk="pledge"),
    # plans: the plan and the rounds are the city's (a commune reads them, its own reports only)
    "plans:plans": scoped(),
    "plans:plan_create": scoped(),
    "plans:plan": scoped(pk="plan"),
    "plans:duty_create": scoped(pk="plan"),
    "plans:plan_copy": scoped(pk="plan"),
    "plans:round_create": scoped(pk="plan"),
    "plans:rounds": scoped(),
    "plans:round": scoped(pk="plan_round"),
    "plans:round_close": scoped(pk="plan_round"),
    "plans:round_xlsx": scoped(pk="plan_round"),
    "plans:document_generate": scoped(pk="plan_round"),
    "plans:document_issue": scoped(pk="city_document"),
    "plans:document": scoped(pk="city_document"),
    "plans:reports": scoped(),
    "plans:report": scoped(pk="plan_report"),
    "plans:report_figures": scoped(pk="plan_report"),
    "plans:figure_correct": scoped(pk="plan_report"),
    "plans:attachment_add": scoped(pk="plan_report"),
    "plans:report_submit": scoped(pk="plan_report"),
    "plans:report_decide": scoped(pk="plan_report"),
    "plans:report_reopen": scoped(pk="plan_report"),
    "plans:version": scoped(pk="plan_report", number=Lit("1")),
    "plans:attachment": scoped(pk="plan_attachment"),
    # plans, issue 14 points 7–9 (plans3): section II contents, the difficulties and proposals
    # register, inspection and supervision, the leaders' dashboard
    "plans:content_create": scoped(pk="plan"),
    "plans:content_edit": scoped(pk="plan_content"),
    "plans:issues": scoped(),
    "plans:issue": scoped(pk="plan_issue"),
    "plans:issue_respond": scoped(pk="plan_issue"),
    "plans:issue_address": scoped(pk="plan_issue"),
    "plans:inspection_plans": scoped(),
    "plans:inspection_plan": scoped(pk="inspection_plan"),
    "plans:checklist_edit": scoped(pk="inspection_plan"),
    "plans:inspection_create": scoped(pk="inspection_plan"),
    "plans:inspection": scoped(pk="inspection"),
    "plans:inspection_record": scoped(pk="inspection"),
    "plans:recommendation_create": scoped(pk="inspection"),
    "plans:recommendations": scoped(),
    "plans:recommendation": scoped(pk="recommendation"),
    "plans:recommendation_answer": scoped(pk="recommendation"),
    "plans:recommendation_follow_up": scoped(pk="recommendation"),
    "plans:dashboard": scoped(),
    # blood donation: organisers', medical staff's and the public's pages
    "blood:drives": scoped(),
    "blood:drive_create": scoped(),
    "blood:drive": scoped(pk="blood_drive"),
    "blood:drive_move": scoped(pk="blood_drive"),
    "blood:drive_cancel": scoped(pk="blood_drive"),
    "blood:drive_day": scoped(pk="blood_drive"),
    "blood:drive_counter": scoped(pk="blood_drive"),
    "blood:checkin": scoped(pk="blood_drive"),
    "blood:visit": scoped(pk="blood_visit"),
    "blood:visit_screen": scoped(pk="blood_visit"),
    "blood:visit_donation": scoped(pk="blood_visit"),
    "blood:donors": scoped(),
    "blood:donor": scoped(pk="blood_donor"),
    "blood:donor_edit": scoped(pk="blood_donor"),
    "blood:certificate": scoped(pk="blood_donation"),
    "blood:rare": scoped(),
    "blood:honours": scoped(),
    "blood:statistics": scoped(),
    "blood:target_set": scoped(),
    "blood:pledges": scoped(),
    "blood:pledge_create": scoped(),
    "blood:pledge": scoped(pk="blood_pledge"),
    "blood:pledge_withdraw": scoped(pk="blood_pledge"),
    "blood:public_drives": public(),
    "blood:public_drive": public(pk="blood_drive"),
    "blood:public_poster": public(pk="blood_drive"),
    "blood:public_lookup": public(),
    "blood:public_registration": public(code="blood_code"),  # the registrant's page: initials only
    "blood:public_cancel": public(status=(405,)),  # POST with the code in the form
    # personal-data rights and restoring family links (issue 16: nhandao.privacy)
    "privacy:requests": scoped(),
    "privacy:request_create": scoped(),
    "privacy:request": scoped(pk="privacy_request"),
    "privacy:request_act": scoped(pk="privacy_request"),
    "privacy:request_json": scoped(pk="privacy_request"),
    "privacy:request_pdf": scoped(pk="privacy_request"),
    "privacy:public_request": public(),
    "privacy:tracing_cases": scoped(),
    "privacy:tracing_create": scoped(),
    "privacy:tracing_case": scoped(pk="tracing_case"),
    "privacy:tracing_act": scoped(pk="tracing_case"),
    # blood donation (issue 17, remaining points): the donor's own record (code + phone, or the
    # signed link: the token is the proof; the page shows initials, never the name)
    "blood:my_record_lookup": public(),
    "blood:my_record": public(token="blood_token"),
    "blood:my_certificate": public(status=(404,), token="blood_token", pk=Lit(999999)),
    # movements and emulation (issue 19): Ngô Quyền's own movement, criteria, ranking, proposal and
    # good practice model; the city's are every commune's to see
    "movements:list": scoped(),
    "movements:movement_create": scoped(),
    "movements:movement": scoped(pk="movement"),
    "movements:target_set": scoped(pk="movement"),
    "movements:target_formula": scoped(pk="movement"),
    "movements:target_export": scoped(pk="movement"),
    "movements:schemes": scoped(),
    # peer groups and population (issue 19): the list and file are the caller's own units; the
    # edit page of Ngô Quyền's school branch, which only Ngô Quyền and the city place
    "movements:profiles": scoped(),
    "movements:profile_export": scoped(),
    "movements:profile_edit": scoped(pk="movement_school"),
    "movements:scheme_create": scoped(),
    "movements:scheme": scoped(pk="movement_scheme"),
    "movements:scheme_criteria": scoped(pk="movement_scheme"),
    "movements:score_add": scoped(pk="movement_scheme"),
    "movements:ranking_freeze": scoped(pk="movement_scheme"),
    "movements:ranking": scoped(pk="movement_ranking"),
    "movements:proposals": scoped(),
    "movements:proposal_create": scoped(),
    "movements:proposal": scoped(pk="movement_proposal"),
    "movements:proposal_item_add": scoped(pk="movement_proposal"),
    "movements:proposal_fill": scoped(pk="movement_proposal"),
    "movements:proposal_submit": scoped(pk="movement_proposal"),
    "movements:proposal_review": scoped(pk="movement_proposal"),
    "movements:proposal_decide": scoped(pk="movement_proposal"),
    "movements:proposal_docx": scoped(pk="movement_proposal"),
    "movements:practices": scoped(),
    "movements:practice_create": scoped(),
    "movements:practice": scoped(pk="practice"),
    "movements:practice_figure_add": scoped(pk="practice"),
    "movements:practice_file_add": scoped(pk="practice"),
    "movements:practice_file": scoped(pk="practice_file"),
    "movements:adoption_add": scoped(pk="practice"),
    # the public portal and its open data (mounted twice: portal_data:… and portal:portal_data:…)
    "portal:home": public(),
    "portal:ping": public(),
    "portal:funds": public(),
    "portal:search": public(),
    "portal:language": public(status=(302,), lang=Lit("en")),
    "portal:receipt": public(code="receipt_code"),
    "portal:campaign": public(code="public_campaign_code"),
    "portal:gifts": public(code="public_campaign_code"),
    "portal:spending": public(code="public_campaign_code"),
    "portal:report": public(code="public_campaign_code"),
    "portal:report_pdf": public(code="public_campaign_code"),
    "portal:document": public(status=(200, 404), code="public_campaign_code"),
    "portal:vietqr": public(status=(200, 404), code="public_campaign_code"),
    "portal:incident": public(pk="public_incident"),
    # news, stories, the public front and school reports (issue 19: nhandao/stories, portal/front.py)
    "stories:list": scoped(),
    "stories:create": scoped(),
    "stories:detail": scoped(pk="story"),
    "stories:edit": scoped(pk="story"),
    "stories:submit": scoped(pk="story"),
    "stories:publish": scoped(pk="story"),
    "stories:return": scoped(pk="story"),
    "stories:withdraw": scoped(pk="story"),
    "stories:redraft": scoped(pk="story"),
    "stories:image_add": scoped(pk="story"),
    "stories:image": scoped(pk="story_image"),
    "stories:image_remove": scoped(pk="story_image"),
    "stories:schools": scoped(),
    "stories:school_report": scoped(),
    "portal:stories": public(),
    "portal:stories_feed": public(),
    "portal:story": public(pk="public_story"),
    "portal:story_image": public(pk="public_story_image"),
    "portal:press": public(),
}
for _prefix in ("portal_data", "portal:portal_data"):
    URLS.update(
        {
            f"{_prefix}:index": public(),
            f"{_prefix}:digests_json": public(),
            f"{_prefix}:verify_script": public(),
            f"{_prefix}:iati": public(),
            **{
                f"{_prefix}:{name}": public(code="public_campaign_code")
                for name in (
                    "entries_json",
                    "gifts_csv",
                    "gifts_xlsx",
                    "gifts_hxl",
                    "disbursements_csv",
                    "disbursements_xlsx",
                    "disbursements_hxl",
                    "campaign_iati",
                )
            },
        }
    )
ADMIN_NAMESPACE = admin.site.name  # every admin:… pattern: staff only, Django's own checks

# The query-string pre-fills of the create forms and lists (grep request.GET in the views):
# URL name -> {parameter: victim key}.  Each is tried alone, with the victim's id.
PREFILLS: dict[str, dict[str, str]] = {
    "funds:donation_create": {
        "donor": "donor",
        "fund": "fund",
        "pledge": "pledge",
        "campaign": "campaign",
        "unit": "unit",
    },
    "funds:donations": {"fund": "fund", "campaign": "campaign"},
    "funds:disbursement_create": {"fund": "fund"},
    "funds:pledge_create": {"donor": "donor", "fund": "fund", "campaign": "campaign", "unit": "unit"},
    "beneficiaries:cases": {"don-vi": "unit"},
    "beneficiaries:help_list": {"don-vi": "unit"},
    "beneficiaries:case_create": {"don-vi": "unit"},
    "beneficiaries:statistics": {"don-vi": "unit"},
    "people:list": {"don-vi": "unit"},
    "people:create": {"don-vi": "unit"},
    "people:dues": {"don-vi": "unit"},
    "office:import_upload": {"don-vi": "unit"},
    "privacy:request_create": {"nguoi": "person"},  # issue 16
}
# Forms that read their input from GET too (merge: `request.POST or request.GET`): the pre-fill
# names the victim as the *other* record while the page itself is the attacker's own.
OWN_PAGE_PREFILLS: dict[str, tuple[str, dict[str, str]]] = {
    "people:merge": ("own_person", {"other": "person"}),
    "beneficiaries:case_merge": ("own_case", {"other": "case"}),
    "beneficiaries:commitment_create": ("own_case", {"nha-tai-tro": "sponsor"}),
}


# The URL configuration -----------------------------------------------------------------------
def url_patterns(patterns=None, namespace=()):
    """(qualified name, pattern, default kwargs) of every pattern, includes and namespaces walked."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            inner = namespace + ((p.namespace,) if p.namespace else ())
            yield from url_patterns(p.url_patterns, inner)
        elif isinstance(p, URLPattern):
            yield ":".join(namespace + (p.name or f"<unnamed {p.pattern}>",)), p


def classified_names() -> list[str]:
    return [name for name, _p in url_patterns() if not name.startswith(ADMIN_NAMESPACE + ":")]


def test_every_url_pattern_is_classified():
    names = classified_names()
    assert len(names) > 150
    unclassified = sorted(set(names) - set(URLS))
    gone = sorted(set(URLS) - set(names))
    assert not unclassified, f"classify these URL patterns in tests/test_access_matrix.py: {unclassified}"
    assert not gone, f"these classified URL names no longer exist: {gone}"
    assert set(PREFILLS) | set(OWN_PAGE_PREFILLS) <= set(URLS)


def test_the_classification_check_sees_a_new_pattern(monkeypatch):
    """Positive control: a pattern added to the URL configuration shows up as unclassified."""
    from django.http import HttpResponse
    from django.urls import path

    resolver = get_resolver()
    extra = path("matrix-canary/", lambda request: HttpResponse(), name="matrix_canary")
    monkeypatch.setattr(resolver, "url_patterns", [*resolver.url_patterns, extra])
    assert "matrix_canary" in classified_names()
    assert "matrix_canary" not in URLS


# The seeded city and its victims -------------------------------------------------------------
class Rollback(Exception):
    pass


@dataclass
class City:
    objects: dict
    strings: list[str]
    owner: object  # a Ngô Quyền officer holding every commune role (harvests the forms)
    users: dict
    victim_path: str


def _unique_name(model, field: str, inside, others: list[tuple]) -> object:
    """An object of `inside` whose `field` appears in no other row of the given columns."""
    for obj in inside.order_by("pk")[:200]:
        value = getattr(obj, field)
        if not value or len(value) < 8:
            continue
        clash = any(
            m.objects.filter(**{f: value}).exclude(pk=obj.pk if m is model else None).exists()
            for m, f in others
        )
        if not clash:
            return obj
    raise AssertionError(f"no {model.__name__} with a unique {field} in Ngô Quyền")


def _build_victims(users) -> City:
    """Ngô Quyền's objects: the seeded ones, and those the demo seeds only for Lê Chân, built here
    through the services by an officer of Ngô Quyền."""
    from nhandao.accounts import services as account_services
    from nhandao.banking import seed as banking_seed
    from nhandao.banking import services as banking_services
    from nhandao.banking.models import (
        StatementColumnMapping,
        StatementImport,
        StatementLine,
        StatementProblemLine,
    )
    from nhandao.banking.services import imports as statement_imports
    from nhandao.banking.services import qrcodes
    from nhandao.beneficiaries import services as beneficiary_services
    from nhandao.beneficiaries.models import (
        Case,
        CaseCategory,
        Category,
        Commitment,
        Consent,
        HelpRecord,
        Member,
    )
    from nhandao.blood import messages as blood_messages
    from nhandao.blood import services as blood_services
    from nhandao.blood.models import CollectionCentre, Registration
    from nhandao.campaigns import services as campaign_services
    from nhandao.core import audit
    from nhandao.core.access import Role
    from nhandao.core.models import AuditEvent
    from nhandao.funds import services as fund_services
    from nhandao.funds.models import Account, Donation, Donor, Fund, Posting
    from nhandao.messaging import links as message_links
    from nhandao.messaging import services as messaging_services
    from nhandao.office.imports import services as import_services
    from nhandao.org import services as org_services
    from nhandao.org.models import Agency, RoleAssignment, Unit
    from nhandao.people.models import Club, ClubMember, Person, PersonRole, TrainingSession
    from nhandao.plans import services as plan_services
    from nhandao.plans.models import Plan, Report, Round
    from nhandao.privacy import services as privacy_services

    b = Unit.objects.get(name="Hội Chữ thập đỏ phường Ngô Quyền", parent__parent__isnull=True)
    a = Unit.objects.get(name="Hội Chữ thập đỏ phường Lê Chân", parent__parent__isnull=True)
    inside = {"unit__path__startswith": b.path}
    owner = account_services.user_create(
        actor=None,
        username="chu.ngoquyen",
        full_name="Chủ Ngô Quyền",
        password="Zqx-mat-khau-9173",
        email="zqx@example.org",
    )
    for role in (Role.UNIT_MANAGER, Role.DATA_ENTRY, Role.FINANCE_OFFICER):
        org_services.role_assign(actor=None, user=owner, unit=b, role=role, valid_from=dt.date(2025, 7, 1))
    approver = account_services.user_create(
        actor=None,
        username="duyet.ngoquyen",
        full_name="Duyệt Ngô Quyền",
        password="Zqx-mat-khau-9173",
        email="zqx2@example.org",
    )
    org_services.role_assign(
        actor=None, user=approver, unit=b, role=Role.FINANCE_APPROVER, valid_from=dt.date(2025, 7, 1)
    )
    today = dt.date.today()
    o: dict = {"unit": b, "branch": b.children.order_by("pk").first(), "own_unit": a}
    o["role_assignment"] = RoleAssignment.objects.get(user=users["quanly.ngoquyen"], unit=b)
    o["user"] = users["quanly.ngoquyen"]
    o["agency"] = Agency.objects.order_by("pk").first()
    name_columns = [(Person, "full_name"), (Donor, "name"), (Donation, "donor_name")]
    o["person"] = _unique_name(Person, "full_name", Person.objects.filter(**inside), name_columns)
    o["own_person"] = Person.objects.filter(unit__path__startswith=a.path).order_by("pk").first()
    o["member_role"] = PersonRole.objects.filter(**inside, kind="member").exclude(card_token=None).first()
    o["card_token"] = o["member_role"].card_token
    o["club"] = Club.objects.filter(**inside).order_by("pk").first()
    o["club_member"] = ClubMember.objects.filter(club=o["club"]).order_by("pk").first()
    o["training"] = TrainingSession.objects.filter(**inside).order_by("pk").first()
    o["case"] = Case.objects.filter(**inside, status="active").order_by("pk").first()
    o["own_case"] = Case.objects.filter(unit__path__startswith=a.path).order_by("pk").first()
    o["case_member"] = Member.objects.filter(case=o["case"]).exclude(relationship="head").first() or (
        Member.objects.filter(case__unit__path__startswith=b.path).exclude(relationship="head").first()
    )
    o["case_category"] = CaseCategory.objects.filter(case__unit__path__startswith=b.path).first()
    o["consent"] = Consent.objects.filter(case__unit__path__startswith=b.path).first()
    o["help"] = HelpRecord.objects.filter(delivering_unit=b).order_by("pk").first()
    o["commitment"] = Commitment.objects.filter(**inside).order_by("pk").first()
    o["category"] = Category.objects.order_by("pk").first()
    o["fund"] = Fund.objects.get(unit=b, campaign__isnull=True)
    o["ledger_account"] = Account.objects.filter(fund=o["fund"]).order_by("pk").first()
    o["posting"] = Posting.objects.filter(unit=b).order_by("pk").first()

    with audit.via("seed"):
        o["campaign"] = campaign_services.campaign_create(
            actor=owner,
            unit=b,
            name="Vận động Zqx áo ấm Ngô Quyền",
            kind="movement",
            starts_on=today - dt.timedelta(days=30),
            ends_on=today + dt.timedelta(days=60),
            description="Mô tả riêng Zqx-mota",
            is_public=False,
        )
        o["campaign"] = campaign_services.campaign_open(actor=owner, campaign=o["campaign"])
        o["bank_account"] = fund_services.bank_account_create(
            actor=owner,
            unit=b,
            bank_name="VietinBank - Chi nhánh Ngô Quyền",
            bank_bin="970415",
            account_number="108009876543",
            holder="Hoi Chu thap do phuong Ngo Quyen",
        )
        o["donor"] = fund_services.donor_create(
            actor=owner, unit=b, kind="organisation", name="Công ty Zqx Mực Tím", phone="0912345987"
        )
        o["donation"] = fund_services.donation_record(
            actor=owner,
            fund=o["fund"],
            channel="cash",
            amount=7_654_321,
            received_on=today,
            donor=o["donor"],
            donor_name=o["donor"].name,
        )
        # The demo may hold no posting of Ngô Quyền's (it depends on the seed's draws): the gift's own.
        o["posting"] = o["posting"] or Posting.objects.filter(donation=o["donation"]).order_by("pk").first()
        o["pledge"] = fund_services.pledge_record(
            actor=owner, amount=3_456_789, pledged_on=today, fund=o["fund"], donor_name="Bà Zqx Cam Kết"
        )
        o["disbursement"] = fund_services.disbursement_draft(
            actor=owner,
            fund=o["fund"],
            kind="payment",
            purpose="Chi hỗ trợ Zqx-muc-dich",
            amount=1_234_567,
            payee_name="Ông Zqx Nhận Tiền",
            help_kind="cash",
            households=1,
            people=1,
        )
        o["attachment"] = fund_services.attachment_add(
            actor=owner,
            upload=SimpleUploadedFile("zqx.pdf", b"%PDF-1.4 zqx", content_type="application/pdf"),
            donation=o["donation"],
        )
        o["evidence"] = beneficiary_services.evidence_add(
            actor=owner,
            record=o["help"],
            upload=SimpleUploadedFile("zqx.pdf", b"%PDF-1.4 zqx", content_type="application/pdf"),
            kind="receipt",
        )
        o["sponsor"] = beneficiary_services.sponsor_create(
            actor=owner, unit=b, kind="organisation", name="Nhà tài trợ Zqx Sen Hồng"
        )
        o["mapping"] = banking_services.column_mapping_create(
            actor=owner,
            unit=b,
            name="Mẫu cột Zqx Ngô Quyền",
            date_column="Ngày",
            description_columns="Nội dung",
            amount_column="Số tiền",
        )
        o["rule"] = banking_services.rule_create(
            actor=owner,
            bank_account=o["bank_account"],
            query="zqx quy tac rieng",
            target=banking_services.matching.Target("campaign", campaign=o["campaign"]),
        )
        when = dt.datetime.combine(today - dt.timedelta(days=2), dt.time(9, 0))
        rows = [
            (when + dt.timedelta(hours=i), 50_000 * (i + 1), f"ZQX CHUYEN KHOAN {i}", "ZQX") for i in range(3)
        ]
        imp = statement_imports.statement_upload(
            actor=owner,
            bank_account=o["bank_account"],
            data=banking_seed._statement(rows),
            filename="zqx.psv",
        )
        imp = statement_imports.run_now(imp)
        statement_imports.statement_commit(actor=owner, statement_import=imp)
        statement_imports.run_now(imp)
        o["statement_line"] = StatementLine.objects.filter(statement_import=imp).order_by("pk").first()
        # A row of that statement kept to correct by hand (banking/services/problems.py).
        o["statement_problem"] = StatementProblemLine.objects.create(
            bank_account=o["bank_account"],
            statement_import_id=imp.pk,
            identity="pb:zqx",
            row=9,
            raw="ZQX DONG CAN SUA | ???",
            reason="dòng này có 3 giá trị dưới 4 tiêu đề",
            booked_on=when.date(),
            implied_amount=80_000,
            description="ZQX DONG CAN SUA",
        )
        # A second statement, read and waiting to be confirmed.
        later = [
            (when + dt.timedelta(days=1, hours=i), 70_000, f"ZQX CHUYEN KHOAN {i + 5}", "ZQX")
            for i in range(2)
        ]
        waiting = statement_imports.statement_upload(
            actor=owner,
            bank_account=o["bank_account"],
            data=banking_seed._statement(later),
            filename="zqx-2.psv",
        )
        o["statement_import"] = statement_imports.run_now(waiting)
        o["job"] = o["statement_import"].job
        o["qr_reference"] = qrcodes.qr_reference_create(
            actor=owner, bank_account=o["bank_account"], amount=222_333, campaign=o["campaign"]
        ).reference
        o["message"] = messaging_services.message_queue(
            actor=owner,
            unit=b,
            channel="email",
            purpose="messaging.notice",
            subject="Zqx thư riêng Ngô Quyền",
            body="Zqx-noi-dung-tin-nhan",
            person=o["person"],
            address="zqx.nguoinhan@example.org",
        )
        o["unsubscribe_token"] = message_links.unsubscribe_token(o["message"].pk)
        o["import_batch"] = import_services.import_check(
            actor=owner,
            kind="people.person",
            unit=b,
            data="Họ và tên,Số điện thoại\nZqx Nhập Lô,0900000001\n".encode(),
            filename="zqx.csv",
        )
        _relief_victims(o, owner, b)
        # The plan's year round: Ngô Quyền's report, submitted in the demo, returned by the city and
        # redrafted with its own texts and an attachment; the city's draft document of the round.
        o["plan"] = Plan.objects.order_by("pk").first()
        o["plan_round"] = Round.objects.get(name="Tổng kết năm 2025")
        report = Report.objects.get(round=o["plan_round"], kind="society", unit=b)
        plan_services.report_decide(actor=None, report=report, accept=False, comment="Zqx trả lại Ngô Quyền")
        plan_services.report_save(
            actor=owner,
            report=report,
            entries={e.duty_id: {"done": "Zqx kết quả Ngô Quyền"} for e in report.entries.all()},
        )
        o["plan_attachment"] = plan_services.attachment_add(
            actor=owner,
            report=report,
            upload=SimpleUploadedFile("zqx-bien-ban.pdf", b"%PDF-1.4 zqx", content_type="application/pdf"),
        )
        o["plan_report"] = report
        o["city_document"] = plan_services.document_generate(
            actor=None, round=o["plan_round"], data=b"PK\x03\x04 zqx"
        )
        _plan_register_victims(o, report, b)
        o["blood_drive"] = blood_services.drive_create(
            actor=owner,
            unit=b,
            name="Hiến máu Zqx Ngô Quyền",
            venue="Nhà văn hóa Zqx",
            address="Số 9 Zqx",
            ward=b.ward,
            date=timezone.localdate(),  # the services' clock
            starts_at=dt.time(7, 0),
            ends_at=dt.time(11, 0),
            centre=CollectionCentre.objects.order_by("pk").first(),
            capacity_per_hour=20,
            target_units=50,
        )
        registration, _created = blood_services.registration_create(
            drive=o["blood_drive"],
            full_name="Trần Zqx Giọt Hồng",
            date_of_birth=dt.date(1991, 4, 5),
            sex="F",
            phone="0912345876",
            slot=dt.time(7, 0),
            weight=55,
        )
        o["blood_visit"] = blood_services.checkin(
            actor=owner, drive=o["blood_drive"], registration=registration
        )
        blood_services.screening_record(
            actor=None,
            visit=o["blood_visit"],
            weight=55,
            haemoglobin=101,
            bp_systolic=120,
            bp_diastolic=80,
            result="deferred",
            deferral_reason="Zqx-hoan-hien",
            deferred_until=today + dt.timedelta(days=60),
        )
        o["blood_donor"] = registration.donor
        given, _created = blood_services.registration_create(
            drive=o["blood_drive"],
            full_name="Vũ Zqx Túi Máu",
            date_of_birth=dt.date(1988, 6, 7),
            sex="M",
            phone="0912345879",
            slot=dt.time(9, 0),
            weight=65,
        )
        visit = blood_services.checkin(actor=owner, drive=o["blood_drive"], registration=given)
        blood_services.screening_record(
            actor=None,
            visit=visit,
            weight=65,
            haemoglobin=140,
            bp_systolic=120,
            bp_diastolic=80,
            result="accepted",
        )
        o["blood_donation"] = blood_services.donation_record(
            actor=owner, visit=visit, kind="whole", volume_ml=450, bag_number="ZQX-TUI-1"
        )
        _stories_victims(o, owner, b)
        o["blood_code"] = blood_services.registration_create(
            drive=o["blood_drive"],
            full_name="Lê Zqx Máu Hiếm",
            date_of_birth=dt.date(1989, 2, 3),
            sex="M",
            phone="0912345877",
            slot=dt.time(8, 0),
            weight=60,
        )[0].code
        o["blood_token"] = blood_messages.donor_token(Registration.objects.get(code=o["blood_code"]).donor)
        o["blood_pledge"] = blood_services.pledge_register(
            actor=owner,
            unit=b,
            purposes=["tissue", "organs"],
            full_name="Đinh Zqx Trao Tặng",
            date_of_birth=dt.date(1970, 8, 9),
            sex="M",
            phone="0912345878",
        )
        # issue 16 (nhandao.privacy): a data-subject request and a tracing case of Ngô Quyền.
        org_services.role_assign(
            actor=None, user=owner, unit=b, role=Role.TRACING_OFFICER, valid_from=dt.date(2025, 7, 1)
        )
        o["privacy_request"] = privacy_services.request_file(
            actor=owner, person=o["person"], kind="access", details="Zqx yêu cầu dữ liệu Ngô Quyền"
        )
        o["tracing_case"] = privacy_services.tracing_open(
            actor=owner,
            unit=b,
            enquirer_consent=True,
            enquirer_name="Zqx Người Hỏi Tin",
            sought_name="Zqx Người Thất Lạc",
            relationship="Anh trai",
            circumstances="Zqx thất lạc Ngô Quyền",
            last_known_place="Zqx Bến Bính",
        )
        _movement_victims(o, owner, b)
    o["audit_event"] = AuditEvent.objects.filter(unit_path__startswith=b.path).order_by("-pk").first()
    public_donation = (
        Donation.objects.filter(campaign__is_public=True, status="posted").order_by("pk").first()
    )
    o["receipt_code"] = public_donation.verify_code
    o["public_campaign_code"] = public_donation.campaign.code
    assert StatementColumnMapping.objects.filter(unit=b).exists()
    assert StatementImport.objects.filter(unit=b).exists()
    missing = sorted(k for k, v in o.items() if v is None)
    assert not missing, f"no Ngô Quyền object for {missing}"

    case = o["case"]
    strings = [
        o["person"].full_name,
        o["person"].cccd,
        case.head.full_name,
        "Công ty Zqx Mực Tím",
        "0912345987",
        "7.654.321",
        "Bà Zqx Cam Kết",
        "3.456.789",
        "Zqx-muc-dich",
        "Ông Zqx Nhận Tiền",
        "Nhà tài trợ Zqx Sen Hồng",
        "Mẫu cột Zqx Ngô Quyền",
        "zqx quy tac rieng",
        "ZQX CHUYEN KHOAN",
        "108009876543",
        "Vận động Zqx áo ấm Ngô Quyền",
        "Zqx-mota",
        "Zqx-noi-dung-tin-nhan",
        "zqx.nguoinhan@example.org",
        "Cháy Zqx chợ Ngô Quyền",
        "Zqx-ghi-chu-hien-truong",
        "Kho Zqx Ngô Quyền",
        "Zqx-muc-dich-xuat",
        "Xe Zqx 15C",
        "Zqx noi phat hang",
        o["donation"].verify_code,
        "Zqx kết quả Ngô Quyền",
        "Zqx trả lại Ngô Quyền",
        "Zqx khó khăn Ngô Quyền",
        "Đoàn Zqx Kiểm Tra",
        "Zqx-phat-hien",
        "Zqx kiến nghị Ngô Quyền",
        "zqx-bien-ban.pdf",
        "Trần Zqx Giọt Hồng",
        "Lê Zqx Máu Hiếm",
        "0912345876",
        "Zqx-hoan-hien",
        "Đinh Zqx Trao Tặng",
        "Vũ Zqx Túi Máu",
        "ZQX-TUI-1",
        "Tin nháp Zqx Ngô Quyền",
        "Zqx-tom-tat-nhap",
        "Zqx hoạt động trường Ngô Quyền",
        "Zqx phong trào Ngô Quyền",
        "Zqx thi đua Ngô Quyền",
        "Zqx mô hình Ngô Quyền",
        "Zqx giấy khen Ngô Quyền",
    ]
    return City(objects=o, strings=[s for s in strings if s], owner=owner, users=users, victim_path=b.path)


def _plan_register_victims(o: dict, report, b) -> None:
    """Issue 14, points 7–8 (plans3): a difficulty raised by Ngô Quyền's report, addressed to Sở
    Nội vụ; an inspection of Ngô Quyền recorded with a recommendation for it."""
    from nhandao.plans import services as plan_services
    from nhandao.plans.models import InspectionPlan, PlanContent
    from nhandao.plans.services import difficulties

    entry = report.entries.order_by("duty__order").first()
    entry.difficulties = "Zqx khó khăn Ngô Quyền"
    entry.save(update_fields=["difficulties"])
    o["plan_issue"] = difficulties.raise_from(report, 99, timezone.now())[0]
    o["plan_content"] = PlanContent.objects.filter(plan=o["plan"]).order_by("pk").first()
    o["inspection_plan"] = InspectionPlan.objects.order_by("-year").first()
    o["inspection"] = plan_services.inspection_schedule(
        actor=None,
        plan=o["inspection_plan"],
        unit=b,
        starts_on=dt.date(o["inspection_plan"].year, 12, 1),
        ends_on=dt.date(o["inspection_plan"].year, 12, 2),
        inspectors="Đoàn Zqx Kiểm Tra",
        areas=["finance"],
    )
    answers = {i: ("not_ok", "") for i, _item in plan_services.checklist_of(o["inspection"])}
    plan_services.inspection_record(
        actor=None,
        inspection=o["inspection"],
        answers=answers,
        findings="Zqx-phat-hien",
        recorded_on=dt.date(o["inspection_plan"].year, 12, 2),
    )
    o["recommendation"] = plan_services.recommendation_add(
        actor=None,
        inspection=o["inspection"],
        text="Zqx kiến nghị Ngô Quyền",
        deadline=dt.date(o["inspection_plan"].year, 12, 20),
    )


def _stories_victims(o: dict, owner, b) -> None:
    """News and stories (issue 19): Ngô Quyền's draft with an image, a published story (public), and
    a school branch's report."""
    import io

    from PIL import Image

    from nhandao.org.models import BranchType
    from nhandao.stories import services as story_services

    picture = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 20, 40)).save(picture, format="JPEG")

    def write(title, summary):
        story = story_services.story_create(
            actor=owner, unit=b, kind="news", title=title, summary=summary, body="<p>Zqx nội dung</p>"
        )
        image = story_services.image_add(
            actor=owner,
            story=story,
            upload=SimpleUploadedFile("zqx.jpg", picture.getvalue(), content_type="image/jpeg"),
        )
        return story, image

    o["story"], o["story_image"] = write("Tin nháp Zqx Ngô Quyền", "Zqx-tom-tat-nhap")
    public_story, o["public_story_image"] = write("Tin công khai Ngô Quyền", "Đã đăng")
    story_services.story_submit(actor=owner, story=public_story)
    o["public_story"] = story_services.story_publish(actor=None, story=public_story)
    school = b.children.filter(branch_type=BranchType.SCHOOL).order_by("pk").first()
    if school is not None:
        story_services.school_report_save(
            actor=owner,
            unit=school,
            school_year="2025-2026",
            pupils=500,
            youth_members=200,
            note="Zqx hoạt động trường Ngô Quyền",
        )


def _movement_victims(o: dict, owner, b) -> None:
    """Movements and emulation (issue 19): Ngô Quyền's own movement, criteria with a frozen ranking,
    a draft proposal and a good practice model with a document."""
    from nhandao.movements import services as movement_services

    today = dt.date.today()
    o["movement"] = movement_services.movement_create(
        actor=owner,
        unit=b,
        kind="other",
        year=today.year,
        name="Zqx phong trào Ngô Quyền",
        indicator_codes=["beneficiaries.gifts"],
    )
    o["movement_scheme"] = movement_services.scheme_create(
        actor=owner,
        unit=b,
        year=today.year,
        name="Zqx thi đua Ngô Quyền",
        criteria=[("beneficiaries.gifts", 100)],
    )
    o["movement_ranking"] = movement_services.ranking_freeze(actor=owner, scheme=o["movement_scheme"])
    o["movement_proposal"] = movement_services.proposal_create(
        actor=owner, unit=b, level="city_society", title="Zqx giấy khen Ngô Quyền", year=today.year
    )
    o["practice"] = movement_services.practice_create(
        actor=owner,
        unit=b,
        title="Zqx mô hình Ngô Quyền",
        description="Zqx",
        place="Ngô Quyền",
        since=dt.date(2024, 1, 1),
        area="1",
    )
    o["movement_school"] = (
        b.children.filter(kind="branch", branch_type="school").order_by("pk").first() or o["branch"]
    )
    o["practice_file"] = movement_services.practice_file_add(
        actor=owner,
        practice=o["practice"],
        upload=SimpleUploadedFile("zqx-mo-hinh.pdf", b"%PDF-1.4 zqx", content_type="application/pdf"),
    )


def _relief_victims(o: dict, owner, b) -> None:
    """Ngô Quyền's own incident (invisible to Lê Chân, unlike the city's typhoon), a field report,
    two warehouses with a receipt, an issue, a transfer in transit and a count waiting for approval,
    and a distribution with a household waiting for its package."""
    from nhandao.relief.models import Incident, Item, Lot, Package, Recipient
    from nhandao.relief.services import distributions, incidents, stock

    today = dt.date.today()
    incident = incidents.incident_create(
        actor=owner,
        unit=b,
        kind="fire",
        name="Cháy Zqx chợ Ngô Quyền",
        starts_on=today - dt.timedelta(days=2),
    )
    incidents.field_report_file(
        actor=owner,
        incident=incident,
        commune=b,
        source="red_cross",
        figures={"injured": 2},
        note="Zqx-ghi-chu-hien-truong",
    )
    store = stock.warehouse_create(actor=owner, unit=b, name="Kho Zqx Ngô Quyền")
    spare = stock.warehouse_create(actor=owner, unit=b, name="Kho Zqx phụ Ngô Quyền")
    item = Item.objects.get(code="KIT-GD")
    rice = Item.objects.get(code="GAO")
    o["relief_receipt"] = stock.stock_receive(
        actor=owner,
        warehouse=store,
        received_on=today,
        source="other",
        lines=[stock.ReceiptLine(item, 30, lot_code="ZQX-1"), stock.ReceiptLine(rice, 300, lot_code="ZQX-2")],
    )
    lot = Lot.objects.get(code="ZQX-1")
    o["relief_issue"] = stock.stock_issue(
        actor=owner,
        warehouse=store,
        issued_on=today,
        purpose="Zqx-muc-dich-xuat",
        lines=[stock.IssueLine(lot, 2)],
    )
    o["relief_transfer"] = stock.transfer_dispatch(
        actor=owner,
        source=store,
        destination=spare,
        dispatched_on=today,
        lines=[stock.IssueLine(lot, 3)],
        vehicle="Xe Zqx 15C",
    )
    o["relief_count"] = stock.count_record(
        actor=owner, warehouse=store, counted_on=today, lines=[stock.CountedLine(lot, 24, "Zqx hao hụt")]
    )
    plan = distributions.plan_create(
        actor=owner,
        incident=incident,
        commune=b,
        warehouse=store,
        package=Package.objects.order_by("pk").first(),
        planned_on=today,
        place="Zqx noi phat hang",
    )
    distributions.recipients_add(actor=owner, plan=plan, cases=[o["case"]])
    o["relief_incident"], o["relief_warehouse"], o["relief_distribution"] = incident, store, plan
    o["relief_recipient"] = Recipient.objects.get(plan=plan)
    # Preparedness and deployments (issue 18, points 1 and 7): Ngô Quyền's team deployed to its fire.
    from nhandao.people import services as people_services
    from nhandao.relief.services import preparedness

    club = people_services.club_create(
        actor=owner, unit=b, name="Đội xung kích Zqx Ngô Quyền", kind="rapid_response"
    )
    o["relief_team"] = preparedness.team_create(actor=owner, club=club, capabilities=["search_rescue"])
    o["relief_deployment"] = preparedness.deployment_create(
        actor=owner,
        incident=incident,
        unit=b,
        commune=b,
        people=[o["person"]],
        task="Zqx-nhiem-vu-dieu-dong",
        starts_on=today - dt.timedelta(days=1),
    )
    o["public_incident"] = Incident.objects.get(name="Bão số 3 – Yagi", is_demo=True)


@pytest.fixture(autouse=True)
def _public_throttle_out_of_the_way(settings):
    """The matrix posts to the public forms hundreds of times from one address; the throttle's own
    lock event (an audit row, by design) is not a write into Ngô Quyền's data.  The throttle has its
    own tests (core/tests/test_throttle.py, blood/tests/test_throttle.py)."""
    settings.PUBLIC_THROTTLE_LIMIT = 1_000_000


@pytest.fixture(scope="module")
def matrix_city(seeded_city, django_db_blocker, tmp_path_factory):
    """Ngô Quyền's victims on the session's seeded demo (root conftest), built once for the module
    inside a savepoint that is rolled back at the module's end: the demo itself is seeded once."""
    from django.contrib.auth import get_user_model

    media = tmp_path_factory.mktemp("matrix-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media)):
        try:
            with transaction.atomic():
                users = {u.username: u for u in get_user_model().objects.all()}
                city = _build_victims(users)
                connection.check_constraints()  # once, not in every test's teardown (conftest)
                yield city
                raise Rollback
        except Rollback:
            pass


# Requests, snapshots and verdicts --------------------------------------------------------------
def _tables() -> list[str]:
    """Every table a request could write (sessions aside; the geography is reference data)."""
    models = [m for m in apps.get_models() if m._meta.managed and m._meta.app_label != "geo"]
    return sorted(m._meta.db_table for m in models if m._meta.db_table != "django_session")


def table_counts() -> tuple:
    """The row count of every table, in one query."""
    tables = _tables()
    qn = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {qn(t)})" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(zip(tables, cursor.fetchone(), strict=True))


def row_of(obj) -> dict | None:
    if obj is None or not hasattr(obj, "_meta"):
        return None
    fresh = type(obj)._base_manager.filter(pk=obj.pk).first()
    return None if fresh is None else {k: v for k, v in model_to_dict(fresh).items() if k != "last_login"}


class _Forms(HTMLParser):
    """The POST forms of a page: action -> {field: value} as the browser would submit them."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, dict]] = []
        self._current: dict | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "get").lower() == "post":
            self._current = {}
            self.forms.append((a.get("action") or "", self._current))
        elif self._current is None:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                if kind == "radio":
                    self._current.setdefault(a["name"], a.get("value", "on"))
                return
            if kind == "file":
                self._current[a["name"]] = SimpleUploadedFile("zqx.csv", b"zqx\n")
                return
            self._current[a["name"]] = a.get("value") or ("1" if kind == "number" else "Zqx")
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
        elif tag == "option" and self._select:
            if "selected" in a or self._select not in self._current:
                self._current[self._select] = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self._current[a["name"]] = "Zqx"

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def harvested_payload(html: str, path: str) -> dict | None:
    parser = _Forms()
    parser.feed(html)
    for action, data in parser.forms:
        if not action or urlsplit(action).path == path:
            data.pop("csrfmiddlewaretoken", None)
            return data
    return None


@dataclass
class Tally:
    urls: set = field(default_factory=set)
    methods: Counter = field(default_factory=Counter)
    failures: list = field(default_factory=list)

    def line(self) -> str:
        sent = {m: n for m, n in self.methods.items() if "answered" not in m}
        parts = ", ".join(f"{m} {n:,}" for m, n in sorted(sent.items()))
        refused = sum(n for m, n in self.methods.items() if "answered" in m)
        tail = f"; {refused:,} answered 405" if refused else ""
        return f"access matrix: {len(self.urls)} URLs, {sum(sent.values()):,} cases ({parts}{tail})"


def verdict(response, strings, object_url: bool) -> str:
    """Empty when the answer is a refusal or reveals nothing; otherwise what is wrong."""
    status = response.status_code
    if status in (400, 403, 404, 405):
        return ""
    if status in (301, 302, 303):
        target = urlsplit(response["Location"]).path
        if target.startswith(LOGIN_PATH):
            return ""
        if object_url:
            return f"redirected to {target}"
        return ""
    if status != 200:
        return f"answered {status}"
    if response.streaming:
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    text = body.decode("utf-8", "replace")
    shown = [s for s in strings if s in text]
    if shown:
        return f"shows {shown}"
    ctype = response.get("Content-Type", "")
    if object_url and not ctype.startswith("text/html"):
        return f"serves {ctype}"
    return ""


def build_url(name: str, url: Url, objects: dict) -> str:
    kwargs = {}
    for key, source in url.args.items():
        value = source.value if isinstance(source, Lit) else objects[source]
        kwargs[key] = getattr(value, "pk", value)
    return reverse(name, kwargs=kwargs)


def guarded_object(url: Url, objects: dict):
    if url.kind != SCOPED:
        return None
    for source in url.args.values():
        if not isinstance(source, Lit) and hasattr(objects[source], "_meta"):
            return objects[source]
    return None


def fresh_files(data: dict) -> dict:
    """A payload with its uploads rewound (each request reads its own copy)."""
    return {
        k: SimpleUploadedFile(v.name, b"zqx\n", content_type=v.content_type)
        if isinstance(v, SimpleUploadedFile)
        else v
        for k, v in data.items()
    }


def new_audit_is_an_own_export(before_pk: int, victim_path: str) -> bool:
    """An export of the user's own unit is audited (core.export): a legitimate write."""
    from nhandao.core.models import AuditEvent

    events = list(AuditEvent.objects.filter(pk__gt=before_pk).values_list("action", "unit_path"))
    return bool(events) and all(
        action in ("core.export", "funds.exported") and not path.startswith(victim_path)
        for action, path in events
    )


def attempt(client, method, path, data, city: City, obj) -> tuple[str, int]:
    """One request inside a savepoint that is rolled back: what went wrong (if anything), status."""
    from nhandao.core.models import AuditEvent

    problem, status = "", 0
    try:
        with transaction.atomic():
            counts, row = table_counts(), row_of(obj)
            last_event = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            try:
                if method == "GET":
                    response = client.get(path, data or {})
                else:
                    response = client.post(path, fresh_files(data or {}))
                status = response.status_code
                problem = verdict(response, city.strings, obj is not None)
            except Exception as exc:  # a crash is a finding too; the savepoint keeps the city intact
                problem = f"raised {exc!r}"
            after_counts, after_row = table_counts(), row_of(obj)
            changed = [f"{t} {n}→{m}" for (t, n), (_t, m) in zip(counts, after_counts, strict=True) if n != m]
            only_audit = all(c.startswith(AuditEvent._meta.db_table + " ") for c in changed)
            if changed and not (only_audit and new_audit_is_an_own_export(last_event, city.victim_path)):
                problem = (problem + "; " if problem else "") + f"changed {changed}"
            if after_row != row:
                problem = (problem + "; " if problem else "") + "changed the object's row"
            raise Rollback
    except Rollback:
        pass
    return problem, status


def make_clients(city: City) -> dict[str, Client]:
    made = {}
    for username in ATTACKERS:
        made[username] = Client(raise_request_exception=True)
        made[username].force_login(city.users[username])
    made["owner"] = Client(raise_request_exception=True)
    made["owner"].force_login(city.owner)
    return made


def harvest_payloads(city: City, owner: Client) -> dict[str, dict]:
    """The forms a Ngô Quyền officer would submit, by URL path: harvested from every scoped page
    (a POST-only action's form lives on the object's page)."""
    found: dict[str, dict] = {}
    for name, url in URLS.items():
        if url.kind != SCOPED:
            continue
        path = build_url(name, url, city.objects)
        response = owner.get(path)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        parser = _Forms()
        parser.feed(response.content.decode())
        for action, data in parser.forms:
            target = urlsplit(action).path if action else path
            data.pop("csrfmiddlewaretoken", None)
            found.setdefault(target, data)
    return found


# Pages that change the client's own session (log out, language): not tried by the matrix.
SESSION_PAGES = {
    "accounts:login",
    "accounts:logout",
    "accounts:sign_out_everywhere",
    "set_language",
    "portal:language",
}


def run_matrix(city: City, clients: dict, payloads: dict) -> Tally:
    """Every URL but the session pages (scoped ones with Ngô Quyền's objects) by every Lê Chân role."""
    tally = Tally()
    for name, url in URLS.items():
        if name in SESSION_PAGES:
            continue
        path = build_url(name, url, city.objects)
        obj = guarded_object(url, city.objects)
        tally.urls.add(name)
        posts = [("POST", payloads.get(path) or {"reason": "Zqx", "confirm": "1"}), ("POST", {})]
        for username in ATTACKERS:
            for method, data in [("GET", None), *posts]:
                problem, status = attempt(clients[username], method, path, data, city, obj)
                tally.methods[method] += 1
                tally.methods[f"{method} answered 405"] += status == 405
                if problem:
                    tally.failures.append(f"{username} {method} {path} ({name}): {problem}")
    return tally


def run_prefills(city: City, clients: dict) -> Tally:
    objects, tally, cases = city.objects, Tally(), []
    for name, params in PREFILLS.items():
        path = build_url(name, URLS[name], objects)
        for param, key in params.items():
            cases.append((name, path, {param: objects[key].pk}))
    for name, (own, params) in OWN_PAGE_PREFILLS.items():
        path = reverse(name, kwargs={"pk": objects[own].pk})
        for param, key in params.items():
            cases.append((name, path, {param: objects[key].pk}))
    for name, path, query in cases:
        tally.urls.add(name)
        for username in ATTACKERS:
            problem, _status = attempt(clients[username], "GET", path, query, city, None)
            tally.methods["GET ?pre-fill"] += 1
            if problem:
                tally.failures.append(f"{username} GET {path}?{urlencode(query)}: {problem}")
    return tally


def run_anonymous(city: City) -> Tally:
    anonymous, tally = Client(), Tally()
    for name, url in URLS.items():
        path = build_url(name, url, city.objects)
        tally.urls.add(name)
        methods = ("GET",) if url.kind == PUBLIC else ("GET", "POST")
        for method in methods:
            response = anonymous.get(path) if method == "GET" else anonymous.post(path, {})
            tally.methods[method] += 1
            status = response.status_code
            if url.kind == PUBLIC:
                ok = status in url.public_status
            else:
                to_login = status == 302 and urlsplit(response["Location"]).path == LOGIN_PATH
                ok = to_login or status in (403, 404, 405)
            if not ok:
                tally.failures.append(f"anonymous {method} {path} ({name}) answered {status}")
    return tally


@pytest.fixture(scope="module")
def clients(matrix_city, django_db_blocker):
    with django_db_blocker.unblock():
        return make_clients(matrix_city)


@pytest.fixture(scope="module")
def payloads(matrix_city, clients, django_db_blocker):
    with django_db_blocker.unblock():
        return harvest_payloads(matrix_city, clients["owner"])


@pytest.fixture
def terminal(capsys):
    """Print past pytest's capture, so the case counts show with or without -s."""

    def write(line: str) -> None:
        with capsys.disabled():
            print(line)

    return write


def test_lechan_roles_cannot_reach_ngoquyen_objects(matrix_city, clients, payloads, terminal, db):
    tally = run_matrix(matrix_city, clients, payloads)
    terminal(tally.line())
    assert len(tally.urls) > 120
    assert not tally.failures, "\n".join(tally.failures)


def test_query_string_prefills_reveal_nothing_of_ngoquyen(matrix_city, clients, terminal, db):
    tally = run_prefills(matrix_city, clients)
    terminal(tally.line().replace("access matrix", "access matrix, pre-fills"))
    assert not tally.failures, "\n".join(tally.failures)


def test_anonymous_visitors_are_sent_to_login_and_public_pages_answer(matrix_city, terminal, db):
    tally = run_anonymous(matrix_city)
    terminal(tally.line().replace("access matrix", "access matrix, anonymous"))
    assert not tally.failures, "\n".join(tally.failures)


def test_the_owner_sees_what_the_matrix_looks_for(matrix_city, clients, db):
    """Positive control: the strings the matrix searches for are on the owner's own pages."""
    o = matrix_city.objects
    owner = clients["owner"]
    pages = {
        reverse("people:person", args=[o["person"].pk]): o["person"].full_name,
        reverse("funds:donor", args=[o["donor"].pk]): "Công ty Zqx Mực Tím",
        reverse("funds:donation", args=[o["donation"].pk]): "7.654.321",
        reverse("funds:pledge", args=[o["pledge"].pk]): "Bà Zqx Cam Kết",
        reverse("funds:disbursement", args=[o["disbursement"].pk]): "Zqx-muc-dich",
        reverse("beneficiaries:sponsor", args=[o["sponsor"].pk]): "Nhà tài trợ Zqx Sen Hồng",
        reverse("campaigns:detail", args=[o["campaign"].pk]): "Vận động Zqx áo ấm Ngô Quyền",
        reverse("banking:line", args=[o["statement_line"].pk]): "ZQX CHUYEN KHOAN",
        reverse("messaging:message", args=[o["message"].pk]): "Zqx-noi-dung-tin-nhan",
        reverse("relief:incident", args=[o["relief_incident"].pk]): "Cháy Zqx chợ Ngô Quyền",
        reverse("relief:warehouse", args=[o["relief_warehouse"].pk]): "Kho Zqx Ngô Quyền",
        reverse("relief:distribution", args=[o["relief_distribution"].pk]): "Zqx noi phat hang",
        reverse("plans:report", args=[o["plan_report"].pk]): "Zqx kết quả Ngô Quyền",
        reverse("plans:issue", args=[o["plan_issue"].pk]): "Zqx khó khăn Ngô Quyền",
        reverse("plans:inspection", args=[o["inspection"].pk]): "Zqx-phat-hien",
        reverse("plans:recommendation", args=[o["recommendation"].pk]): "Zqx kiến nghị Ngô Quyền",
        reverse("banking:problem", args=[o["statement_problem"].pk]): "ZQX DONG CAN SUA",
    }
    for path, text in pages.items():
        response = owner.get(path)
        assert response.status_code == 200, path
        assert text in response.content.decode(), path


def test_the_change_detector_sees_an_owners_write(matrix_city, clients, db):
    """Positive control: the owner's own toggle of the bank account changes rows, and `attempt`
    reports it (then rolls it back)."""
    o = matrix_city.objects
    path = reverse("funds:bank_account_toggle", args=[o["bank_account"].pk])
    problem, status = attempt(clients["owner"], "POST", path, {}, matrix_city, o["bank_account"])
    assert status == 302
    assert "changed" in problem
    assert row_of(o["bank_account"])["is_active"] is True


def test_the_attackers_are_every_role_scoped_to_lechan(matrix_city, db):
    """The matrix tries every demo login whose roles stop at Lê Chân; the demo's inspector holds a
    city role (the whole city is its scope), so there is no commune inspector to try."""
    from nhandao.core.access import Role
    from nhandao.org.models import RoleAssignment, UnitKind

    lechan = matrix_city.objects["own_unit"]
    on_lechan = RoleAssignment.objects.filter(unit__path__startswith=lechan.path)
    assert sorted(set(on_lechan.values_list("user__username", flat=True))) == sorted(ATTACKERS)
    assert set(on_lechan.values_list("role", flat=True)) == {
        Role.UNIT_MANAGER,
        Role.DATA_ENTRY,
        Role.FINANCE_OFFICER,
        Role.FINANCE_APPROVER,
        Role.VIEWER,
    }
    inspectors = RoleAssignment.objects.filter(role=Role.INSPECTOR)
    assert list(inspectors.values_list("user__username", "unit__kind")) == [
        ("kiemtra.thanhpho", UnitKind.PROVINCE)
    ], "an inspector below the city: add it to ATTACKERS"
