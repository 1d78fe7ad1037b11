"""DealerDesk settings.

Every setting that differs between machines comes from an environment variable; nothing
is read from files. `docs/operations.md` lists the variables and their defaults.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import xstatic.pkg.bootstrap
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, *, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, *, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw else default


def env_list(name: str, *, default: str) -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


# Runtime data (the SQLite file, uploaded and generated files, collected static files).
VAR_DIR = Path(env_str("DEALERDESK_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", default=False)

# Without SECRET_KEY a development key is used; `check --deploy` flags it (security.W009),
# so a production start without a real key cannot go unnoticed.
SECRET_KEY = env_str("SECRET_KEY") or "django-insecure-dealerdesk-development-key-change-me"
# Former keys, still accepted for signatures and for the encrypted two-factor secrets while
# the key is being rotated.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", default="")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default="127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default="")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "axes",
    "dealerdesk.core",
    "dealerdesk.tenancy",
    "dealerdesk.accounts",
    "dealerdesk.companies",
    "dealerdesk.catalog",
    "dealerdesk.pricing",
    "dealerdesk.documents",
    "dealerdesk.events",
    "dealerdesk.orders",
    "dealerdesk.shipments",
    "dealerdesk.finance",
    "dealerdesk.erp",
    "dealerdesk.notifications",
    "dealerdesk.manager",
    "dealerdesk.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Ends idle and over-age sessions before the scope is resolved; says so with a message.
    "dealerdesk.accounts.middleware.SessionTimeoutMiddleware",
    "dealerdesk.tenancy.middleware.ScopeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dealerdesk.urls"
WSGI_APPLICATION = "dealerdesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "dealerdesk" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "dealerdesk.tenancy.context_processors.scope",
                "dealerdesk.core.context_processors.supplier",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'dealerdesk.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", default=60), conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while a writer commits; IMMEDIATE takes the write lock at BEGIN,
        # so two writers queue instead of failing with "database is locked" on lock upgrade.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            "PRAGMA busy_timeout=10000; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["TEST"] = {"NAME": env_str("SQLITE_TEST_NAME") or None}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Users and sessions ---------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first: a locked-out account and address is refused before the password check.
    "dealerdesk.accounts.backends.LoginAttemptBackend",
    "dealerdesk.accounts.backends.EmailBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sessions live in the database so any application server can serve any request.
SESSION_ENGINE = env_str("SESSION_ENGINE", "django.contrib.sessions.backends.db")
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", default=12 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Seconds: a signed-in session ends after this long without a request, and this long after
# sign-in whatever the activity (dealerdesk.accounts.middleware.SessionTimeoutMiddleware).
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", default=2 * 60 * 60)
SESSION_ABSOLUTE_TIMEOUT = env_int("SESSION_ABSOLUTE_TIMEOUT", default=12 * 60 * 60)
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", default=24 * 60 * 60)
# "Forgot your password?" e-mails per hour: per account address, and per client address.
PASSWORD_RESET_LIMIT_PER_ACCOUNT = env_int("PASSWORD_RESET_LIMIT_PER_ACCOUNT", default=3)
PASSWORD_RESET_LIMIT_PER_CLIENT = env_int("PASSWORD_RESET_LIMIT_PER_CLIENT", default=10)

# Sign-in lockout (django-axes): failures are counted per account AND client address, so an
# attacker elsewhere cannot lock a user out of their own address.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "dealerdesk.accounts.security.login_attempt_username"
AXES_CLIENT_IP_CALLABLE = "dealerdesk.accounts.security.client_ip_address"
AXES_LOCKOUT_CALLABLE = "dealerdesk.accounts.views.lockout"
# How many reverse proxies in front of the application append to X-Forwarded-For; 0 trusts
# REMOTE_ADDR only. Set it to the real count behind a load balancer, never higher: the client
# writes whatever it likes to the left of the trusted entries.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", default=0)

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "dealerdesk",
    }
}

# --- Security -------------------------------------------------------------------------------
# HTTPS=1 is the production switch: secure cookies, HSTS and the redirect to https.
HTTPS = env_bool("HTTPS", default=False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=31_536_000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env_bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not from the cookie

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "ru")
LANGUAGES = [("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "dealerdesk" / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Moscow")
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [("bootstrap", xstatic.pkg.bootstrap.BASE_DIR)]
# Files (documentation, invoices, ERP attachments) are never served by URL: every download goes
# through a view that checks access. MEDIA_ROOT is therefore outside STATIC_ROOT and has no URL.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

# Invitations and password resets. The console backend prints them (development, demo);
# production sets the SMTP backend and the server below.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# The portal's address as users reach it: links in e-mails are built on it.
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "http://localhost:8000").rstrip("/")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "DealerDesk <noreply@dealerdesk.local>")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", default=10)

# --- Product settings -----------------------------------------------------------------------
DEALERDESK = {
    # Rows per catalog page; the list never counts all rows (see catalog.selectors).
    "CATALOG_PAGE_SIZE": env_int("CATALOG_PAGE_SIZE", default=50),
    "SEARCH_RESULT_LIMIT": 20,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint and fontTools report every layout step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # django-axes reports every sign-in at INFO; failures and lockouts come at WARNING.
        "axes": {"level": "WARNING"},
    },
}

# ERP batches: beyond these the API answers 413 and says the limit (docs/erp-integration.md).
ERP_BATCH_MAX_ITEMS = env_int("ERP_BATCH_MAX_ITEMS", default=50_000)
ERP_BATCH_MAX_BYTES = env_int("ERP_BATCH_MAX_BYTES", default=50 * 1024 * 1024)
# The exchange monitor warns about an active ERP client that has not read the outbox for this
# long (orders placed meanwhile are not reaching the ERP).
ERP_PULL_WARNING_MINUTES = env_int("ERP_PULL_WARNING_MINUTES", default=60)

# 1C "exchange with a website" (CommerceML), docs/1c-exchange.md. The path is what the 1C
# exchange node is configured with; answers and the `query` document use the encoding below
# (1C-Bitrix, which 1C is tested against, speaks windows-1251).
EXCHANGE_1C_PATH = env_str("EXCHANGE_1C_PATH", "exchange/1c/")
# Bytes per `file` request: 1C splits bigger files into chunks of this size.
EXCHANGE_1C_FILE_LIMIT = env_int("EXCHANGE_1C_FILE_LIMIT", default=20 * 1024 * 1024)
EXCHANGE_1C_ZIP = env_bool("EXCHANGE_1C_ZIP", default=True)
EXCHANGE_1C_ENCODING = env_str("EXCHANGE_1C_ENCODING", "windows-1251")
# One `import` request works about this long, then answers `progress` (1C repeats it).
EXCHANGE_1C_STEP_SECONDS = env_int("EXCHANGE_1C_STEP_SECONDS", default=15)
# Uploaded and unpacked files, one folder per exchange session, kept until the next `init`.
EXCHANGE_1C_AREA = Path(env_str("EXCHANGE_1C_AREA", str(VAR_DIR / "exchange")))
