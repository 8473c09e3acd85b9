const { execSync } = require('child_process');
const fs = require('fs');
const path = require('path');

// The SDK is installed from source: compile it, then place package.json where getVersion() reads it.
try {
    const tsc = require.resolve('typescript/bin/tsc');
    execSync(`node "${tsc}" --types node`, { stdio: 'inherit', cwd: path.join(__dirname, '..') });
} catch (error) {
    console.error(`Failed to build the genesyscloud SDK: ${error.message}`);
    process.exit(1);
}
fs.copyFileSync(path.join(__dirname, '..', 'package.json'), path.join(__dirname, '..', 'bin', 'package.json'));
