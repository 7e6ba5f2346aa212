/** This package's version (package.json's; test/core/version.test.ts keeps the two equal). */
export const VERSION = "0.1.0";
