"""Signing in: the phone number, then the six-digit code sent to it. The number waits between the
two steps in a short signed cookie (never in the URL, so it stays out of proxies' logs)."""

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from wangge.core.masking import mask_phone
from wangge.core.origin import Origin, client_address
from wangge.residents import services
from wangge.residents.auth import clear_session_cookie, session_of, set_session_cookie
from wangge.residents.forms import CodeForm, PhoneForm
from wangge.residents.services.signin import SignInRefused, code_send, code_verify

PENDING = "wg_signin"
PENDING_SALT = "wangge.residents.signin"
PENDING_SECONDS = 15 * 60


def _origin(request: HttpRequest) -> Origin:
    return Origin(ip=client_address(request) or None, agent=Origin.from_request(request).agent)


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("residents:home")


def _pending_phone(request: HttpRequest) -> str:
    try:
        return str(
            signing.loads(
                request.COOKIES.get(PENDING, ""), salt=PENDING_SALT, max_age=PENDING_SECONDS
            )
        )
    except signing.BadSignature:
        return ""


def _to_code_page(next_url: str, phone: str) -> HttpResponse:
    response = HttpResponseRedirect(reverse("residents:signin_code") + "?next=" + next_url)
    response.set_cookie(
        PENDING,
        signing.dumps(phone, salt=PENDING_SALT),
        max_age=PENDING_SECONDS,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def signin(request: HttpRequest) -> HttpResponse:
    if session_of(request) is not None and request.method == "GET":
        return HttpResponseRedirect(_next(request))
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["phone"]
        try:
            code_send(phone=phone, origin=_origin(request))
        except SignInRefused as refused:
            form.add_error("phone", str(refused))
        else:
            return _to_code_page(_next(request), phone)
    status = 422 if form.errors else 200
    context = {"form": form, "next": _next(request)}
    return render(request, "residents/signin.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def signin_code(request: HttpRequest) -> HttpResponse:
    phone = _pending_phone(request)
    if not phone:
        return HttpResponseRedirect(reverse("residents:signin") + "?next=" + _next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            signed = code_verify(
                phone=phone, code=form.cleaned_data["code"], origin=_origin(request)
            )
        except SignInRefused as refused:
            form.add_error("code", str(refused))
        else:
            response = HttpResponseRedirect(_next(request))
            set_session_cookie(response, signed.raw, signed.session)
            response.delete_cookie(PENDING, samesite="Lax")
            return response
    context = {"form": form, "next": _next(request), "phone": mask_phone(phone)}
    return render(
        request, "residents/signin_code.html", context, status=422 if form.errors else 200
    )


@require_POST
def signin_resend(request: HttpRequest) -> HttpResponse:
    phone = _pending_phone(request)
    if not phone:
        return HttpResponseRedirect(reverse("residents:signin"))
    try:
        code_send(phone=phone, origin=_origin(request))
    except SignInRefused as refused:
        form = CodeForm()
        form.add_error(None, str(refused))
        context = {"form": form, "next": _next(request), "phone": mask_phone(phone)}
        return render(request, "residents/signin_code.html", context, status=429)
    return _to_code_page(_next(request), phone)


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    session = session_of(request)
    if session is not None:
        services.session_end(
            account=session.account, session_id=session.pk, origin=Origin.from_request(request)
        )
    response = HttpResponseRedirect(reverse("residents:signin"))
    clear_session_cookie(response)
    return response
