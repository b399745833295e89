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
BANKING_VIEW = "banking.view"  # see bank-statement column mappings (later: statements, lines)
BANKING_IMPORT = "banking.import"  # read/import bank statements, manage column mappings

_READ = {ORG_VIEW}

ROLE_PERMISSIONS: dict[str, set[str]] = {
    Role.CITY_ADMIN: _READ
    | {
        ORG_MANAGE,
        ORG_ASSIGN_ROLES,
        ORG_MANAGE_AGENCIES,
        AUDIT_VIEW,
        USERS_MANAGE,
        BANKING_VIEW,
        BANKING_IMPORT,
    },
    Role.UNIT_MANAGER: _READ | {AUDIT_VIEW, BANKING_VIEW},
    Role.DATA_ENTRY: set(_READ),
    Role.FINANCE_OFFICER: _READ | {BANKING_VIEW, BANKING_IMPORT},
    Role.FINANCE_APPROVER: _READ | {BANKING_VIEW},
    Role.VIEWER: set(_READ),
    # Inspectors read everything in scope, including the audit trail, and
    # never get a write permission (a test enforces that).
    Role.INSPECTOR: _READ | {AUDIT_VIEW, BANKING_VIEW},
    Role.AGENCY_REPORTER: set(),
}

# Permissions that change data; the inspector role must hold none of them.
WRITE_PERMISSIONS: set[str] = {
    ORG_MANAGE,
    ORG_ASSIGN_ROLES,
    ORG_MANAGE_AGENCIES,
    USERS_MANAGE,
    BANKING_IMPORT,
}


def grant(roles: list[str] | tuple[str, ...], *perms: str, write: bool = False) -> None:
    """Let a module add its permissions to roles (called from its AppConfig.ready)."""
    for role in roles:
        ROLE_PERMISSIONS[role].update(perms)
    if write:
        WRITE_PERMISSIONS.update(perms)


def roles_with(perm: str) -> set[str]:
    return {role for role, perms in ROLE_PERMISSIONS.items() if perm in perms}
