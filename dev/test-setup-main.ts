// `npm test`'s first step after the build (package.json): see test-setup.ts.
import { runSetup } from './test-setup';

process.exit(runSetup());
