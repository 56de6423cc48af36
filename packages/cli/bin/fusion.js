#!/usr/bin/env node
// The fusion command. Runs the TypeScript sources in a checkout and the built files in an image.
import("../src/main.ts");
