// Loaded into the server with `node --require` when BENCH_SQL_COUNT_PORT is set: counts every SQL statement TypeORM
// sends (both drivers), by verb and table, and serves the running totals as JSON on 127.0.0.1:<port>. The bench reads
// them before and after a few requests of a scenario to report statements per request, a figure machine noise cannot
// blur. Only for the bench; the app knows nothing of it.
const { createServer } = require('node:http');

const counts = {};
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
    const key = classify(sql);
    counts[key] = (counts[key] ?? 0) + 1;
    return query.call(this, sql, ...rest);
  };
}
createServer((_request, response) => {
  response.setHeader('content-type', 'application/json');
  response.end(JSON.stringify(counts));
})
  .listen(Number(process.env.BENCH_SQL_COUNT_PORT), '127.0.0.1')
  .unref();
