"""Dump the database to one file and load such a file into a database.

PostgreSQL: `pg_dump --format=custom` and `pg_restore` of the server's own version. SQLite:
the online backup API, which copies a consistent snapshot while the application keeps running.
With a key configured (settings.TERUGKEER["BACKUP_KEY"] or a file named by "BACKUP_KEY_FILE"),
the dump is encrypted with GnuPG's symmetric AES-256, so that a copy can be decrypted on any
machine with `gpg --decrypt` and the key, without Terugkeer.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import dj_database_url
from django.conf import settings
from django.db import connections
from django.utils import timezone

ENCRYPTED_SUFFIX = ".gpg"
SUFFIXES = {"sqlite": ".sqlite3", "postgresql": ".pgdump"}


class BackupError(Exception):
    """A dump or restore that cannot be done; the message is meant for the operator."""


@dataclass(frozen=True)
class Target:
    """A database to dump or to restore into: Django's settings dictionary of it."""

    settings: dict

    @property
    def vendor(self) -> str:
        engine = self.settings["ENGINE"]
        if engine.endswith("sqlite3"):
            return "sqlite"
        if engine.endswith("postgresql"):
            return "postgresql"
        raise BackupError(f"Databasetype {engine} wordt niet ondersteund.")

    @classmethod
    def from_alias(cls, alias: str = "default") -> Target:
        return cls(dict(connections[alias].settings_dict))

    @classmethod
    def from_url(cls, url: str) -> Target:
        return cls(dj_database_url.parse(url))


# --- the key --------------------------------------------------------------------------------


def backup_key() -> str | None:
    """The configured passphrase, or None when dumps are written unencrypted."""
    conf = settings.TERUGKEER
    if key_file := conf.get("BACKUP_KEY_FILE"):
        try:
            key = Path(key_file).read_text().strip()
        except OSError as error:
            raise BackupError(f"Het sleutelbestand {key_file} is niet leesbaar: {error}") from None
    else:
        key = (conf.get("BACKUP_KEY") or "").strip()
    if key and len(key) < 16:
        raise BackupError("De back-upsleutel moet minstens 16 tekens lang zijn.")
    return key or None


def _gpg(args: list[str], key: str, source: Path, destination: Path) -> None:
    """Run gpg with the passphrase on a pipe (never on the command line or in a file)."""
    gpg = shutil.which("gpg")
    if gpg is None:
        raise BackupError("gpg is niet geïnstalleerd (apt-get install gnupg).")
    read_fd, write_fd = os.pipe()
    with tempfile.TemporaryDirectory(prefix="terugkeer-gpg-") as home:
        command = [
            gpg,
            "--homedir",
            home,
            "--batch",
            "--yes",
            "--quiet",
            "--no-symkey-cache",
            "--pinentry-mode",
            "loopback",
            "--passphrase-fd",
            str(read_fd),
            "--output",
            str(destination),
            *args,
            str(source),
        ]
        process = subprocess.Popen(  # noqa: S603 - a fixed program and our own arguments
            command, pass_fds=(read_fd,), stderr=subprocess.PIPE
        )
        os.close(read_fd)
        with os.fdopen(write_fd, "w") as pipe:
            pipe.write(key + "\n")
        _, stderr = process.communicate()
        subprocess.run(  # noqa: S603 - stop the agent gpg started for this home directory
            ["gpgconf", "--homedir", home, "--kill", "gpg-agent"], check=False, capture_output=True
        )
    if process.returncode != 0:
        destination.unlink(missing_ok=True)
        raise BackupError(f"gpg faalde: {stderr.decode(errors='replace').strip()}")


def encrypt(source: Path, destination: Path, key: str) -> None:
    _gpg(
        ["--symmetric", "--cipher-algo", "AES256", "--s2k-digest-algo", "SHA512"],
        key,
        source,
        destination,
    )


def decrypt(source: Path, destination: Path, key: str) -> None:
    _gpg(["--decrypt"], key, source, destination)


# --- PostgreSQL -----------------------------------------------------------------------------


def postgres_program(name: str) -> str:
    """pg_dump / pg_restore of the installed server (its version must not be older)."""
    candidates = []
    if bindir := settings.TERUGKEER.get("PG_BINDIR"):
        candidates.append(Path(bindir))
    candidates += sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        reverse=True,
    )
    for bindir in candidates:
        if (bindir / name).is_file():
            return str(bindir / name)
    if found := shutil.which(name):
        return found
    raise BackupError(f"{name} is niet gevonden (zet TERUGKEER_PG_BINDIR).")


