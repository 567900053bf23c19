"""Forms of the scenario pages: the scenario (name, description, YAML) and what to compare."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Scenario
from .scenario import EARLIEST_START, LATEST_START, MAX_DAYS, ScenarioError, load_scenario

EXAMPLES_DIR = Path(__file__).resolve().parent / "examples"
MAX_YAML_CHARS = 200_000
MIN_COMPARED, MAX_COMPARED = 2, 4
# Problems listed with their lines; a file with thousands of them gets the first ones and a count.
MAX_LISTED_ERRORS = 100
MAX_PK = 2**31 - 1


def example_names() -> list[str]:
    return sorted(p.stem for p in EXAMPLES_DIR.glob("*.yaml")) if EXAMPLES_DIR.is_dir() else []


def example_text(name: str | None = None) -> str:
    """The example scenario `name` (or the first one); empty when there is none."""
    names = example_names()
    if not names:
        return ""
    chosen = name if name in names else names[0]
    return (EXAMPLES_DIR / f"{chosen}.yaml").read_text(encoding="utf-8")


_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def error_lines(text: str, errors: list[str]) -> list[tuple[int | None, str]]:
    """The first MAX_LISTED_ERRORS errors with their lines, and how many more there are.

    The YAML is composed once for all of them: a file with thousands of unknown keys would
    otherwise be composed once per error.
    """
    try:
        root = yaml.compose(text)
    except (yaml.YAMLError, ValueError, RecursionError):
        root = None
    listed = [(_line(root, error), error) for error in errors[:MAX_LISTED_ERRORS]]
    if len(errors) > MAX_LISTED_ERRORS:
        more = len(errors) - MAX_LISTED_ERRORS
        listed.append((None, _("… and %(n)d more problems.") % {"n": more}))
    return listed


def error_line(text: str, error: str) -> int | None:
    """The line in the YAML an error ("points[1].channels.counter: …") is about, if found.

    Walks the composed YAML node tree along the error's path; the deepest node found gives the
    line. Errors the loader already numbers ("line 3: …") keep their number.
    """
    try:
        node = yaml.compose(text)
    except (yaml.YAMLError, ValueError, RecursionError):
        node = None
    return _line(node, error)


def _line(node, error: str) -> int | None:
    path, _sep, _message = error.partition(": ")
    found = re.match(r"^line (\d+)$", path)
    if found:
        return int(found.group(1))
    if node is None:
        return None
    line = None
    for match in _PATH_PART.finditer(path):
        key, index = match.group(1), match.group(2)
        if isinstance(node, yaml.MappingNode) and key is not None:
            pair = next((p for p in node.value if str(p[0].value) == key), None)
            if pair is None:
                break
            line = pair[0].start_mark.line + 1
            node = pair[1]
        elif isinstance(node, yaml.SequenceNode) and index is not None:
            if int(index) >= len(node.value):
                break
            node = node.value[int(index)]
            line = node.start_mark.line + 1
        else:
            break
    return line


class ScenarioForm(forms.ModelForm):
    class Meta:
        model = Scenario
        fields = ["name", "description", "yaml_text"]
        widgets = {
            "name": forms.TextInput(attrs={"class": "form-input"}),
            "description": forms.Textarea(attrs={"class": "form-input", "rows": 3}),
            "yaml_text": forms.Textarea(
                attrs={"class": "form-input scenarios-yaml", "rows": 30, "spellcheck": "false"}
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Every problem in the YAML with its line, shown as a list above the text area.
        self.yaml_errors: list[tuple[int | None, str]] = []

    def clean_yaml_text(self) -> str:
        text = self.cleaned_data["yaml_text"].replace("\r\n", "\n")
        if len(text) > MAX_YAML_CHARS:
            raise forms.ValidationError(_("The scenario is longer than 200,000 characters."))
        try:
            load_scenario(text)
        except ScenarioError as exc:
            self.yaml_errors = error_lines(text, exc.errors)
            raise forms.ValidationError(
                _("The scenario has %(n)d problem(s), listed above the text.")
                % {"n": len(exc.errors)}
            ) from None
        return text


class FromDataForm(forms.Form):
    """The horizon of a scenario of today's service model, built from our own data."""

    start = forms.DateField(
        label=_("First day"),
        help_text=_("For example 2026-03-02."),
        # ISO dates whatever the language: that is what a date input shows and sends.
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"class": "form-input", "type": "date"}),
    )
    days = forms.IntegerField(
        label=_("Number of days"),
        min_value=1,
        max_value=MAX_DAYS,
        initial=28,
        widget=forms.NumberInput(attrs={"class": "form-input input-width-xs"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "from-data-%s")
        super().__init__(*args, **kwargs)

    def clean_start(self):
        start = self.cleaned_data["start"]
        if not EARLIEST_START <= start <= LATEST_START:
            raise forms.ValidationError(_("Choose a date in the years 2000 to 2099."))
        return start


class _ScenarioChoiceField(forms.ModelMultipleChoiceField):
    """Refuses keys that are no database id before the query: a 30-digit number overflows the
    database's integer (SQLite raises, PostgreSQL errors) instead of finding nothing."""

    def _check_values(self, value):
        for pk in value:
            text = str(pk)
            if not (text.isascii() and text.isdigit() and len(text) <= 10 and int(text) <= MAX_PK):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": text[:20]},
                )
        return super()._check_values(value)


class CompareForm(forms.Form):
    scenarios = _ScenarioChoiceField(
        label=_("Scenarios to compare"),
        queryset=Scenario.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-checkbox"}),
        help_text=_("Two to four scenarios that have been run."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scenarios"].queryset = Scenario.objects.all()

    def clean_scenarios(self):
        chosen = list(self.cleaned_data["scenarios"])
        if not MIN_COMPARED <= len(chosen) <= MAX_COMPARED:
            raise forms.ValidationError(_("Choose two to four scenarios."))
        not_run = [s.name for s in chosen if not s.result]
        if not_run:
            raise forms.ValidationError(
                _("Run these scenarios first: %(names)s.") % {"names": ", ".join(not_run)}
            )
        return chosen
