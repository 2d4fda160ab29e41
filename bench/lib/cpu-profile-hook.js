// Loaded into the server with `node --require` when BENCH_CPU_PROF names a folder: profiles the whole run and writes
// the profile (open it in Chrome DevTools or speedscope) on SIGUSR2. `--cpu-prof` would write only at a normal exit,
// which a server stopped by a signal never reaches.
const { Session } = require('node:inspector');
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const folder = process.env.BENCH_CPU_PROF;
const session = new Session();
session.connect();
session.post('Profiler.enable', () => session.post('Profiler.start'));
process.on('SIGUSR2', () => {
  session.post('Profiler.stop', (error, result) => {
    if (error) {
      console.error(`cpu profile failed: ${error.message}`);
      return;
    }
    mkdirSync(folder, { recursive: true });
    const file = join(folder, `${process.env.BENCH_CPU_PROF_NAME || 'server'}-${Date.now()}.cpuprofile`);
    writeFileSync(file, JSON.stringify(result.profile));
    console.error(`cpu profile written to ${file}`);
  });
});
