"""The 1C exchange endpoint: one URL, `type` and `mode` in the query string, plain text answers.

1C reads the first line of an answer (`success`, `progress`, `failure`) and shows the rest to
its user; an HTML error page or a 500 would only confuse it, so every error, including an
unexpected one, is answered `failure` with HTTP 200 and a readable reason.
"""

from __future__ import annotations

import base64
import binascii
import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from dealerdesk.erp.commerceml import exchange
from dealerdesk.erp.commerceml.exchange import COOKIE_NAME, ExchangeError
from dealerdesk.erp.models import ExchangeSession
from dealerdesk.erp.services import erp_client_authenticate_login, events_pull_record
from dealerdesk.tenancy.http import ACCESS_POLICY_ATTRIBUTE

logger = logging.getLogger(__name__)

KINDS = {kind.value for kind in ExchangeSession.Kind}
QUERY_SCHEMA_VERSION = "2.08"


def _answer(*lines: str) -> HttpResponse:
    encoding = settings.EXCHANGE_1C_ENCODING
    text = "\n".join(lines)
    return HttpResponse(
        text.encode(encoding, errors="replace"),
        content_type=f"text/plain; charset={encoding}",
    )


def _failure(message: str) -> HttpResponse:
    return _answer("failure", message)


def _credentials(request: HttpRequest) -> tuple[str, str] | None:
    header = request.headers.get("Authorization", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        raw = base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
    try:
        decoded = raw.decode()
    except UnicodeDecodeError:
        decoded = raw.decode("cp1251")  # 1C on Windows may send its code page
    login, separator, key = decoded.partition(":")
    return (login, key) if separator else None


def _checkauth(request: HttpRequest, kind: str) -> HttpResponse:
    credentials = _credentials(request)
    if credentials is None:
        return _failure(
            "нужна HTTP Basic авторизация: логин и ключ ERP-клиента (manage.py erp_client_create)"
        )
    client = erp_client_authenticate_login(login=credentials[0], key=credentials[1])
    if client is None:
        return _failure("неверный логин или ключ ERP-клиента, или ключ отозван")
    opened = exchange.session_open(client=client, kind=kind)
    response = _answer(
        "success",
        COOKIE_NAME,
        opened.cookie,
        f"sessid={opened.session.sessid}",
        f"timestamp={int(time.time())}",
    )
    response.set_cookie(
        COOKIE_NAME,
        opened.cookie,
        max_age=int(exchange.SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="Strict",
        secure=request.is_secure(),
    )
    return response


def _init(request: HttpRequest, session: ExchangeSession) -> HttpResponse:
    versioned = bool(request.GET.get("version"))
    # Without a version, 1C speaks the older order exchange: it uploads a document and expects
    # it imported by that very request (1C-Bitrix does the same), never sending `import`.
    exchange.session_init(
        session=session,
        imports_on_upload=session.kind == ExchangeSession.Kind.SALE and not versioned,
    )
    lines = [
        f"zip={'yes' if settings.EXCHANGE_1C_ZIP else 'no'}",
        f"file_limit={exchange.file_limit()}",
    ]
    if versioned:
        # Newer 1C modules send their version and expect ours and the token back (1C-Bitrix).
        lines += [f"sessid={session.sessid}", f"version={QUERY_SCHEMA_VERSION}"]
    return _answer(*lines)


def _filename(request: HttpRequest) -> str:
    filename = request.GET.get("filename", "")
    if not filename:
        raise ExchangeError("не указано имя файла (filename)")
    return filename


def _declared_length(request: HttpRequest) -> int:
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


def _file(request: HttpRequest, session: ExchangeSession) -> HttpResponse:
    filename = _filename(request)
    exchange.file_append(
        session=session,
        filename=filename,
        body=request,
        declared_length=_declared_length(request),
    )
    if session.state.get("imports_on_upload"):
        step = exchange.import_on_upload(session=session, filename=filename)
        return _answer(step.status, step.message) if step.message else _answer(step.status)
    return _answer("success")


def _import(request: HttpRequest, session: ExchangeSession) -> HttpResponse:
    step = exchange.import_step(session=session, filename=_filename(request))
    return _answer(step.status, step.message)


def _deactivate(request: HttpRequest, session: ExchangeSession) -> HttpResponse:
    return _answer("success", exchange.catalog_deactivate(session=session))


def _complete(request: HttpRequest, session: ExchangeSession) -> HttpResponse:
    exchange.session_complete(session=session)
    return _answer("success")


def _query(request: HttpRequest, session: ExchangeSession) -> HttpResponse:
    encoding = settings.EXCHANGE_1C_ENCODING
    events_pull_record(client=session.client)
    return HttpResponse(
        exchange.orders_query(session=session),
        content_type=f"application/xml; charset={encoding}",
    )


def _success(request: HttpRequest, session: ExchangeSession) -> HttpResponse:
    return _answer("success", exchange.orders_acknowledge(session=session))


Handler = Callable[[HttpRequest, ExchangeSession], HttpResponse]
MODES: dict[str, dict[str, Handler]] = {
    "catalog": {
        "init": _init,
        "file": _file,
        "import": _import,
        "deactivate": _deactivate,
        "complete": _complete,
    },
    "sale": {
        "init": _init,
        "query": _query,
        "success": _success,
        "file": _file,
        "import": _import,
        "complete": _complete,
    },
}


def _dispatch(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("type", "")
    mode = request.GET.get("mode", "")
    if kind not in KINDS:
        return _failure(f"неизвестный тип обмена {kind!r}: ожидается catalog или sale")
    if mode == "checkauth":
        return _checkauth(request, kind)
    handler = MODES[kind].get(mode)
    if handler is None:
        known = ", ".join(["checkauth", *MODES[kind]])
        return _failure(f"неизвестный режим {mode!r} для type={kind}: ожидается один из {known}")
    session = exchange.session_resume(
        cookie=request.COOKIES.get(COOKIE_NAME, ""), sessid=request.GET.get("sessid")
    )
    return handler(request, session)


@csrf_exempt
def exchange_1c(request: HttpRequest) -> HttpResponse:
    try:
        return _dispatch(request)
    except ExchangeError as error:
        logger.info("1C exchange refused: %s", error.message)
        return _failure(error.message)
    except Exception:
        logger.exception("1C exchange failed")
        return _failure(
            "внутренняя ошибка портала; текущая порция не записана, повторите обмен. "
            "Если ошибка повторится, сообщите в поддержку поставщика"
        )


# The exchange authenticates by the ERP client's Basic credentials and then its own cookie.
setattr(exchange_1c, ACCESS_POLICY_ATTRIBUTE, "erp_client")
