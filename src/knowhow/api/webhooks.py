"""Webhook deliveries: each event the site announces goes, as JSON, to every active webhook
registered for it, signed, by the task worker, again after a growing pause while the
receiver fails, and kept with how each attempt went (admin: API › Deliveries).

The signature header reads `t=<unix time>,v1=<hex>`, where hex is HMAC-SHA256 with the
webhook's secret of `<t>.<body>`: a receiver recomputes it and refuses a delivery whose
time is far from its clock (a replay).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any, cast

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from knowhow import __version__
from knowhow.api.models import Delivery, Webhook
from knowhow.pagecache.fragments import fragments
from knowhow.retries import enqueue_at

logger = logging.getLogger(__name__)

# Seconds before each retry: 30 s, 2 min, 10 min, 1 h, 6 h; then the delivery has failed.
BACKOFF = (30, 120, 600, 3600, 21600)
TIMEOUT_SECONDS = 10
SIGNATURE_HEADER = "X-Knowhow-Signature"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def verify(secret: str, header: str, body: bytes, *, now: float, tolerance: int = 300) -> bool:
    """What a receiver does: the signature is this body's, made within `tolerance` seconds."""
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(parts.get("t", ""))
    except ValueError:
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = signature(secret, timestamp, body)
    return hmac.compare_digest(expected, header)


# The page-cache tag every change to a webhook stamps (api/apps.py).
WEBHOOKS_TAG = "webhooks"


def _wanted_events() -> frozenset[str]:
    def read() -> tuple[frozenset[str], list[str], None]:
        rows = Webhook.objects.filter(active=True).values_list("events", flat=True)
        return frozenset(event for events in rows for event in events.split()), [WEBHOOKS_TAG], None

    return cast(frozenset[str], fragments().get_or_make("api:webhook-events", read))


def wanted(event: str) -> bool:
    """Whether any active webhook is registered for the event: one query, then kept in
    memory until a webhook is added, changed or removed in any process, so that an event
    nobody subscribes to costs no query and no payload."""
    return event in _wanted_events()


def announce(
    event: str,
    data: dict[str, Any] | Callable[[], dict[str, Any]],
    now: dt.datetime | None = None,
) -> list[Delivery]:
    """Queue the event for every active webhook registered for it, once this commits;
    `data` may be a function giving it, called only when some webhook wants the event."""
    if not wanted(event):
        return []
    now = now or timezone.now()
    hooks = [h for h in Webhook.objects.filter(active=True) if event in h.event_list]
    if callable(data):
        data = data()
    made = []
    for hook in hooks:
        delivery = Delivery.objects.create(webhook=hook, event=event, body="", created_at=now)
        body = {"id": delivery.pk, "event": event, "created_at": now, "data": data}
        delivery.body = json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False)
        delivery.save(update_fields=["body"])
        made.append(delivery)
        transaction.on_commit(functools.partial(deliver.enqueue, delivery.pk))
    return made


def _send(delivery: Delivery) -> tuple[int | None, str]:
    """POST the delivery once: (the receiver's status, or None, and what went wrong)."""
    body = delivery.body.encode()
    request = urllib.request.Request(  # noqa: S310 - an administrator's http(s) address
        delivery.webhook.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": f"knowhow/{__version__} webhooks",
            "X-Knowhow-Event": delivery.event,
            "X-Knowhow-Delivery": str(delivery.pk),
            SIGNATURE_HEADER: signature(delivery.webhook.secret, int(time.time()), body),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return int(response.status), ""
    except urllib.error.HTTPError as error:
        return int(error.code), f"answered {error.code}"
    except (OSError, ValueError) as error:
        return None, f"{type(error).__name__}: {error}"[:500]


def attempt(delivery_id: int, now: dt.datetime | None = None) -> Delivery | None:
    """Try one delivery; on failure, schedule the next try or give up. None if it is gone."""
    delivery = Delivery.objects.select_related("webhook").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != Delivery.Status.PENDING:
        return delivery
    status, error = _send(delivery)
    now = now or timezone.now()
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.response_status = status
    if status is not None and 200 <= status < 300:
        delivery.status = Delivery.Status.DELIVERED
        delivery.delivered_at = now
        delivery.error = ""
        delivery.next_attempt_at = None
    elif delivery.attempts <= len(BACKOFF):
        delivery.error = error
        delivery.next_attempt_at = now + dt.timedelta(seconds=BACKOFF[delivery.attempts - 1])
        logger.warning(
            "webhook delivery %s to %s failed (%s); trying again at %s",
            delivery.pk,
            delivery.webhook.url,
            error,
            delivery.next_attempt_at.isoformat(timespec="seconds"),
        )
    else:
        delivery.error = error
        delivery.status = Delivery.Status.FAILED
        delivery.next_attempt_at = None
        logger.error("webhook delivery %s failed for good: %s", delivery.pk, error)
    delivery.save()
    if delivery.next_attempt_at is not None:
        enqueue_at(deliver, delivery.next_attempt_at, delivery.pk)
    return delivery


@task()
def deliver(delivery_id: int) -> None:
    """The task worker's side of a delivery."""
    attempt(delivery_id)
