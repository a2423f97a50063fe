"""The secret keys of the audit chain: kept outside the database, named by a fingerprint.

Each event's hash is an HMAC-SHA256 under a key that the database never holds, so whoever can
write the database but not read the key cannot forge a chain that verifies. Every event names
the key that sealed it (``key_id``, a fingerprint of the key, not the key), so keys can be
rotated: the newest key of the ring seals new events, the older ones stay to verify old events.

Keys come from the environment (one or more secrets; the last seals) or else from a key file,
one secret per line (the last seals), created on first need with owner-only permissions.
"""

import hashlib
import hmac
import os
import secrets
import tempfile
from dataclasses import dataclass

MIN_KEY_LENGTH = 32
_ID_PREFIX = b"laurel audit key id\x00"


def key_id(secret: bytes) -> str:
    """The public name of a key: a short fingerprint that reveals nothing of the key itself."""
    return "k" + hashlib.sha256(_ID_PREFIX + secret).hexdigest()[:15]


@dataclass(frozen=True)
class Keyring:
    """Every known key by its id; ``current`` seals what is appended now."""

    keys: dict[str, bytes]
    current: str
    source: str  # "environment" or the key file's path, for the operator's messages

    @classmethod
    def of(cls, secrets_in_order: list[bytes], source: str) -> "Keyring":
        """A ring of the given secrets, oldest first: the last one seals."""
        if not secrets_in_order:
            raise ValueError("an audit keyring needs at least one key")
        for secret in secrets_in_order:
            if len(secret) < MIN_KEY_LENGTH:
                raise ValueError(f"an audit key must have at least {MIN_KEY_LENGTH} characters")
        keys = {key_id(secret): secret for secret in secrets_in_order}
        return cls(keys, key_id(secrets_in_order[-1]), source)

    def mac(self, identifier: str, message: bytes) -> str | None:
        """The HMAC-SHA256 of ``message`` under the named key; None when the ring lacks it."""
        secret = self.keys.get(identifier)
        if secret is None:
            return None
        return hmac.new(secret, message, hashlib.sha256).hexdigest()

    def seal(self, message: bytes) -> tuple[str, str]:
        """(key id, HMAC) of ``message`` under the current key."""
        return self.current, hmac.new(self.keys[self.current], message, hashlib.sha256).hexdigest()


def new_secret() -> str:
    """A fresh random key, as the text a key file or the environment holds."""
    return secrets.token_hex(32)


def parse(text: str) -> list[bytes]:
    """The secrets of a key file or an environment value: one per line (or comma), ``#`` comments."""
    found = []
    for line in text.splitlines():
        for secret in line.split("#", 1)[0].split(","):
            if secret.strip():
                found.append(secret.strip().encode("utf-8"))
    return found


def from_environment_or_file(environment_value: str | None, path: str) -> Keyring:
    """The ring from the environment's value when set, else from the key file (created if absent)."""
    if environment_value and environment_value.strip():
        return Keyring.of(parse(environment_value), "environment")
    if not os.path.exists(path):
        try:
            _create_key_file(path, new_secret())
        except FileExistsError:
            pass  # another worker made it first: use theirs
    with open(path, encoding="utf-8") as source:
        return Keyring.of(parse(source.read()), path)


def _create_key_file(path: str, secret: str) -> None:
    """Write a new key file readable by its owner only; never overwrite one that exists.

    The file is written whole under a temporary name and then linked into place, so another
    worker reading at the same moment sees either no key file or a complete one.
    """
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=".audit-key-")  # mode 0600
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            out.write("# Laurel audit keys, oldest first; the last line seals new events. Keep every line:\n"
                      "# older events are verified with the key that sealed them. Never store this in the database.\n")
            out.write(secret + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.link(temporary, path)  # FileExistsError when another worker was first
    finally:
        os.unlink(temporary)


def add_key(path: str) -> str:
    """Append a new key to the key file, making it the one that seals; returns its id."""
    secret = new_secret()
    if not os.path.exists(path):
        _create_key_file(path, secret)
        return key_id(secret.encode("utf-8"))
    with open(path, "a", encoding="utf-8") as out:
        out.write(secret + "\n")
        out.flush()
        os.fsync(out.fileno())
    os.chmod(path, 0o600)
    return key_id(secret.encode("utf-8"))


def loose_permissions(path: str) -> bool:
    """Whether a key file can be read by anyone but its owner."""
    try:
        return bool(os.stat(path).st_mode & 0o077)
    except FileNotFoundError:
        return False
