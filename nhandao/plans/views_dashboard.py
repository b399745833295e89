from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import dashboard as data
from . import selectors


@login_required
def dashboard(request):
    """The leaders' dashboard of the current period (city, commune or agency)."""
    selectors.require_reader(request.user)
    return render(request, "plans/dashboard.html", {"d": data.build(request.user)})
