#!/usr/bin/env node
// `nnlab` command line. Runs the bundled CLI (built by `npm install` / `npm run build`).
require('../dist/cli.js');
