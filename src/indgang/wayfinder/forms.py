"""The "Did this help?" form: the logged query travels signed, so nobody can answer for another."""

from __future__ import annotations

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from indgang.catalogue.selectors import MAX_QUERY_LENGTH, normalise_query

from .models import WayfinderQuery

FEEDBACK_SALT = "indgang.wayfinder.feedback"
# A results page left open overnight may still be answered the next morning.
FEEDBACK_MAX_AGE = 2 * 24 * 60 * 60


def feedback_token(query_log: WayfinderQuery) -> str:
    """The logged query's id, signed: the hidden field of the feedback form."""
    return signing.dumps(query_log.pk, salt=FEEDBACK_SALT)


class FeedbackForm(forms.Form):
    token = forms.CharField(max_length=200)
    helpful = forms.TypedChoiceField(
        choices=[("yes", _("Yes")), ("no", _("No"))], coerce=lambda value: value == "yes"
    )
    # The query, to go back to its results page afterwards.
    q = forms.CharField(required=False, max_length=MAX_QUERY_LENGTH * 5)

    def clean_token(self) -> WayfinderQuery:
        try:
            pk = signing.loads(
                self.cleaned_data["token"], salt=FEEDBACK_SALT, max_age=FEEDBACK_MAX_AGE
            )
        except signing.BadSignature as exc:
            raise forms.ValidationError(
                _("The answer could not be matched to a search."), code="signature"
            ) from exc
        query_log = WayfinderQuery.objects.filter(pk=pk).first() if isinstance(pk, int) else None
        if query_log is None:
            raise forms.ValidationError(
                _("The answer could not be matched to a search."), code="missing"
            )
        return query_log

    def clean_q(self) -> str:
        return normalise_query(self.cleaned_data["q"])