def _postgres_connection(target: Target) -> tuple[list[str], dict[str, str]]:
    conf = target.settings
    args = ["--dbname", conf["NAME"]]
    if conf.get("HOST"):
        args += ["--host", str(conf["HOST"])]
    if conf.get("PORT"):
        args += ["--port", str(conf["PORT"])]
    if conf.get("USER"):
        args += ["--username", str(conf["USER"])]
    env = {**os.environ}
    if conf.get("PASSWORD"):
        env["PGPASSWORD"] = str(conf["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, check=False)  # noqa: S603
    if result.returncode != 0:
        program = Path(command[0]).name
        raise BackupError(f"{program} faalde: {result.stderr.decode(errors='replace').strip()}")


def postgres_dump(target: Target, destination: Path) -> None:
    args, env = _postgres_connection(target)
    _run([postgres_program("pg_dump"), "--format=custom", "--file", str(destination), *args], env)


def postgres_restore(source: Path, target: Target) -> None:
    """Load a dump; what the dump holds replaces what is there (--clean), in one transaction."""
    args, env = _postgres_connection(target)
    _run(
        [
            postgres_program("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            *args,
            str(source),
        ],
        env,
    )


# --- SQLite ---------------------------------------------------------------------------------


@contextmanager
def _sqlite_connection(target: Target, alias: str | None):
    """Django's own connection for the configured database (also an in-memory test database),
    a fresh one for any other file."""
    if alias is not None:
        connection = connections[alias]
        connection.ensure_connection()
        yield connection.connection
    else:
        raw = sqlite3.connect(target.settings["NAME"])
        try:
            yield raw
        finally:
            raw.close()


def sqlite_dump(target: Target, destination: Path, alias: str | None) -> None:
    with _sqlite_connection(target, alias) as source:
        copy = sqlite3.connect(destination)
        try:
            source.backup(copy)
        finally:
            copy.close()


def sqlite_restore(source: Path, target: Target, alias: str | None) -> None:
    dump = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        if dump.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError(f"{source} is geen geldige SQLite-databank.")
        with _sqlite_connection(target, alias) as destination:
            dump.backup(destination)
    finally:
        dump.close()


# --- the two operations ---------------------------------------------------------------------


def backup_directory() -> Path:
    return Path(settings.TERUGKEER["BACKUP_DIR"])


def backup_create(*, directory: Path | None = None, alias: str = "default") -> Path:
    """Dump the database into a new file (mode 0600) in the directory; returns its path."""
    target = Target.from_alias(alias)
    key = backup_key()
    directory = directory or backup_directory()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    name = f"terugkeer-{stamp}{SUFFIXES[target.vendor]}"
    final = directory / (name + (ENCRYPTED_SUFFIX if key else ""))
    with tempfile.TemporaryDirectory(prefix="terugkeer-backup-", dir=directory) as work:
        plain = Path(work) / name
        if target.vendor == "postgresql":
            postgres_dump(target, plain)
        else:
            sqlite_dump(target, plain, alias)
        os.chmod(plain, 0o600)
        if key:
            encrypt(plain, Path(work) / final.name, key)
            produced = Path(work) / final.name
        else:
            produced = plain
        os.chmod(produced, 0o600)
        # Renamed into place only when complete: a file named terugkeer-… is always whole.
        produced.rename(final)
    return final


def backup_restore(source: Path, *, url: str | None = None, alias: str = "default") -> Target:
    """Load a dump into the configured database, or into the database at `url`."""
    if not source.is_file():
        raise BackupError(f"{source} bestaat niet.")
    target = Target.from_url(url) if url else Target.from_alias(alias)
    own_alias = None if url else alias
    with tempfile.TemporaryDirectory(prefix="terugkeer-restore-") as work:
        plain = source
        if source.name.endswith(ENCRYPTED_SUFFIX):
            key = backup_key()
            if key is None:
                raise BackupError("Deze dump is versleuteld en er is geen sleutel ingesteld.")
            plain = Path(work) / source.name.removesuffix(ENCRYPTED_SUFFIX)
            decrypt(source, plain, key)
        kind = "postgresql" if plain.name.endswith(SUFFIXES["postgresql"]) else "sqlite"
        if kind != target.vendor:
            raise BackupError(
                f"Een {kind}-dump kan niet in een {target.vendor}-databank worden teruggezet."
            )
        if target.vendor == "postgresql":
            if own_alias is not None:
                connections[own_alias].close()
            postgres_restore(plain, target)
        else:
            sqlite_restore(plain, target, own_alias)
    return target


def backups_prune(directory: Path, *, keep: int) -> list[Path]:
    """Delete all but the `keep` newest dumps in the directory (names sort by time)."""
    dumps = sorted(
        path
        for path in directory.glob("terugkeer-*")
        if path.is_file()
        and path.name.removesuffix(ENCRYPTED_SUFFIX).endswith(tuple(SUFFIXES.values()))
    )
    removed = dumps[:-keep]
    for path in removed:
        path.unlink()
    return removed
