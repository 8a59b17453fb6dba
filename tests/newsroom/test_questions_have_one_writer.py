"""Readers' questions are written by question_services only, as its docstring says: a new
writer elsewhere fails here until it goes through them."""

from __future__ import annotations

from tests.writers import outside, writers

ALLOWED = {"newsroom/question_services.py", "*/migrations/*"}


def test_only_the_question_services_write_questions() -> None:
    found = writers("Question", names=frozenset({"question", "questions", "into"}))
    assert outside(found, ALLOWED) == set()


def test_the_sweep_sees_a_writer_when_there_is_one() -> None:
    assert "newsroom/question_services.py" in writers("Question", names=frozenset({"question"}))
