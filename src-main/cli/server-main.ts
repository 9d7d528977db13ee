/**
 * The production entry of the team server, compiled by `npm run build:server` to out/server/main.js:
 * `node out/server/main.js server [flags]` is `sidekick server [flags]` without tsx at run time and
 * without loading the other commands (OCR, capture, the walkthrough engine).
 */
import { serverCommand } from './commands/server';
import { runCommand } from './run';

const argv = process.argv.slice(2);
process.exitCode = await runCommand(serverCommand, argv[0] === serverCommand.name ? argv.slice(1) : argv);
