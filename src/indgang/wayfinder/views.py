"""Citizen pages of the wayfinder: the results page, suggestions while typing, "Did this help?"."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from indgang.catalogue.selectors import normalise_query

from .forms import FeedbackForm, feedback_token
from .presentation import answer_page_build
from .selectors import wayfinder_search, wayfinder_suggest
from .services import wayfinder_feedback_record, wayfinder_query_record

# Shown on the empty search page; the Danish catalogue has the words citizens actually use.
EXAMPLES = (
    gettext_lazy("passport"),
    gettext_lazy("moving house"),
    gettext_lazy("housing benefit"),
    gettext_lazy("health insurance card"),
    gettext_lazy("bulky waste"),
)
SUGGESTION_LIMIT = 8
# Set on the way back from the feedback form: the search was logged already, and answered.
THANKED = "tak"


def _breadcrumbs(q: str) -> list[tuple[str, str | None]]:
    crumbs: list[tuple[str, str | None]] = [(_("Front page"), reverse("core:front"))]
    if q:
        return [*crumbs, (_("Find help"), reverse("wayfinder:search")), (q, None)]
    return [*crumbs, (_("Find help"), None)]


def search_url(q: str, **extra: str) -> str:
    return reverse("wayfinder:search") + "?" + urlencode({"q": q, **extra})


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    q = normalise_query(request.GET.get("q"))
    context: dict = {"q": q, "breadcrumbs": _breadcrumbs(q)}
    if not q:
        context["examples"] = [(str(word), search_url(str(word))) for word in EXAMPLES]
        return render(request, "wayfinder/search.html", context)
    answer = wayfinder_search(query=q)
    thanked = THANKED in request.GET
    token = ""
    if not thanked:
        query_log = wayfinder_query_record(query=q, answer=answer, language=get_language())
        token = feedback_token(query_log)
    context.update(page=answer_page_build(answer=answer), feedback_token=token, thanked=thanked)
    return render(request, "wayfinder/search.html", context)


@require_safe
def suggest(request: HttpRequest) -> JsonResponse:
    """Completions for the search box, as JSON: {"suggestions": [{"text", "url"}]}."""
    prefix = normalise_query(request.GET.get("q"))
    suggestions = wayfinder_suggest(prefix=prefix, limit=SUGGESTION_LIMIT) if prefix else []
    return JsonResponse(
        {
            "suggestions": [
                {
                    "text": s.text,
                    "url": reverse("catalogue:service_detail", kwargs={"slug": s.slug}),
                }
                for s in suggestions
            ]
        }
    )


@require_POST
def feedback(request: HttpRequest) -> HttpResponse:
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "wayfinder/feedback_invalid.html",
            {"breadcrumbs": _breadcrumbs(""), "q": normalise_query(request.POST.get("q"))},
            status=400,
        )
    wayfinder_feedback_record(
        query_log=form.cleaned_data["token"], helpful=form.cleaned_data["helpful"]
    )
    messages.success(request, _("Thank you for your answer. It helps us make the search better."))
    q = form.cleaned_data["q"]
    target = search_url(q, **{THANKED: "1"}) if q else reverse("wayfinder:search")
    return HttpResponseRedirect(target + "#feedback")
