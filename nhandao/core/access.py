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


# Permissions --------------------------------------------------------------
ORG_VIEW = "org.view"  # see units, officers, counts
ORG_MANAGE = "org.manage"  # create, rename, move, merge, close units
ORG_ASSIGN_ROLES = "org.assign_roles"
ORG_MANAGE_AGENCIES = "org.manage_agencies"
AUDIT_VIEW = "audit.view"
USERS_MANAGE = "accounts.manage"
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

_READ = {ORG_VIEW}
_FUNDS_READ = {FUNDS_VIEW, CAMPAIGNS_VIEW}

ROLE_PERMISSIONS: dict[str, set[str]] = {
    Role.CITY_ADMIN: _READ
    | _FUNDS_READ
    | {ORG_MANAGE, ORG_ASSIGN_ROLES, ORG_MANAGE_AGENCIES, AUDIT_VIEW, USERS_MANAGE}
    | {FUNDS_RECORD, FUNDS_DRAFT, FUNDS_APPROVE, FUNDS_MANAGE, CAMPAIGNS_MANAGE},
    Role.UNIT_MANAGER: _READ | _FUNDS_READ | {AUDIT_VIEW, FUNDS_MANAGE, CAMPAIGNS_MANAGE},
    Role.DATA_ENTRY: _READ | {CAMPAIGNS_VIEW},
    Role.FINANCE_OFFICER: _READ | _FUNDS_READ | {FUNDS_RECORD, FUNDS_DRAFT},
    Role.FINANCE_APPROVER: _READ | _FUNDS_READ | {FUNDS_APPROVE},
    Role.VIEWER: _READ | _FUNDS_READ,
    # Inspectors read everything in scope, including the audit trail, and
    # never get a write permission (a test enforces that).
    Role.INSPECTOR: _READ | _FUNDS_READ | {AUDIT_VIEW},
    Role.AGENCY_REPORTER: set(),
}

# Permissions that change data; the inspector role must hold none of them.
WRITE_PERMISSIONS: set[str] = {
    ORG_MANAGE,
    ORG_ASSIGN_ROLES,
    ORG_MANAGE_AGENCIES,
    USERS_MANAGE,
    FUNDS_RECORD,
    FUNDS_DRAFT,
    FUNDS_APPROVE,
    FUNDS_MANAGE,
    CAMPAIGNS_MANAGE,
}


def grant(roles: list[str] | tuple[str, ...], *perms: str, write: bool = False) -> None:
    """Let a module add its permissions to roles (called from its AppConfig.ready)."""
    for role in roles:
        ROLE_PERMISSIONS[role].update(perms)
    if write:
        WRITE_PERMISSIONS.update(perms)


def roles_with(perm: str) -> set[str]:
    return {role for role, perms in ROLE_PERMISSIONS.items() if perm in perms}
