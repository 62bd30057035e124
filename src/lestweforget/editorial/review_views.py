"""The review pages: the public suggestion form, the contributor's proposal forms, and the editors' queue.

Each view checks who may do what through `permissions` and leaves the work to `review`; a bad request gets a 4xx
page that names what is wrong, and nothing is stored.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lestweforget.atlas.models import Site

from . import review, suggestions
from .permissions import can_read_everything, can_review, can_see_identities, can_see_unpublished, can_submit, refusal
from .submissions import Submission


def _guard(request: HttpRequest, capability: Any) -> HttpResponse | None:
    """None when the user may go on; a sign-in redirect for a reader not signed in; else `refusal`'s answer."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())  # settings.LOGIN_URL: the account sign-in page
    refused = refusal(request, capability, hide=False)
    return refused  # type: ignore[return-value]


# The public form.


def _public_site(slug: str | None) -> Site | None:
    if slug is None:
        return None
    return get_object_or_404(Site, slug=slug, is_published=True)


@require_http_methods(["GET", "HEAD", "POST"])
def suggest(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """'Suggest a correction or report a site': no account needed; what is sent waits for an editor, unseen."""
    site = _public_site(slug)
    context: dict[str, Any] = {"site": site, "honeypot": suggestions.HONEYPOT_FIELD, "values": {}, "errors": {}}
    if request.method != "POST":
        return render(request, "editorial/suggest.html", context)
    context["values"] = {"message": request.POST.get("message", ""), "contact": request.POST.get("contact", "")}
    if request.POST.get(suggestions.HONEYPOT_FIELD, ""):
        context["problem"] = _("This form was filled in by a program, not a person: it was not sent.")
        return render(request, "editorial/suggest.html", context, status=400)
    key = suggestions.address_key(request)
    if not suggestions.take_one(key):
        context["problem"] = _(
            "Too many suggestions from your address in the last hour (at most %(count)d). Please try again later."
        ) % {"count": suggestions.per_hour()}
        refused = render(request, "editorial/suggest.html", context, status=429)
        refused["Retry-After"] = str(suggestions.retry_after_seconds())
        return refused
    try:
        review.suggest(site, context["values"]["message"], context["values"]["contact"], key)
    except review.ReviewError as error:
        context["errors"] = error.errors
        context["problem"] = _("The suggestion was not sent: see what is wrong below.")
        return render(request, "editorial/suggest.html", context, status=400)
    return HttpResponseRedirect(reverse("suggest-thanks"), status=303)


def suggest_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "editorial/suggest_thanks.html")


# The contributor's side.


def _kind_or_404(name: str) -> review.Reviewable:
    try:
        return review.reviewable(name)
    except review.ReviewError as error:
        raise Http404(str(error)) from None


