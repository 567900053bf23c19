"""Scenario pages under /personale/scenarier/: list, write and run what-if scenarios, compare them
side by side and print a report for the council.

A run from the page is small (RUN_REPLICATIONS replications, synchronous) so that it answers
within a page load; `indgang simulate` runs as many as wanted from the command line. A scenario
that no longer loads shows its problems, never an error page.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from indgang.inquiries.staff_views import staff_permission_required

from .forms import (
    MAX_PK,
    CompareForm,
    FromDataForm,
    ScenarioForm,
    error_lines,
    example_names,
    example_text,
)
from .from_data import NoContactHistory, scenario_from_data
from .models import Scenario
from .replications import run_scenario
from .scenario import ScenarioError, load_scenario, scenario_from_dict
from .views_access import STAFF_SECTION, crumbs
from .views_report import (
    channel_labels,
    channel_table,
    compare_charts,
    describe,
    metric_rows,
    result_group,
)

RUN_REPLICATIONS = 5
RUN_SEED = 1
# Contacts one replication may simulate when run from the page (about 2–3 s each): the run is
# synchronous, so a year of a large municipality belongs to `indgang simulate`.
RUN_MAX_CONTACTS = 500_000


def _scenario_or_404(pk: int) -> Scenario:
    scenario = Scenario.objects.filter(pk=min(pk, MAX_PK)).select_related("created_by").first()
    if scenario is None:
        raise Http404
    return scenario


@require_safe
@staff_permission_required("scenarios.view_scenario")
def scenario_list(request: HttpRequest) -> HttpResponse:
    scenarios = list(Scenario.objects.select_related("created_by"))
    context = {
        "scenarios": scenarios,
        "compare_form": CompareForm(),
        "breadcrumbs": [
            (_("Staff"), reverse("inquiries-staff:inbox")),
            (_("Scenarios"), None),
        ],
        "staff_section": STAFF_SECTION,
    }
    return render(request, "scenarios/scenario_list.html", context)


def _from_data(request: HttpRequest) -> tuple[FromDataForm, dict | None, str]:
    """The "start from our own data" form, and (when asked for) the scenario or why there is none."""
    if "from_data" not in request.GET:
        next_monday = timezone.localdate() + dt.timedelta(days=7 - timezone.localdate().weekday())
        return FromDataForm(initial={"start": next_monday}), None, ""
    form = FromDataForm(request.GET)
    if not form.is_valid():
        return form, None, ""
    try:
        data = scenario_from_data(start=form.cleaned_data["start"], days=form.cleaned_data["days"])
        scenario = scenario_from_dict(data)
    except (NoContactHistory, ScenarioError) as exc:
        # ScenarioError: our own data can still break a limit (e.g. too many contacts).
        return form, None, " ".join(exc.errors)
    initial = {"name": scenario.name, "description": scenario.description}
    return form, {**initial, "yaml_text": scenario.to_yaml()}, ""


def _form_page(request: HttpRequest, scenario: Scenario | None) -> HttpResponse:
    status = 200
    from_data_form, from_data_error = None, ""
    if request.method == "POST":
        form = ScenarioForm(request.POST, instance=scenario)
        if form.is_valid():
            if form.instance.created_by_id is None:
                form.instance.created_by = request.user
            saved = form.save()
            messages.success(request, _("The scenario is saved. Run it to see the results."))
            return HttpResponseRedirect(reverse("scenarios:detail", args=[saved.pk]))
        status = 400
    elif scenario is None:
        from_data_form, initial, from_data_error = _from_data(request)
        if initial is None:
            example = request.GET.get("example", "")[:100]
            initial = {"yaml_text": example_text(example)}
        form = ScenarioForm(initial=initial)
    else:
        form = ScenarioForm(instance=scenario)
    title = _("Edit scenario") if scenario else _("New scenario")
    items = [(title, None)]
    if scenario:
        items.insert(0, (scenario.name, reverse("scenarios:detail", args=[scenario.pk])))
    context = {
        "form": form,
        "scenario": scenario,
        "title": title,
        "examples": example_names() if scenario is None else [],
        "from_data_form": from_data_form or (FromDataForm() if scenario is None else None),
        "from_data_error": from_data_error,
        "breadcrumbs": crumbs(*items),
        "staff_section": STAFF_SECTION,
    }
    return render(request, "scenarios/scenario_form.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_permission_required("scenarios.add_scenario")
def scenario_create(request: HttpRequest) -> HttpResponse:
    return _form_page(request, None)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_permission_required("scenarios.change_scenario")
def scenario_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_page(request, _scenario_or_404(pk))


def _loaded(scenario: Scenario):
    """The parsed scenario and, when it no longer loads, its problems with their lines."""
    try:
        return load_scenario(scenario.yaml_text), []
    except ScenarioError as exc:
        return None, error_lines(scenario.yaml_text, exc.errors)


@require_safe
@staff_permission_required("scenarios.view_scenario")
def scenario_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = _scenario_or_404(pk)
    parsed, problems = _loaded(scenario)
    context = {
        "scenario": scenario,
        "assumptions": describe(parsed) if parsed else None,
        "problems": problems,
        "table": channel_table(scenario.result) if scenario.result else None,
        "run_replications": RUN_REPLICATIONS,
        "breadcrumbs": crumbs((scenario.name, None)),
        "staff_section": STAFF_SECTION,
    }
    return render(request, "scenarios/scenario_detail.html", context)


@require_POST
@staff_permission_required("scenarios.change_scenario")
def scenario_run(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = _scenario_or_404(pk)
    parsed, problems = _loaded(scenario)
    if parsed is None:
        messages.error(request, _("The scenario has problems; correct it before running it."))
        return HttpResponseRedirect(reverse("scenarios:detail", args=[scenario.pk]))
    if parsed.expected_contacts() > RUN_MAX_CONTACTS:
        messages.error(
            request,
            _(
                "The scenario has about %(contacts)s contacts, too many to run from this page "
                "(at most %(most)s). Shorten it, or run it with the command indgang simulate."
            )
            % {
                "contacts": number_format(round(parsed.expected_contacts()), force_grouping=True),
                "most": number_format(RUN_MAX_CONTACTS, force_grouping=True),
            },
        )
        return HttpResponseRedirect(reverse("scenarios:detail", args=[scenario.pk]))
    result = run_scenario(parsed, replications=RUN_REPLICATIONS, seed=RUN_SEED)
    with transaction.atomic():
        # Only the result fields: the YAML may not have changed meanwhile, so `updated_at`
        # (which tells that the result is stale) stays as it is.
        Scenario.objects.filter(pk=scenario.pk).update(
            result=result.as_dict(),
            replications=RUN_REPLICATIONS,
            seed=RUN_SEED,
            ran_at=timezone.now(),
        )
    messages.success(request, _("The scenario has run."))
    return HttpResponseRedirect(reverse("scenarios:detail", args=[scenario.pk]))


def _comparison(request: HttpRequest) -> tuple[CompareForm, list[Scenario], str]:
    form = CompareForm(request.GET if "scenarios" in request.GET else None)
    scenarios: list[Scenario] = []
    if form.is_bound and form.is_valid():
        # In the order asked for: the first is usually today's model, the baseline.
        by_pk = {str(s.pk): s for s in form.cleaned_data["scenarios"]}
        asked = dict.fromkeys(request.GET.getlist("scenarios"))
        scenarios = [by_pk[pk] for pk in asked if pk in by_pk]
    scope = request.GET.get("channel", "overall")
    if scope != "overall" and scope not in channel_labels():
        scope = "overall"
    return form, scenarios, scope


def _compare_context(scenarios: list[Scenario], scope: str) -> dict:
    labels = channel_labels()
    groups = [result_group(s.result, scope) for s in scenarios]
    channels = sorted(
        {c for s in scenarios for c in s.result.get("channels", {})},
        key=lambda c: list(labels).index(c) if c in labels else 99,
    )
    return {
        "scenarios": scenarios,
        "rows": metric_rows(groups),
        "charts": compare_charts(scenarios, scope),
        "scope": scope,
        "scope_label": labels.get(scope, _("All channels")),
        "channels": [(c, labels.get(c, c)) for c in channels],
        "query": _query(scenarios),
    }


@require_safe
@staff_permission_required("scenarios.view_scenario")
def scenario_compare(request: HttpRequest) -> HttpResponse:
    form, scenarios, scope = _comparison(request)
    context = {
        "form": form,
        **(_compare_context(scenarios, scope) if scenarios else {}),
        "breadcrumbs": crumbs((_("Compare scenarios"), None)),
        "staff_section": STAFF_SECTION,
    }
    return render(request, "scenarios/scenario_compare.html", context)


@require_safe
@staff_permission_required("scenarios.view_scenario")
def scenario_report(request: HttpRequest) -> HttpResponse:
    form, scenarios, scope = _comparison(request)
    if not scenarios:
        context = {
            "form": form,
            "breadcrumbs": crumbs((_("Report"), None)),
            "staff_section": STAFF_SECTION,
        }
        return render(request, "scenarios/scenario_compare.html", context, status=200)
    described = []
    for scenario in scenarios:
        parsed, problems = _loaded(scenario)
        described.append(
            {
                "scenario": scenario,
                "assumptions": describe(parsed) if parsed else None,
                "table": channel_table(scenario.result),
                "table_id": f"report-channels-{scenario.pk}",
            }
        )
    context = {
        **_compare_context(scenarios, scope),
        "described": described,
        "today": timezone.localdate(),
        "breadcrumbs": crumbs(
            (_("Compare scenarios"), reverse("scenarios:compare") + "?" + _query(scenarios)),
            (_("Report"), None),
        ),
        "staff_section": STAFF_SECTION,
    }
    return render(request, "scenarios/scenario_report.html", context)


def _query(scenarios: list[Scenario]) -> str:
    return "&".join(f"scenarios={s.pk}" for s in scenarios)
