"""Roles are groups made by a migration; `knowhow role` puts an account in one; who may
write or moderate is one answer wherever it is asked."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.management import CommandError, call_command

from knowhow.articles import roles
from knowhow.articles import services as workflow
from knowhow.articles.models import Article, Person, Topic
from knowhow.moderation import digest
from knowhow.newsroom import question_services
from knowhow.newsroom.forms import ArticleForm
from knowhow.newsroom.models import Question
from knowhow.newsroom.question_forms import DraftForm
from tests import people

pytestmark = pytest.mark.django_db


def test_each_role_holds_exactly_its_permissions() -> None:
    for role, permissions in roles.ROLES.items():
        group = Group.objects.get(name=role)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert held == set(permissions), role


def test_the_role_command_makes_a_writer_with_a_byline() -> None:
    user = people.make_account("mary")
    call_command("role", "mary", "writer", "--byline", "Mary Writer")
    user.refresh_from_db()
    assert user.is_staff and roles.is_writer(user) and not roles.is_editor(user)
    assert Person.objects.get(user=user).name == "Mary Writer"


def test_an_editor_is_also_a_writer_and_removing_the_role_ends_staff() -> None:
    user = people.make_account("kris")
    call_command("role", "kris", "editor")
    user = User.objects.get(pk=user.pk)
    assert roles.is_editor(user) and roles.is_writer(user)
    assert Person.objects.get(user=user).name == "kris"
    call_command("role", "kris", "editor", "--remove")
    user = User.objects.get(pk=user.pk)
    assert not user.is_staff and not roles.is_editor(user)


def test_a_byline_that_belongs_to_another_account_is_refused() -> None:
    people.make_staff_writer()
    people.make_account("impostor")
    with pytest.raises(CommandError, match="another account"):
        call_command("role", "impostor", "writer", "--byline", "Wendy Writer")
    assert Person.objects.get(name="Wendy Writer").user.username == "wendy"  # type: ignore[union-attr]


def test_an_unknown_account_is_named() -> None:
    with pytest.raises(CommandError, match="No account 'ghost'"):
        call_command("role", "ghost", "writer")


# One answer to "who may write", asked everywhere --------------------------------------


def _everyone() -> dict[str, User]:
    """An account of every kind the answers must agree on, each with a byline."""
    kinds = {
        "writer": people.make_staff_writer(),
        "editor": people.make_staff_editor(),
        "administrator": people.make_staff("administrator", "ada", "Ada Admin"),
        "moderator": people.make_staff("moderator", "mo", "Mo Moderator"),
        "superuser": people.make_account("root", is_superuser=True),
        "own_permission": people.make_account("perm"),
        "inactive_writer": people.make_staff("writer", "gone", "Gone Writer"),
        "outsider": people.make_outsider(),
    }
    kinds["own_permission"].user_permissions.add(Permission.objects.get(codename="publish_article"))
    kinds["inactive_writer"].is_active = False
    kinds["inactive_writer"].save()
    for kind in ("superuser", "own_permission", "outsider"):
        Person.objects.create(name=kind, slug=kind, user=kinds[kind])
    return {kind: User.objects.get(pk=user.pk) for kind, user in kinds.items()}


def test_who_may_write_is_one_answer_for_articles_question_drafts_and_the_pickers(
    topic: Topic,
) -> None:
    everyone = _everyone()
    listed = set(roles.writers())
    for kind, user in everyone.items():
        person = Person.objects.get(user=user)
        may = roles.may_write(person)
        assert may == roles.is_newsroom_staff(user) == (person in listed), kind
        assert may == (kind in {"writer", "editor", "administrator", "superuser", "own_permission"})
        assert (person.pk in {p.pk for p in ArticleForm(new=True, assigns=everyone["editor"])
                              .fields["written_by"].queryset}) == may, kind  # fmt: skip
        assert (person.pk in {p.pk for p in DraftForm().fields["writer"].queryset}) == may, kind


def test_moderators_are_one_answer_for_the_pages_and_the_digest() -> None:
    everyone = _everyone()
    listed = set(roles.moderators())
    for kind, user in everyone.items():
        held = kind in {"moderator", "administrator", "superuser"}
        assert roles.is_moderator(user) == (user in listed) == held, kind
        if user.is_active and held:
            assert user in set(digest.moderators()), kind


def test_an_editor_can_be_given_an_article_and_a_question_draft(topic: Topic) -> None:
    boss = people.make_staff_editor("boss", "Bo Boss")
    helen = Person.objects.get(user=people.make_staff_editor("helen", "Helen Marsh"))
    article = workflow.create_article(by=boss, title="Why is the sky blue?", topic=topic)
    workflow.reassign_writer(article=article, by=boss, writer=helen)
    assert Article.objects.get(pk=article.pk).written_by == helen
    question = Question.objects.create(text="Why do cats purr?")
    draft = question_services.turn_into_draft(
        question=question, by=boss, title="Why Do Cats Purr?", topic=topic, writer=helen
    )
    assert draft.written_by == helen


def test_a_byline_without_a_newsroom_account_is_given_nothing(topic: Topic) -> None:
    boss = people.make_staff_editor("boss", "Bo Boss")
    guest = Person.objects.create(name="Guest Author", slug="guest-author")
    outsider = Person.objects.create(name="Otto Outsider", slug="otto", user=people.make_outsider())
    article = workflow.create_article(by=boss, title="Why is the sky blue?", topic=topic)
    question = Question.objects.create(text="Why do cats purr?")
    for person in (guest, outsider):
        with pytest.raises(workflow.NotAllowed, match="no writer or editor account"):
            workflow.reassign_writer(article=article, by=boss, writer=person)
        with pytest.raises(workflow.NotAllowed, match="no writer or editor account"):
            question_services.turn_into_draft(
                question=question, by=boss, title="Why?", topic=topic, writer=person
            )