@require_http_methods(["GET", "HEAD", "POST"])
def propose(request: HttpRequest, kind: str, pk: str) -> HttpResponse:
    """A form with a published record's current values; what is changed and sent becomes a proposed revision."""
    if (refused := _guard(request, can_submit)) is not None:
        return refused
    reviewable = _kind_or_404(kind)
    record = reviewable.model_class()._default_manager.filter(pk=pk).first() if pk.isdigit() else None
    if record is None or not (reviewable.is_public(record) or can_review(request.user)):
        raise Http404(f"there is no published {kind} {pk}")
    form_class = reviewable.form_class(reviewable.fields)
    status, problem = 200, ""
    if request.method == "POST":
        try:
            submission = review.propose_revision(request.user, kind, pk, request.POST)
        except PermissionError as error:
            return HttpResponse(str(error), status=403, content_type="text/plain; charset=utf-8")
        except review.ReviewError as error:
            form = form_class(data=request.POST, instance=record)
            form.is_valid()
            status, problem = 400, str(error)
        else:
            return HttpResponseRedirect(f"{reverse('editorial:mine')}?sent={submission.pk}", status=303)
    else:
        form = form_class(instance=record)
    context = {"form": form, "record": record, "kind": reviewable, "problem": problem}
    return render(request, "editorial/propose.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def submit_new(request: HttpRequest, kind: str) -> HttpResponse:
    """A form for a new record of ``kind``: a draft, in the queue until an editor accepts it."""
    if (refused := _guard(request, can_submit)) is not None:
        return refused
    reviewable = _kind_or_404(kind)
    if not reviewable.new_fields:
        raise Http404(f"new {kind} records are not taken here")
    form_class = reviewable.form_class(reviewable.new_fields)
    status, problem = 200, ""
    if request.method == "POST":
        try:
            submission = review.submit_new(request.user, kind, request.POST)
        except PermissionError as error:
            return HttpResponse(str(error), status=403, content_type="text/plain; charset=utf-8")
        except review.ReviewError as error:
            form = form_class(data=request.POST)
            form.is_valid()
            status, problem = 400, str(error)
        else:
            return HttpResponseRedirect(f"{reverse('editorial:mine')}?sent={submission.pk}", status=303)
    else:
        form = form_class()
    _offer_only_visible_sites(form, request.user)
    context = {"form": form, "record": None, "kind": reviewable, "problem": problem}
    return render(request, "editorial/propose.html", context, status=status)


def _offer_only_visible_sites(form: Any, user: Any) -> None:
    """A form's choice of site lists only published sites for someone who may not see unpublished ones: an
    unpublished site's name must not reach a contributor (the role × route matrix test found it did)."""
    field = form.fields.get("site")
    if field is not None and not can_see_unpublished(user):
        field.queryset = field.queryset.filter(is_published=True)


def mine(request: HttpRequest) -> HttpResponse:
    """A contributor's own submissions and what became of them."""
    if (refused := _guard(request, can_submit)) is not None:
        return refused
    submissions = review.own_submissions(request.user)[:200]
    return render(request, "editorial/mine.html", {"submissions": submissions, "sent": request.GET.get("sent")})


# The editors' side.


@require_http_methods(["GET", "HEAD", "POST"])
def queue(request: HttpRequest) -> HttpResponse:
    """Everything waiting, oldest first, filterable by site, kind and contributor; batch accept or reject.
    Investigators read it; only editors decide."""
    if (refused := _guard(request, can_review if request.method == "POST" else can_read_everything)) is not None:
        return refused
    filters = {name: request.GET.get(name, "").strip() for name in ("site", "kind", "contributor")}
    outcome: dict[str, Any] = {}
    status = 200
    if request.method == "POST":
        ids = [int(v) for v in request.POST.getlist("submission") if v.isdigit()]
        try:
            if not ids:
                raise review.ReviewError(_("Choose at least one submission."))
            done, refused_ids = review.decide_many(
                request.user, ids, request.POST.get("decision", ""), request.POST.get("reason", "")
            )
        except review.ReviewError as error:
            outcome, status = {"problem": str(error)}, 400
        else:
            outcome = {"done": done, "refused": refused_ids}
    try:
        waiting = list(review.waiting(**filters)[:500])
    except review.ReviewError as error:
        waiting, outcome, status = [], {"problem": str(error)}, 400
    context = {
        "waiting": waiting,
        "filters": filters,
        "kinds": [*review.REVIEWABLE, Submission.Kind.SUGGESTION.value],
        "sites": Site.objects.order_by("slug").values_list("slug", flat=True),
        "outcome": outcome,
        "show_identities": can_see_identities(request.user),
        "may_decide": can_review(request.user),
        "counts": review.waiting_counts(),
        "articles": review.articles_waiting(),
    }
    return render(request, "editorial/queue.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """One submission side by side with what is published: accept, reject with a reason, or edit then accept.
    Investigators read it; only editors decide."""
    if (refused := _guard(request, can_review if request.method == "POST" else can_read_everything)) is not None:
        return refused
    submission = get_object_or_404(Submission.objects.select_related("site", "record_type", "submitted_by"), pk=pk)
    status, problem, errors = 200, "", {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "accept":
                edited = {k: request.POST[f"edit-{k}"] for k in submission.proposed if f"edit-{k}" in request.POST}
                review.accept(request.user, submission, edited, request.POST.get("seen"), request.POST.get("note", ""))
            elif action == "reject":
                review.reject(request.user, submission, request.POST.get("reason", ""))
            else:
                raise review.ReviewError(_("Choose accept or reject."))
        except review.StaleError as error:
            status, problem = 409, str(error)
        except review.ReviewError as error:
            status, problem, errors = 400, str(error), error.errors
        else:
            return HttpResponseRedirect(reverse("editorial:queue"), status=303)
        submission.refresh_from_db()
    kind = review.reviewable_of(submission)
    record = review._current_record(submission, kind) if kind is not None else None
    seen = review.values_token(review.current_values(kind, record)) if kind is not None and record is not None else ""
    context = {
        "submission": submission,
        "changes": review.changes(submission),
        "kind": kind,
        "record": record,
        "seen": seen,
        "problem": problem,
        "errors": errors,
        "show_identities": can_see_identities(request.user),
        "may_decide": can_review(request.user),
    }
    return render(request, "editorial/decide.html", context, status=status)
