"""The banking app's background tasks (django-tasks), each running one job of services.imports.

They are defined in services/imports.py, beside the work they run, because the services queue them.
Tasks queued before that move are stored under these paths, so the names stay valid here.
"""

from .services.imports import statement_import_task as statement_import
from .services.imports import statement_read_task as statement_read

__all__ = ["statement_import", "statement_read"]
