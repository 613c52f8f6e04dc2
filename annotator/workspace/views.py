from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from annotator.projects.selectors import projects_for_user


@login_required
def project_list(request):
    # Placeholder list until the workspace pages land (issue 3).
    projects = projects_for_user(user=request.user)
    return render(request, "workspace/project_list.html", {"projects": projects})
