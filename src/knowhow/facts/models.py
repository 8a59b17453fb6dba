"""Short facts for the "did you know" box and dated events for "on this day"."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from knowhow.articles.models import Article, Topic
from knowhow.dates import long_date
from knowhow.numbers import digits

# The page-cache tag of pages that show facts or events.
FACTS_TAG = "facts"


class Fact(models.Model):
    text = models.CharField(max_length=300)
    slug = models.SlugField(max_length=80, unique=True)
    source = models.CharField(max_length=300, blank=True)
    topic = models.ForeignKey(Topic, on_delete=models.SET_NULL, null=True, blank=True)
    related = models.ManyToManyField(Article, blank=True, related_name="facts")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        if not self.slug:
            self.slug = self.slug_for(self.text)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("fact", args=[self.slug])

    @staticmethod
    def slug_for(text: str) -> str:
        """The address a fact gets from its words: the first eight, as a slug."""
        return slugify(" ".join(text.split()[:8]))[:80]


def day_url(month: int, day: int) -> str:
    return reverse("on-this-day", args=[month, day])


def day_label(month: int, day: int) -> str:
    """A calendar day in the site's one date style (knowhow.dates): "18 September"."""
    return long_date(dt.date(2000, month, day), "day")  # a leap year: 29 February exists


class Event(models.Model):
    """Something that happened on a calendar day; shown on that day every year."""

    year = models.IntegerField(help_text=gettext_lazy("Negative for years BCE."))
    month = models.PositiveSmallIntegerField()
    day = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)
    topic = models.ForeignKey(Topic, on_delete=models.SET_NULL, null=True, blank=True)
    related = models.ManyToManyField(Article, blank=True, related_name="events")

    class Meta:
        ordering = ["month", "day", "year"]
        indexes = [models.Index(fields=["month", "day", "year"])]

    def __str__(self) -> str:
        return f"{self.date_label} {self.year_label}: {self.text}"

    def get_absolute_url(self) -> str:
        return day_url(self.month, self.day)

    def clean(self) -> None:
        try:
            # 2000 is a leap year, so 29 February is a valid day.
            dt.date(2000, self.month, self.day)
        except (TypeError, ValueError):
            raise ValidationError(
                _("%(month)s/%(day)s is not a calendar day.")
                % {"month": self.month, "day": self.day}
            ) from None

    @property
    def date_label(self) -> str:
        return day_label(self.month, self.day)

    @property
    def year_label(self) -> str:
        if self.year < 0:
            return _("%(year)s BCE") % {"year": digits(str(-self.year))}
        return digits(str(self.year))
