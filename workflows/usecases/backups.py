"""Back up and restore everything: every table of the database and every stored document.

A backup is a folder:

- ``tables/<table>.jsonl.gz``: a header line naming the columns and how their values are
  written, then one JSON array per row. The same format for SQLite and PostgreSQL: it needs no
  tool beside this program (no pg_dump of the server's exact version on the application host),
  it restores onto either engine, and it is read through the same code the tests exercise.
  All tables are read in one transaction (a snapshot on PostgreSQL, a read transaction on
  SQLite), so the backup is consistent while the service keeps running.
- ``documents/<2 hex>/<64 hex>``: the stored files, named by their SHA-256 as in the upload
  folder, each checked against the recorded hash as it is copied (a damaged file is listed,
  not copied).
- ``manifest.json``: the schema revision, the audit chain's head, the SHA-256 and size of every
  other file, sealed with an HMAC under the audit key. The key itself is never in a backup.

Restoring checks the manifest and every file first, refuses a database that holds data unless
told to replace it, builds the schema of the backup's revision, loads the rows, puts the files
back, and brings the schema up to date.
"""

import base64
import gzip
import hashlib
import hmac
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

import sqlalchemy as sa

from workflows.db import db, utcnow
from workflows.errors import Conflict, InvalidData
from workflows.services import audit, documents

FORMAT = "laurel-backup"
VERSION = 1
MANIFEST = "manifest.json"
SCHEMA_TABLE = "alembic_version"
_CHUNK = 1000
_STORAGE_KEY = re.compile(r"[0-9a-f]{2}/[0-9a-f]{64}")
_COPY = 64 * 1024


@dataclass(frozen=True)
class Made:
    folder: str
    tables: int
    rows: int
    documents: int
    damaged: list[dict]
    head: audit.Head


@dataclass
class Manifest:
    data: dict
    folder: str
    tables: list[dict] = field(default_factory=list)
    documents: list[dict] = field(default_factory=list)


# -- backing up -----------------------------------------------------------------------------------


