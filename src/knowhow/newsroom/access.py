"""Who may open the newsroom's pages: staff in the writer or editor role."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

from knowhow.articles import roles

View = Callable[..., HttpResponse]


def staff_only(allowed: Callable[[Any], bool], refusal: str) -> Callable[[View], View]:
    """A view guard: signed-out visitors go to sign in, signed-in people `allowed` refuses
    get 403 with `refusal`; the pages it guards are never kept by a cache."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not allowed(request.user):
                raise PermissionDenied(refusal)
            response = view(request, *args, **kwargs)
            # Staff pages are built for one person on each request and kept by no cache.
            patch_cache_control(response, private=True, no_store=True)
            return response

        return guarded

    return decorate


newsroom_staff = staff_only(
    roles.is_newsroom_staff, "Only the newsroom's writers and editors may see this page."
)


def editors_only(refusal: str) -> Callable[[View], View]:
    return staff_only(roles.is_editor, refusal)


def staff_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User), "newsroom_staff lets only signed-in staff through"
    return user
