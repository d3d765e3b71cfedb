#!/usr/bin/env python3
"""Run one SQL query on a real engine over Parquet tables; write its result as CSV.

This is the engine side of tal's SQL tests: `tal export --parquet DIR` writes
one Parquet file per input, `tal sql --dialect D` prints one query, and this
script runs that query on a real engine of dialect D, so a test can compare
the result cell by cell with `tal score --all`.

    python3 tests/sql/engines.py ENGINE --tables DIR --sql FILE --out OUT.csv
    python3 tests/sql/engines.py ENGINE --batch JOBS.json

ENGINE is one of:
  duckdb        the `duckdb` package (in-memory database)
  postgres      a throw-away PostgreSQL cluster started and stopped here, in a
                database whose collation is C.UTF-8 (byte order)
  postgres-icu  the same, in a database with ICU collation en-US, so that a
                query that relies on the default collation for byte order fails
  spark         pyspark, local[2], bound to 127.0.0.1, no UI
  bigquery      GoogleSQL on ZetaSQL's reference evaluator, through the Node
                script zetasql.js beside this file (`npm ci` in tests/sql)
  snowflake     fakesnow (Snowflake's SQL translated to DuckDB) through the
                snowflake connector API that it patches

Every `DIR/*.parquet` is loaded as a table named after the file's stem, with
its columns' names as written in the file and typed from the Parquet schema:
text, Float64 -> double, integers -> 64-bit integer, Boolean, Date. Any other
column type is an error. On Snowflake a plain name (letters, digits,
underscores) is created unquoted, so it is stored upper-case as Snowflake
does, and a query's unquoted lower-case name finds it; other names are quoted.

The file holds one statement; one trailing semicolon is dropped (no engine
client here takes one). The result is written as CSV (comma, `\\n`, quotes
only where needed) with the engine's column names as the header and the rows
in the engine's order. Values are written canonically, whatever the engine:
NULL is an empty cell, integers are digits, doubles are Python's repr of the
float (the shortest text that reads back as the same double: 0.1, 120000.0,
-0.0, nan), dates are YYYY-MM-DD, booleans true/false, text as is. A result
column of any other type (DECIMAL/NUMERIC, FLOAT/REAL, TIMESTAMP...) is an
error naming the column: tal's queries cast every number to the dialect's
double or integer type.

--batch runs a JSON list of {"tables": DIR, "sql": FILE, "out": OUT.csv} on
one engine start (a JVM, a cluster, a ZetaSQL service), reloading tables only
when DIR changes. Each job's OUT is removed before it runs and written only on
success; every job runs even after one fails.

Any failure exits non-zero (1 a query or load failed, 2 an engine could not
start or bad arguments) after printing the engine's message and, when the
engine reports a position, the SQL file's line with a caret. Nothing is ever
skipped: an engine that is not installed is an error that says how to
install it.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import decimal
import json
import logging
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
ENGINES = ("duckdb", "postgres", "postgres-icu", "spark", "bigquery", "snowflake")
PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
EPOCH = datetime.date(1970, 1, 1)


class SqlError(Exception):
    """A load or query failure: the engine's message, and where in the SQL."""

    def __init__(self, message: str, line: int | None = None, col: int | None = None):
        super().__init__(message)
        self.line = line
        self.col = col


class EngineUnavailable(Exception):
    """The engine cannot start here (not installed, failed to boot)."""


# ---------------------------------------------------------------- tables


class Table:
    """One Parquet file: its name, path, columns as (name, kind), and rows."""

    KINDS = ("string", "double", "int64", "bool", "date")

    def __init__(self, path: Path):
        import pyarrow as pa
        import pyarrow.parquet as pq

        self.path = path
        self.name = path.stem
        self.arrow = pq.read_table(path)
        self.columns = []
        for field in self.arrow.schema:
            t = field.type
            if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t):
                kind = "string"
            elif pa.types.is_float64(t):
                kind = "double"
            elif pa.types.is_integer(t):
                kind = "int64"
            elif pa.types.is_boolean(t):
                kind = "bool"
            elif pa.types.is_date32(t):
                kind = "date"
            else:
                raise SqlError(
                    f"{path}: column {field.name!r} has Parquet type {t}; "
                    "expected text, Float64, an integer, Boolean or Date"
                )
            self.columns.append((field.name, kind))

    def rows(self) -> list[tuple]:
        return [tuple(r.values()) for r in self.arrow.to_pylist()]


