"""A server error is emailed to KNOWHOW_ADMINS by the task worker; the request that failed
only queues it. Without admins, nothing is queued."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django_tasks_db.models import DBTaskResult

from knowhow import config


def boom(*args: object, **kwargs: object) -> None:
    raise RuntimeError("the home page broke")


def _fail_the_home_page(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("knowhow.site.views.articles.recent_articles", boom)


@pytest.mark.django_db
def test_a_server_error_is_mailed_to_the_admins_through_the_queue(
    settings: Any, monkeypatch: pytest.MonkeyPatch, run_worker: Any
) -> None:
    settings.ADMINS = [("Ann Lee", "ann@example.org"), ("ops@example.org", "ops@example.org")]
    _fail_the_home_page(monkeypatch)
    assert Client(raise_request_exception=False).get("/").status_code == 500
    assert mail.outbox == []  # the failed request did not wait for the mail server
    assert DBTaskResult.objects.filter(task_path__endswith="mail_admins_about_error").exists()
    run_worker()
    (message,) = mail.outbox
    assert sorted(message.to) == ["ann@example.org", "ops@example.org"]
    assert "Internal Server Error: /" in message.subject
    assert "RuntimeError at /\nthe home page broke" in message.body


@pytest.mark.django_db
def test_without_admins_nothing_is_queued(
    settings: Any, monkeypatch: pytest.MonkeyPatch, run_worker: Any
) -> None:
    settings.ADMINS = []
    _fail_the_home_page(monkeypatch)
    assert Client(raise_request_exception=False).get("/").status_code == 500
    assert not DBTaskResult.objects.exists()


def test_admins_are_read_as_names_and_addresses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KNOWHOW_ADMINS", "Ann Lee <ann@example.org>, ops@example.org")
    assert config.env_admins("KNOWHOW_ADMINS") == [
        ("Ann Lee", "ann@example.org"),
        ("ops@example.org", "ops@example.org"),
    ]


def test_a_bad_admin_address_is_refused_by_the_variables_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KNOWHOW_ADMINS", "Ann Lee <ann>")
    with pytest.raises(ImproperlyConfigured, match="KNOWHOW_ADMINS"):
        config.env_admins("KNOWHOW_ADMINS")


@pytest.mark.django_db
def test_a_page_failing_again_and_again_sends_one_email(
    settings: Any, monkeypatch: pytest.MonkeyPatch, run_worker: Any
) -> None:
    settings.ADMINS = [("Ann Lee", "ann@example.org")]
    _fail_the_home_page(monkeypatch)
    client = Client(raise_request_exception=False)
    for _ in range(20):
        assert client.get("/").status_code == 500
    monkeypatch.setattr("knowhow.site.views.articles.article_for_page", boom)
    assert client.get("/articles/some-article/").status_code == 500  # its own email
    run_worker()
    subjects = sorted(m.subject for m in mail.outbox)
    assert len(subjects) == 2
    assert subjects[0].endswith("Internal Server Error: /")
    assert subjects[1].endswith("Internal Server Error: /articles/some-article/")
