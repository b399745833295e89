"""Statement jobs queued before their tasks moved beside their work are stored under the old paths."""

from django.utils.module_loading import import_string
from django_tasks.base import Task

from nhandao.banking.services import imports


def test_tasks_queued_under_the_old_paths_still_find_their_task():
    assert import_string("nhandao.banking.tasks.statement_read") is imports.statement_read_task
    assert import_string("nhandao.banking.tasks.statement_import") is imports.statement_import_task
    assert isinstance(imports.statement_read_task, Task)
