from django.apps import AppConfig


class FactsConfig(AppConfig):
    name = "knowhow.facts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed

        from knowhow import pagecache
        from knowhow.facts.models import FACTS_TAG, Event, Fact

        pagecache.follow(Fact, lambda fact: [FACTS_TAG])
        pagecache.follow(Event, lambda event: [FACTS_TAG])
        for through in (Fact.related.through, Event.related.through):
            m2m_changed.connect(
                lambda **kwargs: pagecache.changed(FACTS_TAG), sender=through, weak=False
            )
