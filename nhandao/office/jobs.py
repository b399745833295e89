"""Who may follow a background job (the job pages).  Running jobs is `nhandao.core.jobs`."""

from __future__ import annotations

from django.http import Http404

from nhandao.core.models import Job
from nhandao.org import access


def visible(user, pk) -> Job:
    """A job its requester, or someone holding its permission on its unit, may follow; else 404."""
    try:
        job = Job.objects.get(pk=int(pk))
    except (Job.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    if not getattr(user, "is_authenticated", False):
        raise Http404
    if job.actor_id == user.pk:
        return job
    if job.permission and job.unit_path and access.scope(user, job.permission).allows_path(job.unit_path):
        return job
    raise Http404
