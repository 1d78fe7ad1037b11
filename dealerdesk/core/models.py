from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class Counter(models.Model):
    """A named, gap-tolerant sequence for human-readable numbers (orders, claims...).

    Read and incremented under a row lock by `core.services.counter_next`, so two
    transactions never draw the same number on PostgreSQL or SQLite.
    """

    name = models.CharField(max_length=60, unique=True)
    value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}={self.value}"
