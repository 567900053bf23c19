"""Forms of the placement pages: what to compare (GET), placements, candidate sites, population."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CandidateSite, Placement, PopulationGrid
from .placement import CRITERIA, DISTANCE_THRESHOLDS_KM, Site, Weights, criterion_labels

TODAY = "today"
MAX_COMPARED = 4
MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class PlacementCompareForm(forms.Form):
    """Which placements to compare, on which population grid, with which criteria weights."""

    compare = forms.MultipleChoiceField(
        label=_("Placements to compare"),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-checkbox"}),
        required=False,
        help_text=_("Up to four."),
    )
    grid = forms.ModelChoiceField(
        label=_("Population"),
        queryset=PopulationGrid.objects.none(),
        required=False,
        empty_label=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    radius = forms.TypedChoiceField(
        label=_("Coverage circle on the maps"),
        choices=[(str(int(km)), _("%(km)d km") % {"km": km}) for km in DISTANCE_THRESHOLDS_KM],
        coerce=float,
        initial="10",
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, placements, grids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["compare"].choices = [(TODAY, _("Today: all current service points"))] + [
            (str(p.pk), p.name) for p in placements
        ]
        self.fields["grid"].queryset = grids
        labels = criterion_labels()
        defaults = Weights().as_dict()
        for name in CRITERIA:
            self.fields[f"w_{name}"] = forms.IntegerField(
                label=labels[name],
                min_value=0,
                max_value=10,
                initial=int(defaults[name]),
                required=False,
                widget=forms.NumberInput(attrs={"class": "form-input input-width-xs"}),
            )

    def clean_compare(self):
        chosen = self.cleaned_data["compare"]
        if len(chosen) > MAX_COMPARED:
            raise forms.ValidationError(_("Choose at most four placements."))
        return chosen

    def weights(self) -> Weights:
        defaults = Weights().as_dict()
        data = getattr(self, "cleaned_data", {})
        values = {
            name: data.get(f"w_{name}") if data.get(f"w_{name}") is not None else defaults[name]
            for name in CRITERIA
        }
        return Weights(**values)

    def weight_fields(self):
        return [self[f"w_{name}"] for name in CRITERIA]


class PlacementForm(forms.ModelForm):
    """A placement: a name and the points it keeps or opens."""

    points = forms.MultipleChoiceField(
        label=_("Points in this placement"),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-checkbox"}),
        help_text=_("Existing service points, citizen bus stops and candidate sites."),
    )

    class Meta:
        model = Placement
        fields = ["name", "description"]
        widgets = {
            "name": forms.TextInput(attrs={"class": "form-input"}),
            "description": forms.Textarea(attrs={"class": "form-input", "rows": 3}),
        }

    def __init__(self, *args, sites: list[Site], **kwargs):
        super().__init__(*args, **kwargs)
        kinds = {
            "point": _("service point"),
            "stop": _("bus stop"),
            "candidate": _("candidate site"),
        }
        self.fields["points"].choices = [(s.key, f"{s.name} ({kinds[s.kind]})") for s in sites]
        if self.instance.pk:
            from .placement import placement_keys

            self.initial["points"] = sorted(placement_keys(self.instance))

    def save(self, commit: bool = True):
        placement = super().save()
        keys = self.cleaned_data["points"]

        def ids(prefix: str) -> list[int]:
            return [int(k.split("-", 1)[1]) for k in keys if k.startswith(prefix + "-")]

        placement.service_points.set(ids("point"))
        placement.bus_stops.set(ids("stop"))
        placement.candidate_sites.set(ids("site"))
        return placement


class CandidateSiteForm(forms.ModelForm):
    class Meta:
        model = CandidateSite
        fields = [
            "name",
            "latitude",
            "longitude",
            "public_transport",
            "parking",
            "step_free_access",
            "hours_per_week",
            "desks",
            "self_service_pcs",
            "guidance",
            "note",
        ]
        widgets = {
            "name": forms.TextInput(attrs={"class": "form-input"}),
            "latitude": forms.NumberInput(
                attrs={"class": "form-input input-width-s", "step": "any"}
            ),
            "longitude": forms.NumberInput(
                attrs={"class": "form-input input-width-s", "step": "any"}
            ),
            "hours_per_week": forms.NumberInput(
                attrs={"class": "form-input input-width-xs", "step": "any"}
            ),
            "desks": forms.NumberInput(attrs={"class": "form-input input-width-xs"}),
            "self_service_pcs": forms.NumberInput(attrs={"class": "form-input input-width-xs"}),
            "note": forms.Textarea(attrs={"class": "form-input", "rows": 3}),
            **{
                name: forms.CheckboxInput(attrs={"class": "form-checkbox"})
                for name in ("public_transport", "parking", "step_free_access", "guidance")
            },
        }


class PopulationImportForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=200, widget=forms.TextInput(attrs={"class": "form-input"})
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-input"}),
        help_text=_("E.g. 'Danmarks Statistik, 1 km grid, 2024'."),
    )
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "A header row with 'population' and either 'lat' and 'lon' (grid square centres or "
            "address points, e.g. one per postcode) or 'cell' (Danmarks Statistik's grid cell id, "
            "such as 1km_6171_567). Separated by comma or semicolon."
        ),
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        raw = upload.read()
        # NUL never occurs in a CSV text (and PostgreSQL cannot store it in a label).
        if b"\x00" not in raw:
            for encoding in ("utf-8-sig", "cp1252"):
                try:
                    return raw.decode(encoding)
                except UnicodeDecodeError:
                    continue
        raise forms.ValidationError(_("The file is not text (UTF-8 or Windows-1252)."))
