import { runCli } from './cli';

// `leadline <command>`: see USAGE in cli.ts and tools/leadline/README.md.
if (require.main === module) {
  void runCli(process.argv.slice(2), {
    env: process.env,
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  }).then((code) => { process.exitCode = code; });
}
