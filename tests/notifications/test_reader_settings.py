"""The reader's settings page: turning reply and mention emails on and off."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from knowhow.notifications.models import EmailOptOut, ReaderPreferences
from tests.pages import visible_text


def test_settings_page_offers_the_email_choice_and_the_data_links(
    reader: User, client: Client
) -> None:
    client.force_login(reader)
    response = client.get("/accounts/settings/")
    assert response.status_code == 200
    text = visible_text(response.content)
    assert "Email me when someone replies to or mentions me" in text
    assert 'type="checkbox" name="notify_replies"' in response.content.decode()
    assert "Download my data" in text and "Delete my account" in text
    assert not ReaderPreferences.objects.exists()  # created when the reader saves a choice


def test_ticking_the_box_turns_emails_on_and_unticking_turns_them_off(
    reader: User, client: Client
) -> None:
    client.force_login(reader)
    response = client.post("/accounts/settings/", {"notify_replies": "on"}, follow=True)
    assert "Your settings were saved." in visible_text(response.content)
    assert ReaderPreferences.objects.get(user=reader).notify_replies
    assert "checked" in client.get("/accounts/settings/").content.decode()
    client.post("/accounts/settings/", {})
    assert not ReaderPreferences.objects.get(user=reader).notify_replies


def test_turning_emails_on_again_undoes_an_earlier_unsubscribe(
    reader: User, client: Client
) -> None:
    EmailOptOut.objects.create(email=reader.email)
    client.force_login(reader)
    client.post("/accounts/settings/", {"notify_replies": "on"})
    assert not EmailOptOut.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(client: Client, db: None) -> None:
    response = client.get("/accounts/settings/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/settings/"


def test_own_profile_links_to_settings_and_nobody_elses_does(
    reader: User, outsider: User, client: Client
) -> None:
    client.force_login(reader)
    assert "Settings" in visible_text(client.get("/readers/reader/").content)
    client.force_login(outsider)
    assert "Settings" not in visible_text(client.get("/readers/reader/").content)
    client.logout()
    assert "Settings" not in visible_text(client.get("/readers/reader/").content)
