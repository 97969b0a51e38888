from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def coming_soon(request):
    return render(request, "worklist_empty.html")