def create(output: str, upload_folder: str, *, revision: str | None) -> Made:
    """Write a complete backup of the database and the stored documents into the folder ``output``.

    ``revision`` is the schema's migration revision (None for a schema made from the models).
    """
    if os.path.exists(output) and (not os.path.isdir(output) or os.listdir(output)):
        raise Conflict("backup.output_not_empty", path=output)
    os.makedirs(os.path.join(output, "tables"), exist_ok=True)
    tables, stored, total_rows = [], {}, 0
    with db.engine.connect() as connection:
        _begin_snapshot(connection)
        metadata = sa.MetaData()
        metadata.reflect(bind=connection)
        for table in _load_order(metadata):
            if table.name == SCHEMA_TABLE:
                continue
            written = _dump_table(connection, table, output, stored if table.name == "document" else None)
            tables.append(written)
            total_rows += written["rows"]
        head = _head(connection, metadata)
        connection.rollback()
    files, damaged = _copy_documents(stored, upload_folder, output)
    manifest = {
        "format": FORMAT, "version": VERSION, "created_at": utcnow().isoformat(timespec="seconds") + "Z",
        "engine": db.engine.dialect.name, "schema_revision": revision,
        "audit_head": {"seq": head.seq, "hash": head.hash, "key_id": head.key_id},
        "tables": tables, "documents": files, "damaged_documents": damaged,
    }
    manifest["key_id"], manifest["mac"] = audit.keyring().seal(_canonical(manifest))
    _write_atomically(os.path.join(output, MANIFEST), json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return Made(output, len(tables), total_rows, len(files), damaged, head)


def _begin_snapshot(connection) -> None:
    """One consistent view of every table for the whole backup."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
    elif connection.dialect.name == "sqlite":
        # The driver opens no transaction for reads on its own; without one each table would
        # be read at a different moment.
        connection.exec_driver_sql("BEGIN")


def _kind(column: sa.Column) -> str:
    """How a column's values are written: JSON as it is, times as ISO text, bytes as base64."""
    kind = column.type
    if isinstance(kind, sa.JSON):
        return "json"
    if isinstance(kind, sa.DateTime):
        return "datetime"
    if isinstance(kind, sa.Date):
        return "date"
    if isinstance(kind, sa.Time):
        return "time"
    if isinstance(kind, sa.LargeBinary):
        return "bytes"
    if isinstance(kind, sa.Numeric) and not isinstance(kind, sa.Float) and getattr(kind, "asdecimal", False):
        return "decimal"
    return "plain"


def _encode(value, kind: str):
    if value is None or kind in ("json", "plain"):
        return value
    if kind in ("datetime", "date", "time"):
        return value.isoformat()
    if kind == "bytes":
        return base64.b64encode(bytes(value)).decode("ascii")
    return str(value)


def _decode(value, kind: str):
    if value is None or kind in ("json", "plain"):
        return value
    if kind == "datetime":
        return datetime.fromisoformat(value)
    if kind == "date":
        return date.fromisoformat(value)
    if kind == "time":
        return time.fromisoformat(value)
    if kind == "bytes":
        return base64.b64decode(value)
    return Decimal(value)


def _dump_table(connection, table: sa.Table, output: str, stored: dict | None) -> dict:
    columns = list(table.columns)
    kinds = [_kind(column) for column in columns]
    name = f"tables/{table.name}.jsonl.gz"
    path = os.path.join(output, name)
    order = list(table.primary_key.columns) or columns
    rows = 0
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=6) as out:
        out.write(json.dumps({"table": table.name, "columns": [{"name": c.name, "kind": k}
                                                              for c, k in zip(columns, kinds, strict=True)]},
                             ensure_ascii=False) + "\n")
        result = connection.execution_options(yield_per=_CHUNK).execute(sa.select(*columns).order_by(*order))
        for row in result:
            out.write(json.dumps([_encode(v, k) for v, k in zip(row, kinds, strict=True)], ensure_ascii=False,
                                 separators=(",", ":")) + "\n")
            rows += 1
            if stored is not None:
                record = row._mapping
                stored.setdefault(record["storage_key"], (record["sha256"], record["size"], record["id"]))
    return {"name": table.name, "file": name, "rows": rows, **_fingerprint(path)}


def _head(connection, metadata: sa.MetaData) -> audit.Head:
    events = metadata.tables.get("audit_event")
    if events is None:
        return audit.Head(0, "0" * 64, None)
    key = events.c.key_id if "key_id" in events.c else sa.null()
    row = connection.execute(sa.select(events.c.seq, events.c.hash, key).order_by(events.c.seq.desc())
                             .limit(1)).first()
    return audit.Head(row[0], row[1], row[2]) if row else audit.Head(0, "0" * 64, None)


def _copy_documents(stored: dict, upload_folder: str, output: str) -> tuple[list[dict], list[dict]]:
    files, damaged = [], []
    for storage_key, (sha256, size, document_id) in sorted(stored.items()):
        stream, problem = documents.read_checked(upload_folder, storage_key, sha256, size)
        if problem is not None:
            damaged.append({"document_id": document_id, "storage_key": storage_key, "problem": problem})
            continue
        name = f"documents/{storage_key}"
        target = os.path.join(output, name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with stream, open(target, "wb") as out:
            shutil.copyfileobj(stream, out, _COPY)
        files.append({"file": name, "sha256": sha256, "size": size})
    return files, damaged


def _fingerprint(path: str) -> dict:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as source:
        while chunk := source.read(_COPY):
            digest.update(chunk)
            size += len(chunk)
    return {"sha256": digest.hexdigest(), "size": size}


def _canonical(manifest: dict) -> bytes:
    unsealed = {key: value for key, value in manifest.items() if key not in ("key_id", "mac")}
    return json.dumps(unsealed, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _write_atomically(path: str, text: str) -> None:
    fd, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".manifest-")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, path)


# -- checking a backup ------------------------------------------------------------------------------


