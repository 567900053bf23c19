from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessLogEntry(models.Model):
    """A member of staff saw an inquiry's personal data. Append-only: never changed or deleted
    by the application (rows outlive the inquiry they name, by reference)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), on_delete=models.PROTECT, related_name="+"
    )
    inquiry_reference = models.CharField(_("inquiry"), max_length=11, db_index=True)
    action = models.CharField(_("what"), max_length=40)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.inquiry_reference}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("The access log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("The access log is append-only")


class DeletionLogEntry(models.Model):
    """An inquiry deleted under the retention rules: what, when and why, without personal data."""

    inquiry_reference = models.CharField(_("inquiry"), max_length=11)
    service_slug = models.CharField(_("service"), max_length=80, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted"), auto_now_add=True)
    reason = models.CharField(_("why"), max_length=300)

    class Meta:
        ordering = ["-deleted_at", "-pk"]
        verbose_name = _("deletion log entry")
        verbose_name_plural = _("deletion log")

    def __str__(self) -> str:
        return f"{self.deleted_at:%Y-%m-%d} {self.inquiry_reference}"


class TrackingCode(models.Model):
    """A one-time code sent to the citizen's e-mail or phone to open the tracking page."""

    inquiry = models.ForeignKey(
        "inquiries.Inquiry", on_delete=models.CASCADE, related_name="tracking_codes"
    )
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("tracking code")
        verbose_name_plural = _("tracking codes")

    def __str__(self) -> str:
        return f"{self.inquiry} ({self.created_at:%Y-%m-%d %H:%M})"


class TrackingAttempt(models.Model):
    """A lookup on the tracking page, kept briefly to throttle guessing across all app processes."""

    client = models.CharField(max_length=64, db_index=True)  # a hash of the client address
    succeeded = models.BooleanField(default=False)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.client[:8]} {self.at:%Y-%m-%d %H:%M}"
