"""Placement pages under /personale/scenarier/placering/: compare sets of service points by how
near citizens live and by the criteria score, on maps drawn from the data."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from indgang.inquiries.staff_views import staff_permission_required

from .charts import map_drawing, map_frame
from .forms import MAX_PK
from .forms_placement import (
    TODAY,
    CandidateSiteForm,
    PlacementCompareForm,
    PlacementForm,
    PopulationImportForm,
)
from .models import CandidateSite, Placement, PopulationGrid
from .placement import (
    BUS_ACCESS_MINUTES,
    BUS_KMH,
    CAR_KMH,
    CRITERIA,
    DETOUR_FACTOR,
    FULL_DESKS,
    FULL_PCS,
    FULL_WEEK_HOURS,
    PopulationImportError,
    candidate_site_list,
    coverage,
    criterion_labels,
    grid_cells,
    placement_keys,
    population_grid_generate_demo,
    population_grid_import,
    site_score,
)
from .views_access import STAFF_SECTION, crumbs


def _placement_columns(chosen: list[str], placements: dict[str, Placement], sites) -> list[dict]:
    today_keys = {s.key for s in sites if s.kind != "candidate"}
    columns = []
    for key in chosen:
        if key == TODAY:
            columns.append({"key": TODAY, "name": _("Today"), "keys": today_keys})
        elif key in placements:
            placement = placements[key]
            columns.append(
                {
                    "key": key,
                    "name": placement.name,
                    "placement": placement,
                    "keys": placement_keys(placement),
                }
            )
    return columns


@require_safe
@staff_permission_required("scenarios.view_scenario")
def placement_compare(request: HttpRequest) -> HttpResponse:
    placements = list(Placement.objects.all())
    by_pk = {str(p.pk): p for p in placements}
    grids = PopulationGrid.objects.all()
    form = PlacementCompareForm(request.GET or None, placements=placements, grids=grids)
    default_chosen = [TODAY] + [str(p.pk) for p in placements][:3]
    if form.is_bound and form.is_valid():
        chosen = form.cleaned_data["compare"] or default_chosen
        grid = form.cleaned_data["grid"] or grids.first()
        radius = form.cleaned_data["radius"] or 10.0
    else:
        chosen, grid, radius = default_chosen, grids.first(), 10.0
    if not form.is_bound:
        form = PlacementCompareForm(
            initial={"compare": chosen, "grid": grid, "radius": "10"},
            placements=placements,
            grids=grids,
        )
    weights = form.weights()
    sites = candidate_site_list()
    cells = grid_cells(grid) if grid else []
    cell_km = grid.cell_km if grid else 1.0
    frame = map_frame(cells, sites, cell_km=cell_km)
    columns = _placement_columns(chosen, by_pk, sites)
    for column in columns:
        chosen_sites = [s for s in sites if s.key in column["keys"]]
        column["sites"] = chosen_sites
        column["coverage"] = coverage(cells, chosen_sites, weights)
        column["map"] = map_drawing(frame, cells, chosen_sites, cell_km=cell_km, circle_km=radius)
        column["rows"] = [
            {
                "number": n,
                "site": s,
                "served": column["coverage"].served[s.key],
                "score": column["coverage"].site_scores[s.key],
            }
            for n, s in enumerate(chosen_sites, start=1)
        ]
    labels = criterion_labels()
    site_rows = [
        {
            "site": s,
            "values": [round(100 * s.criteria.values()[name]) for name in CRITERIA],
            "hours": s.criteria.hours_per_week,
            "score": site_score(s.criteria, weights),
            "in": [s.key in c["keys"] for c in columns],
        }
        for s in sites
    ]
    context = {
        "form": form,
        "grid": grid,
        "population": sum(c.population for c in cells),
        "cell_count": len(cells),
        "columns": columns,
        "radius": radius,
        "site_rows": site_rows,
        "criterion_labels": [labels[name] for name in CRITERIA],
        "weights": weights,
        "assumptions": {
            "detour": DETOUR_FACTOR,
            "car_kmh": CAR_KMH,
            "bus_kmh": BUS_KMH,
            "bus_access": BUS_ACCESS_MINUTES,
            "full_week": FULL_WEEK_HOURS,
            "full_desks": FULL_DESKS,
            "full_pcs": FULL_PCS,
        },
        "may_add": request.user.has_perm("scenarios.add_placement"),
        "breadcrumbs": crumbs((_("Placement of service points"), None)),
        "staff_section": STAFF_SECTION,
    }
    return render(request, "scenarios/placement_compare.html", context)


def _placement_form_page(request: HttpRequest, placement: Placement | None) -> HttpResponse:
    sites = candidate_site_list()
    if request.method == "POST":
        form = PlacementForm(request.POST, instance=placement, sites=sites)
        if form.is_valid():
            if form.instance.created_by_id is None:
                form.instance.created_by = request.user
            saved = form.save()
            messages.success(request, _("The placement is saved."))
            return HttpResponseRedirect(
                reverse("scenarios:placement") + f"?compare={TODAY}&compare={saved.pk}"
            )
        status = 400
    else:
        form = PlacementForm(instance=placement, sites=sites)
        status = 200
    title = _("Edit placement") if placement else _("New placement")
    context = {
        "form": form,
        "placement": placement,
        "title": title,
        "breadcrumbs": crumbs(
            (_("Placement of service points"), reverse("scenarios:placement")), (title, None)
        ),
        "staff_section": STAFF_SECTION,
    }
    return render(request, "scenarios/placement_form.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_permission_required("scenarios.add_placement")
def placement_create(request: HttpRequest) -> HttpResponse:
    return _placement_form_page(request, None)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_permission_required("scenarios.change_placement")
def placement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    placement = Placement.objects.filter(pk=min(pk, MAX_PK)).first()
    if placement is None:
        raise Http404
    return _placement_form_page(request, placement)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_permission_required("scenarios.add_candidatesite")
def candidate_site_create(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = CandidateSiteForm(request.POST)
        if form.is_valid():
            form.save()
            messages.success(request, _("The candidate site is saved."))
            return HttpResponseRedirect(reverse("scenarios:placement"))
        status = 400
    else:
        form = CandidateSiteForm()
        status = 200
    context = {
        "form": form,
        "sites": CandidateSite.objects.all(),
        "breadcrumbs": crumbs(
            (_("Placement of service points"), reverse("scenarios:placement")),
            (_("New candidate site"), None),
        ),
        "staff_section": STAFF_SECTION,
    }
    return render(request, "scenarios/candidate_site_form.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_permission_required("scenarios.add_populationgrid")
def population_import(request: HttpRequest) -> HttpResponse:
    errors: list[str] = []
    form = PopulationImportForm()
    status = 200
    if request.method == "POST" and "generate" in request.POST:
        try:
            grid = population_grid_generate_demo()
        except PopulationImportError as exc:
            errors = exc.errors
            status = 400
        else:
            messages.success(request, _("The synthetic population grid is made."))
            return HttpResponseRedirect(reverse("scenarios:placement") + f"?grid={grid.pk}")
    elif request.method == "POST":
        form = PopulationImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                grid = population_grid_import(
                    name=form.cleaned_data["name"],
                    source=form.cleaned_data["source"],
                    text=form.cleaned_data["file"],
                )
            except PopulationImportError as exc:
                errors = exc.errors
            else:
                messages.success(request, _("The population grid is imported."))
                return HttpResponseRedirect(reverse("scenarios:placement") + f"?grid={grid.pk}")
        status = 400
    context = {
        "form": form,
        "errors": errors,
        "grids": PopulationGrid.objects.all(),
        "breadcrumbs": crumbs(
            (_("Placement of service points"), reverse("scenarios:placement")),
            (_("Population"), None),
        ),
        "staff_section": STAFF_SECTION,
    }
    return render(request, "scenarios/population_import.html", context, status=status)
