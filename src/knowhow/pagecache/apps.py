from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "knowhow.pagecache"
    label = "pagecache"

    def ready(self) -> None:
        from typing import Any

        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group, Permission
        from django.db.models.signals import m2m_changed

        from knowhow.pagecache import csrf  # noqa: F401 - registers the masking check
        from knowhow.pagecache.api import changed, follow
        from knowhow.pagecache.readers import PERMISSIONS_TAG
        from knowhow.pagecache.users import user_tag

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
