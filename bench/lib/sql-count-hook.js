// Loaded into the server with `node --require` when BENCH_SQL_COUNT_PORT is set: counts every SQL statement TypeORM
// sends (both drivers), by verb and table, and serves the running totals as JSON on 127.0.0.1:<port>. The bench reads
// them before and after a few requests of a scenario to report statements per request, a figure machine noise cannot
// blur. Only for the bench; the app knows nothing of it.
const http = require('node:http');

// Counted by statement text, and classified only when the totals are read: a regular expression on every statement
// would cost the measured server CPU on every request (about 50 µs a SCIM call in a CPU profile).
const countsBySql = new Map();
// A transaction's batched round trip (src/database/write-batch.ts) carries several statements with their values written
// in, so each text is new: kept by text, they filled the server's memory (100 MB in an Entra cycle). They are
// classified when sent instead, statement by statement.
const batchedCounts = new Map();
// Requests and statements under way, so the bench can wait until the server is really idle before counting.
const busy = { requests: 0, statements: 0 };
const STATEMENT_SEPARATOR = ';\n';
// The key under which the served totals count round trips (each call of the query runner) rather than statements.
const ROUND_TRIP = '(round trip)';
const classify = (sql) => {
  const text = String(sql).trim().replace(/\s+/g, ' ');
  const verb = (/^\w+/.exec(text)?.[0] ?? '?').toUpperCase();
  const table = /(?:FROM|INTO|UPDATE|JOIN)\s+[`"]?(\w+)/i.exec(text)?.[1];
  return table && ['SELECT', 'INSERT', 'UPDATE', 'DELETE'].includes(verb) ? `${verb} ${table}` : verb;
};
for (const [module, name] of [
  ['typeorm/driver/better-sqlite3/BetterSqlite3QueryRunner', 'BetterSqlite3QueryRunner'],
  ['typeorm/driver/mysql/MysqlQueryRunner', 'MysqlQueryRunner'],
]) {
  const prototype = require(module)[name].prototype;
  const query = prototype.query;
  prototype.query = function (sql, ...rest) {
    if (String(sql).includes(STATEMENT_SEPARATOR)) {
      batchedCounts.set(ROUND_TRIP, (batchedCounts.get(ROUND_TRIP) ?? 0) + 1);
      for (const statement of sql.split(STATEMENT_SEPARATOR)) {
        const key = classify(statement);
        batchedCounts.set(key, (batchedCounts.get(key) ?? 0) + 1);
      }
    } else {
      countsBySql.set(sql, (countsBySql.get(sql) ?? 0) + 1);
    }
    busy.statements++;
    const done = () => busy.statements--;
    const result = query.call(this, sql, ...rest);
    result.then(done, done);
    return result;
  };
}
// Reads run as prepared statements on MariaDB/MySQL (src/database/read-rows.ts) go to mysql2's execute, not through
// TypeORM's query runner: one statement and one round trip each, as a query is.
const connectionPrototype = require('mysql2').Connection.prototype;
const execute = connectionPrototype.execute;
connectionPrototype.execute = function (sql, values, callback) {
  countsBySql.set(sql, (countsBySql.get(sql) ?? 0) + 1);
  busy.statements++;
  return execute.call(this, sql, values, (...results) => {
    busy.statements--;
    callback(...results);
  });
};
const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, request, response) {
  if (event === 'request' && this !== countsServer) {
    busy.requests++;
    let open = true;
    const done = () => {
      if (open) busy.requests--;
      open = false;
    };
    response.once('finish', done);
    response.once('close', done);
  }
  return emit.apply(this, arguments);
};
const countsServer = http.createServer((_request, response) => {
  response.setHeader('content-type', 'application/json');
  const counts = Object.fromEntries(batchedCounts);
  for (const [sql, count] of countsBySql) {
    counts[ROUND_TRIP] = (counts[ROUND_TRIP] ?? 0) + count;
    const key = classify(sql);
    counts[key] = (counts[key] ?? 0) + count;
  }
  response.end(JSON.stringify({ counts, busy }));
});
countsServer.listen(Number(process.env.BENCH_SQL_COUNT_PORT), '127.0.0.1').unref();
