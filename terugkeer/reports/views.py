from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from terugkeer.accounts.access import can_see_reports


@login_required
def index(request):
    if not can_see_reports(request.user):
        raise PermissionDenied
    return render(request, "reports/index.html", {})
