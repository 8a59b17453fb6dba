"""The moderators' set reasons, offered in every decision form: listed, added, removed."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from knowhow.moderation import services
from knowhow.moderation.forms import CannedReasonForm
from knowhow.moderation.models import CannedReason
from knowhow.moderation.views import _moderator, _page, _pressed, _status, moderator_required


@moderator_required
@require_http_methods(["GET", "POST"])
def reasons(request: HttpRequest) -> HttpResponse:
    form = CannedReasonForm(request.POST or None)
    if request.method == "POST" and not _pressed(request, "add"):
        messages.info(request, _("Nothing is added yet: press “Add the reason” to add it."))
    elif request.method == "POST" and form.is_valid():
        try:
            reason = services.add_canned_reason(
                label=form.cleaned_data["label"], moderator=_moderator(request)
            )
        except ValidationError as error:
            form.add_error("label", error)
        else:
            messages.success(
                request, _("Added the set reason “%(label)s”.") % {"label": reason.label}
            )
            return redirect("moderation-reasons")
    return _page(
        request,
        "reasons",
        "moderation/reasons.html",
        _status(form),
        reasons=CannedReason.objects.all()[:200],
        form=form,
    )


@moderator_required
@require_POST
def remove_reason(request: HttpRequest, reason_id: int) -> HttpResponse:
    reason = get_object_or_404(CannedReason, pk=reason_id)
    label = reason.label
    services.remove_canned_reason(reason=reason, moderator=_moderator(request))
    messages.success(
        request,
        _("“%(label)s” is no longer offered; the log keeps it where it was used.")
        % {"label": label},
    )
    return redirect("moderation-reasons")
