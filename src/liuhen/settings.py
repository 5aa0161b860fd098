"""Django settings for Liuhen. Everything configurable comes through :mod:`liuhen.env`."""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url

from liuhen import env

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = env.data_dir()
PRODUCTION = env.get_str("LIUHEN_ENV", "development") == "production"

DEBUG = env.get_bool("LIUHEN_DEBUG", default=False)


def _secret_key() -> str:
    configured = env.get_str("LIUHEN_SECRET_KEY")
    if configured:
        return configured
    if PRODUCTION:
        raise env.ConfigError("LIUHEN_SECRET_KEY must be set when LIUHEN_ENV=production")
    # Single-machine default: a random key generated once and kept under the data directory.
    key_file = DATA_DIR / "keys" / "django-secret"
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env.get_list("LIUHEN_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.get_list("LIUHEN_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # only for its static Swagger UI and templates: /api/docs works offline
    "axes",
    "liuhen.accounts",
    "liuhen.ledger",
    "liuhen.cases",
    "liuhen.evidence",
    "liuhen.compliance",
    "liuhen.issuing",
    "liuhen.archive",
    "liuhen.grants",
    "liuhen.disclosure",
    "liuhen.spotchecks",
    "liuhen.filereview",
    "liuhen.stats",
    "liuhen.publication",
    "liuhen.web",
    "liuhen.cli",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "liuhen.web.diskfull_middleware.DiskFullMiddleware",  # a full disk or database: 507, never a 500
    "csp.middleware.CSPMiddleware",
    "liuhen.web.middleware.NoStoreMiddleware",  # after WhiteNoise: static files stay cacheable
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into the 429 page
]

ROOT_URLCONF = "liuhen.urls"
WSGI_APPLICATION = "liuhen.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "liuhen.web.context.integrity_alerts",
                "liuhen.web.context.inbox_badge",
            ],
        },
    },
]


def _database() -> dj_database_url.DBConfig:
    url = env.get_str("DATABASE_URL")
    if url:
        config = dj_database_url.parse(url, conn_max_age=60)
        if config["ENGINE"] == "django.db.backends.sqlite3":
            config.setdefault("OPTIONS", {}).update(_SQLITE_OPTIONS)
        return config
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(DATA_DIR / "liuhen.sqlite3"),
        "OPTIONS": _SQLITE_OPTIONS,
    }


# IMMEDIATE transactions serialise writers up front (no lock upgrades mid-transaction), WAL lets readers
# run beside the single writer.
_SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
}

DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Enforced by liuhen.accounts.services.user_create (messages in Chinese: liuhen.accounts.passwords).
# 10, not 12: the public demo password `liuhen-demo` has 11 characters.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "full_name")},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes). Axes' backend comes first: a locked-out attempt is refused before
# ModelBackend hashes anything, so a flood against a locked account or address costs no hashing.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# An account is locked after AXES_FAILURE_LIMIT failures, an address after AXES_ADDRESS_FAILURE_LIMIT
# (higher: one office behind NAT shares an address), each for AXES_COOLOFF_TIME after its last failure.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = env.get_int("LIUHEN_LOCKOUT_ACCOUNT_FAILURES", 5)
AXES_ADDRESS_FAILURE_LIMIT = env.get_int("LIUHEN_LOCKOUT_ADDRESS_FAILURES", 20)  # ours, not an axes setting
AXES_COOLOFF_TIME = timedelta(minutes=env.get_int("LIUHEN_LOCKOUT_MINUTES", 15))
# Attempts refused during a lockout neither count nor extend it: the owner gets in after the cool-off
# however long an attacker keeps trying, and each lockout is one ledger entry, not one per attempt.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True  # a successful login clears the account's failures
AXES_DISABLE_ACCESS_LOG = True  # axes' table of successful logins: unbounded, and not our audit trail
AXES_HANDLER = "liuhen.accounts.lockout.LockoutHandler"
AXES_LOCKOUT_CALLABLE = "liuhen.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "liuhen.accounts.lockout.client_address"
# How many reverse proxies in front of `liuhen serve` append to X-Forwarded-For. 0: the header is
# ignored and the connection's address (REMOTE_ADDR) is the client's; a forged header then changes nothing.
AXES_TRUSTED_PROXY_COUNT = env.get_int("LIUHEN_PROXY_COUNT", 0)  # ours, read by client_address

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Request bodies: JSON/form requests are small; media uploads go through their own streaming endpoint.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.get_int("LIUHEN_MAX_REQUEST_BYTES", 2 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
FILE_UPLOAD_TEMP_DIR = None
LIUHEN_MAX_MEDIA_BYTES = env.get_int("LIUHEN_MAX_MEDIA_BYTES", 8 * 1024 * 1024 * 1024)
# A resumable upload is made durable (fsync + saved offset) every this many bytes: a crash loses at most that.
LIUHEN_UPLOAD_CHECKPOINT_BYTES = env.get_int("LIUHEN_UPLOAD_CHECKPOINT_BYTES", 16 * 1024 * 1024)
LIUHEN_UPLOAD_DIR = DATA_DIR / "uploads"
LIUHEN_UPLOAD_EXPIRY_HOURS = env.get_int("LIUHEN_UPLOAD_EXPIRY_HOURS", 72)
# Minimum retention of A/V on S3 Object Lock (COMPLIANCE mode); longjiang-cg§19 asks for at least 6 months.
LIUHEN_MEDIA_MIN_RETAIN_DAYS = env.get_int("LIUHEN_MEDIA_MIN_RETAIN_DAYS", 183)
LIUHEN_BLOB_DIR = DATA_DIR / "blobs"
LIUHEN_KEY_DIR = DATA_DIR / "keys"
LIUHEN_LOG_ORIGIN = env.get_str("LIUHEN_LOG_ORIGIN", "liuhen.local/ledger")

# --- documents that leave the building (issue #10) ---
# The address printed in every PDF's QR code: <LIUHEN_PUBLIC_URL>/verify/<leaf hash>.
LIUHEN_PUBLIC_URL = env.get_str("LIUHEN_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
# Layout overrides: <dir>/<agency code>/<template>.typ, then <dir>/<template>.typ, then the shipped ones.
LIUHEN_TEMPLATE_DIR = Path(env.get_str("LIUHEN_TEMPLATE_DIR") or DATA_DIR / "templates")
# Seal images: <dir>/<agency code>.png (or .svg); without one a drawn seal stands in.
LIUHEN_SEAL_DIR = Path(env.get_str("LIUHEN_SEAL_DIR") or DATA_DIR / "seals")
# The installation CA and agency certificates (keys 0600) and the optional per-agency signer config
# (PKCS#12 file or PKCS#11 module), see docs/documents.md.
LIUHEN_SIGNING_DIR = LIUHEN_KEY_DIR / "signing"
LIUHEN_SIGNING_CONFIG = env.get_str("LIUHEN_SIGNING_CONFIG", "")
# RFC 3161 timestamp authority: PAdES B-T when set, B-B otherwise.
LIUHEN_TSA_URL = env.get_str("LIUHEN_TSA_URL", "")
# Signature pad strokes, fingerprint and seal photos, paper scans of signed pages.
LIUHEN_MAX_SIGNATURE_IMAGE_BYTES = env.get_int("LIUHEN_MAX_SIGNATURE_IMAGE_BYTES", 2 * 1024 * 1024)
LIUHEN_MAX_SIGNED_COPY_BYTES = env.get_int("LIUHEN_MAX_SIGNED_COPY_BYTES", 20 * 1024 * 1024)

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

SESSION_ENGINE = "liuhen.accounts.sessions"  # database sessions; a signed stand-in while it is full
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy on every page (django-csp): no inline script or style, no other origin.
# Served evidence files replace it with ``sandbox`` (liuhen.media.sniff).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "media-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.get_str("LIUHEN_LOG_LEVEL", "WARNING")},
}

# Evidence storage: local content-addressed files (default) or S3-compatible with Object Lock.
LIUHEN_STORAGE = (
    {
        "backend": "s3",
        "bucket": env.get_str("LIUHEN_S3_BUCKET"),
        "endpoint_url": env.get_str("LIUHEN_S3_ENDPOINT_URL") or None,
        "region": env.get_str("LIUHEN_S3_REGION", "us-east-1"),
        "access_key_id": env.get_str("LIUHEN_S3_ACCESS_KEY_ID") or None,
        "secret_access_key": env.get_str("LIUHEN_S3_SECRET_ACCESS_KEY") or None,
    }
    if env.get_str("LIUHEN_STORAGE", "local") == "s3"
    else {"backend": "local", "root": str(LIUHEN_BLOB_DIR)}
)
