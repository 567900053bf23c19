"""Staff pages for inquiries under /personale/: the inbox, one inquiry, contact registration,
the access log. Who may see which inquiry is decided in selectors.inquiry_access."""

from __future__ import annotations

import functools
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from indgang.lib.masking import mask_personal_data

from .access_log import AccessAction, AccessLogFilters, access_log_list, access_log_write
from .attachments import AttachmentRejected, IncomingFile
from .lifecycle import EventKind, InvalidTransition, MessageKind, Status, allowed_next
from .models import Attachment, Inquiry, OutboundEmail
from .selectors import (
    STATUS_ALL,
    STATUS_OPEN,
    Access,
    inquiry_get_for,
    inquiry_list_for,
    inquiry_status_counts_for,
    inquiry_thread,
    is_active_staff,
    staff_teams_for,
)
from .services import (
    guidance_answer_for,
    inquiry_assign,
    inquiry_hand_over,
    inquiry_note_add,
    inquiry_reply,
    inquiry_set_status,
    inquiry_submit,
)
from .staff_forms import (
    AccessLogFilterForm,
    AssignForm,
    HandOverForm,
    InboxFilterForm,
    NoteForm,
    RegistrationForm,
    ReplyForm,
    StatusForm,
)
from .staff_services import outbound_email_retry

INBOX_PAGE_SIZE = 25
ACCESS_LOG_PAGE_SIZE = 50
EXCERPT_CHARS = 160
LAST_CHANNEL_KEY = "inquiries_staff_last_channel"


