"""A new reader's name cannot pass for another's, or make a link into a path."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client


def _sign_up(name: str) -> tuple[int, str]:
    answer = Client().post(
        "/accounts/signup/",
        {
            "username": name,
            "email": f"{abs(hash(name))}@example.org",
            "password1": "a long passphrase 93",
            "password2": "a long passphrase 93",
        },
    )
    return answer.status_code, answer.content.decode()


@pytest.mark.parametrize("name", ["ali\u0441e", "..", ".hidden", "dot.", "a b", "émile", "x" * 31])
def test_lookalike_and_path_like_names_are_refused(db: None, name: str) -> None:
    status, page = _sign_up(name)
    assert status == 200 and "letters a–z, digits" in page
    assert not User.objects.filter(username=name).exists()


def test_a_name_differing_only_in_case_is_taken(reader: User) -> None:
    status, page = _sign_up("Reader")
    assert status == 200 and "already exists" in page
    assert not User.objects.filter(username="Reader").exists()


def test_wide_letters_become_plain_ones(db: None) -> None:
    status, _ = _sign_up("ａｌｉｃｅ2")
    assert status == 302
    assert User.objects.filter(username="alice2").exists()


@pytest.mark.parametrize("name", ["alice", "alice.b-2", "Bob_99", "z"])
def test_plain_names_are_welcome(db: None, name: str) -> None:
    status, _ = _sign_up(name)
    assert status == 302
    assert User.objects.filter(username=name).exists()
