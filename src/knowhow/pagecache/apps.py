from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "knowhow.pagecache"
    label = "pagecache"

    def ready(self) -> None:
        from typing import Any

        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group, Permission
        from django.db.models.signals import m2m_changed, post_migrate

        from knowhow.pagecache import csrf  # noqa: F401 - registers the masking check
        from knowhow.pagecache.api import changed, follow
        from knowhow.pagecache.readers import PERMISSIONS_TAG
        from knowhow.pagecache.users import user_tag
        from knowhow.pagecache.versions import SITE_TAG

        user_model = get_user_model()
        follow(user_model, lambda user: [user_tag(user.pk)])

        # Who may see pages of their own (readers.py) follows every grant and withdrawal.
        def regranted(**kwargs: Any) -> None:
            changed(PERMISSIONS_TAG)

        follow(Group, lambda group: [PERMISSIONS_TAG])
        follow(Permission, lambda permission: [PERMISSIONS_TAG])
        for through in (
            user_model.groups.through,
            user_model.user_permissions.through,
            Group.permissions.through,
        ):
            m2m_changed.connect(regranted, sender=through, weak=False)

        # An upgrade runs `knowhow migrate`: the new code may draw every page differently
        # (templates, migrated bodies), so no page kept before it is served after it, by
        # this site's processes or by an edge. A flush (plan None) changes no code.
        def migrated(plan: Any = None, **kwargs: Any) -> None:
            if plan is not None:
                changed(SITE_TAG)

        # Sent once per app with models; this app has none, Django's content types always do.
        from django.apps import apps

        post_migrate.connect(
            migrated,
            sender=apps.get_app_config("contenttypes"),
            weak=False,
            dispatch_uid="pagecache-migrated",
        )