def read_tables(folder: str) -> list[Table]:
    path = Path(folder)
    if not path.is_dir():
        raise SqlError(f"{folder}: no such folder")
    return [Table(p) for p in sorted(path.glob("*.parquet"))]


def tables_key(folder: str) -> tuple:
    """What identifies a folder's contents, to skip reloading it in a batch."""
    path = Path(folder).resolve()
    return (str(path),) + tuple(
        (p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(path.glob("*.parquet"))
    )


def read_sql(file: str) -> str:
    text = Path(file).read_text(encoding="utf-8")
    return text.rstrip().removesuffix(";")


# ---------------------------------------------------------------- engines


class Engine:
    """A running engine: load tables, run a query, close."""

    name = ""

    def __init__(self):
        self.loaded: list[str] = []
        self.loaded_key: tuple | None = None

    def use(self, folder: str) -> None:
        key = tables_key(folder)
        if key == self.loaded_key:
            return
        self.loaded_key = None
        tables = read_tables(folder)
        for name in self.loaded:
            self.drop(name)
        self.loaded = []
        for table in tables:
            try:
                self.load(table)
            except SqlError:
                raise
            except Exception as err:  # the engine's own error type
                raise SqlError(f"loading {table.path}: {err}") from err
            self.loaded.append(table.name)
        self.loaded_key = key

    def load(self, table: Table) -> None:
        raise NotImplementedError

    def drop(self, name: str) -> None:
        raise NotImplementedError

    def run(self, sql: str) -> tuple[list[str], list[tuple]]:
        raise NotImplementedError

    def close(self) -> None:
        pass


def need(module: str, engine: str):
    try:
        return __import__(module, fromlist=["_"])
    except ImportError as err:
        raise EngineUnavailable(
            f"{engine}: cannot import {module} ({err}); "
            "install the pinned engines: python3 -m pip install -r tests/sql/requirements.txt"
        ) from err


def dq(name: str) -> str:
    """A double-quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def line_of(sql: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a 0-based character offset."""
    before = sql[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


class DuckDB(Engine):
    name = "duckdb"

    def __init__(self):
        super().__init__()
        duckdb = need("duckdb", self.name)
        self.duckdb = duckdb
        self.con = duckdb.connect(":memory:")

    def load(self, table):
        path = str(table.path).replace("'", "''")
        self.con.execute(f"CREATE TABLE {dq(table.name)} AS SELECT * FROM read_parquet('{path}')")

    def drop(self, name):
        self.con.execute(f"DROP TABLE IF EXISTS {dq(name)}")

    def run(self, sql):
        try:
            cur = self.con.execute(sql)
            rows = cur.fetchall()
        except self.duckdb.Error as err:
            msg = str(err)
            m = re.search(r"\bLINE (\d+):", msg)
            raise SqlError(msg, int(m.group(1)) if m else None) from err
        return [d[0] for d in cur.description], rows

    def close(self):
        self.con.close()


class Postgres(Engine):
    """A private cluster: initdb in a temporary folder, a free port on
    127.0.0.1, a socket in that folder; run as the `postgres` user when this
    script runs as root (PostgreSQL refuses to run as root)."""

    def __init__(self, icu: bool):
        super().__init__()
        self.name = "postgres-icu" if icu else "postgres"
        self.psycopg = need("psycopg", self.name)
        self.bindir = self.find_bindir()
        self.tmp = Path(tempfile.mkdtemp(prefix="tal-pg-"))
        self.as_user: list[str] = []
        self.started = False
        self.con = None
        try:
            if os.geteuid() == 0:
                runuser = shutil.which("runuser")
                if not runuser:
                    raise EngineUnavailable(
                        f"{self.name}: running as root and runuser(1) is missing"
                    )
                self.as_user = [runuser, "-u", "postgres", "--"]
                shutil.chown(self.tmp, "postgres", "postgres")
            self.port = free_port()
            data = self.tmp / "data"
            self.pg(
                "initdb",
                "-D",
                str(data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
                "--no-instructions",
            )
            opts = (
                f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.tmp} "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            )
            self.pg(
                "pg_ctl",
                "-D",
                str(data),
                "-l",
                str(self.tmp / "log"),
                "-w",
                "-t",
                "60",
                "-o",
                opts,
                "start",
            )
            self.started = True
            admin = self.connect("postgres")
            if icu:
                create = (
                    "CREATE DATABASE tal TEMPLATE template0 ENCODING 'UTF8' "
                    "LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'"
                )
            else:
                create = (
                    "CREATE DATABASE tal TEMPLATE template0 ENCODING 'UTF8' "
                    "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
                )
            admin.execute(create)
            admin.close()
            self.con = self.connect("tal")
        except BaseException:
            self.close()
            raise

    @staticmethod
    def find_bindir() -> Path:
        found = sorted(
            Path("/usr/lib/postgresql").glob("*/bin/initdb"),
            key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
        )
        if found:
            return found[-1].parent
        initdb = shutil.which("initdb")
        if initdb:
            return Path(initdb).resolve().parent
        raise EngineUnavailable(
            "postgres: no initdb in /usr/lib/postgresql/*/bin nor on PATH "
            "(apt-get install -y postgresql)"
        )

    def pg(self, tool: str, *args: str) -> None:
        cmd = self.as_user + [str(self.bindir / tool), *args]
        res = subprocess.run(cmd, check=False, capture_output=True, text=True, cwd=self.tmp)
        if res.returncode != 0:
            log = self.tmp / "log"
            tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
            raise EngineUnavailable(
                f"{self.name}: {tool} failed ({res.returncode}):\n{res.stdout}{res.stderr}{tail}"
            )

    def connect(self, db: str):
        return self.psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user="postgres",
            dbname=db,
            autocommit=True,
            connect_timeout=30,
        )

    PG_TYPE = {
        "string": "text",
        "double": "double precision",
        "int64": "bigint",
        "bool": "boolean",
        "date": "date",
    }

    def load(self, table):
        cols = ", ".join(f"{dq(n)} {self.PG_TYPE[k]}" for n, k in table.columns)
        self.con.execute(f"CREATE TABLE {dq(table.name)} ({cols})")
        names = ", ".join(dq(n) for n, _ in table.columns)
        copy_sql = f"COPY {dq(table.name)} ({names}) FROM STDIN"
        with self.con.cursor() as cur, cur.copy(copy_sql) as copy:
            for row in table.rows():
                copy.write_row(row)

    def drop(self, name):
        self.con.execute(f"DROP TABLE IF EXISTS {dq(name)}")

    def run(self, sql):
        try:
            with self.con.cursor() as cur:
                cur.execute(sql)
                rows = cur.fetchall()
                names = [d.name for d in cur.description]
        except self.psycopg.Error as err:
            line = col = None
            pos = err.diag.statement_position if err.diag else None
            if pos and pos.isdigit():
                line, col = line_of(sql, int(pos) - 1)
            raise SqlError(str(err).strip(), line, col) from err
        return names, rows

    def close(self):
        if self.con is not None:
            self.con.close()
            self.con = None
        if self.started:
            self.started = False
            try:
                self.pg("pg_ctl", "-D", str(self.tmp / "data"), "-m", "immediate", "-w", "stop")
            except EngineUnavailable as err:
                print(f"engines.py: {err}", file=sys.stderr)
        shutil.rmtree(self.tmp, ignore_errors=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Spark(Engine):
    """local[2] with a modest driver, no UI, nothing listening beyond
    127.0.0.1, ANSI mode as Spark 4 defaults it (an overflow or a bad cast is
    an error, as on Databricks SQL), session time zone UTC."""

    name = "spark"

    def __init__(self):
        super().__init__()
        need("pyspark", self.name)
        if not shutil.which("java") and not os.environ.get("JAVA_HOME"):
            raise EngineUnavailable(
                "spark: no java on PATH (apt-get install -y openjdk-17-jre-headless)"
            )
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        self.tmp = Path(tempfile.mkdtemp(prefix="tal-spark-"))
        # Spark puts SPARK_CONF_DIR on the driver's class path, where log4j2
        # finds this file: errors only, on stderr.
        os.environ["SPARK_CONF_DIR"] = str(self.tmp)
        log4j = self.tmp / "log4j2.properties"
        log4j.write_text(
            "rootLogger.level = error\n"
            "rootLogger.appenderRef.stderr.ref = console\n"
            "appender.console.type = Console\n"
            "appender.console.name = console\n"
            "appender.console.target = SYSTEM_ERR\n"
            "appender.console.layout.type = PatternLayout\n"
            "appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n%ex\n"
        )
        from pyspark.errors import PySparkException
        from pyspark.logger import PySparkLogger
        from pyspark.sql import SparkSession

        # pyspark logs every failed query as JSON on stderr; run() reports it.
        for logger in ("SQLQueryContextLogger", "DataFrameQueryContextLogger"):
            PySparkLogger.getLogger(logger).setLevel(logging.CRITICAL)

        self.errors = (PySparkException,)
        java_opts = "-XX:+UseSerialGC -Xss4m"
        try:
            self.spark = (
                SparkSession.builder.master("local[2]")
                .appName("tal-sql-test")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.driver.memory", "1g")
                .config("spark.driver.extraJavaOptions", java_opts)
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.default.parallelism", "2")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.catalogImplementation", "in-memory")
                .config("spark.sql.warehouse.dir", str(self.tmp / "warehouse"))
                .config("spark.local.dir", str(self.tmp))
                .getOrCreate()
            )
        except Exception as err:
            shutil.rmtree(self.tmp, ignore_errors=True)
            raise EngineUnavailable(f"spark: the session did not start: {err}") from err

    def load(self, table):
        self.spark.read.parquet(str(table.path)).createOrReplaceTempView(table.name)

    def drop(self, name):
        self.spark.catalog.dropTempView(name)

    def run(self, sql):
        try:
            df = self.spark.sql(sql)
            rows = [tuple(r) for r in df.collect()]
        except self.errors as err:
            msg = str(err)
            line = col = None
            m = re.search(r"line (\d+),? pos(?:ition)? (\d+)", msg)
            if m:
                line, col = int(m.group(1)), int(m.group(2)) + ("position" not in m.group(0))
            raise SqlError(msg, line, col) from err
        return df.columns, rows

    def close(self):
        try:
            self.spark.stop()
        finally:
            shutil.rmtree(self.tmp, ignore_errors=True)


class BigQuery(Engine):
    """GoogleSQL on ZetaSQL's reference evaluator: zetasql.js (beside this
    file) starts the service that the npm package @fivetrandevelopers/zetasql
    ships, and runs each query with the tables' rows sent along."""

    name = "bigquery"

    def __init__(self):
        super().__init__()
        node = shutil.which("node")
        if not node:
            raise EngineUnavailable("bigquery: no node on PATH (Node 20)")
        if not (HERE / "node_modules" / "@fivetrandevelopers" / "zetasql").is_dir():
            raise EngineUnavailable(
                "bigquery: the zetasql package is not installed (cd tests/sql && npm ci)"
            )
        self.proc = subprocess.Popen(
            [node, str(HERE / "zetasql.js")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            cwd=HERE,
        )
        first = self.proc.stdout.readline()
        if not first or not json.loads(first).get("ready"):
            self.close()
            raise EngineUnavailable("bigquery: zetasql.js did not start (its message is above)")
        self.tables: dict[str, Table] = {}

    def load(self, table):
        self.tables[table.name] = table

    def drop(self, name):
        self.tables.pop(name, None)

    @staticmethod
    def encode(kind, v):
        if v is None:
            return None
        if kind == "date":
            return (v - EPOCH).days
        if kind == "int64":
            return str(v)
        if kind == "double":
            if math.isnan(v):
                return "NaN"
            if math.isinf(v):
                return "Infinity" if v > 0 else "-Infinity"
            if v == 0 and math.copysign(1, v) < 0:
                return "-0"
        return v

    @staticmethod
    def decode(kind, v):
        if v is None:
            return None
        if kind == "date":
            return EPOCH + datetime.timedelta(days=v)
        if kind == "int64":
            return int(v)
        if kind == "double":
            return float(v)  # float("NaN"), float("-0") read back as such
        return v

    def run(self, sql):
        tables = {}
        for name, t in self.tables.items():
            kinds = [k for _, k in t.columns]
            tables[name] = {
                "columns": [[n, k] for n, k in t.columns],
                "rows": [[self.encode(k, v) for k, v in zip(kinds, row)] for row in t.rows()],
            }
        self.proc.stdin.write(json.dumps({"sql": sql, "tables": tables}) + "\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline()
        if not answer:
            raise EngineUnavailable("bigquery: zetasql.js stopped (its message is above)")
        res = json.loads(answer)
        if "error" in res:
            msg = res["error"]
            m = re.search(r"\[at (\d+):(\d+)\]", msg)
            raise SqlError(msg, *(map(int, m.groups()) if m else (None, None)))
        kinds = [k for _, k in res["columns"]]
        rows = [tuple(self.decode(k, v) for k, v in zip(kinds, r)) for r in res["rows"]]
        return [n for n, _ in res["columns"]], rows

    def close(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()


class Snowflake(Engine):
    """fakesnow: the snowflake connector's connect() patched to translate
    Snowflake SQL (with sqlglot) and run it on DuckDB. A smoke test of the
    dialect's spelling, not of Snowflake's semantics."""

    name = "snowflake"

    SF_TYPE = {
        "string": "VARCHAR",
        "double": "DOUBLE",
        "int64": "NUMBER(38,0)",
        "bool": "BOOLEAN",
        "date": "DATE",
    }

    def __init__(self):
        super().__init__()
        warnings.filterwarnings("ignore", module="fakesnow")
        fakesnow = need("fakesnow", self.name)
        connector = need("snowflake.connector", self.name)
        self.connector = connector
        self.patch = fakesnow.patch()
        self.patch.__enter__()
        self.con = connector.connect(database="tal", schema="public")

    @staticmethod
    def ident(name):
        return name if PLAIN.match(name) else dq(name)

    def load(self, table):
        cols = ", ".join(f"{self.ident(n)} {self.SF_TYPE[k]}" for n, k in table.columns)
        cur = self.con.cursor()
        cur.execute(f"CREATE TABLE {self.ident(table.name)} ({cols})")
        # The rows go in by one INSERT ... SELECT from DuckDB's read_parquet,
        # which fakesnow's translation passes through as an unknown function:
        # one statement a row (executemany) costs ~5 ms a row, and a
        # multi-row VALUES still ~1 ms a row, in sqlglot's parser.
        path = str(table.path).replace("\\", "\\\\").replace("'", "\\'")
        names = ", ".join(dq(n) for n, _ in table.columns)
        cur.execute(
            f"INSERT INTO {self.ident(table.name)} SELECT {names} FROM read_parquet('{path}')"
        )
        cur.close()

    def drop(self, name):
        self.con.cursor().execute(f"DROP TABLE IF EXISTS {self.ident(name)}")

    def run(self, sql):
        cur = self.con.cursor()
        try:
            cur.execute(sql)
            rows = cur.fetchall()
        except Exception as err:  # fakesnow raises the connector's and sqlglot's errors
            msg = f"{type(err).__name__}: {err}"
            m = re.search(r"Line (\d+), Col: (\d+)", msg)
            raise SqlError(msg, *(map(int, m.groups()) if m else (None, None))) from err
        names = [d[0] for d in cur.description]
        cur.close()
        return names, rows

    def close(self):
        try:
            self.con.close()
        finally:
            self.patch.__exit__(None, None, None)


def start(engine: str) -> Engine:
    if engine == "duckdb":
        return DuckDB()
    if engine in ("postgres", "postgres-icu"):
        return Postgres(icu=engine == "postgres-icu")
    if engine == "spark":
        return Spark()
    if engine == "bigquery":
        return BigQuery()
    if engine == "snowflake":
        return Snowflake()
    raise EngineUnavailable(f"unknown engine {engine!r}; one of {', '.join(ENGINES)}")


# ---------------------------------------------------------------- output


def canonical(value, column: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, datetime.datetime):
        raise SqlError(f"result column {column!r} holds a timestamp ({value}); expected a DATE")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return value
    if isinstance(value, decimal.Decimal):
        raise SqlError(
            f"result column {column!r} holds a DECIMAL/NUMERIC ({value}); "
            "cast it to the dialect's double or integer type"
        )
    raise SqlError(f"result column {column!r} holds a {type(value).__name__} ({value!r})")


def write_csv(out: str, names: list[str], rows: list[tuple]) -> None:
    cells = [[canonical(v, names[i]) for i, v in enumerate(row)] for row in rows]
    tmp = Path(out + ".tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(names)
        w.writerows(cells)
    tmp.replace(out)


# ---------------------------------------------------------------- jobs


def report(engine: str, job: dict, err: Exception) -> None:
    print(f"engines.py: {engine}: {job['sql']} failed (tables {job['tables']}):", file=sys.stderr)
    print("  " + str(err).replace("\n", "\n  "), file=sys.stderr)
    line = getattr(err, "line", None)
    if line:
        try:
            text = Path(job["sql"]).read_text(encoding="utf-8").split("\n")
        except OSError:
            text = []
        if 0 < line <= len(text):
            col = getattr(err, "col", None)
            where = f"{job['sql']}:{line}" + (f":{col}" if col else "")
            print(f"  {where}: {text[line - 1]}", file=sys.stderr)
            if col:
                print("  " + " " * (len(where) + 2 + col - 1) + "^", file=sys.stderr)


def run_jobs(engine_name: str, jobs: list[dict]) -> int:
    t0 = time.monotonic()
    try:
        engine = start(engine_name)
    except EngineUnavailable as err:
        print(f"engines.py: {err}", file=sys.stderr)
        return 2
    started = time.monotonic() - t0
    failed = 0
    try:
        for job in jobs:
            out = Path(job["out"])
            if out.exists():
                out.unlink()
            try:
                engine.use(job["tables"])
                names, rows = engine.run(read_sql(job["sql"]))
                write_csv(job["out"], names, rows)
            except (SqlError, OSError, UnicodeDecodeError) as err:
                failed += 1
                report(engine_name, job, err)
    except EngineUnavailable as err:
        print(f"engines.py: {err}", file=sys.stderr)
        return 2
    finally:
        engine.close()
    if os.environ.get("TAL_SQL_TIMING"):
        total = time.monotonic() - t0
        print(
            f"engines.py: {engine_name}: start {started:.1f}s, {len(jobs)} jobs, "
            f"total {total:.1f}s",
            file=sys.stderr,
        )
    return 1 if failed else 0


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(
        prog="engines.py",
        description="Run SQL on a real engine over Parquet tables; write the result as CSV.",
    )
    p.add_argument("engine", choices=ENGINES)
    p.add_argument(
        "--tables", help="folder of *.parquet files, one table each (named after the file)"
    )
    p.add_argument("--sql", help="file holding one SQL statement")
    p.add_argument("--out", help="CSV file to write")
    p.add_argument("--batch", help='JSON list of {"tables": DIR, "sql": FILE, "out": CSV}')
    args = p.parse_args(argv)
    if args.batch:
        if args.tables or args.sql or args.out:
            p.error("--batch replaces --tables, --sql and --out")
        try:
            jobs = json.loads(Path(args.batch).read_text(encoding="utf-8"))
            if not isinstance(jobs, list) or not all(
                isinstance(j, dict) and {"tables", "sql", "out"} <= j.keys() for j in jobs
            ):
                raise ValueError('expected a list of {"tables", "sql", "out"} objects')
        except (OSError, ValueError) as err:
            print(f"engines.py: {args.batch}: {err}", file=sys.stderr)
            return 2
    else:
        if not (args.tables and args.sql and args.out):
            p.error("give --tables, --sql and --out (or --batch)")
        jobs = [{"tables": args.tables, "sql": args.sql, "out": args.out}]
    return run_jobs(args.engine, jobs)


def on_term(signum, frame):
    # Turn SIGTERM into an exit, so that clusters and JVMs are stopped.
    raise SystemExit(128 + signum)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, on_term)
    sys.exit(main(sys.argv[1:]))
