"""Sign-up and readers' public profile pages; sign-in and resets are Django's own views."""

from __future__ import annotations

from django.contrib.auth import login
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from knowhow.accounts.forms import SignUpForm
from knowhow.discussion.selectors import posts_by


def signup(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = ""
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(next_url or "home")
    return render(request, "accounts/signup.html", {"form": form, "next": next_url})


def reader(request: HttpRequest, username: str) -> HttpResponse:
    reader = get_object_or_404(User, username=username, is_active=True)
    page = posts_by(reader.pk, request.GET.get("page"))
    return render(request, "accounts/reader.html", {"reader": reader, "page": page})
