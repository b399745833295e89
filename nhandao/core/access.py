"""Roles and what they allow: the one table every access decision reads.

A role is held by a user on a unit of the organisation tree and applies to
that unit and all of its descendants (see `nhandao.org.access` for the scope
computation).  Permissions are plain strings "<app>.<verb>"; modules add their
own permissions to ROLE_PERMISSIONS below so the whole policy stays readable
in one place.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITY_ADMIN = "city_admin", _("Quản trị thành phố")
    UNIT_MANAGER = "unit_manager", _("Quản lý đơn vị")
    DATA_ENTRY = "data_entry", _("Nhập liệu")
    FINANCE_OFFICER = "finance_officer", _("Kế toán")
    FINANCE_APPROVER = "finance_approver", _("Duyệt chi")
    VIEWER = "viewer", _("Xem")
    INSPECTOR = "inspector", _("Kiểm tra, giám sát")
    AGENCY_REPORTER = "agency_reporter", _("Báo cáo của cơ quan phối hợp")
    MEDICAL_STAFF = "medical_staff", _("Nhân viên y tế hiến máu")
    TRACING_OFFICER = "tracing_officer", _("Cán bộ tìm kiếm tin tức thân nhân")
    COMMUNICATION_OFFICER = "communication_officer", _("Cán bộ truyền thông")


# Permissions --------------------------------------------------------------
ORG_VIEW = "org.view"  # see units, officers, counts
ORG_MANAGE = "org.manage"  # create, rename, move, merge, close units
ORG_ASSIGN_ROLES = "org.assign_roles"
ORG_MANAGE_AGENCIES = "org.manage_agencies"
AUDIT_VIEW = "audit.view"
USERS_MANAGE = "accounts.manage"
BANKING_VIEW = "banking.view"  # see imported statements, their lines, the queue, reconciliation
BANKING_IMPORT = "banking.import"  # read/import bank statements, sort their lines, mappings, rules
BANKING_RECONCILE = "banking.reconcile"  # lock a reconciled period of a bank account (the checker)
# People: members, volunteers, staff, clubs, training (nhandao.people)
PEOPLE_VIEW = "people.view"  # lists and records, ID numbers masked
PEOPLE_VIEW_SENSITIVE = "people.view_sensitive"  # CCCD/CMND, ethnicity in full
PEOPLE_EDIT = "people.edit"  # register people, roles, hours, clubs, training, awards
PEOPLE_DUES = "people.dues"  # record dues payments and exemptions
PEOPLE_IMPORT = "people.import"
PEOPLE_EXPORT = "people.export"  # exports with sensitive columns are audited
PEOPLE_MERGE = "people.merge"  # merge two records of the same human
PEOPLE_CONFIGURE = "people.configure"  # dues rates; rules and course catalogue at city level
# The humanitarian fund and campaigns.  Recording a gift, drafting a payment and
# approving it are separate permissions so that maker and checker are different
# people; the services also refuse an approval by the drafter.
FUNDS_VIEW = "funds.view"  # funds, balances, books, donations, disbursements
FUNDS_RECORD = "funds.record"  # record donations and pledges, register donors
FUNDS_DRAFT = "funds.draft"  # draft disbursements and transfers
FUNDS_APPROVE = "funds.approve"  # approve or reject drafts, reverse postings, write off pledges
FUNDS_MANAGE = "funds.manage"  # open and close funds, bank accounts
CAMPAIGNS_VIEW = "campaigns.view"
CAMPAIGNS_MANAGE = "campaigns.manage"  # create, open, close campaigns and appeals
# Beneficiaries, humanitarian addresses and help given (nhandao.beneficiaries)
BENEFICIARIES_VIEW = "beneficiaries.view"  # cases, help records; ID numbers masked, health categories hidden
BENEFICIARIES_VIEW_SENSITIVE = "beneficiaries.view_sensitive"  # ID numbers, disability, illness, Agent Orange
BENEFICIARIES_EDIT = "beneficiaries.edit"  # register cases, members, categories, consent, help, sponsors
BENEFICIARIES_CONFIRM = "beneficiaries.confirm"  # the commune's confirmation of a reviewed case
BENEFICIARIES_IMPORT = "beneficiaries.import"
BENEFICIARIES_EXPORT = "beneficiaries.export"  # XLSX of cases and help (always audited)
BENEFICIARIES_MERGE = "beneficiaries.merge"  # merge two files of the same household
BENEFICIARIES_CONFIGURE = "beneficiaries.configure"  # categories and the double-help rules (city)
BENEFICIARIES_STATS = "beneficiaries.stats"  # aggregated numbers only, nobody identified
# Outgoing messages (nhandao.messaging): the outbox of a unit; addresses and texts masked without
# the second permission (a reminder's text can tell that someone gives blood).
MESSAGING_VIEW = "messaging.view"
MESSAGING_VIEW_CONTENT = "messaging.view_content"  # phone numbers, email addresses and texts in full
# Disasters: incidents, field reports, relief stock, distributions (nhandao.relief)
RELIEF_VIEW = "relief.view"  # incidents, situation, warehouses and stock, distribution plans
RELIEF_REPORT = "relief.report"  # file field reports from the commune
RELIEF_MANAGE = "relief.manage"  # open and close incidents, warehouses, catalogue, distribution plans
RELIEF_STOCK = "relief.stock"  # receipts, transfers, issues and stock counts
RELIEF_APPROVE = "relief.approve"  # approve a stock count's adjustments (not the counter)
RELIEF_DISTRIBUTE = "relief.distribute"  # confirm that a household received its package
# The plan and its reports (nhandao.plans).  A report lives on a unit (the commune for its society
# and People's Committee, the city for an agency); an agency reporter reaches only the reports of
# the agency named on its role assignment.
PLANS_VIEW = "plans.view"  # plans, rounds, the reports of the units in scope, the board
PLANS_REPORT = "plans.report"  # fill in and submit the reports of the units in scope
PLANS_AGENCY_REPORT = "plans.agency_report"  # fill in and submit the reports of one's own agency
PLANS_MANAGE = "plans.manage"  # record plans, open and close rounds, accept or return, issue documents
PLANS_INSPECT = "plans.inspect"  # the year's inspection plan, inspection records, closing recommendations
# Voluntary blood donation (nhandao.blood).  Screening values and deferral reasons are health
# data (Law 91/2025): only the medical staff of a drive see and record them; organisers see
# "accepted" or "deferred until dd/mm/yyyy".
BLOOD_VIEW = "blood.view"  # drives, registrations, donors, donations; no health data
BLOOD_MANAGE = "blood.manage"  # create, move and cancel drives
BLOOD_CHECKIN = "blood.checkin"  # on the day: check people in, record donations, consent
BLOOD_MEDICAL = "blood.medical"  # screening values, deferral reasons; record the screening
BLOOD_EXPORT = "blood.export"  # honours lists (XLSX; audited)
BLOOD_IMPORT = "blood.import"  # the collection centre's results list (office/imports)

_READ = {ORG_VIEW}
_RELIEF_ALL = {RELIEF_VIEW, RELIEF_REPORT, RELIEF_MANAGE, RELIEF_STOCK, RELIEF_APPROVE, RELIEF_DISTRIBUTE}
_FUNDS_READ = {FUNDS_VIEW, CAMPAIGNS_VIEW}

_PEOPLE_ALL = {
    PEOPLE_VIEW,
    PEOPLE_VIEW_SENSITIVE,
    PEOPLE_EDIT,
    PEOPLE_DUES,
    PEOPLE_IMPORT,
    PEOPLE_EXPORT,
    PEOPLE_MERGE,
    PEOPLE_CONFIGURE,
}

_BLOOD_ORGANISE = {BLOOD_VIEW, BLOOD_MANAGE, BLOOD_CHECKIN, BLOOD_EXPORT, BLOOD_IMPORT}

_BENEFICIARIES_ALL = {
    BENEFICIARIES_VIEW,
    BENEFICIARIES_VIEW_SENSITIVE,
    BENEFICIARIES_EDIT,
    BENEFICIARIES_CONFIRM,
    BENEFICIARIES_IMPORT,
    BENEFICIARIES_EXPORT,
    BENEFICIARIES_MERGE,
    BENEFICIARIES_STATS,
}

ROLE_PERMISSIONS: dict[str, set[str]] = {
    Role.CITY_ADMIN: _READ
    | {ORG_MANAGE, ORG_ASSIGN_ROLES, ORG_MANAGE_AGENCIES, AUDIT_VIEW, USERS_MANAGE}
    | _PEOPLE_ALL
    | _BENEFICIARIES_ALL
    | {BENEFICIARIES_CONFIGURE}
    | _FUNDS_READ
    | {FUNDS_RECORD, FUNDS_DRAFT, FUNDS_APPROVE, FUNDS_MANAGE, CAMPAIGNS_MANAGE}
    | {BANKING_VIEW, BANKING_IMPORT, BANKING_RECONCILE}
    | {MESSAGING_VIEW, MESSAGING_VIEW_CONTENT}
    | _RELIEF_ALL
    | {PLANS_VIEW, PLANS_REPORT, PLANS_MANAGE}
    | _BLOOD_ORGANISE,
    # Unit managers merge duplicates, set their unit's dues rate, confirm beneficiary
    # cases for their commune (the commune's decision), open funds and campaigns.
    Role.UNIT_MANAGER: _READ
    | {AUDIT_VIEW}
    | _PEOPLE_ALL
    | _BENEFICIARIES_ALL
    | _FUNDS_READ
    | {FUNDS_MANAGE, CAMPAIGNS_MANAGE}
    | {BANKING_VIEW}
    | {MESSAGING_VIEW, MESSAGING_VIEW_CONTENT}
    | _RELIEF_ALL
    | {PLANS_VIEW, PLANS_REPORT}
    | _BLOOD_ORGANISE,
    # Data entry registers people (with their ID numbers) and imports lists in scope,
    # registers beneficiaries and records help; confirming, exporting and merging
    # beneficiary files are the manager's.
    Role.DATA_ENTRY: _READ
    | {PEOPLE_VIEW, PEOPLE_VIEW_SENSITIVE, PEOPLE_EDIT, PEOPLE_DUES, PEOPLE_IMPORT, PEOPLE_EXPORT}
    | {
        BENEFICIARIES_VIEW,
        BENEFICIARIES_VIEW_SENSITIVE,
        BENEFICIARIES_EDIT,
        BENEFICIARIES_IMPORT,
        BENEFICIARIES_STATS,
    }
    | {CAMPAIGNS_VIEW}
    | {MESSAGING_VIEW}
    | {RELIEF_VIEW, RELIEF_REPORT, RELIEF_STOCK, RELIEF_DISTRIBUTE}
    | {PLANS_VIEW, PLANS_REPORT}
    | {BLOOD_VIEW, BLOOD_CHECKIN, BLOOD_IMPORT},
    # Maker and checker: the officer records gifts and drafts payments, the approver
    # approves.  Finance sees confirmed cases (the fund pays them) without ID numbers
    # or health data.
    Role.FINANCE_OFFICER: _READ
    | {PEOPLE_VIEW, PEOPLE_DUES}
    | {BENEFICIARIES_VIEW, BENEFICIARIES_STATS}
    | _FUNDS_READ
    | {FUNDS_RECORD, FUNDS_DRAFT}
    | {BANKING_VIEW, BANKING_IMPORT}
    | {RELIEF_VIEW, RELIEF_STOCK},
    Role.FINANCE_APPROVER: _READ
    | {PEOPLE_VIEW}
    | {BENEFICIARIES_VIEW, BENEFICIARIES_STATS}
    | _FUNDS_READ
    | {FUNDS_APPROVE}
    | {BANKING_VIEW, BANKING_RECONCILE}
    | {RELIEF_VIEW, RELIEF_APPROVE},
    # Viewers read lists without ID numbers, ethnicity or health-related categories.
    Role.VIEWER: _READ
    | {PEOPLE_VIEW}
    | {BENEFICIARIES_VIEW, BENEFICIARIES_STATS}
    | _FUNDS_READ
    | {MESSAGING_VIEW}
    | {RELIEF_VIEW}
    | {PLANS_VIEW}
    | {BLOOD_VIEW},
    # Inspectors read everything in scope, including the audit trail and ID
    # numbers (exporting them is audited), and never get a write permission
    # (a test enforces that).
    Role.INSPECTOR: _READ
    | {AUDIT_VIEW}
    | {PEOPLE_VIEW, PEOPLE_VIEW_SENSITIVE, PEOPLE_EXPORT}
    | {BENEFICIARIES_VIEW, BENEFICIARIES_VIEW_SENSITIVE, BENEFICIARIES_EXPORT, BENEFICIARIES_STATS}
    | _FUNDS_READ
    | {BANKING_VIEW}
    | {MESSAGING_VIEW, MESSAGING_VIEW_CONTENT}
    | {RELIEF_VIEW}
    | {PLANS_VIEW}
    | {BLOOD_VIEW},
    # Partner agencies report on the plan: aggregated numbers, nobody identified.
    Role.AGENCY_REPORTER: {BENEFICIARIES_STATS, PLANS_AGENCY_REPORT},
    # The collection centre's doctors and nurses at a drive: the screening and its health data.
    Role.MEDICAL_STAFF: _READ | {BLOOD_VIEW, BLOOD_CHECKIN, BLOOD_MEDICAL},
}

# Second factor (issue 16): the holders of these roles move money, administer everyone's access or
# read everything, so they sign in with a code from an authenticator as well as the password
# (nhandao.accounts.twofactor; settings.OTP_REQUIRED_ROLES may change the list per installation).
SECOND_FACTOR_ROLES: tuple[str, ...] = (
    Role.CITY_ADMIN,
    Role.FINANCE_OFFICER,
    Role.FINANCE_APPROVER,
    Role.INSPECTOR,
)

# Permissions that change data; the inspector role must hold none of them.
WRITE_PERMISSIONS: set[str] = {
    ORG_MANAGE,
    ORG_ASSIGN_ROLES,
    ORG_MANAGE_AGENCIES,
    USERS_MANAGE,
    BANKING_IMPORT,
    BANKING_RECONCILE,
    PEOPLE_EDIT,
    PEOPLE_DUES,
    PEOPLE_IMPORT,
    PEOPLE_MERGE,
    PEOPLE_CONFIGURE,
    FUNDS_RECORD,
    FUNDS_DRAFT,
    FUNDS_APPROVE,
    FUNDS_MANAGE,
    CAMPAIGNS_MANAGE,
    BENEFICIARIES_EDIT,
    BENEFICIARIES_CONFIRM,
    BENEFICIARIES_IMPORT,
    BENEFICIARIES_MERGE,
    BENEFICIARIES_CONFIGURE,
    RELIEF_REPORT,
    RELIEF_MANAGE,
    RELIEF_STOCK,
    RELIEF_APPROVE,
    RELIEF_DISTRIBUTE,
    PLANS_REPORT,
    PLANS_AGENCY_REPORT,
    PLANS_MANAGE,
    BLOOD_MANAGE,
    BLOOD_CHECKIN,
    BLOOD_MEDICAL,
    BLOOD_IMPORT,
}

# Inspection and supervision (nhandao.plans, issue 14 point 8): the inspector reads everything in
# scope and writes one thing only, the inspection records (plans.inspect).  That permission is kept
# out of WRITE_PERMISSIONS on purpose; INSPECTOR_WRITES lists the inspector's only writes (tested).
INSPECTOR_WRITES: set[str] = {PLANS_INSPECT}
ROLE_PERMISSIONS[Role.CITY_ADMIN] |= {PLANS_INSPECT}
ROLE_PERMISSIONS[Role.INSPECTOR] |= INSPECTOR_WRITES


# Personal-data rights (Law 91/2025) and restoring family links (nhandao.privacy, issue 16) ----------
# The register of data-subject requests: officers who hold the registry file and handle requests
# for the people of their units; inspectors read the register.  Tracing cases (content area 5 of
# Law 11/2008) are need-to-know: only the unit's tracing officers see them, not even its manager.
PRIVACY_VIEW = "privacy.view"  # the register of data-subject requests, their steps
PRIVACY_HANDLE = "privacy.handle"  # file, verify, acknowledge, decide; the access export
PRIVACY_ERASE = "privacy.erase"  # carry out a deletion (pseudonymise the person everywhere)
TRACING_VIEW = "tracing.view"  # tracing cases and their Red Cross messages
TRACING_MANAGE = "tracing.manage"  # open cases, move them on, record messages

for _role in (Role.CITY_ADMIN, Role.UNIT_MANAGER):
    ROLE_PERMISSIONS[_role] |= {PRIVACY_VIEW, PRIVACY_HANDLE, PRIVACY_ERASE}
ROLE_PERMISSIONS[Role.DATA_ENTRY] |= {PRIVACY_VIEW, PRIVACY_HANDLE}
ROLE_PERMISSIONS[Role.INSPECTOR] |= {PRIVACY_VIEW}
ROLE_PERMISSIONS[Role.TRACING_OFFICER] = _READ | {TRACING_VIEW, TRACING_MANAGE}
WRITE_PERMISSIONS |= {PRIVACY_HANDLE, PRIVACY_ERASE, TRACING_MANAGE}


def grant(roles: list[str] | tuple[str, ...], *perms: str, write: bool = False) -> None:
    """Let a module add its permissions to roles (called from its AppConfig.ready)."""
    for role in roles:
        ROLE_PERMISSIONS[role].update(perms)
    if write:
        WRITE_PERMISSIONS.update(perms)


def roles_with(perm: str) -> set[str]:
    return {role for role, perms in ROLE_PERMISSIONS.items() if perm in perms}


# News, stories and school reports (nhandao.stories) --------------------------------------------
# A unit writes its news and good-deed stories; the city's communication officer reviews and
# publishes them (the writer never publishes their own).  School Red Cross branches report their
# youth members and activities per school year; the education department's reporter (an agency
# reporter whose agency is Sở GD&ĐT) reads the schools' figures, nobody identified.
STORIES_VIEW = "stories.view"  # the unit's stories at every stage
STORIES_WRITE = "stories.write"  # write, edit drafts, add images, send for review
STORIES_REVIEW = "stories.review"  # publish, return, withdraw
SCHOOLS_VIEW = "schools.view"  # school branches' yearly reports
SCHOOLS_REPORT = "schools.report"  # fill in a school branch's yearly report
SCHOOLS_AGENCY_VIEW = "schools.agency_view"  # the education department's reporter: the schools' figures

ROLE_PERMISSIONS[Role.COMMUNICATION_OFFICER] = _READ | {STORIES_VIEW, STORIES_WRITE, STORIES_REVIEW}
grant([Role.CITY_ADMIN, Role.UNIT_MANAGER, Role.DATA_ENTRY], STORIES_WRITE, SCHOOLS_REPORT, write=True)
grant([Role.COMMUNICATION_OFFICER], STORIES_REVIEW, write=True)
grant(
    [Role.CITY_ADMIN, Role.UNIT_MANAGER, Role.DATA_ENTRY, Role.VIEWER, Role.INSPECTOR],
    STORIES_VIEW,
    SCHOOLS_VIEW,
)
grant([Role.AGENCY_REPORTER], SCHOOLS_AGENCY_VIEW)
# Movements and emulation (nhandao.movements): movements with targets and live results, emulation
# criteria and rankings, commendation proposals, good practice models.  Deciding a proposal writes
# the awards register, so it is the city's (the unit holding the proposal).
MOVEMENTS_VIEW = "movements.view"  # movements, targets and results, rankings, proposals, models
MOVEMENTS_MANAGE = "movements.manage"  # launch movements, set targets, criteria, manual scores, rankings
MOVEMENTS_PROPOSE = "movements.propose"  # draft proposals for commendation; record models and adoptions
MOVEMENTS_DECIDE = "movements.decide"  # review and decide proposals (writes the awards registers)
grant(
    [
        Role.CITY_ADMIN,
        Role.UNIT_MANAGER,
        Role.DATA_ENTRY,
        Role.FINANCE_OFFICER,
        Role.FINANCE_APPROVER,
        Role.VIEWER,
        Role.INSPECTOR,
    ],
    MOVEMENTS_VIEW,
)
grant([Role.CITY_ADMIN, Role.UNIT_MANAGER], MOVEMENTS_MANAGE, MOVEMENTS_PROPOSE, write=True)
grant([Role.DATA_ENTRY], MOVEMENTS_PROPOSE, write=True)
grant([Role.CITY_ADMIN], MOVEMENTS_DECIDE, write=True)
