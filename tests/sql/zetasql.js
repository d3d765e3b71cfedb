#!/usr/bin/env node
// GoogleSQL (BigQuery's dialect) for tal's SQL tests: starts the ZetaSQL
// local service that @fivetrandevelopers/zetasql ships (its reference
// evaluator), then answers queries read from stdin, one JSON object a line,
// with one JSON line each on stdout. tests/sql/engines.py drives it; it is
// not meant to be run by hand.
//
// The package's own client wraps only analysis calls (analyze, formatSql...);
// its protos and server binary also carry EvaluateQuery, which runs a query
// over tables whose rows travel with the request. This script loads those
// protos itself, so that int64 values stay exact (as strings) and field
// names keep the protos' spelling.
//
// Request:  {"sql": "...", "tables": {"crm": {"columns": [["domain", "string"], ...],
//                                             "rows": [["acme.com", ...], ...]}}}
//   column types: string, double, int64, bool, date; a date is days since
//   1970-01-01, an int64 a decimal string, a double a number or one of
//   "NaN", "Infinity", "-Infinity", "-0".
// Answer:   {"columns": [[name, type], ...], "rows": [[...], ...]} in the
//   same encoding, in the query's row order, or {"error": "message"}.
// The first line written is {"ready": true} once the service answers.
'use strict';

const path = require('path');
const net = require('net');
const readline = require('readline');
const { execFile } = require('child_process');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const pkgDir = path.dirname(require.resolve('@fivetrandevelopers/zetasql/package.json'));
const libDir = path.join(pkgDir, 'lib', 'zetasql');

// The binary names are the package's own (see its lib/server.js).
function serverBinary() {
  const arm = process.arch.startsWith('arm') ? '_arm' : '';
  const ext = process.platform === 'darwin' ? '' : '.so';
  return path.join(libDir, `remote_server${arm}${ext}`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const TYPE_KIND = {
  string: 'TYPE_STRING',
  double: 'TYPE_DOUBLE',
  int64: 'TYPE_INT64',
  bool: 'TYPE_BOOL',
  date: 'TYPE_DATE',
};
const KIND_TYPE = Object.fromEntries(Object.entries(TYPE_KIND).map(([k, v]) => [v, k]));

function encodeValue(type, v) {
  if (v === null || v === undefined) return {};
  switch (type) {
    case 'string': return { string_value: v };
    case 'int64': return { int64_value: String(v) };
    case 'bool': return { bool_value: v };
    case 'date': return { date_value: v };
    case 'double':
      if (v === 'NaN') return { double_value: NaN };
      if (v === 'Infinity') return { double_value: Infinity };
      if (v === '-Infinity') return { double_value: -Infinity };
      if (v === '-0') return { double_value: -0 };
      return { double_value: v };
    default: throw new Error(`unknown column type ${type}`);
  }
}

function decodeValue(type, cell) {
  if (!cell || !cell.value) return null;
  const v = cell[cell.value];
  switch (type) {
    case 'string': case 'bool': case 'date': return v;
    case 'int64': return String(v);
    case 'double':
      if (Number.isNaN(v)) return 'NaN';
      if (v === Infinity) return 'Infinity';
      if (v === -Infinity) return '-Infinity';
      if (Object.is(v, -0)) return '-0';
      return v;
    default: return v;
  }
}

async function main() {
  const pkg = protoLoader.loadSync('local_service.proto', {
    keepCase: true,
    longs: String,
    enums: String,
    defaults: false,
    oneofs: true,
    includeDirs: [path.join(libDir, 'protos')],
  });
  const proto = grpc.loadPackageDefinition(pkg);

  const port = await freePort();
  let serverLog = '';
  let serverExit = null;
  const server = execFile(serverBinary(), ['127.0.0.1', String(port)], { maxBuffer: 1 << 30 });
  const keepLog = (d) => { serverLog = (serverLog + d).slice(-8000); };
  server.stdout.on('data', keepLog);
  server.stderr.on('data', keepLog);
  server.on('exit', (code, signal) => { serverExit = `exit ${code} ${signal || ''}`.trim(); });
  // The service never outlives this script.
  process.on('exit', () => { try { server.kill('SIGKILL'); } catch (_) { /* gone */ } });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => process.exit(1));

  const limit = 1 << 30;
  const api = new proto.zetasql.local_service.ZetaSqlLocalService(
    `127.0.0.1:${port}`, grpc.credentials.createInsecure(),
    { 'grpc.max_send_message_length': limit, 'grpc.max_receive_message_length': limit },
  );
  const call = (method, req) => new Promise((resolve, reject) => {
    api[method](req, (err, res) => (err ? reject(err) : resolve(res)));
  });
  const fail = (msg) => {
    process.stderr.write(`zetasql.js: ${msg}\n${serverLog}`);
    try { server.kill('SIGKILL'); } catch (_) { /* already gone */ }
    process.exit(2);
  };

  await new Promise((resolve) => {
    api.waitForReady(Date.now() + 60000, (err) => {
      if (err) fail(`the ZetaSQL service did not start (${serverExit || err.message})`);
      resolve();
    });
  });

  // Every feature the evaluator knows, in the external product mode
  // (BigQuery's: FLOAT64/INT64 only, no proto or int32 types).
  const lang = await call('GetLanguageOptions', { maximum_features: true });
  lang.product_mode = 'PRODUCT_EXTERNAL';

  const out = (obj) => process.stdout.write(`${JSON.stringify(obj)}\n`);
  out({ ready: true });

  const evaluate = async (req) => {
    const tables = [];
    const content = {};
    for (const [name, t] of Object.entries(req.tables || {})) {
      tables.push({
        name,
        column: t.columns.map(([col, type]) => {
          if (!TYPE_KIND[type]) throw new Error(`table ${name}, column ${col}: unknown type ${type}`);
          return { name: col, type: { type_kind: TYPE_KIND[type] } };
        }),
      });
      content[name] = {
        table_data: {
          row: t.rows.map((r) => ({ cell: r.map((v, i) => encodeValue(t.columns[i][1], v)) })),
        },
      };
    }
    const res = await call('EvaluateQuery', {
      sql: req.sql,
      options: { language_options: lang, error_message_mode: 'ERROR_MESSAGE_ONE_LINE' },
      simple_catalog: {
        name: 'tal',
        table: tables,
        builtin_function_options: { language_options: lang },
      },
      table_content: content,
    });
    const columns = res.prepared.columns.map((c) => {
      const kind = c.type.type_kind;
      if (!KIND_TYPE[kind]) throw new Error(`result column ${c.name} has type ${kind}, not one of INT64, FLOAT64, STRING, BOOL, DATE`);
      return [c.name, KIND_TYPE[kind]];
    });
    const rows = ((res.content && res.content.table_data && res.content.table_data.row) || [])
      .map((r) => (r.cell || []).map((cell, i) => decodeValue(columns[i][1], cell)));
    return { columns, rows };
  };

  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  // One query at a time, in order: the answers' order is the requests'.
  let chain = Promise.resolve();
  rl.on('line', (line) => {
    if (!line.trim()) return;
    chain = chain.then(async () => {
      try {
        out(await evaluate(JSON.parse(line)));
      } catch (err) {
        out({ error: err.details || err.message || String(err) });
      }
    });
  });
  rl.on('close', () => {
    chain.then(() => {
      server.kill('SIGKILL');
      process.exit(0);
    });
  });
}

main().catch((err) => {
  process.stderr.write(`zetasql.js: ${err.stack || err}\n`);
  process.exit(2);
});