def check(folder: str) -> Manifest:
    """Read a backup's manifest and check its seal and every file it lists; refuse anything off."""
    path = os.path.join(folder, MANIFEST)
    try:
        with open(path, encoding="utf-8") as source:
            data = json.load(source)
        if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("version") != VERSION:
            raise ValueError("not a backup")
        tables, files = list(data["tables"]), list(data["documents"])
        head = data["audit_head"]
        if not isinstance(head, dict) or not isinstance(data.get("mac"), str):
            raise ValueError("not a backup")
    except (OSError, ValueError, KeyError, TypeError):
        raise InvalidData("backup.not_a_backup", path=folder) from None
    ring = audit.keyring()
    key = data.get("key_id")
    if key not in ring.keys:
        raise Conflict("backup.key_unknown", key_id=str(key))
    if not hmac.compare_digest(ring.mac(key, _canonical(data)) or "", data["mac"]):
        raise InvalidData("backup.seal_broken", path=folder)
    for entry in tables + files:
        _check_file(folder, entry)
    return Manifest(data, folder, tables, files)


def _check_file(folder: str, entry: dict) -> None:
    name = str(entry.get("file", ""))
    path = os.path.realpath(os.path.join(folder, name))
    root = os.path.realpath(folder)
    if not name or os.path.isabs(name) or os.path.commonpath([root, path]) != root:
        raise InvalidData("backup.damaged", file=name)
    try:
        found = _fingerprint(path)
    except OSError:
        raise InvalidData("backup.damaged", file=name) from None
    if found != {"sha256": entry.get("sha256"), "size": entry.get("size")}:
        raise InvalidData("backup.damaged", file=name)


# -- restoring --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Restored:
    tables: int
    rows: int
    documents: int
    head: dict


def holds_data() -> list[str]:
    """The tables of the database that have at least one row (the schema's own bookkeeping aside)."""
    inspector = sa.inspect(db.engine)
    full = []
    with db.engine.connect() as connection:
        for name in inspector.get_table_names():
            if name == SCHEMA_TABLE:
                continue
            table = sa.table(name)
            if connection.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).first() is not None:
                full.append(name)
    return sorted(full)


def _load_order(metadata: sa.MetaData) -> list[sa.Table]:
    """Tables with those they refer to first. The keys that close a cycle (deferred to the commit,
    see ``models.authorities.CYCLE``) are left out of the order: a database does not say which
    they are (SQLite keeps no such flag we can read back), the models do."""
    deferred = {(fk.parent.table.name, fk.parent.name) for table in db.metadata.tables.values()
                for fk in table.foreign_keys if fk.deferrable}

    def closes_a_cycle(constraint) -> bool | None:
        return True if any((constraint.table.name, c.name) in deferred for c in constraint.columns) else None

    return [table for table, _ in sa.schema.sort_tables_and_constraints(metadata.tables.values(),
                                                                        filter_fn=closes_a_cycle)
            if table is not None]


def drop_everything() -> None:
    """Remove every table of the database, whatever their foreign keys.

    Tables go in reverse load order. On PostgreSQL a key closing a cycle goes with the table it
    points to (CASCADE); SQLite checks keys row by row on a DROP, so they are off meanwhile.
    """
    metadata = sa.MetaData()
    metadata.reflect(bind=db.engine)
    sqlite = db.engine.dialect.name == "sqlite"
    with db.engine.connect() as connection:
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")  # outside a transaction, or it does nothing
        for table in reversed(_load_order(metadata)):
            connection.execute(sa.text(f'DROP TABLE IF EXISTS "{table.name}"{"" if sqlite else " CASCADE"}'))
        connection.execute(sa.text(f"DROP TABLE IF EXISTS {SCHEMA_TABLE}"))
        connection.commit()
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")


