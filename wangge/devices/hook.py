"""The camera hook: Hikvision cameras POST their EventNotificationAlert to
/devices/hook/<serial>/<token>/ (the device's token in the path authenticates it; configure it as
the camera's HTTP listening server URL). The XML comes as the body, or as one part of a
multipart/form-data post that also carries pictures."""

from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from wangge.devices.alerts import setting
from wangge.devices.intake import log, take_camera
from wangge.devices.payloads import PayloadError

REFUSED_AS = {"unknown_device": 403, "bad_token": 403, "revoked": 403, "wrong_kind": 403}


def _xml_of(request: HttpRequest) -> bytes:
    """The XML of the post: the body, or the multipart part that holds it."""
    if not (request.content_type or "").startswith("multipart/"):
        return request.body
    try:
        uploads = list(request.FILES.values())
    except MultiPartParserError as error:
        raise PayloadError("bad_multipart", "表单格式错误 / malformed multipart form") from error
    for upload in uploads:
        if not isinstance(upload, UploadedFile):
            continue
        if "xml" in (upload.content_type or "") or (upload.name or "").lower().endswith(".xml"):
            return upload.read()
    for value in request.POST.values():
        if isinstance(value, str) and value.lstrip().startswith("<"):
            return value.encode()
    raise PayloadError("no_xml", "表单中没有XML部分 / no XML part in the form")


@csrf_exempt
@require_POST
def camera_hook(request: HttpRequest, serial: str, token: str) -> HttpResponse:
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > setting("DEVICE_HTTP_MAX_BYTES"):
        log.warning("http refused (too_large) from %r: %d bytes", serial[:64], length)
        return JsonResponse(
            {"code": "too_large", "detail": "内容过大 / payload too large"}, status=413
        )
    try:
        xml = _xml_of(request)
        event = take_camera(serial, token, xml)
    except PayloadError as error:
        if error.code in {"no_xml", "bad_multipart"}:
            log.warning("http refused (%s) from %r", error.code, serial[:64])
        return JsonResponse(
            {"code": error.code, "detail": str(error)}, status=REFUSED_AS.get(error.code, 400)
        )
    return JsonResponse({"event": event.pk, "alert": event.alert_id})
