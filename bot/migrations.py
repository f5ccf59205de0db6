"""The store's schema as numbered migrations, and applying the ones a database lacks.

A database's version says how many migrations it has (SQLite: `PRAGMA user_version`;
PostgreSQL: the schema_version table, see bot.postgres); at start the missing ones are applied
in one transaction. A database from a newer version of the bot is refused without being
written to, so going back to an older release cannot damage it. Both kinds share the
numbering: version N is the same schema in either.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from bot.config import ConfigError

log = logging.getLogger("bot.store")

# The schema, one numbered migration at a time: migration N brings a database from version
# N-1 (its `PRAGMA user_version`) to N. Append new migrations; never edit one that shipped.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: questions, feedback votes and the synced command tree. Databases made before the
    # migrations were numbered have exactly this schema and user_version 1 (or 0, with or
    # without the tables), hence IF NOT EXISTS.
    (
        """CREATE TABLE IF NOT EXISTS questions (
            id          INTEGER PRIMARY KEY,
            asked_at    REAL    NOT NULL,
            guild_id    INTEGER,
            channel_id  INTEGER,
            user_id     INTEGER NOT NULL,
            locale      TEXT    NOT NULL,
            question    TEXT    NOT NULL,
            normalized  TEXT    NOT NULL,
            confident   INTEGER NOT NULL,
            best_id     TEXT
        )""",
        "CREATE INDEX IF NOT EXISTS questions_asked_at ON questions (asked_at)",
        """CREATE TABLE IF NOT EXISTS feedback (
            message_id  INTEGER NOT NULL,
            user_id     INTEGER NOT NULL,
            resource_id TEXT    NOT NULL,
            helpful     INTEGER NOT NULL,
            voted_at    REAL    NOT NULL,
            PRIMARY KEY (message_id, user_id)
        )""",
        "CREATE INDEX IF NOT EXISTS feedback_voted_at ON feedback (voted_at)",
        """CREATE TABLE IF NOT EXISTS synced_trees (
            scope       TEXT PRIMARY KEY,
            tree_hash   TEXT NOT NULL,
            synced_at   REAL NOT NULL
        )""",
    ),
    # 2: one person's questions and votes are found without reading them all (forgetting).
    (
        "CREATE INDEX questions_user_id ON questions (user_id)",
        "CREATE INDEX feedback_user_id ON feedback (user_id)",
    ),
    # 3: one vote per person per resource in a server (guild_id NULL: direct messages),
    # instead of one per message, which let one person vote again on every new answer. Of
    # the old votes the latest per person and resource is kept; they have no server.
    (
        """CREATE TABLE feedback_per_resource (
            resource_id TEXT    NOT NULL,
            user_id     INTEGER NOT NULL,
            guild_id    INTEGER,
            helpful     INTEGER NOT NULL,
            voted_at    REAL    NOT NULL
        )""",
        """INSERT INTO feedback_per_resource (resource_id, user_id, guild_id, helpful, voted_at)
        SELECT resource_id, user_id, NULL, helpful, voted_at FROM (
            SELECT *, row_number() OVER (
                PARTITION BY resource_id, user_id ORDER BY voted_at DESC, rowid DESC
            ) AS newest
            FROM feedback
        ) WHERE newest = 1""",
        "DROP TABLE feedback",
        "ALTER TABLE feedback_per_resource RENAME TO feedback",
        # Discord ids are never 0, so 0 stands for "no server" in the key.
        "CREATE UNIQUE INDEX feedback_one_per_person"
        " ON feedback (resource_id, user_id, coalesce(guild_id, 0))",
        "CREATE INDEX feedback_voted_at ON feedback (voted_at)",
        "CREATE INDEX feedback_user_id ON feedback (user_id)",
    ),
    # 4: a server's statistics read only its own rows, so one busy server does not slow the
    # others' stats.
    (
        "CREATE INDEX questions_guild ON questions (guild_id, asked_at)",
        "CREATE INDEX feedback_guild ON feedback (guild_id, voted_at)",
    ),
    # 5: the catalogues several processes share (read only with PostgreSQL, see
    # bot.shared_catalogues; SQLite has the same table so that version 5 is one schema).
    # guild_id 0 is the operator's default; data NULL: the server went back to the default.
    (
        """CREATE TABLE catalogues (
            guild_id    INTEGER PRIMARY KEY,
            version     INTEGER NOT NULL,
            data        BLOB,
            changed_at  REAL    NOT NULL
        )""",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)

# The same schema for PostgreSQL, numbered as above (a test holds them to the same length).
# PostgreSQL came at version 4, so its steps 1 to 3 are empty and step 4 makes the whole
# schema; from 5 on, each migration is written for both.
POSTGRES_MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (),
    (),
    (),
    (
        """CREATE TABLE questions (
            id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            asked_at    DOUBLE PRECISION NOT NULL,
            guild_id    BIGINT,
            channel_id  BIGINT,
            user_id     BIGINT  NOT NULL,
            locale      TEXT    NOT NULL,
            question    TEXT    NOT NULL,
            normalized  TEXT    NOT NULL,
            confident   INTEGER NOT NULL,
            best_id     TEXT
        )""",
        "CREATE INDEX questions_asked_at ON questions (asked_at)",
        "CREATE INDEX questions_user_id ON questions (user_id)",
        "CREATE INDEX questions_guild ON questions (guild_id, asked_at)",
        """CREATE TABLE feedback (
            resource_id TEXT    NOT NULL,
            user_id     BIGINT  NOT NULL,
            guild_id    BIGINT,
            helpful     INTEGER NOT NULL,
            voted_at    DOUBLE PRECISION NOT NULL
        )""",
        "CREATE UNIQUE INDEX feedback_one_per_person"
        " ON feedback (resource_id, user_id, coalesce(guild_id, 0))",
        "CREATE INDEX feedback_voted_at ON feedback (voted_at)",
        "CREATE INDEX feedback_user_id ON feedback (user_id)",
        "CREATE INDEX feedback_guild ON feedback (guild_id, voted_at)",
        """CREATE TABLE synced_trees (
            scope       TEXT PRIMARY KEY,
            tree_hash   TEXT NOT NULL,
            synced_at   DOUBLE PRECISION NOT NULL
        )""",
    ),
    # 5: the shared catalogues, each change numbered from one sequence, so "what changed
    # since version N" is one indexed read for every process.
    (
        "CREATE SEQUENCE catalogue_versions",
        """CREATE TABLE catalogues (
            guild_id    BIGINT PRIMARY KEY,
            version     BIGINT NOT NULL,
            data        BYTEA,
            changed_at  DOUBLE PRECISION NOT NULL
        )""",
        "CREATE INDEX catalogues_version ON catalogues (version)",
    ),
)


class StoreVersionError(ConfigError):
    """The database was written by a newer version of the bot; it is left as it is."""


def migrate(db: sqlite3.Connection, path: Path) -> int:
    """Apply the migrations the database lacks, all in one transaction, and record the new
    version; returns the version it had. Another process migrating at the same time waits
    (BEGIN IMMEDIATE) and then finds nothing left to do."""
    db.execute("BEGIN IMMEDIATE")
    try:
        found = refuse_newer(db, path)
        for statement in (s for migration in MIGRATIONS[found:] for s in migration):
            db.execute(statement)
        # Written even when unchanged: a file that cannot be written fails here, at start,
        # rather than silently on the first vote.
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    if found != SCHEMA_VERSION:
        log.info("database %s migrated from version %d to %d", path, found, SCHEMA_VERSION)
    return found


def refuse_newer(db: sqlite3.Connection, path: Path) -> int:
    """The database's version; raises `StoreVersionError` if this code does not know it."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    return check_version(version, str(path), "set RESOURCE_BOT_DB to another file")


def check_version(version: int, database: str, instead: str) -> int:
    """`version`, or `StoreVersionError` if this code does not know it; `instead` tells the
    operator what else to do than running the newer version."""
    if version > SCHEMA_VERSION:
        raise StoreVersionError(
            f"the database {database} was written by a newer version of the bot (database "
            f"version {version}; this version knows up to {SCHEMA_VERSION}) and was left "
            f"unchanged: run the newer version, or {instead}"
        )
    return version
