import { main } from './cli/main';
(async () => {
  const fs = require('fs');
  const dirs = process.argv.slice(2);
  for (const d of dirs) {
    process.exitCode = undefined;
    console.log('=== ' + d);
    const code = await main(['node', 'jit', 'validate', '--app', d]);
    console.log('exit', code);
  }
  process.exitCode = 0;
})();
