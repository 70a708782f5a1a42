from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from terugkeer.accounts.access import DOSSIER_ROLES, can_see_reports, is_admin, roles
from terugkeer.accounts.models import Role
from terugkeer.trajectories.selectors import case_table_rows, case_table_source, caseload


@login_required
def home(request):
    user_roles = roles(request.user)
    if not user_roles and request.user.employee_id:
        # An employee without a staff role has one place here: the own trajectory.
        return redirect("portal:home")
    context = {
        "sees_dossiers": bool(user_roles & DOSSIER_ROLES),
        "sees_reports": can_see_reports(request.user),
        "is_admin": is_admin(request.user),
        "role_labels": [Role(r).label for r in sorted(user_roles)],
    }
    if Role.SMT in user_roles:
        from terugkeer.smt.selectors import meetings_of_member

        context["smt_upcoming"] = list(
            meetings_of_member(request.user, since=timezone.localdate())[:1]
        )
    if Role.ADVISER in user_roles:
        from terugkeer.smt.selectors import referrals_for_adviser

        context["referrals_waiting"] = (
            referrals_for_adviser(request.user).filter(taken_up_by__isnull=True).count()
        )
    if context["sees_dossiers"]:
        cases = caseload(request.user)
        context["urgent"] = case_table_rows(list(case_table_source(cases)[:10]))
        context["overdue_total"] = cases.filter(next_status="overdue").count()
        context["open_total"] = cases.count()
    return render(request, "home.html", context)