def staff_required(view):
    """Logged in (else the login page) and active staff (else 403)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_active_staff(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def staff_permission_required(permission: str):
    """Like staff_required, and the user must also hold `permission` (else 403)."""

    def decorator(view):
        @staff_required
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def _crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("Staff"), reverse("inquiries-staff:inbox")), *items]


def _excerpt(text: str) -> str:
    text = " ".join(mask_personal_data(text).split())
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1].rstrip() + "…"


# The inbox


@require_safe
@staff_required
def inbox(request: HttpRequest) -> HttpResponse:
    teams = list(staff_teams_for(user=request.user))
    form = InboxFilterForm(request.GET, teams=teams)
    filters = form.filters()
    paginator = Paginator(inquiry_list_for(user=request.user, filters=filters), INBOX_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [
        {
            "inquiry": inquiry,
            "subject": _excerpt(inquiry.subject) if inquiry.subject else "",
            "excerpt": _excerpt(inquiry.description),
            "overdue": inquiry.is_overdue(today),
        }
        for inquiry in page.object_list
    ]
    counts = inquiry_status_counts_for(user=request.user, filters=filters)
    base_query = {k: v for k, v in request.GET.items() if k not in ("page", "status") and v}
    status_links = [
        (value, label, counts[value], "?" + urlencode({**base_query, "status": value}))
        for value, label in [(STATUS_OPEN, _("All open")), *Status.choices, (STATUS_ALL, _("All"))]
    ]
    page_query = {k: v for k, v in request.GET.items() if k != "page" and v}
    # A clerk at the counter may look up another team's inquiry by its reference.
    lookup = None
    if filters.q and not page.object_list:
        found, access = inquiry_get_for(user=request.user, reference=filters.q)
        if found is not None and access is not Access.NONE:
            lookup = found
    context = {
        "form": form,
        "filters": filters,
        "rows": rows,
        "page": page,
        "page_query": urlencode(page_query),
        "status_links": status_links,
        "teams": teams,
        "lookup": lookup,
        "breadcrumbs": _crumbs((_("Inquiries"), None)),
        "staff_section": "inbox",
    }
    return render(request, "inquiries/staff/inbox.html", context)


# One inquiry


def _inquiry_or_404(request: HttpRequest, reference: str, *, full: bool = True) -> Inquiry:
    inquiry, access = inquiry_get_for(user=request.user, reference=reference)
    if inquiry is None or (full and access is not Access.FULL):
        raise Http404
    return inquiry


def _detail_url(inquiry: Inquiry) -> str:
    return reverse("inquiries-staff:detail", kwargs={"reference": inquiry.reference})


def _action_forms(request: HttpRequest, inquiry: Inquiry, **bound) -> dict:
    members = list(inquiry.team.members.order_by("username")) if inquiry.team_id else []
    members = [m for m in members if m.pk != request.user.pk]
    reply_initial = {}
    if inquiry.service_id and inquiry.service.authority_id:
        reply_initial["body"] = guidance_answer_for(inquiry.service)
    return {
        "assign_form": bound.get("assign_form") or AssignForm(members=members),
        "status_form": bound.get("status_form") or StatusForm(allowed=allowed_next(inquiry.status)),
        "hand_over_form": bound.get("hand_over_form") or HandOverForm(inquiry=inquiry),
        "note_form": bound.get("note_form") or NoteForm(),
        "reply_form": bound.get("reply_form") or ReplyForm(initial=reply_initial),
    }


def _value_label(kind: str, value: str) -> str:
    if kind == EventKind.STATUS and value in Status.values:
        return Status(value).label
    return value


def _detail_response(
    request: HttpRequest, inquiry: Inquiry, *, status: int = 200, **bound
) -> HttpResponse:
    access_log_write(user=request.user, inquiry=inquiry, action=AccessAction.VIEW)
    if inquiry.citizen_cpr:
        access_log_write(user=request.user, inquiry=inquiry, action=AccessAction.VIEW_CPR)
    thread = inquiry_thread(inquiry=inquiry)
    for event in thread["events"]:
        event.from_label = _value_label(event.kind, event.from_value)
        event.to_label = _value_label(event.kind, event.to_value)
    context = {
        "inquiry": inquiry,
        # Not "messages": that name is Django's messages framework in templates.
        "thread_messages": thread["messages"],
        "events": thread["events"],
        "emails": thread["emails"],
        "show_description": not any(m.kind == MessageKind.FROM_CITIZEN for m in thread["messages"]),
        "loose_attachments": [a for a in thread["attachments"] if a.message_id is None],
        "failed_emails": [e for e in thread["emails"] if e.state == "failed"],
        "overdue": inquiry.is_overdue(timezone.localdate()),
        "guidance": bool(inquiry.service_id and inquiry.service.authority_id),
        **_action_forms(request, inquiry, **bound),
        "breadcrumbs": _crumbs(
            (_("Inquiries"), reverse("inquiries-staff:inbox")), (inquiry.reference, None)
        ),
        "staff_section": "inbox",
    }
    return render(request, "inquiries/staff/detail.html", context, status=status)


@require_safe
@staff_required
def detail(request: HttpRequest, reference: str) -> HttpResponse:
    inquiry, access = inquiry_get_for(user=request.user, reference=reference)
    if inquiry is None:
        raise Http404
    if access is Access.EXISTENCE:
        # No content and no citizen data: that it exists, its status, team and answer date.
        access_log_write(user=request.user, inquiry=inquiry, action=AccessAction.LOOKUP)
        context = {
            "inquiry": inquiry,
            "overdue": inquiry.is_overdue(timezone.localdate()),
            "breadcrumbs": _crumbs(
                (_("Inquiries"), reverse("inquiries-staff:inbox")), (inquiry.reference, None)
            ),
            "staff_section": "inbox",
        }
        return render(request, "inquiries/staff/existence.html", context)
    return _detail_response(request, inquiry)


def _after_action(request: HttpRequest, inquiry: Inquiry) -> HttpResponseRedirect:
    """Back to the inquiry, or to the inbox when the user no longer handles it."""
    found, access = inquiry_get_for(user=request.user, reference=inquiry.reference)
    if access is Access.FULL:
        return HttpResponseRedirect(_detail_url(inquiry))
    return HttpResponseRedirect(reverse("inquiries-staff:inbox"))


@require_POST
@staff_required
def assign(request: HttpRequest, reference: str) -> HttpResponse:
    inquiry = _inquiry_or_404(request, reference)
    members = list(inquiry.team.members.all()) if inquiry.team_id else []
    form = AssignForm(request.POST, members=[m for m in members if m.pk != request.user.pk])
    if not form.is_valid():
        return _detail_response(request, inquiry, status=400, assign_form=form)
    assignee = form.chosen_assignee(request.user)
    inquiry_assign(inquiry=inquiry, assignee=assignee, by=request.user)
    if assignee is None:
        messages.success(request, _("Nobody is assigned to the inquiry now."))
    else:
        name = assignee.get_full_name() or assignee.get_username()
        messages.success(request, _("The inquiry is assigned to %(name)s.") % {"name": name})
    return _after_action(request, inquiry)


@require_POST
@staff_required
def change_status(request: HttpRequest, reference: str) -> HttpResponse:
    inquiry = _inquiry_or_404(request, reference)
    form = StatusForm(request.POST, allowed=allowed_next(inquiry.status))
    if not form.is_valid():
        messages.error(
            request, _("The status was not changed: that change is not allowed from here.")
        )
        return _detail_response(request, inquiry, status=400, status_form=form)
    try:
        inquiry_set_status(
            inquiry=inquiry,
            status=form.cleaned_data["status"],
            by=request.user,
            note=form.cleaned_data["note"],
        )
    except InvalidTransition:
        # Someone else changed the status meanwhile.
        messages.error(request, _("The status was not changed: it had changed meanwhile."))
        return _after_action(request, inquiry)
    messages.success(
        request, _("The status is now “%(status)s”.") % {"status": inquiry.get_status_display()}
    )
    return _after_action(request, inquiry)


@require_POST
@staff_required
def hand_over(request: HttpRequest, reference: str) -> HttpResponse:
    inquiry = _inquiry_or_404(request, reference)
    form = HandOverForm(request.POST, inquiry=inquiry)
    if not form.is_valid():
        return _detail_response(request, inquiry, status=400, hand_over_form=form)
    team = form.cleaned_data["team"]
    inquiry_hand_over(inquiry=inquiry, team=team, by=request.user, note=form.cleaned_data["reason"])
    messages.success(request, _("The inquiry was handed over to %(team)s.") % {"team": team.name})
    return _after_action(request, inquiry)


@require_POST
@staff_required
def add_note(request: HttpRequest, reference: str) -> HttpResponse:
    inquiry = _inquiry_or_404(request, reference)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _detail_response(request, inquiry, status=400, note_form=form)
    inquiry_note_add(inquiry=inquiry, body=form.cleaned_data["body"], by=request.user)
    messages.success(request, _("The note was added."))
    return HttpResponseRedirect(_detail_url(inquiry) + "#thread")


@require_POST
@staff_required
def reply(request: HttpRequest, reference: str) -> HttpResponse:
    inquiry = _inquiry_or_404(request, reference)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _detail_response(request, inquiry, status=400, reply_form=form)
    status = form.cleaned_data["status"]
    if status != inquiry.status and status not in allowed_next(inquiry.status):
        messages.error(
            request,
            _("The answer was not sent: the inquiry cannot become “%(status)s” from here.")
            % {"status": Status(status).label},
        )
        return _detail_response(request, inquiry, status=400, reply_form=form)
    try:
        inquiry_reply(
            inquiry=inquiry, body=form.cleaned_data["body"], by=request.user, status=status
        )
    except (InvalidTransition, ValidationError):
        messages.error(request, _("The answer was not sent: the inquiry changed meanwhile."))
        return _detail_response(request, inquiry, status=400, reply_form=form)
    if inquiry.citizen_email:
        messages.success(request, _("The answer is on its way to the citizen by e-mail."))
    else:
        messages.warning(
            request,
            _("The answer is saved, but the citizen gave no e-mail address: tell them yourself."),
        )
    return HttpResponseRedirect(_detail_url(inquiry) + "#thread")


@require_POST
@staff_required
def retry_email(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    inquiry = _inquiry_or_404(request, reference)
    email = OutboundEmail.objects.filter(inquiry=inquiry, pk=pk).first()
    if email is None:
        raise Http404
    if outbound_email_retry(email=email):
        messages.success(request, _("The e-mail will be sent again in a moment."))
    else:
        messages.info(request, _("The e-mail is not a failed one; nothing to retry."))
    return HttpResponseRedirect(_detail_url(inquiry) + "#outbox")


@require_safe
@staff_required
def attachment_download(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    inquiry = _inquiry_or_404(request, reference)
    attachment = Attachment.objects.filter(inquiry=inquiry, pk=pk).first()
    if attachment is None:
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError, ValueError):
        raise Http404 from None
    access_log_write(user=request.user, inquiry=inquiry, action=AccessAction.DOWNLOAD)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# Contact registration


def _registration_context(request: HttpRequest, form: RegistrationForm, **extra) -> dict:
    return {
        "form": form,
        "breadcrumbs": _crumbs((_("Register a contact"), None)),
        "staff_section": "register",
        **extra,
    }


def _suggested_services(query: str):
    from indgang.catalogue.models import Service
    from indgang.wayfinder.selectors import wayfinder_search

    answer = wayfinder_search(query=query[:200], limit=5)
    found = Service.objects.published().in_bulk([m.service_id for m in answer.matches])
    return [found[m.service_id] for m in answer.matches if m.service_id in found]


@staff_required
def register(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("inquiries.add_inquiry"):
        raise PermissionDenied
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    if request.method != "POST":
        initial = {"channel": request.session.get(LAST_CHANNEL_KEY), "send_receipt": True}
        return render(
            request,
            "inquiries/staff/register.html",
            _registration_context(request, RegistrationForm(initial=initial)),
        )
    if "find" in request.POST:
        # "Find" looks the citizen's words up in the wayfinder and shows the form again with the
        # matches first; nothing is registered and no errors are shown yet.
        query = (request.POST.get("service_query") or "")[:200].strip()
        suggested = _suggested_services(query) if query else []
        initial = {
            name: request.POST.get(name)
            for name in RegistrationForm.base_fields
            if name not in ("scan", "send_receipt") and request.POST.get(name) is not None
        }
        initial["send_receipt"] = "send_receipt" in request.POST
        if suggested:
            initial["service"] = str(suggested[0].pk)
        form = RegistrationForm(initial=initial, suggested=suggested)
        return render(
            request,
            "inquiries/staff/register.html",
            _registration_context(request, form, searched=query, suggested=suggested),
        )
    form = RegistrationForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(
            request,
            "inquiries/staff/register.html",
            _registration_context(request, form),
            status=400,
        )
    data = form.cleaned_data
    files = []
    if data.get("scan"):
        scan = data["scan"]
        files.append(IncomingFile(name=scan.name or "scan", content=scan.read()))
    resolved = data["resolved"] == "yes"
    try:
        inquiry = inquiry_submit(
            channel=data["channel"],
            description=data["note"],
            service=form.chosen_service,
            name=data["name"],
            email=data["email"],
            phone=data["phone"],
            files=files,
            registered_by=request.user,
            resolved_on_first_contact=resolved,
            self_service_possible=data["self_service"] == "yes",
            self_service_obstacle=data["obstacle"],
            send_receipt=bool(data["send_receipt"]) and not resolved,
        )
    except AttachmentRejected as exc:
        form.add_error("scan", str(exc))
        return render(
            request,
            "inquiries/staff/register.html",
            _registration_context(request, form),
            status=400,
        )
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return render(
            request,
            "inquiries/staff/register.html",
            _registration_context(request, form),
            status=400,
        )
    request.session[LAST_CHANNEL_KEY] = data["channel"]
    link = format_html('<a href="{}">{}</a>', _detail_url(inquiry), inquiry.reference)
    if resolved:
        text = _("The contact is registered as %(reference)s and closed.")
    elif inquiry.team_id:
        text = _("The contact is registered as %(reference)s and passed on to %(team)s.")
    else:
        text = _("The contact is registered as %(reference)s.")
    team_name = inquiry.team.name if inquiry.team_id else ""
    messages.success(
        request,
        mark_safe(  # noqa: S308 - the translation is escaped, the values are escaped
            conditional_escape(text) % {"reference": link, "team": conditional_escape(team_name)}
        ),
    )
    return HttpResponseRedirect(reverse("inquiries-staff:register"))


# The access log


@require_safe
@staff_required
def access_log(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("inquiries.view_access_log"):
        raise PermissionDenied
    form = AccessLogFilterForm(request.GET or None)
    if request.GET:
        form.is_valid()
    data = form.cleaned_data if form.is_bound else {}
    user = data.get("user")
    filters = AccessLogFilters(
        reference=data.get("reference") or "",
        user_id=user.pk if user else None,
        action=data.get("action") or "",
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
    )
    paginator = Paginator(access_log_list(filters=filters), ACCESS_LOG_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    page_query = {k: v for k, v in request.GET.items() if k != "page" and v}
    labels = dict(AccessAction.choices)
    context = {
        "form": form,
        "page": page,
        "rows": [(entry, labels.get(entry.action, entry.action)) for entry in page.object_list],
        "page_query": urlencode(page_query),
        "breadcrumbs": _crumbs((_("Access log"), None)),
        "staff_section": "access_log",
    }
    return render(request, "inquiries/staff/access_log.html", context)