def restore(manifest: Manifest, upload_folder: str, *, replace: bool,
            make_schema: Callable[[str | None], None], known_revision: Callable[[str], bool]) -> Restored:
    """Load a checked backup into this database and upload folder.

    Refuses a database that holds data unless ``replace``; ``make_schema(revision)`` builds the
    backup's schema on an empty database, ``known_revision`` says whether this program knows it.
    """
    revision = manifest.data.get("schema_revision")
    if revision is not None and not known_revision(revision):
        raise Conflict("backup.unknown_revision", revision=str(revision))
    full = holds_data()
    if full and not replace:
        raise Conflict("backup.database_not_empty", tables=full, count=len(full))
    db.session.remove()
    drop_everything()
    make_schema(revision)
    metadata = sa.MetaData()
    metadata.reflect(bind=db.engine)
    rows = 0
    with db.engine.begin() as connection:
        for entry in manifest.tables:
            rows += _load_table(connection, metadata, os.path.join(manifest.folder, entry["file"]))
        if connection.dialect.name == "postgresql":
            _reset_sequences(connection, metadata)
    for entry in manifest.documents:
        _put_back(os.path.join(manifest.folder, entry["file"]), upload_folder, entry)
    return Restored(len(manifest.tables), rows, len(manifest.documents), manifest.data["audit_head"])


def record_restore(manifest: Manifest, restored: Restored) -> None:
    """The restored trail says that it was restored, from which backup, in its next event."""
    audit.record("backup_restored", details={
        "backup_created_at": manifest.data.get("created_at"), "engine": manifest.data.get("engine"),
        "audit_head_seq": restored.head.get("seq"), "rows": restored.rows, "documents": restored.documents})
    db.session.commit()


def record_backup(made: Made) -> None:
    """The trail says that a backup was made, up to which event, and what it holds."""
    audit.record("backup_created", details={
        "audit_head_seq": made.head.seq, "tables": made.tables, "rows": made.rows, "documents": made.documents,
        "damaged": len(made.damaged)})
    db.session.commit()


def _load_table(connection, metadata: sa.MetaData, path: str) -> int:
    with gzip.open(path, "rt", encoding="utf-8") as source:
        header = json.loads(source.readline())
        table = metadata.tables.get(header["table"])
        names = [c["name"] for c in header["columns"]]
        if table is None or any(name not in table.c for name in names):
            raise InvalidData("backup.schema_mismatch", table=str(header["table"]))
        kinds = [c["kind"] for c in header["columns"]]
        for name, kind in zip(names, kinds, strict=True):
            if kind == "json":  # a NULL stays NULL, not the JSON value null
                table.c[name].type = sa.JSON(none_as_null=True)
        statement, batch, count = table.insert(), [], 0
        for line in source:
            values = json.loads(line)
            batch.append({n: _decode(v, k) for n, v, k in zip(names, values, kinds, strict=True)})
            if len(batch) >= _CHUNK:
                connection.execute(statement, batch)
                count, batch = count + len(batch), []
        if batch:
            connection.execute(statement, batch)
            count += len(batch)
    return count


def _reset_sequences(connection, metadata: sa.MetaData) -> None:
    """Rows came with their ids: the next id of each table must follow the highest restored one."""
    for table in metadata.tables.values():
        key = list(table.primary_key.columns)
        if len(key) != 1 or not isinstance(key[0].type, sa.Integer):
            continue
        sequence = connection.execute(sa.text("SELECT pg_get_serial_sequence(:table, :column)"),
                                      {"table": table.name, "column": key[0].name}).scalar()
        if sequence:
            connection.execute(sa.text(
                f'SELECT setval(:sequence, COALESCE((SELECT MAX("{key[0].name}") FROM "{table.name}"), 0) + 1, '
                f"false)"), {"sequence": sequence})


def _put_back(source_path: str, upload_folder: str, entry: dict) -> None:
    storage_key = entry["file"].removeprefix("documents/")
    if not _STORAGE_KEY.fullmatch(storage_key):
        raise InvalidData("backup.damaged", file=entry["file"])
    if documents.check_stored(upload_folder, storage_key, entry["sha256"], entry["size"]) is None:
        return  # already there, intact
    target = os.path.join(upload_folder, storage_key)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=os.path.dirname(target), prefix=".restore-", suffix=".part")
    with os.fdopen(fd, "wb") as out, open(source_path, "rb") as source:
        shutil.copyfileobj(source, out, _COPY)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, target)
