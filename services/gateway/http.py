"""HTTP plumbing of the gateway: JSON in and out, one error shape, RPC with a timeout."""
import functools
import json
import logging
import time
import uuid

from werkzeug.wrappers import Response

from shared.errors import BadRequest, DubanError, NotFound, PayloadTooLarge, ValidationFailed

log = logging.getLogger(__name__)
MAX_BODY = 1024 * 1024
MAX_UPLOAD = 5 * 1024 * 1024
MAX_BASE64_BODY = MAX_UPLOAD * 4 // 3 + 64 * 1024  # a 5 MiB file sent as base64 in JSON
MINUTES_FILES = ("txt", "docx", "pdf")  # the file types intake reads minutes from
GOAL_SHEET_FILES = ("csv", "xlsx")


def json_response(status, payload, headers=None):
    return Response(json.dumps(payload, ensure_ascii=False, default=str), status=status,
                    mimetype="application/json", headers=headers)


def error_response(exc):
    return json_response(exc.status, exc.to_dict())


def read_json(request, limit=MAX_BODY):
    """The request body as a JSON object, or the error a client can act on."""
    length = request.content_length
    if length is not None and length > limit:
        raise PayloadTooLarge("The body is larger than {} bytes".format(limit))
    raw = request.get_data(cache=True)
    if len(raw) > limit:
        raise PayloadTooLarge("The body is larger than {} bytes".format(limit))
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadRequest("The body is not valid JSON: {}".format(exc),
                         {"_body": ["malformed JSON"]})
    if not isinstance(data, dict):
        raise BadRequest("The body must be a JSON object", {"_body": ["expected an object"]})
    return data


def read_upload(request):
    """(form fields, filename, bytes) of a multipart upload with a `file`, or None for JSON."""
    if request.mimetype != "multipart/form-data":
        return None
    if request.content_length is not None and request.content_length > MAX_UPLOAD + 64 * 1024:
        raise PayloadTooLarge("The upload is larger than {} bytes".format(MAX_UPLOAD))
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise BadRequest("The upload has no `file` part", {"file": ["missing"]})
    data = upload.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise PayloadTooLarge("The upload is larger than {} bytes".format(MAX_UPLOAD))
    form = {k: v for k, v in request.form.items() if v != ""}
    return form, upload.filename, data


def path_id(value, what):
    """A numeric id from the URL's path. Anything else names nothing there: 404, as an
    unknown id is (and as items, sources, drafts and appraisals answer)."""
    if not (value.isascii() and value.isdigit()) or len(value) > 18 or int(value) < 1:
        raise NotFound("No {} '{}'".format(what, value[:100]))
    return int(value)


def known_args(request, allowed):
    unknown = sorted(set(request.args) - set(allowed))
    if unknown:
        takes = ", ".join(allowed) if allowed else "none"
        raise ValidationFailed("Unknown query parameter(s): {}".format(", ".join(unknown)[:200]),
                               {name[:64]: ["unknown query parameter; this list takes: " + takes]
                                for name in unknown[:20]})


def file_format(filename, allowed):
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if ext not in allowed:
        raise BadRequest("Unsupported file type '.{}'; expected {}".format(
            ext, ", ".join("." + a for a in allowed)), {"file": ["unsupported type"]})
    return ext


def query_args(request):
    """Query parameters as a flat dict (the service's schema converts the types)."""
    return {k: v for k, v in request.args.items()}


def api(status=200, public=False, args=None):
    """Wrap an @http method: the caller is authenticated first (unless `public`), its
    return value becomes JSON, its errors the error shape. `args`, for a list whose query
    parameters no schema checks, names the ones it takes: any other is a 422, not a
    filter silently ignored (which would answer with the whole list)."""
    def decorator(fn):
        @functools.wraps(fn)
        def wrapper(self, request, *path_args, **kwargs):
            try:
                if not public:
                    self.authenticate(request)
                if args is not None:
                    known_args(request, args)
                result = fn(self, request, *path_args, **kwargs)
            except DubanError as exc:
                return error_response(exc)
            except Exception:  # a fault of ours, not of the caller: no traceback out
                log.exception("unhandled error in %s", fn.__name__)
                return json_response(500, {"error": {"code": "internal_error",
                                                     "message": "Internal error; it was logged",
                                                     "fields": {}}})
            if isinstance(result, Response):
                return result
            return json_response(status, result)
        return wrapper
    return decorator


IDEMPOTENCY = uuid.UUID("6f1d3a52-8c0e-4b7a-9f57-2d1b7c0e5a11")


def idempotency_key(request, caller):
    """The client's Idempotency-Key, scoped to the caller, as a request id (or None)."""
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        return None
    if len(key) > 200:
        raise ValidationFailed("Idempotency-Key is too long",
                               {"Idempotency-Key": ["at most 200 characters"]})
    return str(uuid.uuid5(IDEMPOTENCY, "{}|{}".format(caller, key)))


def deadline_for(timeout):
    """Until when a service may still commit for a request the gateway waits `timeout`
    seconds for: a margin before the gateway gives up, so that a 503 means "not done"."""
    return time.time() + timeout - min(1.0, timeout / 5)
