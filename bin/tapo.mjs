#!/usr/bin/env node
// `npx tapo`: runs the TypeScript command line through tsx.
import { register } from "tsx/esm/api";

register();
await import("../src/cli/node/tapo.ts");
